"""Unit tests of which unit a free worker gets: requeued, its own share, then a steal."""

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


def test_a_worker_runs_its_share_in_order_after_requeued_units():
    pool = _pool({1: [0, 2], 2: [1, 3]}, {})
    pool.requeue(Unit(9, ()))
    assert [_next(pool, 1), _next(pool, 1), _next(pool, 1)] == [9, 0, 2]


def test_a_worker_with_nothing_left_takes_the_end_of_the_fullest_share():
    pool = _pool({1: [], 2: [1, 3], 3: [4, 5, 6]}, {1: 5.0, 3: 5.0, 4: 1.0, 5: 1.0, 6: 1.0})
    assert _next(pool, 1) == 3  # share 2 has 10 s left, share 3 has 3 s
    assert _next(pool, 1) == 1  # share 2 still has 5 s left
    assert _next(pool, 1) == 6
    assert [_next(pool, 3), _next(pool, 3), _next(pool, 3)] == [4, 5, None]
