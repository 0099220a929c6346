"""Unit tests of cutting a straggler class into pieces (planning.split_long_units)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import SimpleTestCase, TestCase

from concurrent_test_app.planning import (
    PlannedUnit,
    _consecutive_parts,
    plan_units,
    split_long_units,
)
from concurrent_test_app.suite import ConcurrentSuite


def _long_class(base=TestCase, **attributes):
    methods = {f"test_{n}": lambda self: None for n in range(6)}
    return type("Long", (base,), {**methods, **attributes, "__module__": "app.tests"})


def _short_class():
    return type("Short", (TestCase,), {"test_a": lambda self: None, "__module__": "app.tests"})


def _plan(long_class, fixtures=0.1, test_seconds=1.0, workers=2, known=True):
    tests = [long_class(f"test_{n}") for n in range(6)] + [_short_class()("test_a")]
    units = plan_units(tests)
    seconds = {test.id(): test_seconds for test in tests} if known else {}
    estimates = {"app.tests.Long": 6 * test_seconds + fixtures, "app.tests.Short": 1.0}
    return tests, split_long_units(units, tests, estimates, seconds, workers)


def test_a_straggler_with_cheap_fixtures_is_cut_into_consecutive_pieces():
    _, (units, estimates, splits) = _plan(_long_class())

    pieces = [unit for unit in units if unit.whole == "app.tests.Long"]
    assert [piece.indices for piece in pieces] == [(0, 1, 2), (3, 4, 5)]
    assert [piece.timing_key for piece in pieces] == ["app.tests.Long"] * 2
    assert [estimates[piece.key] for piece in pieces] == pytest.approx([3.1, 3.1])  # fixtures
    assert [(s.key, s.pieces) for s in splits] == [("app.tests.Long", 2)]
    assert [unit.key for unit in units if unit.whole is None] == ["app.tests.Short"]


def test_as_many_pieces_as_the_fair_share_needs_within_workers_and_tests():
    pieces = {
        workers: sum(unit.whole is not None for unit in _plan(_long_class(), workers=workers)[1][0])
        for workers in (3, 4, 16)
    }
    # The fair share is 7.1 s / workers: 2.37 s needs 3 pieces, 1.78 s needs 4 pieces
    # of 6.1 s; 16 workers would want 14, but the class has 6 tests.
    assert pieces == {3: 3, 4: 4, 16: 6}


def test_classes_that_must_stay_whole_are_kept():
    kept = {
        "costly fixtures": _plan(_long_class(), fixtures=2.0),
        "not a TestCase": _plan(_long_class(SimpleTestCase)),
        "opted out": _plan(_long_class(concurrent_split=False)),
        "tests without timings": _plan(_long_class(), known=False),
        "within the fair share": _plan(_long_class(), test_seconds=0.1),
    }
    for reason, (_, (units, _, splits)) in kept.items():
        assert splits == [], reason
        assert [unit.key for unit in units] == ["app.tests.Long", "app.tests.Short"], reason


def test_parts_follow_the_stored_seconds_and_are_never_empty():
    assert _consecutive_parts((0, 1, 2, 3), [5.0, 0.1, 0.1, 0.1], 2) == [(0,), (1, 2, 3)]
    assert _consecutive_parts((0, 1, 2), [0.0, 0.0, 0.0], 3) == [(0,), (1,), (2,)]
    assert _consecutive_parts((0, 1, 2, 3), [1.0, 1.0, 1.0, 5.0], 3) == [(0, 1), (2,), (3,)]


def test_a_split_class_is_stored_under_its_own_key_with_its_pieces_summed():
    units = [
        PlannedUnit("app.Long[1/2]", (0,), whole="app.Long"),
        PlannedUnit("app.Long[2/2]", (1,), whole="app.Long"),
        PlannedUnit("app.Short", (2,)),
    ]
    pool = SimpleNamespace(unit_durations={0: 2.0, 1: 2.5, 2: 1.0})  # reruns: test_unit_pool
    durations = ConcurrentSuite(pool, [None] * 3, units).unit_durations()
    assert durations == {"app.Long": 4.5, "app.Short": 1.0}
