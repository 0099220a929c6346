"""Tagged classes and methods, tests that print and query, for the option-parity tests.

Tags: ``fast`` on FastTests and one method of MixedTests, ``slow`` on SlowTests and
one method of MixedTests. ``PrintingFailureTests`` prints, runs SQL and fails (``--buffer``,
``--debug-sql``); ``PrintingSetUpClassTests`` prints in ``setUpClass`` and then fails.
The tagged classes append ``<pid> <test id>`` to the file named by ``ORDER_LOG`` (order
options); ``EnvironmentTests`` compares DEBUG and the settings module with ``EXPECT_*``.
"""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.test import SimpleTestCase, TestCase, tag
from library.models import Author


class OrderLogged(SimpleTestCase):
    """Records which process ran which test, in order, when ORDER_LOG is set."""

    def setUp(self):
        super().setUp()
        path = os.environ.get("ORDER_LOG")
        if path:
            with open(path, "a") as log:
                log.write(f"{os.getpid()} {self.id()}\n")


@tag("fast")
class FastTests(OrderLogged):
    def test_fast_one(self):
        pass

    def test_fast_two(self):
        pass


@tag("slow")
class SlowTests(OrderLogged):
    def test_slow_one(self):
        pass

    def test_slow_two(self):
        pass


class MixedTests(OrderLogged):
    @tag("fast")
    def test_mixed_fast(self):
        pass

    @tag("slow")
    def test_mixed_slow(self):
        pass

    def test_mixed_untagged(self):
        pass


class PrintingFailureTests(TestCase):
    def test_prints_and_passes(self):
        print("TAGGED-STDOUT-PASSING")
        print("TAGGED-STDERR-PASSING", file=sys.stderr)
        Author.objects.filter(name="TAGGED-SQL-PASSING").count()

    def test_prints_and_fails(self):
        print("TAGGED-STDOUT-FAILING")
        print("TAGGED-STDERR-FAILING", file=sys.stderr)
        Author.objects.filter(name="TAGGED-SQL-FAILING").count()
        self.fail("TAGGED-FAIL-MARKER")


class PrintingSetUpClassTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        print("TAGGED-STDOUT-SETUPCLASS")
        print("TAGGED-STDERR-SETUPCLASS", file=sys.stderr)
        raise RuntimeError("TAGGED-SETUPCLASS-MARKER")

    def test_never_runs(self):
        pass


class EnvironmentTests(SimpleTestCase):
    def test_debug_setting(self):
        self.assertIs(settings.DEBUG, os.environ.get("EXPECT_DEBUG") == "1")

    def test_settings_module(self):
        expected = os.environ.get("EXPECT_SETTINGS", "testproject.settings")
        self.assertEqual(settings.SETTINGS_MODULE, expected)
