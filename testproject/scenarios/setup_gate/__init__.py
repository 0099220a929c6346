"""A gate that holds one phase of a run open until a test lets it go.

Signal tests set ``SETUP_GATE=<folder>`` and ``SETUP_GATE_PHASE``: ``discovery`` (the
import of ``scenarios.signals``), ``migrate`` (this app's migration, installed by the
settings variant ``testproject.variants.setup_gate``) or ``test`` (a test of
``scenarios.signals``). The gate writes ``<folder>/reached`` and waits until the test
creates ``<folder>/release``, so a signal lands in that phase every time, with no
sleeps. While it waits in a sequential run, it writes ``<folder>/stopping`` once the
runner has taken a first Ctrl-C (its result was asked to stop). Without
``SETUP_GATE`` it does nothing.
"""

from __future__ import annotations

import os
import time
import unittest
from pathlib import Path

WAIT_LIMIT_SECONDS = 120.0  # a test that never releases the gate still ends


def wait_at(phase: str) -> None:
    """Hold this process here when the gate is set for ``phase``; only the first time."""
    folder = os.environ.get("SETUP_GATE")
    if not folder or os.environ.get("SETUP_GATE_PHASE") != phase:
        return
    gate = Path(folder)
    if (gate / "reached").exists():
        return  # a worker importing the same module after the parent: pass
    (gate / "reached").write_text(f"{os.getpid()}\n")
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    while not (gate / "release").exists() and time.monotonic() < deadline:
        if any(result.shouldStop for result in list(unittest.signals._results)):
            (gate / "stopping").touch()
        time.sleep(0.05)
