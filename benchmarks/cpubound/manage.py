#!/usr/bin/env python
"""Command-line entry point of the CPU-bound benchmark project."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpusite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


# The guard matters: spawn workers re-import the main module and must not rerun the command.
if __name__ == "__main__":
    main()
