"""A module using the ``load_tests`` protocol: it adds doctests and picks its own classes.

``add(2, 3)`` has a passing doctest and ``broken()`` a failing one. ``LeftOutTests``
is not returned by ``load_tests`` and must not run.
"""

from __future__ import annotations

import doctest
import unittest

from django.test import SimpleTestCase


def add(a, b):
    """
    >>> add(2, 3)
    5
    """
    return a + b


def broken():
    """
    >>> broken()
    'LOADTESTS-DOCTEST-MARKER'
    """
    return "something else"


class ChosenTests(SimpleTestCase):
    def test_chosen(self):
        pass


class AlsoChosenTests(unittest.TestCase):
    def test_also_chosen(self):
        pass


class LeftOutTests(SimpleTestCase):
    def test_left_out(self):
        raise AssertionError("load_tests did not return this class")


def load_tests(loader, tests, pattern):
    suite = unittest.TestSuite()
    suite.addTests(loader.loadTestsFromTestCase(ChosenTests))
    suite.addTests(loader.loadTestsFromTestCase(AlsoChosenTests))
    suite.addTests(doctest.DocTestSuite(__name__))
    return suite
