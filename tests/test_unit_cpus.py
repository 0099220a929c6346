"""Unit tests of CPU counting (cgroup and /proc files laid out in a temporary directory)."""

from __future__ import annotations

import os

import pytest

from concurrent_test_app.cpus import (
    auto_workers,
    available_cpus,
    busy_cpu_seconds,
    cgroup_cpu_quota,
    worker_demand,
)
from concurrent_test_app.worker.schedstat import parse_schedstat, run_queue_seconds


def test_cgroup_v2_quota(tmp_path):
    (tmp_path / "cpu.max").write_text("150000 100000\n")
    assert cgroup_cpu_quota(tmp_path) == 1.5


def test_cgroup_v2_unlimited(tmp_path):
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert cgroup_cpu_quota(tmp_path) is None


def test_cgroup_v1_quota(tmp_path):
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("100000")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000")
    assert cgroup_cpu_quota(tmp_path) == 1.0


def test_cgroup_v1_unlimited(tmp_path):
    (tmp_path / "cpu.cfs_quota_us").write_text("-1")
    (tmp_path / "cpu.cfs_period_us").write_text("100000")
    assert cgroup_cpu_quota(tmp_path) is None


def test_quota_caps_affinity(tmp_path):
    (tmp_path / "cpu.max").write_text("100000 100000")
    assert available_cpus(tmp_path) == 1


def test_affinity_counts_without_quota(tmp_path):
    assert available_cpus(tmp_path) == len(os.sched_getaffinity(0))


def test_busy_cpu_seconds_reads_the_machine_counters(tmp_path):
    stat = tmp_path / "stat"
    stat.write_text("cpu  100 20 30 900 50 5 5 10 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n")
    ticks = os.sysconf("SC_CLK_TCK")
    assert busy_cpu_seconds(stat) == pytest.approx(170 / ticks)
    stat.write_text("intr 1 2 3\n")
    assert busy_cpu_seconds(stat) is None
    assert busy_cpu_seconds(tmp_path / "missing") is None


@pytest.mark.parametrize(
    ("cpus", "demand", "useful", "expected"),
    [
        (2, None, None, 2),  # nothing measured yet: one worker per CPU
        (2, 1.0, None, 2),  # CPU-bound tests: one per CPU
        (2, 1.4, None, 2),  # never fewer than the CPUs
        (2, 0.4, None, 5),  # tests waiting 60 % of the time: 2 / 0.4 workers
        (2, 0.4, 3, 3),  # but no more than the longest unit allows
        (2, 0.01, None, 8),  # sleeping tests: capped at 4 per CPU
        (4, 0.5, 1, 4),  # the cap never goes below the CPUs
    ],
)
def test_auto_workers(cpus, demand, useful, expected):
    assert auto_workers(cpus, demand, useful) == expected


@pytest.mark.parametrize(
    ("busy", "workers", "run_queue", "expected"),
    [
        (2.0, 3, 1 / 3, 1.0),  # CPU-bound, 3 workers on 2 CPUs: each needs a whole CPU
        (2.0, 2, 0.0, 1.0),
        (1.2, 2, 0.0, 0.6),  # tests that wait: no correction without contention
        (1.8, 3, 0.1, 0.6 / 0.9),
        (1.0, 2, -0.2, 0.5),  # q is clamped to [0, 0.9]
        (0.5, 1, 0.99, 5.0),
        (0.0, 2, 0.0, None),  # nothing measured
        (1.0, 0, 0.0, None),
    ],
)
def test_worker_demand(busy, workers, run_queue, expected):
    demand = worker_demand(busy, workers, run_queue)
    assert demand == (pytest.approx(expected) if expected is not None else None)


def test_auto_is_stable_over_runs():
    """The worked examples of ``worker_demand``: auto settles at once and stays."""
    # CPU-bound: uncorrected, busy per worker 2/3 after 3 workers would keep 3 forever.
    assert auto_workers(2, 2.0 / 3) == 3
    assert auto_workers(2, worker_demand(2.0, 3, 1 / 3)) == 2
    assert auto_workers(2, worker_demand(1.95, 2, 0.02)) == 2
    # Tests that wait a little: 3 after 2, and 3 again after 3.
    assert auto_workers(2, worker_demand(1.2, 2, 0.0)) == 3
    assert auto_workers(2, worker_demand(1.8, 3, 0.1)) == 3


def test_schedstat_gives_the_run_queue_wait(tmp_path):
    assert parse_schedstat("585397 2500000000 12\n") == 2.5
    assert parse_schedstat("585397 0 1") == 0.0
    for bad in ("", "1 2", "1 x 3", "1 -5 3"):
        assert parse_schedstat(bad) is None
    assert run_queue_seconds(tmp_path / "missing") is None  # macOS, no schedstat
    (tmp_path / "schedstat").write_text("10 3000000000 4\n")
    assert run_queue_seconds(tmp_path / "schedstat") == 3.0
