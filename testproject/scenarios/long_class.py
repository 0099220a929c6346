"""One TestCase class far longer than the rest, with cheap class fixtures: a straggler."""

import time

from django.test import SimpleTestCase, TestCase
from library.models import Author


class LongJourneyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.author = Author.objects.create(name="Tove Jansson")

    def journey(self):
        time.sleep(0.3)
        self.author.name += "!"  # each test gets its own copy of setUpTestData's objects
        self.author.save()
        self.assertEqual(Author.objects.get(pk=self.author.pk).name, "Tove Jansson!")

    def test_1(self):
        self.journey()

    def test_2(self):
        self.journey()

    def test_3(self):
        self.journey()

    def test_4(self):
        self.journey()

    def test_5(self):
        self.journey()

    def test_6(self):
        self.journey()


class ShortTests(SimpleTestCase):
    def test_quick(self):
        time.sleep(0.05)

    def test_quicker(self):
        pass
