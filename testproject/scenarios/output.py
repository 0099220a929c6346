"""Tests that write to stdout and stderr, one passing and one failing."""

from __future__ import annotations

import sys

from django.test import SimpleTestCase


class OutputTests(SimpleTestCase):
    def test_prints_and_passes(self):
        print("PRINTED-TO-STDOUT by test_prints_and_passes")
        print("PRINTED-TO-STDERR by test_prints_and_passes", file=sys.stderr)

    def test_prints_and_fails(self):
        print("PRINTED-TO-STDOUT by test_prints_and_fails")
        print("PRINTED-TO-STDERR by test_prints_and_fails", file=sys.stderr)
        self.fail("OUTPUT-FAIL-MARKER")
