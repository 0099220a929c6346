"""Two trivial tests: the scenario is about whether workers start, not what they run."""

from __future__ import annotations

from django.test import SimpleTestCase


class FirstTests(SimpleTestCase):
    def test_one(self):
        self.assertTrue(True)


class SecondTests(SimpleTestCase):
    def test_two(self):
        self.assertTrue(True)
