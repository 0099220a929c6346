"""Tests that the scenario's backends skip or expect to fail (scenarios.marked_backend).

Run with ``--settings testproject.variants.backend_marks`` and
``RUNNING_DJANGOS_TEST_SUITE=true``, as Django's runtests.py runs its own suite: the
marked tests fail if they run unmarked.
"""

from __future__ import annotations

from django.test import TestCase
from library.models import Author


class SkippedByBackendTests(TestCase):
    def test_skipped_by_the_backend(self):
        self.fail("BACKEND-SKIP-MISSED: the backend's django_test_skips names this test")

    def test_not_marked(self):
        self.assertEqual(Author.objects.count(), 0)


class ExpectedToFailOnBackendTests(TestCase):
    def test_expected_to_fail_on_the_backend(self):
        self.fail("expected to fail: the backend's django_test_expected_failures names it")

    def test_not_marked(self):
        self.assertEqual(Author.objects.count(), 0)


def refuse_in_workers(worker_id: int) -> None:
    """A worker set-up hook that fails in every worker: the run goes sequential (in-process)."""
    if worker_id > 0:
        raise RuntimeError("BACKEND-MARKS: this worker refuses to start")
