"""Units of work: the suite cut into test classes (never split), in the order to hand out."""

from __future__ import annotations

import sys
import unittest
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class PlannedUnit:
    """A class's tests (or a whole module's, when it has module fixtures) as test indices."""

    key: str
    indices: tuple[int, ...]


def iter_tests(suite: Iterable) -> Iterator[unittest.TestCase]:
    """Every test of a (nested) suite, in order."""
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from iter_tests(item)
        else:
            yield item


def unit_key(test) -> str:
    """The unit a test belongs to: its class, or its module if that has module fixtures.

    A module with ``setUpModule``/``tearDownModule`` is kept whole so that its fixtures
    run once, as in a sequential run, instead of once per class.
    """
    cls = type(test)
    module = sys.modules.get(cls.__module__)
    if module is not None and (hasattr(module, "setUpModule") or hasattr(module, "tearDownModule")):
        return cls.__module__
    return f"{cls.__module__}.{cls.__qualname__}"


def plan_units(tests: list) -> list[PlannedUnit]:
    """Group tests into units, keeping the suite's order of first appearance.

    Django orders TestCase classes before TransactionTestCase ones; handing units out in
    that order keeps the rule within every worker.
    """
    groups: dict[str, list[int]] = {}
    for index, test in enumerate(tests):
        groups.setdefault(unit_key(test), []).append(index)
    return [PlannedUnit(key, tuple(indices)) for key, indices in groups.items()]


def unit_phase(test) -> int:
    """0 for Django TestCase units, 1 for the rest.

    Django runs TestCase classes before the others because a TransactionTestCase
    flushes the database (data migrations' rows included) when it ends; handing out
    every phase-0 unit first keeps that order inside each worker.
    """
    from django.test import TestCase

    return 0 if isinstance(test, TestCase) else 1


def estimate_units(units: list[PlannedUnit], known: dict[str, float]) -> dict[str, float]:
    """Each unit's expected seconds: its stored time, else the median of the known ones."""
    values = sorted(known[unit.key] for unit in units if unit.key in known)
    median = values[len(values) // 2] if values else 0.0
    return {unit.key: known.get(unit.key, median) for unit in units}


def order_longest_first(
    units: list[PlannedUnit], tests: list, estimates: dict[str, float]
) -> list[PlannedUnit]:
    """Longest estimated unit first within each phase (longest-processing-time rule)."""

    def sort_key(unit: PlannedUnit):
        # Test count breaks ties, so a run without timings still starts big classes first.
        return (unit_phase(tests[unit.indices[0]]), -estimates[unit.key], -len(unit.indices))

    return sorted(units, key=sort_key)


@dataclass(frozen=True)
class WorkerShare:
    """One worker's expected share of the run under the dispatch order."""

    tests: int
    seconds: float


def simulate_shares(
    units: list[PlannedUnit], estimates: dict[str, float], workers: int
) -> list[WorkerShare]:
    """Replay the dynamic dispatch on estimates: each unit goes to the first free worker."""
    loads = [[0, 0.0] for _ in range(workers)]
    for unit in units:
        # Without timings every estimate is 0: balance by test count instead.
        share = min(loads, key=lambda load: (load[1], load[0]))
        share[0] += len(unit.indices)
        share[1] += estimates[unit.key]
    return [WorkerShare(count, seconds) for count, seconds in loads]
