"""Order dependence: is a failing test's failure its own, or did an earlier test cause it?

A test that failed in a worker is run again alone in a fresh worker. If it passes alone,
what ran before it in the same process is replayed (fresh worker, fresh clones, the
original order, the test last) and bisected down to one unit, then one test of that unit,
after which it fails: the polluter. Sequential order decides the verdict: a polluter that
Django's order runs *after* the test cannot pollute a sequential run (passed); one that
runs *before* it does (failed).

Pure logic: ``find_polluter`` takes a ``replay`` callable (run these units in one fresh
process, say whether the test failed), so it is tested with fakes, without processes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# What a check found (Check.outcome).
FAILS_ALONE = "fails alone"  # a failure of its own: nothing to find
POLLUTED = "polluted"  # passes alone, fails after ``polluter``
NOT_REPRODUCED = "not reproduced"  # passes alone and after the same units: flaky?
NO_HISTORY = "no history"  # passes alone, and nothing ran before it in its worker
OUT_OF_BUDGET = "out of budget"  # the time budget ran out before an answer


@dataclass(frozen=True)
class Ran:
    """One unit as a worker process ran it: its index and the tests that ran, in order."""

    unit: int
    tests: tuple[int, ...]


# Runs ``units`` in order in one fresh worker: True if the last test failed, False if it
# passed, None if there was no answer (out of time, or the worker did not get that far).
Replay = Callable[[tuple[Ran, ...]], "bool | None"]


@dataclass(frozen=True)
class Check:
    """The outcome of checking one failed test, with what it cost."""

    test: int
    outcome: str
    polluter: tuple[Ran, ...] = ()  # the unit(s) after which it fails (their tests narrowed)
    replays: int = 0  # runs with earlier units, the run alone not counted
    seconds: float = 0.0  # the rerun alone and every replay

    @property
    def polluter_tests(self) -> tuple[int, ...]:
        """Indices of the polluting tests (one test when it was narrowed down that far)."""
        return tuple(index for ran in self.polluter for index in ran.tests)

    def passes_in_sequential_order(self, strict: bool = False) -> bool:
        """Whether Django's sequential order would pass it: every polluter runs after it."""
        if self.outcome != POLLUTED or strict or not self.polluter_tests:
            return False
        return all(index > self.test for index in self.polluter_tests)


def history_before(sequence: Sequence[tuple[int, int]], test: int) -> tuple[Ran, ...]:
    """The units a process ran before ``test`` from its ``(unit, test)`` record, in order.

    Tests of ``test``'s own unit that ran before it form the last ``Ran``.
    """
    positions = [position for position, (_unit, index) in enumerate(sequence) if index == test]
    earlier = sequence[: positions[-1]] if positions else sequence
    history: list[Ran] = []
    for unit, index in earlier:
        if history and history[-1].unit == unit:
            history[-1] = Ran(unit, (*history[-1].tests, index))
        else:
            history.append(Ran(unit, (index,)))
    return tuple(history)


def find_polluter(
    test: int,
    unit: int,
    history: tuple[Ran, ...],
    replay: Replay,
    clock: Callable[[], float] = time.monotonic,
) -> Check:
    """Rerun ``test`` alone, then bisect ``history`` for what makes it fail."""
    search = _Search(Ran(unit, (test,)), replay)
    started = clock()

    def done(outcome: str, polluter: tuple[Ran, ...] = ()) -> Check:
        return Check(test, outcome, polluter, search.replays, clock() - started)

    alone = replay((search.victim,))
    if alone is None:
        return done(OUT_OF_BUDGET)
    if alone:
        return done(FAILS_ALONE)
    if not history:
        return done(NO_HISTORY)
    whole = search.fails(history)
    if whole is None:
        return done(OUT_OF_BUDGET)
    if not whole:
        return done(NOT_REPRODUCED)
    units, complete = search.narrow(list(history), lambda part: tuple(part))
    if not complete:
        return done(OUT_OF_BUDGET, tuple(units))
    if len(units) == 1 and len(units[0].tests) > 1:
        # Which test of the unit: each part keeps the unit's order and class fixtures.
        only = units[0]
        tests, _ = search.narrow(list(only.tests), lambda part: (Ran(only.unit, tuple(part)),))
        units = [Ran(only.unit, tuple(tests))]
    return done(POLLUTED, tuple(units))


class _Search:
    """Counts replays; narrows a list that makes the victim fail to a smaller such list."""

    def __init__(self, victim: Ran, replay: Replay) -> None:
        self.victim = victim
        self.replay = replay
        self.replays = 0

    def fails(self, units: tuple[Ran, ...]) -> bool | None:
        """Replay ``units`` then the victim: whether it failed (None: no answer)."""
        self.replays += 1
        return self.replay((*units, self.victim))

    def narrow(self, items: list, as_units: Callable[[list], tuple[Ran, ...]]) -> tuple[list, bool]:
        """Bisect ``items`` (known to make the victim fail) while one half does so alone.

        Returns what is left and whether the search ended with an answer: a single item,
        or two halves that each pass (the items pollute only together). False when the
        budget ran out on the way.
        """
        while len(items) > 1:
            middle = len(items) // 2
            first, second = items[:middle], items[middle:]
            found = self.fails(as_units(first))
            if found is None:
                return items, False
            if found:
                items = first
                continue
            found = self.fails(as_units(second))
            if found is None:
                return items, False
            if not found:
                return items, True  # only together: report them all
            items = second
        return items, True
