"""Tests that must still run in the worker whose unit failed to load."""

from django.test import SimpleTestCase


class FirstNeighbourTests(SimpleTestCase):
    def test_one(self):
        self.assertTrue(True)


class SecondNeighbourTests(SimpleTestCase):
    def test_one(self):
        self.assertTrue(True)


class ThirdNeighbourTests(SimpleTestCase):
    def test_one(self):
        self.assertTrue(True)
