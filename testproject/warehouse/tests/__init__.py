"""Tests of the warehouse app: the demo's database-heavy part, where concurrency pays.

Discovered only when the app is installed: ``DEMO_WAREHOUSE=off`` (this project's own
test suite) leaves it out of INSTALLED_APPS, and its models could not be imported.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps


def load_tests(loader, tests, pattern):
    """This package's test modules, or none when the warehouse app is not installed."""
    if apps.is_installed("warehouse"):
        tests.addTests(loader.discover(str(Path(__file__).parent), pattern or "test*.py"))
    return tests
