"""A test that hangs (when HANG_SCENARIO=1) beside tests that finish; for the timeout."""

from __future__ import annotations

import os
import time

from django.test import SimpleTestCase


class HangingTests(SimpleTestCase):
    def test_hangs(self):
        if os.environ.get("HANG_SCENARIO") == "1":
            time.sleep(600)

    def test_after_the_hang(self):
        pass


class FinishingTests(SimpleTestCase):
    def test_one(self):
        pass

    def test_two(self):
        pass
