"""The production settings, with a throwaway secret key so tests run on a fresh clone."""

import os

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "tests-only-secret-key-never-used-outside-the-test-suite"
)

from glossary_site.settings import *  # noqa: F403
