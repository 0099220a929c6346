"""Two runs at the same time against the same server and project do not collide."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from conftest import postgres_clones
from helpers import run_manage, started_workers

LABELS = ("library", "shop")


def test_two_simultaneous_runs_both_pass(backend):
    before = postgres_clones() if backend == "postgres" else set()
    # Same test database names, same templates: clones must be per run, and a template
    # being built by one run must be waited for by the other.
    args = ("concurrenttest", "--workers", "2", "-v", "2", *LABELS)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda _: run_manage(*args, backend=backend), range(2)))

    for run in runs:
        assert run.returncode == 0, run.describe()
        assert started_workers(run) == [2], run.describe()
        assert run.report.summary.startswith("OK"), run.describe()
    assert runs[0].report.ids == runs[1].report.ids
    if backend == "postgres":
        assert postgres_clones() == before
