#!/usr/bin/env python
"""Django's command-line utility for the glossary."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossary_site.settings")
    # In a checkout where `make run` ran, commands use its settings and database.
    from glossary_site.local_env import use_local_environment

    use_local_environment()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
