import sys

from django.test import SimpleTestCase


class FirstQuickTests(SimpleTestCase):
    def test_one(self):
        self.assertTrue(True)


class SecondQuickTests(SimpleTestCase):
    def test_one(self):
        self.assertTrue(True)


class ImportStateTests(SimpleTestCase):
    """Run with the slow module's label: discovery imported it before any test ran."""

    def test_the_other_test_module_was_imported_before_the_first_test(self):
        self.assertIn("scenarios.slow_import.slow", sys.modules)
