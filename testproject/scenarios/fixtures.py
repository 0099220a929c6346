"""Class-level fixtures that raise: setUpTestData, setUpClass, tearDownClass; plus one healthy class."""

from __future__ import annotations

from django.test import SimpleTestCase, TestCase


class BrokenSetUpTestDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        raise RuntimeError("SETUPTESTDATA-MARKER")

    def test_one(self):
        pass

    def test_two(self):
        pass


class BrokenSetUpClassTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        raise RuntimeError("SETUPCLASS-MARKER")

    def test_one(self):
        pass

    def test_two(self):
        pass


class BrokenTearDownClassTests(SimpleTestCase):
    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        raise RuntimeError("TEARDOWNCLASS-MARKER")

    def test_one(self):
        pass

    def test_two(self):
        pass


class HealthyTests(SimpleTestCase):
    def test_one(self):
        self.assertTrue(True)

    def test_two(self):
        self.assertTrue(True)

    def test_three(self):
        self.assertTrue(True)
