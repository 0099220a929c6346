"""The jobs of the order checks, in the order they matter: the verdict, then the diagnosis.

``Checking`` is what ``lanes.Lanes`` asks for work and tells of results: first the one
replay of Django's order (``orderreplay``), then the steps of every held test's polluter
search (``orderdependence.polluter_search``), each step's replays side by side on the
lanes that are free when the step is made.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .events import TestEvents, Unit
from .lanes import Job
from .orderdependence import Check, Ran, polluter_search
from .orderreplay import NOT_RUN, OrderReplay, ReplayOutcome, failed, read_outcomes


@dataclass
class _Search:
    """One held test's search for its polluter: the generator and the step under way."""

    test: int
    steps: object  # the polluter_search generator
    started: float = 0.0  # time.time() of its first step
    pending: list = field(default_factory=list)  # jobs of the step not handed out yet
    jobs: list = field(default_factory=list)  # every job of the step, in order
    answers: dict = field(default_factory=dict)  # job -> True/False/None
    alone: tuple = ()  # the test's events when it ran alone
    check: Check | None = None


class Checking:
    """Hands out the verdict replay, then search steps; collects what each job showed."""

    def __init__(
        self,
        tests: list,
        held: list,
        replay: OrderReplay | None,
        width: Callable[[], int],
        describe: Callable[[int], str],
    ) -> None:
        self.tests = tests
        self.describe = describe
        self.replay = replay
        self.verdict_job = None if replay is None else Job(self._units(replay.units), "verdict")
        self.outcomes: dict[int, ReplayOutcome] = {}
        self.replay_events: dict[int, tuple[TestEvents, ...]] = {}
        self.searches = [
            _Search(h.events.test, polluter_search(h.events.test, h.unit, h.history, width))
            for h in held
        ]
        self._owner: dict[int, _Search] = {}  # id(job) -> its search
        self.why_not_run = "not started"

    def next_job(self) -> Job | None:
        """The verdict replay first; then the next replay of a search, round robin."""
        if self.verdict_job is not None:
            job, self.verdict_job = self.verdict_job, None
            return job
        for search in self.searches:
            if search.check is None and not search.jobs:
                search.started = time.time()
                self._advance(search, None)
            if search.pending:
                return search.pending.pop(0)
        return None

    def done(self, job: Job, run) -> None:
        """Record what ``job`` showed (``pool.FreshRun``); a search whose step is in moves on."""
        if job.label == "verdict":
            self.outcomes = read_outcomes(self.replay, run.events, self.describe)
            for victim in self.replay.victims:
                self.replay_events[victim] = tuple(e for e in run.events if e.test == victim)
            return
        search = self._owner.pop(id(job))
        mine = tuple(e for e in run.events if e.test == search.test)
        search.answers[id(job)] = any(failed(e) for e in mine) if mine else None
        if len(job.units) == 1 and len(job.units[0].tests) == 1:
            search.alone = mine
        if len(search.answers) == len(search.jobs):
            answers = tuple(search.answers[id(j)] for j in search.jobs)
            self._advance(search, answers)

    def finish(self, why_not_run: str) -> None:
        """End every search with what it found; a replay never done is ``why_not_run``."""
        for search in self.searches:
            while search.check is None:
                # What came in stays; a job that never answered is out of budget.
                answers = tuple(search.answers.get(id(job)) for job in search.jobs)
                self._advance(search, answers or None)
        self.why_not_run = why_not_run

    def check_of(self, test: int) -> Check:
        """What the search of ``test`` found (the first, if it was held twice)."""
        return next(s.check for s in self.searches if s.test == test)

    def search_of(self, test: int) -> _Search:
        """The search of ``test``: when it started and its events alone."""
        return next(s for s in self.searches if s.test == test)

    def outcome_of(self, test: int) -> ReplayOutcome:
        """What the replay of Django's order showed for ``test``."""
        return self.outcomes.get(test, ReplayOutcome(NOT_RUN, self.why_not_run))

    def _advance(self, search: _Search, answers) -> None:
        try:
            step = next(search.steps) if answers is None else search.steps.send(answers)
        except StopIteration as stop:
            search.check, search.jobs, search.pending = stop.value, [], []
            return
        search.jobs = [Job(self._units(units), "search") for units in step]
        search.pending = list(search.jobs)
        search.answers = {}
        for job in search.jobs:
            self._owner[id(job)] = search

    def _units(self, units: tuple[Ran, ...]) -> tuple[Unit, ...]:
        return tuple(Unit(r.unit, tuple((i, self.tests[i]) for i in r.tests)) for r in units)
