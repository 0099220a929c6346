"""Four classes of sleeping tests, to see work spread over workers by wall-clock time."""

from __future__ import annotations

import time

from django.test import SimpleTestCase

SLEEP_SECONDS = 0.3


class SlowMixin:
    def test_one(self):
        time.sleep(SLEEP_SECONDS)

    def test_two(self):
        time.sleep(SLEEP_SECONDS)

    def test_three(self):
        time.sleep(SLEEP_SECONDS)


class SlowATests(SlowMixin, SimpleTestCase):
    pass


class SlowBTests(SlowMixin, SimpleTestCase):
    pass


class SlowCTests(SlowMixin, SimpleTestCase):
    pass


class SlowDTests(SlowMixin, SimpleTestCase):
    pass
