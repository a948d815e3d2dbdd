"""Run a command with the settings `make run` uses on a developer's machine.

`make run` serves over plain HTTP on 127.0.0.1, with debug off as in
production. A secret key is generated once into data/secret_key, and cookies
are not marked Secure (there is no TLS locally). Anything already set in the
environment wins.

Usage: python scripts/dev_env.py COMMAND [ARG...]
"""

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def secret_key():
    path = ROOT / "data" / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def main(argv):
    if not argv:
        sys.exit(__doc__)
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
    if not os.environ.get("DJANGO_SECRET_KEY"):
        os.environ["DJANGO_SECRET_KEY"] = secret_key()
    os.chdir(ROOT)
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main(sys.argv[1:])
