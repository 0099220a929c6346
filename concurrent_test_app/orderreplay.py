"""The sequential verdict: Django's order replayed in one fresh worker, up to the failed tests.

A test that failed concurrently but passes alone is judged by what a sequential run would
do: a fresh worker on fresh clones runs every unit Django's order runs before it, then the
test. Several such tests share one replay, which runs up to the last of them; each one's
outcome is read from its events. A replay cut short by the budget confirms nothing for the
tests it did not reach; ``ReplayOutcome.where`` says where it stopped.

Pure logic: the caller runs the units and hands the events back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .events import TestEvents
from .orderdependence import Ran

PASSED = "passed"
FAILED = "failed"
STOPPED = "stopped"  # the replay did not reach the test: not confirmed
NOT_RUN = "not run"  # no replay (its estimate was over the budget, or it could not start)


@dataclass(frozen=True)
class OrderReplay:
    """Django's order up to the last of ``victims``: the units, in order, and the victims."""

    units: tuple[Ran, ...]
    victims: tuple[int, ...]

    @property
    def tests(self) -> tuple[int, ...]:
        """Every test the replay runs, in Django's order."""
        return tuple(index for ran in self.units for index in ran.tests)


@dataclass(frozen=True)
class ReplayOutcome:
    """What the replay of Django's order showed for one test, and where it stopped."""

    state: str  # PASSED, FAILED, STOPPED or NOT_RUN
    where: str = ""  # for STOPPED and NOT_RUN: how far the replay got, in words


def prefix_replay(units: Sequence[Sequence[int]], victims: Iterable[int]) -> OrderReplay:
    """The units of Django's order (test indices each, in order) up to the last victim.

    The last victim's unit stops at it; every earlier unit runs whole, as it does in a
    sequential run.
    """
    victims = tuple(sorted(set(victims)))
    last = victims[-1]
    prefix: list[Ran] = []
    for number, indices in enumerate(units):
        if last in indices:
            prefix.append(Ran(number, tuple(indices[: list(indices).index(last) + 1])))
            break
        prefix.append(Ran(number, tuple(indices)))
    return OrderReplay(tuple(prefix), victims)


def estimated_seconds(replay: OrderReplay, seconds: Callable[[int], float | None]) -> float:
    """What the replay's tests took in the run (a test without a figure counts 0)."""
    return sum(seconds(index) or 0.0 for index in replay.tests)


def failed(events: TestEvents) -> bool:
    """Whether a test's events hold a failure, an error or an unexpected success."""
    return any(
        call.method in ("addFailure", "addError", "addUnexpectedSuccess")
        or (call.method == "addSubTest" and call.args[1] is not None)
        for call in events.calls
    )


def read_outcomes(
    replay: OrderReplay,
    events: Sequence[TestEvents],
    describe: Callable[[int], str],
) -> dict[int, ReplayOutcome]:
    """Each victim's outcome in the replay's ``events`` (STOPPED where they never came)."""
    mine: dict[int, list[TestEvents]] = {}
    for item in events:
        if item.test in replay.victims:
            mine.setdefault(item.test, []).append(item)
    where = stopped_at(replay, events, describe)
    outcomes = {}
    for victim in replay.victims:
        if victim not in mine:
            outcomes[victim] = ReplayOutcome(STOPPED, where)
        elif any(failed(item) for item in mine[victim]):
            outcomes[victim] = ReplayOutcome(FAILED)
        else:
            outcomes[victim] = ReplayOutcome(PASSED)
    return outcomes


def stopped_at(
    replay: OrderReplay, events: Sequence[TestEvents], describe: Callable[[int], str]
) -> str:
    """How far the replay got: the last test it finished, and how many of its tests."""
    order = replay.tests
    done = {item.test for item in events if isinstance(item.test, int)} & set(order)
    if not done:
        return f"before its first test (0 of {len(order)} tests of Django's order)"
    last = max(done, key=order.index)
    return f"after {describe(last)} ({len(done)} of {len(order)} tests of Django's order)"
