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
