"""Six classes of tests that keep a CPU busy, to see ``--workers auto`` judge contention."""

from __future__ import annotations

import time

from django.test import SimpleTestCase

CPU_SECONDS = 0.25  # of this thread's own CPU time: the same work however crowded the CPU


def spin() -> None:
    """Compute until this thread has had CPU_SECONDS of CPU, never waiting on anything."""
    end = time.thread_time() + CPU_SECONDS
    while time.thread_time() < end:
        sum(range(1000))


class SpinMixin:
    def test_one(self):
        spin()

    def test_two(self):
        spin()


class SpinATests(SpinMixin, SimpleTestCase):
    pass


class SpinBTests(SpinMixin, SimpleTestCase):
    pass


class SpinCTests(SpinMixin, SimpleTestCase):
    pass


class SpinDTests(SpinMixin, SimpleTestCase):
    pass


class SpinETests(SpinMixin, SimpleTestCase):
    pass


class SpinFTests(SpinMixin, SimpleTestCase):
    pass
