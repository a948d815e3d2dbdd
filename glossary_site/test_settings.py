"""The production settings, with a throwaway secret key so tests run on a fresh clone."""

import atexit
import os
import shutil
import tempfile

# The page cache is the production one (files shared by workers), in a folder of its own.
if "GLOSSARY_CACHE_DIR" not in os.environ:
    os.environ["GLOSSARY_CACHE_DIR"] = tempfile.mkdtemp(prefix="glossary-test-cache-")
    atexit.register(shutil.rmtree, os.environ["GLOSSARY_CACHE_DIR"], ignore_errors=True)
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "tests-only-secret-key-never-used-outside-the-test-suite"
)

from glossary_site.settings import *  # noqa: F403
