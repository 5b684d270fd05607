"""The `onewindow` console command: Django's manage.py with the project's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["onewindow", *sys.argv[1:]])


if __name__ == "__main__":
    main()
