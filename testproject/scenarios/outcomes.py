"""Every unittest outcome once: pass, fail, error, skip, expected failure, unexpected success, subtests."""

from __future__ import annotations

import unittest

from django.test import SimpleTestCase, TestCase
from library.models import Author


class OutcomeTests(SimpleTestCase):
    def test_pass(self):
        self.assertEqual(1 + 1, 2)

    def test_fail(self):
        self.assertEqual(1 + 1, 3, "OUTCOME-FAIL-MARKER")

    def test_error(self):
        raise ValueError("OUTCOME-ERROR-MARKER")

    @unittest.skip("OUTCOME-SKIP-MARKER")
    def test_skip(self):
        raise AssertionError("a skipped test must not run")

    @unittest.expectedFailure
    def test_expected_failure(self):
        self.assertEqual(1, 2)

    @unittest.expectedFailure
    def test_unexpected_success(self):
        self.assertEqual(1, 1)

    def test_subtests(self):
        # i=0 and i=2 pass, i=1 and i=3 fail, i=4 errors.
        for i in range(5):
            with self.subTest(i=i):
                if i == 4:
                    raise ValueError("SUBTEST-ERROR-MARKER")
                self.assertEqual(i % 2, 0, "SUBTEST-FAIL-MARKER")


class DatabaseOutcomeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.author = Author.objects.create(name="Outcome")

    def test_pass_with_database(self):
        self.assertEqual(Author.objects.get(pk=self.author.pk).name, "Outcome")

    def test_fail_with_database(self):
        self.assertEqual(Author.objects.count(), 0, "DATABASE-FAIL-MARKER")


@unittest.skip("SKIPPED-CLASS-MARKER")
class SkippedClassTests(SimpleTestCase):
    def test_one(self):
        raise AssertionError("a skipped class must not run")

    def test_two(self):
        raise AssertionError("a skipped class must not run")


class SkipInSetUpClassTests(TestCase):
    @classmethod
    def setUpClass(cls):
        raise unittest.SkipTest("SETUPCLASS-SKIP-MARKER")

    def test_one(self):
        raise AssertionError("setUpClass skipped the class")

    def test_two(self):
        raise AssertionError("setUpClass skipped the class")
