from django.test import SimpleTestCase


class FirstQuickTests(SimpleTestCase):
    def test_one(self):
        self.assertTrue(True)


class SecondQuickTests(SimpleTestCase):
    def test_one(self):
        self.assertTrue(True)
