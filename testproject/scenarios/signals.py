"""Tests that hold one phase of a run at the gate (``scenarios.setup_gate``) for signal tests.

With ``SETUP_GATE_PHASE=discovery`` the import of this module waits; with ``test``,
``GatedTests.test_a_waits`` does. ``QuickTests`` finish on the other worker meanwhile.
"""

from __future__ import annotations

import signal
import subprocess
import sys

from django.test import TestCase

from scenarios.setup_gate import wait_at

wait_at("discovery")


class GatedTests(TestCase):
    def test_a_waits(self):
        wait_at("test")

    def test_b_after_the_gate(self):
        pass


class QuickTests(TestCase):
    def test_one(self):
        pass

    def test_two(self):
        # Workers leave SIGTERM to their parent; a program a test starts must not.
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        child.terminate()
        self.assertEqual(child.wait(timeout=30), -signal.SIGTERM)
