"""Tests that leave work for their worker's exit: an atexit hook and a cycle with __del__.

Each writes a line to the file named by EXIT_HOOKS_FILE when the worker exits (or
when the garbage collector finds the cycle), so a test can see that both still happen.
"""

from __future__ import annotations

import atexit
import os

from django.test import SimpleTestCase


def _note(line: str) -> None:
    with open(os.environ["EXIT_HOOKS_FILE"], "a") as notes:
        notes.write(f"{line} {os.getpid()}\n")


class _Cycle:
    def __init__(self) -> None:
        self.me = self  # unreachable once the test drops it, but only the GC frees it

    def __del__(self) -> None:
        _note("finalized")


class AtexitTests(SimpleTestCase):
    def test_registers_an_atexit_hook(self):
        atexit.register(_note, "atexit")


class CycleTests(SimpleTestCase):
    def test_drops_a_cycle_with_a_finalizer(self):
        _Cycle()
