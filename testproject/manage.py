#!/usr/bin/env python
"""Django's command-line utility for the django-concurrent-runner demo project."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testproject.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


# The guard matters: workers are started with multiprocessing's "spawn", which
# re-imports this script as __mp_main__ in every child.
if __name__ == "__main__":
    main()
