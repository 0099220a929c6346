"""Unit tests of which unit a free worker gets: its own share, reruns, then a steal."""

from __future__ import annotations

from collections import deque
from types import SimpleNamespace

from concurrent_test_app.events import Unit
from concurrent_test_app.pool import WorkerPool


def _pool(shares: dict[int, list[int]], estimates: dict[int, float]) -> WorkerPool:
    pool = WorkerPool([], log=lambda message: None)
    pool.shares = {worker: deque(Unit(i, ()) for i in share) for worker, share in shares.items()}
    pool.estimates = estimates
    return pool


def _next(pool: WorkerPool, worker_id: int) -> int | None:
    unit = pool._next_unit(SimpleNamespace(worker_id=worker_id))
    return None if unit is None else unit.index


def test_a_worker_runs_its_share_front_to_back_before_any_rerun():
    # A rerun restarts the worker: taken mid-share, it would cut the share's later
    # tests off from their predecessors.
    pool = _pool({1: [0, 2], 2: [1, 3]}, {})
    pool.requeue(Unit(9, ()))
    assert [_next(pool, 1), _next(pool, 1), _next(pool, 1), _next(pool, 1)] == [0, 2, 9, 3]


def test_a_worker_with_nothing_left_takes_the_end_of_the_fullest_share():
    pool = _pool({1: [], 2: [1, 3], 3: [4, 5, 6]}, {1: 5.0, 3: 5.0, 4: 1.0, 5: 1.0, 6: 1.0})
    assert _next(pool, 1) == 3  # share 2 has 10 s left, share 3 has 3 s
    assert _next(pool, 1) == 1  # share 2 still has 5 s left
    assert _next(pool, 1) == 6
    assert [_next(pool, 3), _next(pool, 3), _next(pool, 3)] == [4, 5, None]


def test_without_estimates_a_dry_worker_steals_from_the_share_with_most_tests_left():
    pool = _pool({1: []}, {})
    pool.shares[2] = deque([Unit(2, ((20, None),)), Unit(3, ((30, None),))])
    pool.shares[3] = deque([Unit(1, ((10, None), (11, None), (12, None)))])
    assert _next(pool, 1) == 1  # 3 tests left against 2


def test_the_rest_of_a_lost_workers_unit_heads_its_share_for_the_replacement():
    pool = _pool({1: [4, 5], 2: [6]}, {})
    pool.should_stop = lambda: True  # no replacement is started here
    unit = Unit(3, ((30, None), (31, None), (32, None)))
    worker = SimpleNamespace(worker_id=1, unit=unit, in_flight=31, finished={30})
    pool.workers = [worker]
    pool._report_lost_test = lambda *args: None
    pool._lose_worker(worker, "died", RuntimeError)
    assert _next(pool, 2) == 6  # another worker keeps to its own share
    rest = pool._next_unit(SimpleNamespace(worker_id=1))
    assert (rest.index, [i for i, _ in rest.tests]) == (3, [32])
    assert [_next(pool, 1), _next(pool, 1)] == [4, 5]


def test_a_dry_worker_takes_the_end_of_a_share_as_one_block_in_django_order():
    # One unit at a time from the end would run them in reverse: 5 before 4.
    pool = _pool({1: [], 2: [1, 2, 3, 4, 5]}, {1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0, 5: 1.0})
    assert [_next(pool, 1), _next(pool, 1), _next(pool, 1)] == [4, 5, 3]
    assert [unit.index for unit in pool.shares[2]] == [1, 2]
