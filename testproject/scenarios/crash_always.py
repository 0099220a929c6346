"""Every test kills its worker when CRASH_ALWAYS=1: the restart limit must end the run."""

from __future__ import annotations

import os

from django.test import SimpleTestCase


def _crash():
    if os.environ.get("CRASH_ALWAYS") == "1":
        os._exit(7)


class CrashingTests(SimpleTestCase):
    def test_1(self):
        _crash()

    def test_2(self):
        _crash()

    def test_3(self):
        _crash()

    def test_4(self):
        _crash()


class MoreCrashingTests(SimpleTestCase):
    def test_1(self):
        _crash()

    def test_2(self):
        _crash()

    def test_3(self):
        _crash()

    def test_4(self):
        _crash()
