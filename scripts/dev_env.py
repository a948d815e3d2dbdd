"""Run a command with the settings `make run` uses on a developer's machine.

See glossary_site/local_env.py: a secret key generated once into data/secret_key,
debug off, cookies not marked Secure. Anything already set in the environment wins.

Usage: python scripts/dev_env.py COMMAND [ARG...]
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary_site.local_env import use_local_environment  # noqa: E402


def main(argv):
    if not argv:
        sys.exit(__doc__)
    use_local_environment(create_key=True)
    os.chdir(ROOT)
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main(sys.argv[1:])
