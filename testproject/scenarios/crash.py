"""A test that kills its process when CRASH_SCENARIO=1, next to a class that just passes."""

from __future__ import annotations

import os

from django.test import SimpleTestCase

CRASH_EXIT_CODE = 13


class CrashTests(SimpleTestCase):
    def test_crash(self):
        if os.environ.get("CRASH_SCENARIO") == "1":
            # os._exit skips cleanup and exception handling, like a segfault would.
            os._exit(CRASH_EXIT_CODE)


class SurvivorTests(SimpleTestCase):
    def test_one(self):
        pass

    def test_two(self):
        pass

    def test_three(self):
        pass
