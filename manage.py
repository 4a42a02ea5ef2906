#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    from config.runtime import local_folders_make

    # The SQLite database's folder before `migrate` opens it (settings create no folder).
    local_folders_make()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
