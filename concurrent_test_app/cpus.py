"""How many CPUs this process may really use: affinity and cgroup quota, not the host's count."""

from __future__ import annotations

import math
import os
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")


def available_cpus(cgroup_root: Path = CGROUP_ROOT) -> int:
    """CPUs usable by this process: the affinity mask, capped by a cgroup CPU quota."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        count = os.cpu_count() or 1
    quota = cgroup_cpu_quota(cgroup_root)
    if quota is not None:
        # A quota of 1.5 CPUs keeps 1 worker busy without throttling; never go below 1.
        count = min(count, max(1, math.floor(quota)))
    return max(1, count)


def cgroup_cpu_quota(root: Path = CGROUP_ROOT) -> float | None:
    """The CPU quota of this process's cgroup in CPUs, or None when unlimited or unknown."""
    v2 = _read(root / "cpu.max")
    if v2:
        quota, _, period = v2.partition(" ")
        if quota != "max" and period:
            return _ratio(quota, period)
        return None
    v1_quota = _read(root / "cpu" / "cpu.cfs_quota_us") or _read(root / "cpu.cfs_quota_us")
    v1_period = _read(root / "cpu" / "cpu.cfs_period_us") or _read(root / "cpu.cfs_period_us")
    if v1_quota and v1_period and not v1_quota.startswith("-"):
        return _ratio(v1_quota, v1_period)
    return None


def _ratio(quota: str, period: str) -> float | None:
    try:
        value = int(quota) / int(period)
    except (ValueError, ZeroDivisionError):
        return None
    return value if value > 0 else None


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


PROC_STAT = Path("/proc/stat")
MAX_WORKERS_PER_CPU = 4  # past this, start-up and memory cost more than waiting saves
MAX_RUN_QUEUE = 0.9  # a worker waiting longer for a CPU than this says more of the load


def busy_cpu_seconds(proc_stat: Path = PROC_STAT) -> float | None:
    """CPU seconds the whole machine has spent busy since boot, or None where unknown.

    Machine-wide on purpose: a local database server's work competes for the same
    CPUs as the tests, and other load on the machine should make ``auto`` cautious.
    """
    line = (_read(proc_stat) or "").partition("\n")[0].split()
    if len(line) < 8 or line[0] != "cpu":
        return None
    try:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, line[1:9])
    except ValueError:
        return None
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def worker_demand(busy_cpus: float, workers: int, run_queue: float = 0.0) -> float | None:
    """CPUs one worker needs when it never waits for one: (busy / workers) / (1 − q).

    ``busy_cpus`` is what the machine kept busy while ``workers`` workers ran tests,
    ``run_queue`` (q) the share of the workers' unit time spent runnable but waiting
    for a CPU. Busy per worker alone feeds back on itself: 3 CPU-bound workers on 2
    CPUs saturate them (busy 2, 0.67 per worker), so ``auto`` would pick 3 again,
    forever. Dividing by the time not spent waiting for a CPU undoes that:
    CPU-bound, 3 workers on 2 CPUs: busy 2, q 1/3 → 1.0 per worker → 2 workers;
    then 2 workers: q ≈ 0 → 1.0 → 2 again. Tests that wait, 2 workers: busy 1.2,
    q 0 → 0.6 → 3 workers; then 3: busy 1.8, q 0.1 → 0.67 → 3 again.
    q is clamped to [0, MAX_RUN_QUEUE]; 0 where it is unknown (today's figure).
    """
    if workers < 1 or busy_cpus <= 0:
        return None
    queued = min(max(run_queue, 0.0), MAX_RUN_QUEUE)
    return busy_cpus / workers / (1.0 - queued)


def auto_workers(cpus: int, demand: float | None, useful: int | None = None) -> int:
    """Workers for ``auto``: enough to keep ``cpus`` busy, judged by the last run.

    ``demand`` is how many CPUs one worker needs (its tests and the database's work
    for them, ``worker_demand``) by the last run's figures; tests that wait on the
    database or on I/O need less than one, so more workers than CPUs finish sooner.
    Never fewer than ``cpus``, never more than MAX_WORKERS_PER_CPU per CPU, nor than
    ``useful`` (more workers than the longest unit allows cannot shorten the run).
    """
    if not demand or demand <= 0:
        return cpus
    # The tolerance keeps a ratio that is whole on paper, 2 / (0.6 / 0.9), whole.
    workers = math.floor(cpus / demand + 1e-9)
    if useful is not None:
        workers = min(workers, useful)
    return max(cpus, min(workers, MAX_WORKERS_PER_CPU * cpus))
