"""A test that holds its run until another process opens a gate (files in GATE_DIR).

It writes ``started`` into GATE_DIR, then waits until ``open`` appears there (at most
``MAX_WAIT_SECONDS``), so a test can act while this run is known to be mid-test.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.test import SimpleTestCase

MAX_WAIT_SECONDS = 120


class GateTests(SimpleTestCase):
    def test_waits_for_the_gate(self):
        gate = Path(os.environ["GATE_DIR"])
        (gate / "started").touch()
        deadline = time.monotonic() + MAX_WAIT_SECONDS
        while not (gate / "open").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertTrue((gate / "open").exists(), "the gate was never opened")
