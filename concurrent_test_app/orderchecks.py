"""Checks failed tests for order dependence after the run, on every worker of the pool.

During the run a failed test's events are held back (``hold``) with what its process ran
before it. After the run (``settle``) two kinds of jobs share the pool's worker ids, each
job in a fresh worker on fresh clones (``lanes``):

- the verdict, first: one replay of Django's order up to the last held test
  (``orderreplay``); a test's outcome there is what a sequential run gives it;
- the diagnosis, with what is left of the budget: each test rerun alone, and what ran
  before it in its worker bisected for the polluter (``orderdependence``).

A test that fails alone keeps its failure. One that passes alone and fails again after
what its worker ran is order-dependent: it counts as passed only when the replay of
Django's order passed it, and the console says it fails sequentially only when that
replay failed it. ``settle`` says which events to replay into the result for each.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .events import RemoteError, TestEvents
from .lanes import Lanes, Span
from .orderdependence import (
    FAILS_ALONE,
    NO_HISTORY,
    NOT_REPRODUCED,
    POLLUTED,
    Check,
    Ran,
    history_before,
)
from .orderreplay import FAILED, PASSED, ReplayOutcome, estimated_seconds, prefix_replay
from .ordersearches import Checking


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
    replay: str = ""  # the replay of Django's order: passed, failed, or "not confirmed: ..."


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
        units: list[tuple[int, ...]] | None = None,
        on_span: Callable[[Span], None] = lambda span: None,
    ) -> None:
        self.pool = pool
        self.tests = tests
        # Django's order as units of test indices (one unit per test when not given).
        self.units = units if units is not None else [(i,) for i in range(len(tests))]
        self.limit = limit
        self.budget = budget
        self.strict = strict
        self.log = log
        self.report = report
        self.on_span = on_span
        self.held: list[Held] = []
        self.over_limit = 0  # failed tests not held: their units were over the limit

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
            self.over_limit += 1
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

    def settle(
        self, describe: Callable[[int], str], seconds: Callable[[int], float | None] | None = None
    ) -> list[Settled]:
        """Check every held test, in the order they failed; what to replay for each.

        ``seconds`` gives what a test took in the run: the replay of Django's order is
        not started when its tests took longer than the budget.
        """
        if self.over_limit:
            count, limit = self.over_limit, self.limit
            self.log(
                f"Order check: {count} more failed tests not checked, over the limit of {limit} "
                "units (order_check_limit); they stay failed"
            )
        if not self.held:
            return []
        started = time.monotonic()
        checking = self._check(describe, seconds or (lambda index: None))
        settled = [self._settle(held, checking, describe) for held in self.held]
        checks = [checking.check_of(held.events.test) for held in self.held]
        replays = sum(check.replays for check in checks)
        verdict = "" if self.strict else ", 1 replay of Django's order"
        wall = f"{time.monotonic() - started:.1f}s on {len(self.pool.fresh_lanes())} workers"
        self.log(
            f"Order check: {len(checks)} failed tests rerun alone, "
            f"{replays} replays of what ran before them{verdict}, {wall}"
        )
        return settled

    def _check(self, describe, seconds) -> Checking:
        """Run the verdict replay and the searches on every lane until done or out of time."""
        deadline = time.monotonic() + self.budget
        replay = None
        not_run = f"not started: the budget of {self.budget:g}s ran out first"
        if not self.strict:  # --strict-order fails every order-dependent test: no verdict
            replay = prefix_replay(self.units, (held.events.test for held in self.held))
            cost = estimated_seconds(replay, seconds)
            if cost > self.budget:
                not_run = (
                    f"not started: Django's order up to it took {cost:.1f}s in this run, "
                    f"more than the budget of {self.budget:g}s"
                )
                replay = None
        lanes = Lanes(self.pool, self.on_span)
        checking = Checking(self.tests, self.held, replay, lanes.idle, describe)
        if self.pool.aborted:  # Ctrl-C before the checks: nothing runs
            deadline = time.monotonic()
        lanes.run(checking.next_job, checking.done, deadline)
        checking.finish(not_run)
        return checking

    def _settle(self, held: Held, checking: Checking, describe) -> Settled:
        test = held.events.test
        kept = Settled((held.events, *held.late), held.worker_id)
        if self.pool.aborted:  # Ctrl-C during the checks: report the rest as they failed
            return kept
        check = checking.check_of(test)
        if check.outcome == FAILS_ALONE:
            return kept
        polluter = " + ".join(_name(ran, describe, self.tests) for ran in check.polluter)
        outcome = checking.outcome_of(test)
        judged = check.reproduced and not self.strict
        passed = judged and outcome.state == PASSED
        note = self._explain(check, describe(test), polluter, held, outcome)
        search = checking.search_of(test)
        finding = Finding(
            describe(test), check.outcome, polluter, check.replays, check.seconds,
            "passed" if passed else "failed", held.worker_id, search.started,
            _replay_state(outcome) if judged else "",
        )  # fmt: skip
        self.report(finding)
        if passed:
            events = checking.replay_events.get(test) or search.alone
            return Settled(events, held.worker_id, (_annotated(held.failure, note),), note)
        return Settled(kept.events, held.worker_id, (), note)

    def _explain(self, check: Check, test: str, polluter: str, held: Held, outcome) -> str:
        """Log what the check found and return it as the note on the test's report."""
        cost = f"{check.replays} replays, {check.seconds:.1f}s"
        if check.reproduced:
            lines = [_found(check, test, polluter, self.budget), self._verdict(outcome)]
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
            lines = [
                f"Order check of {test} stopped: the budget of {self.budget:g}s ran out "
                + f"({cost}): it stays failed"
            ]
        for line in lines:
            self.log(line)
        return "\n".join(line.strip() for line in lines)

    def _verdict(self, outcome: ReplayOutcome) -> str:
        """The line under an order-dependent test: what Django's order does with it."""
        if self.strict:
            return "  --strict-order: counted as failed"
        replayed = "Django's order, replayed up to it in a fresh worker,"
        if outcome.state == PASSED:
            return f"  {replayed} passes it (the replay passed): counted as passed"
        if outcome.state == FAILED:
            return f"  {replayed} fails it too (the replay failed): it fails sequentially"
        return (
            "  The verdict is not confirmed: the replay of Django's order stopped "
            f"{outcome.where}: it stays failed"
        )


def _found(check: Check, test: str, polluter: str, budget: float) -> str:
    """The first line of an order-dependent test's block: what fails it, found how."""
    if check.outcome == POLLUTED:
        return (
            f"Order-dependent: {test} fails after {polluter} ran in the same process "
            f"(found in {check.replays} replays, {check.seconds:.1f}s); it passes alone"
        )
    found = f"; so far it fails after {polluter}" if polluter else ""
    return (
        f"Order-dependent: {test} passes alone and fails after what ran before it in its "
        f"worker; the search for the polluter stopped when the budget of {budget:g}s ran "
        f"out ({check.replays} replays{found})"
    )


def _replay_state(outcome: ReplayOutcome) -> str:
    """The replay's outcome for the reports: passed, failed, or where it stopped."""
    if outcome.state in (PASSED, FAILED):
        return outcome.state
    return f"not confirmed: {outcome.where}"


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
        f"{'; '.join(note.splitlines())}: {failure.message}",
        failure.formatted,
        failure.pickled,
        failure.builtin_base,
    )
