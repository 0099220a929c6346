"""Checks failed tests for order dependence after the run, in fresh workers of the pool.

During the run a failed test's events are held back (``hold``) with what its process ran
before it. After the run (``settle``) each is rerun alone and, if it passes, its polluter
is searched for (``orderdependence.find_polluter``); the verdict is the one Django's
sequential order gives, and ``settle`` says which events to replay into the result.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .events import RemoteError, TestEvents, Unit
from .orderdependence import (
    FAILS_ALONE,
    NO_HISTORY,
    NOT_REPRODUCED,
    POLLUTED,
    Check,
    Ran,
    find_polluter,
    history_before,
)


@dataclass(frozen=True)
class Held:
    """A failed test kept back from the result until it is checked."""

    events: TestEvents
    worker_id: int
    unit: int
    history: tuple[Ran, ...]
    failure: RemoteError
    late: list = field(default_factory=list)  # errors reported after the test's end


@dataclass(frozen=True)
class Settled:
    """What to replay for a held test: its events, and the note on its report."""

    events: tuple[TestEvents, ...]
    worker_id: int
    reruns: tuple[RemoteError, ...] = ()  # the concurrent failure, when it counts as passed
    note: str = ""


@dataclass(frozen=True)
class Finding:
    """One order check as the reports show it (benchmark JSON, timeline)."""

    test: str
    outcome: str
    polluter: str
    replays: int
    seconds: float
    verdict: str  # "passed" or "failed"
    worker_id: int
    started: float  # time.time()


class OrderChecks:
    """Holds failed tests back during a run and checks them in fresh workers after it."""

    def __init__(
        self,
        pool,
        tests: list,
        limit: int,
        budget: float,
        strict: bool,
        log: Callable[[str], None],
        report: Callable[[Finding], None] = lambda finding: None,
    ) -> None:
        self.pool = pool
        self.tests = tests
        self.limit = limit
        self.budget = budget
        self.strict = strict
        self.log = log
        self.report = report
        self.held: list[Held] = []
        self.checks: list[Check] = []

    def hold(self, events: TestEvents, worker_id: int, failure: RemoteError) -> bool:
        """Keep ``events`` of a failed test back to check it; False when over the limit."""
        sequence = self.pool.process_history(worker_id)
        unit = next((u for u, index in reversed(sequence) if index == events.test), None)
        if unit is None:
            # A test the pool did not see end. (With --rerun-failures the suite holds
            # nothing: a rerun already runs the test alone, in a fresh worker.)
            return False
        units = {held.unit for held in self.held}
        if unit not in units and len(units) >= self.limit:
            return False
        history = history_before(sequence, events.test)
        self.held.append(Held(events, worker_id, unit, history, failure))
        return True

    def attach_late(self, events: TestEvents) -> bool:
        """Hold an error reported after a held test's end with it; False if not held."""
        for held in reversed(self.held):
            if held.events.test == events.test:
                held.late.append(events)
                return True
        return False

    def settle(self, describe: Callable[[int], str]) -> list[Settled]:
        """Check every held test, in the order they failed; what to replay for each."""
        if not self.held:
            return []
        deadline = time.monotonic() + self.budget
        settled = [self._settle(held, deadline, describe) for held in self.held]
        replays = sum(check.replays for check in self.checks)
        seconds = sum(check.seconds for check in self.checks)
        self.log(
            f"Order check: {len(self.checks)} failed tests rerun alone, "
            f"{replays} replays of what ran before them, {seconds:.1f}s"
        )
        return settled

    def _settle(self, held: Held, deadline: float, describe) -> Settled:
        if self.pool.aborted:  # Ctrl-C during the checks: report the rest as they failed
            return Settled((held.events, *held.late), held.worker_id)
        test = held.events.test
        alone: list[TestEvents] = []
        started = time.time()

        def replay(units: tuple[Ran, ...]) -> bool | None:
            if time.monotonic() >= deadline:
                return None
            work = [Unit(ran.unit, tuple((i, self.tests[i]) for i in ran.tests)) for ran in units]
            events = self.pool.run_fresh(work, deadline)
            mine = [e for e in events or () if e.test == test]
            if not mine:
                return None
            if len(units) == 1:
                alone[:] = mine
            return any(_failed(e) for e in mine)

        check = find_polluter(test, held.unit, held.history, replay)
        self.checks.append(check)
        polluter = " + ".join(_name(ran, describe, self.tests) for ran in check.polluter)
        passed = check.passes_in_sequential_order(self.strict) and bool(alone)
        note = self._explain(check, describe(test), polluter, held, passed)
        if check.outcome != FAILS_ALONE:
            verdict = "passed" if passed else "failed"
            finding = Finding(
                describe(test), check.outcome, polluter, check.replays, check.seconds,
                verdict, held.worker_id, started,
            )  # fmt: skip
            self.report(finding)
        if passed:
            return Settled(tuple(alone), held.worker_id, (_annotated(held.failure, note),), note)
        return Settled((held.events, *held.late), held.worker_id, (), note)

    def _explain(self, check: Check, test: str, polluter: str, held: Held, passed: bool) -> str:
        """Log what the check found and return it as the note on the test's report."""
        cost = f"{check.replays} replays, {check.seconds:.1f}s"
        if check.outcome == FAILS_ALONE:
            return ""
        if check.outcome == POLLUTED:
            block = (
                f"Order-dependent: {test} fails after {polluter} ran in the same process "
                f"(found in {check.replays} replays); it passes alone"
            )
            if passed:
                why = f"Django's order runs {polluter} after it: counted as passed"
            elif self.strict:
                why = "--strict-order: counted as failed"
            else:
                why = f"Django's order runs {polluter} before it: it fails sequentially too"
            lines = [block, f"  {why} ({check.seconds:.1f}s)"]
        elif check.outcome == NOT_REPRODUCED:
            lines = [
                f"{test} failed in worker {held.worker_id} but passes alone and after the "
                + f"{len(held.history)} units that ran before it ({cost}): it stays failed; "
                + "it may be flaky or depend on what other workers did"
            ]
        elif check.outcome == NO_HISTORY:
            lines = [
                f"{test} failed in worker {held.worker_id} but passes alone, "
                + f"and nothing ran before it in that process ({cost}): it stays failed; "
                + "it may be flaky or depend on what other workers did"
            ]
        else:
            found = f"; so far it fails after {polluter}" if polluter else ""
            lines = [
                f"Order check of {test} stopped: the budget of {self.budget:g}s ran out "
                + f"({cost}{found}): it stays failed"
            ]
        for line in lines:
            self.log(line)
        return "\n".join(line.strip() for line in lines)


def _failed(events: TestEvents) -> bool:
    return any(
        call.method in ("addFailure", "addError", "addUnexpectedSuccess")
        or (call.method == "addSubTest" and call.args[1] is not None)
        for call in events.calls
    )


def _name(ran: Ran, describe: Callable[[int], str], tests: list) -> str:
    """One test's id, or the class of a unit (``pkg.module.Class``)."""
    if len(ran.tests) == 1:
        return describe(ran.tests[0])
    cls = type(tests[ran.tests[0]])
    return f"{cls.__module__}.{cls.__qualname__}"


def _annotated(failure: RemoteError, note: str) -> RemoteError:
    """The concurrent failure, its message prefixed with what the order check found."""
    return RemoteError(
        failure.type_name,
        f"{note.splitlines()[0]}: {failure.message}",
        failure.formatted,
        failure.pickled,
        failure.builtin_base,
    )
