"""The environment of a developer's checkout, where `make run` serves the site.

`make run` serves over plain HTTP on 127.0.0.1 with debug off, as in production,
with a secret key generated once into data/secret_key and cookies not marked
Secure (there is no TLS locally). Every command of that checkout —
`python manage.py import_glossary FILE` as the README shows it — runs with the
same environment, so it finds the same settings and database.

Production stays strict: where DJANGO_SECRET_KEY is set, nothing here applies,
and where it is not and `make run` never made a key, the settings still refuse
to start. Anything already set in the environment wins.
"""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY_FILE = ROOT / "data" / "secret_key"


def use_local_environment(*, create_key=False):
    """Set the local defaults; `create_key` makes the key file if there is none (make run)."""
    if os.environ.get("DJANGO_SECRET_KEY"):
        return
    if not SECRET_KEY_FILE.exists():
        if not create_key:
            return
        SECRET_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        SECRET_KEY_FILE.write_text(secrets.token_urlsafe(50))
        SECRET_KEY_FILE.chmod(0o600)
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
    os.environ["DJANGO_SECRET_KEY"] = SECRET_KEY_FILE.read_text().strip()
