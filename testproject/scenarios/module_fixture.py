"""A module whose setUpModule raises, so none of its tests ever run."""

from __future__ import annotations

from django.test import SimpleTestCase


def setUpModule():
    raise RuntimeError("SETUPMODULE-MARKER")


# Both classes are SimpleTestCase on purpose: Django's runner orders TestCase classes
# before the others, so a TestCase here would be split from its sibling whenever other
# modules run too, unittest would enter this module twice and report setUpModule twice.
class FirstModuleFixtureTests(SimpleTestCase):
    def test_one(self):
        raise AssertionError("setUpModule failed, this must not run")

    def test_two(self):
        raise AssertionError("setUpModule failed, this must not run")


class SecondModuleFixtureTests(SimpleTestCase):
    def test_one(self):
        raise AssertionError("setUpModule failed, this must not run")
