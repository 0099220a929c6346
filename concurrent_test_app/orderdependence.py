"""Order dependence: is a failing test's failure its own, or did an earlier test cause it?

A test that failed in a worker is run again alone in a fresh worker. If it passes alone,
what ran before it in the same process is replayed (fresh worker, fresh clones, the
original order, the test last) and bisected down to one unit, then one test of that unit,
after which it fails: the polluter. That is the diagnosis only: the verdict comes from
a replay of Django's own order (``orderreplay``), never from where the polluter stands in
it, since tests between the two may undo or pre-empt the pollution.

Pure logic: ``polluter_search`` is a generator of steps (unit lists to replay, each in
a fresh process, side by side) that receives whether the test failed in each, so it is
tested with fakes, without processes; ``find_polluter`` drives it one replay at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Sequence
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
    reproduced: bool = False  # it failed again after what its worker ran before it

    @property
    def polluter_tests(self) -> tuple[int, ...]:
        """Indices of the polluting tests (one test when it was narrowed down that far)."""
        return tuple(index for ran in self.polluter for index in ran.tests)


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


# One step of a search: unit lists to replay, each in its own fresh worker (the victim
# last in each); the answers come back in the same order, each as a ``Replay`` returns.
Step = tuple[tuple[Ran, ...], ...]
Search = Generator[Step, tuple["bool | None", ...], Check]


def find_polluter(
    test: int,
    unit: int,
    history: tuple[Ran, ...],
    replay: Replay,
    clock: Callable[[], float] = time.monotonic,
) -> Check:
    """Rerun ``test`` alone, then bisect ``history`` for what makes it fail, one replay at a time."""
    search = polluter_search(test, unit, history, clock=clock)
    answers: tuple[bool | None, ...] | None = None
    try:
        while True:
            step = next(search) if answers is None else search.send(answers)
            answers = tuple(replay(units) for units in step)
    except StopIteration as stop:
        return stop.value


def polluter_search(
    test: int,
    unit: int,
    history: tuple[Ran, ...],
    width: Callable[[], int] = lambda: 1,
    clock: Callable[[], float] = time.monotonic,
) -> Search:
    """``find_polluter`` as a generator of steps, so that a step's replays run at once.

    ``width`` says how many replays may run side by side when a step is made: with one,
    the steps are those of a search one replay at a time; with more, the run alone and
    the whole history go together, and bisection tests ``width`` parts of a list at once.
    """
    victim = Ran(unit, (test,))
    started = clock()
    replays = 0

    def done(outcome: str, polluter=(), reproduced: bool = False) -> Check:
        return Check(test, outcome, tuple(polluter), replays, clock() - started, reproduced)

    def with_victim(part: tuple[Ran, ...]) -> tuple[Ran, ...]:
        return (*part, victim)

    together = bool(history) and width() > 1
    step: Step = ((victim,), with_victim(history)) if together else ((victim,),)
    answers = yield step
    replays += len(step) - 1
    alone = answers[0]
    if alone is None:
        return done(OUT_OF_BUDGET)
    if alone:
        return done(FAILS_ALONE)
    if not history:
        return done(NO_HISTORY)
    if together:
        whole = answers[1]
    else:
        (whole,) = yield (with_victim(history),)
        replays += 1
    if whole is None:
        return done(OUT_OF_BUDGET)
    if not whole:
        return done(NOT_REPRODUCED)
    narrowing = _narrow(list(history), lambda part: tuple(part), with_victim, width)
    units, complete, spent = yield from narrowing
    replays += spent
    if not complete:
        return done(OUT_OF_BUDGET, units, reproduced=True)
    if len(units) == 1 and len(units[0].tests) > 1:
        # Which test of the unit: each part keeps the unit's order and class fixtures.
        only = units[0]
        narrowing = _narrow(
            list(only.tests), lambda part: (Ran(only.unit, tuple(part)),), with_victim, width
        )
        tests, _, spent = yield from narrowing
        replays += spent
        units = [Ran(only.unit, tuple(tests))]
    return done(POLLUTED, units, reproduced=True)


def _narrow(items: list, as_units, with_victim, width):
    """Bisect ``items`` (known to make the victim fail) while a part does so alone.

    Yields steps; returns what is left, whether the search ended with an answer (a
    single item, or parts that each pass: the items pollute only together; False when
    the budget ran out on the way) and how many replays it took.
    """
    spent = 0
    while len(items) > 1:
        count = min(max(width(), 2), len(items))
        parts = _parts(items, count)
        if width() <= 1:
            parts = parts[:1]  # one lane: the second half only if the first passes
        answers = yield tuple(with_victim(as_units(part)) for part in parts)
        spent += len(parts)
        if len(parts) == 1 and answers[0] is False:
            parts = _parts(items, 2)[1:]
            answers = yield (with_victim(as_units(parts[0])),)
            spent += 1
        failing = [part for part, found in zip(parts, answers, strict=True) if found]
        if failing:
            items = failing[0]
            continue
        if None in answers:
            return items, False, spent
        return items, True, spent  # only together: report them all
    return items, True, spent


def _parts(items: list, count: int) -> list[list]:
    """``items`` cut into ``count`` consecutive parts of nearly equal length."""
    size, extra = divmod(len(items), count)
    parts, start = [], 0
    for number in range(count):
        end = start + size + (1 if number < extra else 0)
        parts.append(items[start:end])
        start = end
    return parts
