"""Subtests whose parameter is a queryset that raises when evaluated (issue #26).

A passing subtest's parameters must never be evaluated (Django's parallel runner does
not even send them); a failing subtest keeps its failure whatever its parameters do.
In the SimpleTestCase every query raises DatabaseOperationForbidden while the class
runs; in the TestCase the queryset's SQL is broken, and on PostgreSQL evaluating it
would also abort the test's transaction, failing the query after the subtest.
"""

from __future__ import annotations

from django.test import SimpleTestCase, TestCase
from library.models import Author


def broken_queryset():
    """A queryset whose evaluation (iteration, pickling, repr) raises a database error."""
    return Author.objects.extra(where=["no_such_column = 1"])


class QuerySetParameterTests(SimpleTestCase):
    def test_passing_subtest(self):
        with self.subTest(qs=Author.objects.all(), n=1):
            self.assertTrue(True)

    def test_failing_subtest(self):
        with self.subTest("QUERYSET-SUBTEST", qs=Author.objects.all()):
            self.fail("QUERYSET-SUBTEST-FAIL-MARKER")


class BrokenQuerySetParameterTests(TestCase):
    def test_passing_subtest(self):
        with self.subTest(qs=broken_queryset(), names=("a", "b")):
            self.assertEqual(Author.objects.count(), 0)
        self.assertEqual(Author.objects.count(), 0)
