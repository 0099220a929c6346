"""A test module that is slow to import, as one building large tables at import time is."""

import time

from django.test import SimpleTestCase

time.sleep(0.5)


class FirstSlowModuleTests(SimpleTestCase):
    def test_one(self):
        self.assertTrue(True)

    def test_two(self):
        self.assertTrue(True)


class SecondSlowModuleTests(SimpleTestCase):
    def test_one(self):
        self.assertTrue(True)

    def test_two(self):
        self.assertTrue(True)
