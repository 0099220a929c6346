"""--failed-first/--last-failed: red until SCENARIO_FIXED=1; GoneTests vanishes with SCENARIO_DROP=1.

Every test appends "<pid> <test id>" to the file SCENARIO_LOG names (if set), so a test
can read each process's order. Django runs the TestCase classes first: the red
SimpleTestCase classes come last in its order, so --failed-first visibly moves them.
"""

from __future__ import annotations

import os

from django.test import SimpleTestCase, TestCase
from library.models import Author

FIXED = os.environ.get("SCENARIO_FIXED") == "1"


class Logged:
    def setUp(self):
        super().setUp()
        log = os.environ.get("SCENARIO_LOG")
        if log:
            with open(log, "a") as file:
                file.write(f"{os.getpid()} {self.id()}\n")


class AuthorTests(Logged, TestCase):
    def test_create(self):
        Author.objects.create(name="Ann")
        self.assertEqual(Author.objects.count(), 1)

    def test_empty(self):
        self.assertEqual(Author.objects.count(), 0)


class ErrorTests(Logged, TestCase):
    def test_errors(self):
        Author.objects.create(name="Bo")
        if not FIXED:
            raise ValueError("LAST-FAILED-ERROR-MARKER")


class RedTests(Logged, SimpleTestCase):
    def test_fails(self):
        self.assertTrue(FIXED, "LAST-FAILED-FAIL-MARKER")

    def test_passes(self):
        self.assertTrue(True)


class GreenTests(Logged, SimpleTestCase):
    def test_green(self):
        self.assertTrue(True)


if os.environ.get("SCENARIO_DROP") != "1":

    class GoneTests(Logged, SimpleTestCase):
        def test_gone(self):
            self.fail("LAST-FAILED-GONE-MARKER")
