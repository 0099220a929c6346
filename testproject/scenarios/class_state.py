"""A long TestCase class whose tests depend on each other through its own setUpClass.

Cheap class fixtures make it look like a straggler worth splitting; but each piece of a
split class would run setUpClass again, and the last test would not see what the
earlier ones recorded. Only setUpTestData's objects are copied per test.
"""

import time

from django.test import SimpleTestCase, TestCase


class SharedSetUpClassTests(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visited = []

    def visit(self, number):
        time.sleep(0.3)
        self.visited.append(number)

    def test_1(self):
        self.visit(1)

    def test_2(self):
        self.visit(2)

    def test_3(self):
        self.visit(3)

    def test_4(self):
        self.visit(4)

    def test_5(self):
        self.visit(5)

    def test_6_saw_every_earlier_test(self):
        self.visit(6)
        self.assertEqual(self.visited, [1, 2, 3, 4, 5, 6])


class ShortTests(SimpleTestCase):
    def test_quick(self):
        time.sleep(0.05)
