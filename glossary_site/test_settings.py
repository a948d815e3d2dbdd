"""The production settings, with a throwaway secret key so tests run on a fresh clone."""

import atexit
import os
import shutil
import tempfile

# The page cache is the production one (files shared by workers), and admin uploads wait
# for confirmation in a folder; each in a folder of its own, gone when the tests end.
for variable, prefix in (
    ("GLOSSARY_CACHE_DIR", "glossary-test-cache-"),
    ("GLOSSARY_UPLOAD_DIR", "glossary-test-uploads-"),
):
    if variable not in os.environ:
        os.environ[variable] = tempfile.mkdtemp(prefix=prefix)
        atexit.register(shutil.rmtree, os.environ[variable], ignore_errors=True)
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "tests-only-secret-key-never-used-outside-the-test-suite"
)

from glossary_site.settings import *  # noqa: E402, F403  (the folders above come first)
