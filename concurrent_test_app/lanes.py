"""Runs order-check jobs side by side: one fresh worker per worker id of the pool at once.

    main thread                               one thread per busy lane
    ───────────                               ────────────────────────
    job = next_job()      ── free lane k ──▶
    pool.prepare_fresh(k) (fresh clones)
    start thread          ─────────────────▶  pool.run_prepared(k, units, deadline)
    finished.get()        ◀──── FreshRun ───  (spawn, boot, run the units, collect)
    done(job, run)

Clones are made in the main thread, where Django's connections for them live; a lane's
thread only waits on its own worker's pipe. The threads are daemons: a second Ctrl-C
never waits for them, and closing the pool ends their workers, so they return.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .events import Unit
from .pool import FreshRun


@dataclass(frozen=True)
class Job:
    """Units to run in order in one fresh worker, with a label for the timeline."""

    units: tuple[Unit, ...]
    label: str


@dataclass(frozen=True)
class Span:
    """One job as it ran: its lane (worker id) and its ``time.time()`` start and end."""

    job: Job
    worker_id: int
    started: float
    ended: float


class Lanes:
    """Hands jobs to every free worker id of ``pool`` until none is left or time is up."""

    def __init__(self, pool, on_span: Callable[[Span], None] = lambda span: None) -> None:
        self.pool = pool
        self.on_span = on_span
        self.free = list(pool.fresh_lanes())
        self.busy: dict[int, Job] = {}

    def idle(self) -> int:
        """How many lanes have no job."""
        return len(self.free)

    def run(
        self,
        next_job: Callable[[], Job | None],
        done: Callable[[Job, object], None],
        deadline: float,
    ) -> None:
        """Start ``next_job()`` on each free lane, call ``done(job, FreshRun)`` as each ends.

        Stops handing out jobs at ``deadline`` (``time.monotonic()``) or on Ctrl-C
        (``pool.aborted``); a running job's worker stops at the deadline by itself.
        """
        finished: queue.Queue = queue.Queue()
        again: list[Job] = []  # jobs whose worker never started, tried once more
        tried: set[int] = set()
        while True:
            while self.free and time.monotonic() < deadline and not self.pool.aborted:
                job = again.pop(0) if again else next_job()
                if job is None:
                    break
                self._start(job, deadline, finished)
            if not self.busy:
                return
            try:
                worker_id, run, started = finished.get(timeout=1.0)
            except queue.Empty:
                if self.pool.aborted:
                    return  # the pool's close ends the workers, and their threads
                continue
            job = self.busy.pop(worker_id)
            self.free.append(worker_id)
            self.on_span(Span(job, worker_id, started, time.time()))
            if not (run.complete or run.events) and id(job) not in tried:
                # Its worker never ran a test (fresh clones that vanished, a server
                # that refused a connection): one more try on fresh clones.
                tried.add(id(job))
                again.append(job)
                continue
            done(job, run)

    def _start(self, job: Job, deadline: float, finished: queue.Queue) -> None:
        worker_id = self.free.pop(0)
        self.busy[worker_id] = job
        started = time.time()
        if not self.pool.prepare_fresh(worker_id):
            finished.put((worker_id, _no_run(), started))
            return

        def lane() -> None:
            try:
                run = self.pool.run_prepared(worker_id, list(job.units), deadline)
            except Exception:  # noqa: BLE001 - a lost lane is a job without an answer
                run = _no_run()
            finished.put((worker_id, run, started))

        threading.Thread(target=lane, name=f"order-check-{worker_id}", daemon=True).start()


def _no_run() -> FreshRun:
    return FreshRun((), False)
