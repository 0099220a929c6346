"""Unit tests of how a suite is cut into units and each worker's segment of them."""

from __future__ import annotations

import itertools
import random
import sys
import types
import unittest

from django.test.utils import iter_test_cases

from concurrent_test_app.planning import (
    PlannedUnit,
    plan_segments,
    plan_units,
    summarize_shares,
)


def _module(name, with_fixture=False):
    module = types.ModuleType(name)
    if with_fixture:
        module.setUpModule = lambda: None
    sys.modules[name] = module
    return module


def _case(module, class_name, methods):
    namespace = {"__module__": module.__name__}
    namespace.update({name: lambda self: None for name in methods})
    cls = type(class_name, (unittest.TestCase,), namespace)
    setattr(module, class_name, cls)
    return [cls(name) for name in methods]


def test_classes_are_units_in_order_of_first_appearance():
    module = _module("plain_units_mod")
    a = _case(module, "A", ["test_1", "test_2"])
    b = _case(module, "B", ["test_1"])
    tests = [a[0], b[0], a[1]]  # a class is never split, even when interleaved
    units = plan_units(tests)
    assert [unit.key for unit in units] == ["plain_units_mod.A", "plain_units_mod.B"]
    assert units[0].indices == (0, 2) and units[1].indices == (1,)


def test_module_with_module_fixture_is_one_unit():
    module = _module("fixture_units_mod", with_fixture=True)
    tests = _case(module, "A", ["test_1"]) + _case(module, "B", ["test_1"])
    units = plan_units(tests)
    assert [unit.key for unit in units] == ["fixture_units_mod"]
    assert units[0].indices == (0, 1)


def test_iter_tests_flattens_nested_suites():
    module = _module("nested_units_mod")
    tests = _case(module, "A", ["test_1", "test_2"])
    suite = unittest.TestSuite([unittest.TestSuite([tests[0]]), tests[1]])
    assert list(iter_test_cases(suite)) == tests


def _units(*sizes: int) -> list[PlannedUnit]:
    """Units named a, b, c, ... in Django's order, of ``sizes`` tests each."""
    names = "abcdefghijklmnopqrstuvwxyz"
    counter = itertools.count()
    return [
        PlannedUnit(names[n], tuple(next(counter) for _ in range(size)))
        for n, size in enumerate(sizes)
    ]


def _keys(segments) -> list[str]:
    return ["".join(unit.key for unit in segment) for segment in segments]


def test_segments_are_contiguous_and_balanced_by_estimated_seconds():
    units = _units(1, 1, 1, 1, 1)
    estimates = {"a": 1.0, "b": 4.0, "c": 2.0, "d": 3.0, "e": 3.0}
    segments = plan_segments(units, estimates, workers=2)
    # Longest-first would pair b with e; contiguous cuts: ab|cde is 5 and 8, abc|de 7 and 6.
    assert _keys(segments) == ["abc", "de"]
    summary = summarize_shares(segments, estimates)
    assert [share.seconds for share in summary] == [7.0, 6.0]
    assert sum(share.tests for share in summary) == 5


def test_a_first_run_balances_segments_by_test_count():
    units = _units(3, 1, 1, 1, 2)  # no estimates: 8 tests, 4 per worker
    estimates = {unit.key: 0.0 for unit in units}
    segments = plan_segments(units, estimates, workers=2)
    assert _keys(segments) == ["ab", "cde"]
    assert [share.tests for share in summarize_shares(segments, estimates)] == [4, 4]


def test_no_segment_is_empty_and_a_long_unit_stays_alone():
    units = _units(1, 1, 1, 1)
    segments = plan_segments(units, {"a": 9.0, "b": 0.1, "c": 0.1, "d": 0.1}, workers=3)
    # After a, the cut comes nearest to two thirds of the 9.3 s after b.
    assert _keys(segments) == ["a", "b", "cd"]


def test_segments_never_have_a_larger_maximum_than_the_best_contiguous_cut():
    rng = random.Random(25)
    for _ in range(500):
        count = rng.randint(1, 8)
        workers = rng.randint(1, count)
        units = _units(*(rng.randint(1, 3) for _ in range(count)))
        estimates = {unit.key: rng.choice([0.0, 0.5, 1.0, rng.uniform(0, 5)]) for unit in units}
        segments = plan_segments(units, estimates, workers)
        assert [unit for segment in segments for unit in segment] == units
        assert len(segments) == workers and all(segments)
        weight = {u.key: estimates[u.key] for u in units}
        if not any(weight.values()):
            weight = {u.key: len(u.indices) for u in units}
        worst = max(sum(weight[u.key] for u in segment) for segment in segments)
        assert worst <= _best_cut(units, weight, workers) + 1e-6


def _best_cut(units, weight, workers) -> float:
    """The smallest largest segment over every contiguous cut (brute force)."""
    best = float("inf")
    for cuts in itertools.combinations(range(1, len(units)), workers - 1):
        bounds = [0, *cuts, len(units)]
        parts = [units[start:end] for start, end in itertools.pairwise(bounds)]
        best = min(best, max(sum(weight[u.key] for u in part) for part in parts))
    return best


def test_leading_units_are_cut_on_their_own_so_every_segment_starts_with_one():
    # --failed-first: a and b failed last time; each worker starts with one of them.
    units = _units(1, 1, 1, 1, 1, 1)
    segments = plan_segments(units, {}, workers=2, leading=2)
    assert _keys(segments) == ["acd", "bef"]
    assert _keys(plan_segments(units, {}, workers=2)) == ["abc", "def"]
