"""``--workers auto`` on CPU-bound tests: the load it stores is corrected for contention."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from helpers import run_in_testproject, started_workers

LABEL = "scenarios.cpu_spin"
# Runs ``python <args>`` on the CPUs named by argv[1] only: a machine with that many.
PIN = (
    "import os, sys; os.sched_setaffinity(0, map(int, sys.argv[1].split(',')));"
    "os.execv(sys.executable, [sys.executable, *sys.argv[2:]])"
)

pytestmark = pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity") or not Path("/proc/thread-self/schedstat").exists(),
    reason="needs Linux's CPU affinity and schedstat",
)


def pinned(cpus: list[int], *args: str):
    """``manage.py concurrenttest *args`` with the whole run held to ``cpus``."""
    manage = ("manage.py", "concurrenttest", "--noinput", "-v", "2", *args)
    command = [sys.executable, "-c", PIN, ",".join(map(str, cpus)), *manage]
    return run_in_testproject(command, manage, "sqlite", None, timeout=300)


def test_cpu_bound_workers_sharing_a_cpu_store_a_whole_cpu_each(tmp_path):
    timings = tmp_path / "timings.json"
    cpus = sorted(os.sched_getaffinity(0))
    crowded = pinned(cpus[:1], "--workers", "3", "--timings-file", str(timings), LABEL)
    assert crowded.returncode == 0 and started_workers(crowded) == [3], crowded.describe()

    workers, busy, _seen, *queued = json.loads(timings.read_text())["load"]
    run_queue = queued[0] if queued else 0.0  # older stores: no run-queue share
    # Three workers computing on one CPU: each waits for it about 2/3 of the time.
    assert workers == 3 and run_queue >= 0.4, (busy, run_queue)
    # So each needs a whole CPU, not the third of one that busy / workers says.
    assert busy / workers / (1 - run_queue) >= 0.75, (busy, run_queue)

    if len(cpus) < 2:
        return
    # On two CPUs, auto runs CPU-bound tests with two workers (uncorrected: six).
    auto = pinned(cpus[:2], "--workers", "auto", "--timings-file", str(timings), LABEL)
    assert auto.returncode == 0 and started_workers(auto) == [2], auto.describe()
