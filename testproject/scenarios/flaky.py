"""Flaky and broken tests for --rerun-failures: counters live in FLAKY_DIR."""

from __future__ import annotations

import os
from pathlib import Path

from django.test import SimpleTestCase


def _attempt(name: str) -> int:
    """How many times this test has started, this one included (1 without FLAKY_DIR)."""
    folder = os.environ.get("FLAKY_DIR")
    if not folder:
        return 1
    counter = Path(folder) / name
    count = int(counter.read_text()) + 1 if counter.exists() else 1
    counter.write_text(str(count))
    with open(Path(folder) / f"{name}.pids", "a") as pids:
        pids.write(f"{os.getpid()}\n")  # which process ran each attempt
    return count


class FlakyTests(SimpleTestCase):
    def test_passes_on_the_second_attempt(self):
        self.assertGreater(_attempt("second"), 1, "FLAKY-FIRST-ATTEMPT")

    def test_always_fails(self):
        _attempt("always")
        self.fail("ALWAYS-FAILS")


class SteadyTests(SimpleTestCase):
    def test_passes(self):
        pass
