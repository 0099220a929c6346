"""The parent side of the workers: start them, feed units one at a time, notice deaths.

The parent waits on every worker's pipe and process sentinel together
(``multiprocessing.connection.wait``), so a worker that dies is an event, not a hang.
A dead worker's test in flight is reported as an error naming the worker and the exit
status; the rest of its unit goes back to the front of the queue, and a replacement
worker on the same clones takes over.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait

from .databases import OWNER_FILE, TEMP_PREFIX, owner_marker
from .events import (
    Batch,
    Booted,
    Fatal,
    Output,
    Preload,
    Ready,
    ResultCall,
    Stop,
    TestEvents,
    TestStarted,
    Unit,
    UnitDone,
    UnitLoadFailed,
    Verify,
    encode_error,
)
from .exceptions import WorkerCrashException, WorkerStartException, WorkerTimeoutException
from .interrupts import interrupts_held
from .mainguard import UNGUARDED_MAIN_EXIT, unguarded_main_message
from .worker import WorkerSpec, worker_main

BOOT_TIMEOUT = 120.0
LAST_OUTPUT_CHARS = 4000  # of a lost test's output, quoted in its error


@dataclass
class WorkerHandle:
    """One live worker process and what it is doing."""

    spec: WorkerSpec
    process: multiprocessing.process.BaseProcess
    conn: object
    unit: Unit | None = None
    in_flight: int | str | None = None
    in_flight_since: float = 0.0  # time.monotonic() when the test in flight started
    held_output: list = field(default_factory=list)  # what the test in flight printed
    finished: set = field(default_factory=set)
    # (unit index, test index) of every test this process finished, in order: what ran
    # before a failure in the same process (orderdependence). A new process starts empty.
    ran: list = field(default_factory=list)

    @property
    def worker_id(self) -> int:
        """The worker's number, 1-based, stable across restarts."""
        return self.spec.worker_id


class WorkerPool:
    """Starts spawn workers and dispatches units to them until the queue is empty.

    ``context`` makes the pipes and processes (spawn by default), ``wait_for`` waits on
    pipes and process sentinels (``multiprocessing.connection.wait``), ``stack_of`` asks
    a hung worker for its stack: unit tests pass fakes of all three, so no process starts.
    """

    def __init__(
        self,
        specs: list[WorkerSpec],
        log: Callable[[str], None],
        max_restarts: int | None = None,
        test_timeout: float | None = None,
        run_timeout: float | None = None,
        *,
        context=None,
        wait_for: Callable[..., list] | None = None,
        stack_of: Callable[[WorkerHandle], str] | None = None,
    ) -> None:
        self.context = context if context is not None else multiprocessing.get_context("spawn")
        self.wait_for = wait_for  # None: multiprocessing.connection.wait
        self.stack_of = stack_of if stack_of is not None else _dump_stack
        self.specs = specs
        self.log = log
        self.max_restarts = 2 * len(specs) if max_restarts is None else max_restarts
        self.restarts = 0
        self.test_timeout = test_timeout
        self.run_timeout = run_timeout
        self.run_timed_out = False
        self.reset_databases: Callable[[int], None] | None = None  # set by the runner
        self.aborted = False
        self.gave_up = False  # the restart limit was reached: no more restarts
        self.workers: list[WorkerHandle] = []
        # worker id -> (spawned, ready) in time.time() seconds, for the timeline
        self.startup_spans: dict[int, tuple[float, float]] = {}
        self.unit_durations: dict[int, float] = {}  # unit index -> seconds in its worker
        self.unit_loads: dict[int, float] = {}  # unit index -> seconds to unpickle it
        self.rerun_seconds = 0.0  # what reruns took in their workers, loading included
        self.preload_imports: dict[str, float] = {}  # test module -> seconds to preload it
        self.checks_seconds: dict[int, float] = {}  # worker -> its system checks (worker.checks)
        self.connection_upkeep: dict[int, tuple[int, int]] = {}  # worker -> (recycled, replaced)
        self.peak_rss_mb: dict[int, float] = {}  # worker -> its peak resident memory
        # Over every unit done: [seconds waiting for a CPU, seconds in units]; None once
        # a worker could not say (no schedstat), so that auto takes no half-measure.
        self.run_queue: list[float] | None = [0.0, 0.0]
        # time.monotonic() of the first unit handed out and of the last one finished
        self.test_phase: tuple[float, float] | None = None
        self.queue: deque[Unit] = deque()  # reruns and requeued units, or all without shares
        self.shares: dict[int, deque[Unit]] = {}  # worker id -> its planned units
        self.estimates: dict[int, float] = {}  # unit index -> estimated seconds
        self.preloaded: Preload | None = None  # what every worker imported before its tests
        self._starter: threading.Thread | None = None  # start(in_background=True)
        self._start_error: Exception | None = None
        self._unstarted: list[WorkerHandle] = []

    # -- start-up ---------------------------------------------------------------------

    def start(self, in_background: bool = False) -> None:
        """Spawn every worker; they import Django while the parent clones databases.

        ``in_background``: a thread starts them, for a forkserver, where each start waits
        until the server has imported the run's modules; the parent goes on making the
        databases meanwhile, and ``verify`` and ``close`` wait for the thread.
        """
        self.dump_dir = tempfile.mkdtemp(prefix=TEMP_PREFIX + "stacks-")
        # Marked like the clone directories, so a killed run's folder is swept too.
        with open(os.path.join(self.dump_dir, OWNER_FILE), "w") as owner:
            owner.write(owner_marker() + "\n")
        if not in_background:
            self.workers = [self._spawn(spec) for spec in self.specs]
            return
        prepared = [self._prepare(spec) for spec in self.specs]
        self.workers = [worker for worker, _ in prepared]
        self._starter = threading.Thread(
            target=self._start_prepared, args=(prepared,), name="concurrent-test-starter"
        )
        self._starter.start()

    def _start_prepared(self, prepared: list) -> None:
        """Start the prepared workers in order (the background thread of ``start``)."""
        for number, (worker, child_conn) in enumerate(prepared):
            try:
                _start_held(worker)
            except Exception as error:  # noqa: BLE001 - raised in the main thread by _started
                self._start_error = error
                self._unstarted = [w for w, _ in prepared[number:]]
                return
            child_conn.close()

    def _started(self) -> None:
        """Wait until a background start has finished; a start that failed raises here."""
        starter, self._starter = self._starter, None
        if starter is not None:
            starter.join()
        error, self._start_error = self._start_error, None
        if error is not None:
            # Never started: nothing to stop or wait for.
            self.workers = [w for w in self.workers if w not in self._unstarted]
            raise WorkerStartException(f"Could not start the workers: {error}")

    def preload(
        self,
        modules: tuple[str, ...],
        test_modules: tuple[str, ...],
        checks: tuple[str, ...] | None = None,
    ) -> None:
        """Have each booting worker import ``modules`` before it binds its clones.

        Sent without waiting: a worker reads it after booting and imports while the
        parent creates the clones; ``test_modules`` are the ones whose import it times.
        Sent again after the parent's system checks, with what they imported and
        ``checks``, the aliases they ran for: the workers then run them too.
        """
        self.preloaded = Preload(modules, test_modules, checks)  # for run_fresh's workers too
        for worker in self.workers:
            _send_quietly(worker.conn, self.preloaded)

    def shrink(self, count: int) -> None:
        """Keep the first ``count`` workers; stop the others before they get work."""
        self._started()
        extra, self.workers = self.workers[count:], self.workers[:count]
        self.specs = self.specs[:count]
        for worker in extra:
            _send_quietly(worker.conn, Stop())
        for worker in extra:
            _terminate(worker.process)
            worker.conn.close()
            self.startup_spans.pop(worker.worker_id, None)

    def _spawn(self, spec: WorkerSpec) -> WorkerHandle:
        worker, child_conn = self._prepare(spec)
        _start_held(worker)
        child_conn.close()
        return worker

    def _prepare(self, spec: WorkerSpec) -> tuple[WorkerHandle, object]:
        """A worker's handle, its process not started yet, and the child's end of its pipe."""
        dump_path = os.path.join(self.dump_dir, f"worker{spec.worker_id}.txt")
        open(dump_path, "w").close()  # a replacement starts with an empty dump file
        spec = dataclasses.replace(spec, dump_path=dump_path)
        self.startup_spans[spec.worker_id] = (time.time(), time.time())
        parent_conn, child_conn = self.context.Pipe()
        process = self.context.Process(
            target=worker_main,
            args=(spec, child_conn),
            name=f"concurrent-test-worker-{spec.worker_id}",
            daemon=True,
        )
        return WorkerHandle(spec, process, parent_conn), child_conn

    def verify(self, orders: dict[int, Verify]) -> None:
        """Wait for every worker to boot, bind it to its clones, and check the identities."""
        self._started()
        self.orders = orders
        for worker in self.workers:
            self._expect(worker, Booted)
            worker.conn.send(orders[worker.worker_id])
        seen: dict[str, int] = {}
        for worker in self.workers:
            ready = self._expect(worker, Ready)
            self.checks_seconds[worker.worker_id] = ready.checks_seconds
            for module, seconds in ready.import_seconds.items():
                self.preload_imports[module] = max(self.preload_imports.get(module, 0.0), seconds)
            for identity in ready.identities.values():
                if identity in seen and seen[identity] != worker.worker_id:
                    raise WorkerStartException(
                        f"Workers {seen[identity]} and {worker.worker_id} share {identity!r}"
                    )
                seen[identity] = worker.worker_id

    def _expect(self, worker: WorkerHandle, kind: type):
        message = self._receive_startup(worker, kind)
        if kind is Ready:
            spawned, _ = self.startup_spans[worker.worker_id]
            self.startup_spans[worker.worker_id] = (spawned, time.time())
        return message

    def _receive_startup(self, worker: WorkerHandle, kind: type):
        ready = self._wait([worker.conn, worker.process.sentinel], BOOT_TIMEOUT)
        if not ready:
            raise WorkerStartException(
                f"Worker {worker.worker_id} did not start in {BOOT_TIMEOUT:.0f}s"
            )
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(5)
            if worker.process.exitcode == UNGUARDED_MAIN_EXIT:
                raise WorkerStartException(unguarded_main_message()) from None
            raise WorkerStartException(
                f"Worker {worker.worker_id} exited during start-up ({_exit_cause(worker.process)})"
            ) from None
        if isinstance(message, Fatal):
            raise WorkerStartException(message.message)
        if not isinstance(message, kind):
            raise WorkerStartException(
                f"Worker {worker.worker_id} sent {message!r} during start-up"
            )
        return message

    # -- dispatch -----------------------------------------------------------------------

    def run(
        self,
        units: list[Unit],
        on_events: Callable[[int, TestEvents | Output], None],
        should_stop: Callable[[], bool],
        describe: Callable[[object], str] = str,
        shares: list[list[int]] | None = None,
        estimates: dict[int, float] | None = None,
    ) -> None:
        """Hand out units until none are left; replay every event through ``on_events``.

        Without ``shares`` the units are dealt in their order to whichever worker is
        free. With them, worker k runs ``shares[k-1]`` (unit indices, in their order: a
        segment of Django's order) front to back; once its share is empty it reruns what
        waits for a rerun, then takes the last unit of the share with the most estimated
        seconds left (``estimates`` by unit index; tests left on a first run), so a
        misjudged share never leaves the others idle. Taking from the end leaves the
        owner's front-to-back order, and so each test's predecessors, intact.
        """
        self.on_events = on_events
        self.describe = describe
        self.should_stop = should_stop
        self.estimates = estimates or {}
        if shares is None:
            self.queue, self.shares = deque(units), {}
        else:
            by_index = {unit.index: unit for unit in units}
            self.queue = deque()
            self.shares = {
                worker_id: deque(by_index[index] for index in share)
                for worker_id, share in enumerate(shares, start=1)
            }
        now = time.monotonic()
        self.test_phase = (now, now)
        deadline = now + self.run_timeout if self.run_timeout else None
        for worker in list(self.workers):
            self._dispatch(worker)
        while any(worker.unit is not None for worker in self.workers):
            busy = {w.conn: w for w in self.workers if w.unit is not None}
            sentinels = {w.process.sentinel: w for w in busy.values()}
            for ready in self._wait([*busy, *sentinels], self._wait_timeout()):
                worker = busy.get(ready) or sentinels[ready]
                if worker.unit is not None:
                    self._service(worker)
            if deadline is not None and time.monotonic() > deadline and not self.aborted:
                self.log(f"The run timed out after {self.run_timeout:g}s; stopping it")
                self.run_timed_out = self.aborted = True
            if self.aborted:
                self._stop_busy_workers()
                break
            self._enforce_timeout()
        if self._has_work() and not (self.aborted or self.should_stop()):
            self._fail_queued("no worker was left to run it")
        if self._has_work():
            # Django's own run stops quietly on Ctrl-C or --failfast; say what was left.
            not_run = sum(len(unit.tests) for unit in self._waiting_units())
            self.log(f"Stopped early: {not_run} tests were not run")

    def requeue(self, unit: Unit) -> None:
        """Have the next worker whose share is done run ``unit`` (before any steal)."""
        self.queue.append(unit)

    def _waiting_units(self) -> list[Unit]:
        """Every unit not handed out yet: the common queue, then each share."""
        return [*self.queue, *(unit for share in self.shares.values() for unit in share)]

    def _has_work(self) -> bool:
        return bool(self.queue) or any(self.shares.values())

    def _next_unit(self, worker: WorkerHandle) -> Unit | None:
        """The worker's own share first, then the common queue (reruns), then a steal.

        A rerun restarts its worker (``_renew``): taken before the share's end, it would
        cut the share's tests off from what ran before them in the old process.
        """
        own = self.shares.get(worker.worker_id)
        if own:
            return own.popleft()
        if self.queue:
            return self.queue.popleft()
        fullest = max(
            (share for share in self.shares.values() if share),
            key=self._time_left,
            default=None,
        )
        if fullest is None:
            return None
        # The end of another share, what its owner would reach last, taken as one block
        # run front to back: inside it every unit keeps its sequential predecessor, where
        # units taken one by one from the end would run in reverse order.
        stolen = self.shares.setdefault(worker.worker_id, deque())
        stolen.extend(self._tail_of(fullest))
        return stolen.popleft()

    def _tail_of(self, share: deque[Unit]) -> list[Unit]:
        """Take the end of ``share`` that holds about half of what it has left (one unit at least)."""
        seconds, _tests = self._time_left(share)

        def weight(unit: Unit) -> float:
            if seconds > 0:
                return self.estimates.get(unit.index, 0.0)
            return max(len(unit.tests), 1)  # a first run knows tests, not seconds

        half = sum(weight(unit) for unit in share) / 2
        block = [share.pop()]
        taken = weight(block[0])
        while share and taken + weight(share[-1]) <= half:
            block.append(share.pop())
            taken += weight(block[-1])
        return block[::-1]

    def _time_left(self, share: deque[Unit]) -> tuple[float, int]:
        """A share's estimated seconds left, then its tests left (all a first run knows)."""
        seconds = sum(self.estimates.get(unit.index, 0.0) for unit in share)
        return seconds, sum(len(unit.tests) for unit in share)

    def scheduling_efficiency(self) -> float:
        """(Sum of unit times / workers) / test-phase makespan, 0..1; 0.0 before a run.

        A unit's time is what its worker spent on it: unpickling (importing its module),
        class fixtures and tests. The makespan runs from handing out the first unit to
        the last unit's end, so idle workers and gaps between units lower it.
        """
        if self.test_phase is None or not self.specs:
            return 0.0
        makespan = self.test_phase[1] - self.test_phase[0]
        busy = sum(self.unit_durations.values()) + sum(self.unit_loads.values())
        busy += self.rerun_seconds
        return min(busy / len(self.specs) / makespan, 1.0) if makespan > 0 else 0.0

    def abort(self) -> None:
        """Stop at once (Ctrl-C): running workers are stopped, their tests count as not run.

        Safe to call from a signal handler: it only sets a flag the loop checks.
        """
        self.aborted = True

    def _wait(self, objects: list, timeout: float) -> list:
        """The pipes and sentinels among ``objects`` that are ready within ``timeout``."""
        if self.wait_for is None:
            return wait(objects, timeout=timeout)
        return self.wait_for(objects, timeout=timeout)

    def _wait_timeout(self) -> float:
        # Wake up at the next test deadline, and at least every second to notice abort().
        if not self.test_timeout:
            return 1.0
        now = time.monotonic()
        deadlines = [
            w.in_flight_since + self.test_timeout - now
            for w in self.workers
            if w.unit is not None and w.in_flight is not None
        ]
        return max(0.0, min([1.0, *deadlines]))

    def _enforce_timeout(self) -> None:
        if not self.test_timeout:
            return
        now = time.monotonic()
        for worker in list(self.workers):
            overdue = worker.in_flight is not None and (
                now - worker.in_flight_since > self.test_timeout
            )
            if worker.unit is not None and overdue:
                self._service(worker)  # the test may have just finished
                if worker.in_flight is not None and worker.unit is not None:
                    self._time_out(worker)

    def _time_out(self, worker: WorkerHandle) -> None:
        stack = self.stack_of(worker)
        self.log(f"Worker {worker.worker_id} timed out after {self.test_timeout:g}s")
        _terminate(worker.process)
        detail = f"timed out after {self.test_timeout:g}s"
        if stack:
            detail += f"; its stack when it was stopped:\n{stack}"
        self._lose_worker(worker, detail, WorkerTimeoutException)

    def _stop_busy_workers(self) -> None:
        """Kill the workers still running a unit; their unfinished tests were not run."""
        for worker in self.workers:
            if worker.unit is not None:
                _terminate(worker.process)
                self._requeue_unfinished(worker)

    def _requeue_unfinished(self, worker: WorkerHandle) -> None:
        """Put the tests of ``worker``'s unit that did not finish back in the queue.

        After an interrupt they stay there and are counted, with the rest of the queue,
        in "Stopped early", which then agrees with "INTERRUPTED: x of y tests not run".
        """
        unit, worker.unit = worker.unit, None
        remaining = tuple((i, test) for i, test in unit.tests if i not in worker.finished)
        if remaining:
            self.queue.appendleft(dataclasses.replace(unit, tests=remaining))

    def _service(self, worker: WorkerHandle) -> None:
        try:
            while worker.unit is not None and worker.conn.poll():
                self._handle(worker, worker.conn.recv())
        except (EOFError, OSError):
            pass
        if worker.unit is not None and not worker.process.is_alive():
            if self.aborted:
                # Part of the stop under way (the run's own or a signal to the whole
                # process group): not the fault of the test it was running.
                self._requeue_unfinished(worker)
            else:
                self._handle_death(worker)

    def _handle(self, worker: WorkerHandle, message) -> None:
        """Pass ``message`` from ``worker`` to the handler of its type (``_HANDLERS``)."""
        handler = self._HANDLERS.get(type(message))
        if handler is None:
            raise TypeError(f"Worker {worker.worker_id} sent an unknown message: {message!r}")
        handler(self, worker, message)

    def _on_batch(self, worker: WorkerHandle, message: Batch) -> None:
        """Several messages sent at once (a test's end with the next one's start)."""
        for part in message.messages:
            self._handle(worker, part)

    def _on_test_started(self, worker: WorkerHandle, message: TestStarted) -> None:
        """A test began: it is in flight until its events arrive (a crash names it)."""
        worker.in_flight = message.test
        worker.in_flight_since = time.monotonic()

    def _on_test_events(self, worker: WorkerHandle, message: TestEvents) -> None:
        """A test or a fixture finished (or erred after its end): replay its calls."""
        if any(call.method == "stopTest" for call in message.calls):
            worker.finished.add(message.test)
            if worker.unit is not None:
                worker.ran.append((worker.unit.index, message.test))
            worker.in_flight = None
            held, worker.held_output = tuple(worker.held_output), []
            if held:  # most tests print nothing: spare a copy of every message
                message = dataclasses.replace(message, output=held + message.output)
        self.on_events(worker.worker_id, message)

    def _on_output(self, worker: WorkerHandle, message: Output) -> None:
        """The worker printed: held for the test in flight, else written as it comes."""
        if worker.in_flight is not None:
            # Printed by the running test: shown with its result, or with its crash.
            worker.held_output.extend(message.chunks)
        else:
            self.on_events(worker.worker_id, message)

    def _on_unit_done(self, worker: WorkerHandle, message: UnitDone) -> None:
        """The worker finished its unit: note its figures and hand it the next one."""
        if self.test_phase is not None:
            self.test_phase = (self.test_phase[0], time.monotonic())
        if worker.unit is not None and worker.unit.rerun:
            # One test of a unit, not the unit: its time would mislead the timing store.
            self.rerun_seconds += message.duration + message.load_seconds
        else:
            self.unit_durations[message.index] = message.duration
            self.unit_loads[message.index] = message.load_seconds
        self.connection_upkeep[worker.worker_id] = (message.recycled, message.replaced)
        previous = self.peak_rss_mb.get(worker.worker_id, 0.0)
        self.peak_rss_mb[worker.worker_id] = max(previous, message.peak_rss_mb)
        self._count_run_queue(message)
        worker.unit = None
        self._dispatch(worker)

    def _count_run_queue(self, message: UnitDone) -> None:
        if self.run_queue is None or message.run_queue_wait is None:
            self.run_queue = None
        else:
            self.run_queue[0] += message.run_queue_wait
            self.run_queue[1] += message.duration + message.load_seconds

    def run_queue_fraction(self) -> float:
        """Share of the units' time the workers spent waiting for a CPU (0.0 if unknown)."""
        if self.run_queue is None or self.run_queue[1] <= 0:
            return 0.0
        return self.run_queue[0] / self.run_queue[1]

    def _on_unit_load_failed(self, worker: WorkerHandle, message: UnitLoadFailed) -> None:
        """The worker could not import its unit's module instead of running it."""
        self._report_load_failure(worker, message)

    def _on_fatal(self, worker: WorkerHandle, message: Fatal) -> None:
        """The worker refuses to go on (e.g. its database is not its own clone)."""
        raise WorkerStartException(message.message)

    _HANDLERS: dict[type, Callable] = {
        Batch: _on_batch,
        TestStarted: _on_test_started,
        TestEvents: _on_test_events,
        Output: _on_output,
        UnitDone: _on_unit_done,
        UnitLoadFailed: _on_unit_load_failed,
        Fatal: _on_fatal,
    }

    def _report_load_failure(self, worker: WorkerHandle, message: UnitLoadFailed) -> None:
        """Each test of a unit whose module failed to import errors; the worker goes on."""
        unit, worker.unit = worker.unit, None
        self.log(
            f"Worker {worker.worker_id} could not load {len(unit.tests)} tests "
            f"({message.error.type_name}: {message.error.message}); reported as errors"
        )
        for index, _test in unit.tests:
            calls = (ResultCall("startTest"), ResultCall("addError", (message.error,)))
            self.on_events(worker.worker_id, TestEvents(index, (*calls, ResultCall("stopTest"))))
        self._dispatch(worker)

    def _dispatch(self, worker: WorkerHandle) -> None:
        unit = None if self.should_stop() else self._next_unit(worker)
        if unit is not None:
            if unit.rerun:
                # A rerun starts in a fresh process on fresh databases: nothing the
                # earlier attempt left behind (module state, rows) can decide it.
                worker = self._renew(worker)
                if worker is None:
                    self.queue.appendleft(unit)
                    return
            worker.unit, worker.finished, worker.in_flight = unit, set(), None
            _send_unit(worker.conn, unit)
        else:
            _send_quietly(worker.conn, Stop())

    # -- deaths -------------------------------------------------------------------------

    def _handle_death(self, worker: WorkerHandle) -> None:
        worker.process.join(5)
        cause = _exit_cause(worker.process)
        lost = worker.in_flight
        where = "" if lost is None else f" while running {self.describe(lost)}"
        then = "; restarting it" if self._will_restart(worker) else ""
        self.log(f"Worker {worker.worker_id} died ({cause}){where}{then}")
        detail = f"died ({cause}) while running this test"
        fatal = _read_dump(worker.spec.dump_path, 0).strip()
        if fatal:
            detail += f"\n{fatal}"
        self._lose_worker(worker, detail, WorkerCrashException)

    def _will_restart(self, worker: WorkerHandle) -> bool:
        """Whether ``_replace`` will start a new process after ``worker`` dies."""
        rest = [
            i for i, _ in worker.unit.tests if i not in worker.finished and i != worker.in_flight
        ]
        pending = (bool(rest) or self._has_work()) and not self.should_stop()
        return pending and not self.gave_up and self.restarts < self.max_restarts

    def _lose_worker(self, worker: WorkerHandle, detail: str, error_type: type) -> None:
        """Report the test in flight, requeue the rest of the unit, start a replacement."""
        unit, lost = worker.unit, worker.in_flight
        worker.unit = None
        if lost is not None:
            self._report_lost_test(worker, lost, error_type, detail)
        remaining = tuple(
            (index, test)
            for index, test in unit.tests
            if index not in worker.finished and index != lost
        )
        if remaining:
            rest = dataclasses.replace(unit, tests=remaining)
            # The replacement continues the worker's segment where the old one stopped.
            own = self.shares.get(worker.worker_id)
            (own if own is not None and not unit.rerun else self.queue).appendleft(rest)
        self.workers.remove(worker)
        self._replace(worker)

    def _fail_queued(self, reason: str, announce: bool = True) -> None:
        """Report every test still queued as an error: a test is never silently lost."""
        waiting = self._waiting_units()
        count = sum(len(unit.tests) for unit in waiting)
        if announce:
            self.log(f"Stopping: {reason}; {count} tests not run are reported as errors")
        message = f"Not run: {reason}"
        for unit in waiting:
            for index, _test in unit.tests:
                self.on_events(0, _runner_error(index, WorkerCrashException, message))
        self.queue.clear()
        for share in self.shares.values():
            share.clear()

    def _report_lost_test(self, worker: WorkerHandle, ref, error_type: type, detail: str):
        message = f"Worker {worker.worker_id} {detail}"
        last_words = "".join(text for _, text in worker.held_output)[-LAST_OUTPUT_CHARS:]
        worker.held_output = []
        if last_words:
            message += f"\nLast output of the test:\n{last_words.rstrip()}"
        self.on_events(worker.worker_id, _runner_error(ref, error_type, message))

    def _replace(self, dead: WorkerHandle) -> None:
        if not self._has_work() or self.should_stop():
            return
        if self.gave_up or self.restarts >= self.max_restarts:
            # "Stopping" is said once; a later death only adds its own tests.
            self._fail_queued(
                f"workers crashed {self.restarts + 1} times, more than the limit of "
                f"{self.max_restarts} restarts",
                announce=not self.gave_up,
            )
            self.gave_up = True
            return
        self.restarts += 1
        replacement = self._respawn(dead)
        if replacement is not None:
            self._dispatch(replacement)

    def _respawn(self, old: WorkerHandle) -> WorkerHandle | None:
        """A new process for ``old``'s worker id, on fresh copies of its databases."""
        return self._start_fresh(old.spec, f"Could not restart worker {old.worker_id}")

    def _start_fresh(
        self, spec: WorkerSpec, failure: str, reset: bool = True
    ) -> WorkerHandle | None:
        """A new worker process for ``spec``, on fresh clones, with the run's imports done.

        What the old process wrote (a TransactionTestCase commits) must not leak into the
        tests that follow on this worker's databases; and it imports what the run's
        workers imported before their first test (``preload``), so it starts from the
        same import state. None, with the line ``failure: <error>``, when it cannot start.
        ``reset=False``: its clones are fresh already (``prepare_fresh``).
        """
        if reset and self.reset_databases is not None:
            try:
                self.reset_databases(spec.worker_id)
            except Exception as error:  # noqa: BLE001 - reported, and the run goes on
                self.log(f"Could not reset worker {spec.worker_id}'s databases: {error}")
                return None
        worker = self._spawn(spec)
        self.workers.append(worker)
        try:
            if self.preloaded is not None:
                _send_quietly(worker.conn, self.preloaded)
            self._expect(worker, Booted)
            worker.conn.send(self.orders[worker.worker_id])
            self._expect(worker, Ready)
        except WorkerStartException as error:
            if not self.aborted:  # after Ctrl-C the run stops them: nothing to report
                self.log(f"{failure}: {error}")
            self.workers.remove(worker)
            _terminate(worker.process)
            return None
        return worker

    def _renew(self, worker: WorkerHandle) -> WorkerHandle | None:
        """Retire a healthy worker and start a fresh one in its place (for a rerun)."""
        _send_quietly(worker.conn, Stop())
        _terminate(worker.process)
        worker.conn.close()
        self.workers.remove(worker)
        return self._respawn(worker)

    # -- order dependence (after the run) ----------------------------------------------

    def process_history(self, worker_id: int) -> tuple[tuple[int, int], ...]:
        """``(unit index, test index)`` of each test worker ``worker_id``'s process ran."""
        for worker in self.workers:
            if worker.worker_id == worker_id:
                return tuple(worker.ran)
        return ()

    def fresh_lanes(self) -> tuple[int, ...]:
        """The worker ids that order checks run on side by side: every worker of the run."""
        return tuple(spec.worker_id for spec in self.specs)

    def prepare_fresh(self, worker_id: int) -> bool:
        """Stop worker ``worker_id``'s process and give it fresh clones; False if they fail.

        In the thread that made the clones: Django's connections belong to their thread.
        """
        for old in [w for w in self.workers if w.worker_id == worker_id]:
            _send_quietly(old.conn, Stop())
            _terminate(old.process)
            old.conn.close()
            self.workers.remove(old)
        if self.reset_databases is None:
            return True
        try:
            self.reset_databases(worker_id)
        except Exception as error:  # noqa: BLE001 - reported, and the checks go on
            self.log(f"Could not reset worker {worker_id}'s databases: {error}")
            return False
        return True

    def run_prepared(
        self, worker_id: int, units: list[Unit], deadline: float | None = None
    ) -> FreshRun:
        """Run ``units`` in order in a new process on ``worker_id``'s prepared clones.

        Safe in a thread of its own, one per worker id (``prepare_fresh`` first, in the
        main thread). Nothing is replayed into the run's result; ``complete`` is False
        when no worker could start, it died, or ``deadline`` (``time.monotonic()``)
        passed before the last unit was done.
        """
        spec = next(spec for spec in self.specs if spec.worker_id == worker_id)
        worker = self._start_fresh(
            spec, "Could not start a fresh worker for an order check", reset=False
        )
        if worker is None:
            return FreshRun((), False)
        events: list = []
        try:
            for unit in units:
                worker.unit, worker.finished, worker.in_flight = unit, set(), None
                _send_unit(worker.conn, unit)
                if not self._collect(worker, events, deadline):
                    _terminate(worker.process, grace=1.0)
                    return FreshRun(tuple(events), False)
            return FreshRun(tuple(events), True)
        finally:
            worker.unit = None
            _send_quietly(worker.conn, Stop())

    def run_fresh(self, units: list[Unit], deadline: float | None = None) -> list | None:
        """Run ``units`` in order in a new worker process on fresh clones; their events.

        Nothing is replayed into the run's result. None when no worker could start, it
        died, or ``deadline`` (``time.monotonic()``) passed first.
        """
        worker_id = self.specs[0].worker_id
        if not self.prepare_fresh(worker_id):
            return None
        run = self.run_prepared(worker_id, units, deadline)
        return list(run.events) if run.complete else None

    def _collect(self, worker: WorkerHandle, events: list, deadline: float | None) -> bool:
        """Gather ``worker``'s test events until its unit is done; False if it never is."""
        while worker.unit is not None:
            timeout = 1.0 if deadline is None else min(deadline - time.monotonic(), 1.0)
            if timeout <= 0 or self.aborted:  # out of time, or Ctrl-C
                return False
            self._wait([worker.conn, worker.process.sentinel], timeout)
            try:
                while worker.unit is not None and worker.conn.poll():
                    if not self._take(worker, worker.conn.recv(), events):
                        return False
            except (EOFError, OSError):
                return False
            if worker.unit is not None and not worker.process.is_alive():
                return False
        return True

    def _take(self, worker: WorkerHandle, message, events: list) -> bool:
        """Keep a test's events, end the unit on UnitDone; False on a fatal message."""
        if isinstance(message, Batch):
            return all(self._take(worker, part, events) for part in message.messages)
        if isinstance(message, TestEvents):
            events.append(message)
        elif isinstance(message, UnitLoadFailed):
            for index, _test in worker.unit.tests:
                calls = (ResultCall("startTest"), ResultCall("addError", (message.error,)))
                events.append(TestEvents(index, (*calls, ResultCall("stopTest"))))
            worker.unit = None
        elif isinstance(message, UnitDone):
            worker.unit = None
        return not isinstance(message, Fatal)

    # -- shutdown -----------------------------------------------------------------------

    def close(self, grace: float = 5.0) -> None:
        """Stop every worker: politely, then SIGKILL after ``grace`` seconds in all."""
        try:
            self._started()
        except WorkerStartException:
            pass  # stopping anyway; the workers that did start are stopped below
        for worker in self.workers:
            _send_quietly(worker.conn, Stop())
        deadline = time.monotonic() + grace
        for worker in self.workers:
            _terminate(worker.process, max(0.0, deadline - time.monotonic()))
            worker.conn.close()
        shutil.rmtree(getattr(self, "dump_dir", ""), ignore_errors=True)


@dataclass(frozen=True)
class FreshRun:
    """What a fresh worker sent for the units it was given, and whether it finished them."""

    events: tuple[TestEvents, ...]
    complete: bool


def _runner_error(ref, error_type: type, message: str) -> TestEvents:
    """An error the runner itself reports on a test: a crash, a timeout, a test not run."""
    try:
        raise error_type(message)
    except error_type as error:
        err = (error_type, error, error.__traceback__)
    name = f"{error_type.__module__}.{error_type.__qualname__}"
    calls = (ResultCall("addError", (encode_error(err, f"{name}: {message}\n"),)),)
    if isinstance(ref, int):
        calls = (ResultCall("startTest"), *calls, ResultCall("stopTest"))
    return TestEvents(ref, calls)


def _terminate(process, grace: float = 0.0) -> None:
    """Wait up to ``grace`` seconds for the process to exit, then SIGKILL it.

    Not SIGTERM: workers ignore it, so that a SIGTERM sent to the whole process group
    (``timeout``, a CI cancellation, a container stop) reaches only the parent, which
    stops them itself instead of finding them dead and blaming their tests.
    """
    if grace > 0:
        process.join(grace)
    if process.is_alive():
        process.kill()
    process.join()


def _dump_stack(worker: WorkerHandle, wait_seconds: float = 1.0) -> str:
    """Ask a hung worker for its Python stack (faulthandler on SIGUSR1) and read it."""
    path = worker.spec.dump_path
    if not path or not hasattr(signal, "SIGUSR1") or not worker.process.is_alive():
        return ""
    try:
        before = os.path.getsize(path)
        os.kill(worker.process.pid, signal.SIGUSR1)
    except OSError:
        return ""
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline and os.path.getsize(path) == before:
        time.sleep(0.05)
    time.sleep(0.1)  # let faulthandler finish writing every thread
    return _read_dump(path, before)


def _read_dump(path: str | None, offset: int) -> str:
    """What faulthandler wrote to a worker's dump file after ``offset``."""
    if not path:
        return ""
    try:
        with open(path, errors="replace") as dump:
            dump.seek(offset)
            return dump.read()
    except OSError:
        return ""


def _send_unit(conn, unit: Unit) -> None:
    try:
        conn.send(unit)
    except Exception:  # noqa: BLE001 - pickling user objects may raise anything
        # Some TestCase instances will not pickle; the worker can load them by name.
        by_name = tuple((index, test.id()) for index, test in unit.tests)
        conn.send(dataclasses.replace(unit, tests=by_name))


def _start_held(worker: WorkerHandle) -> None:
    """Start the worker's process with SIGINT/SIGTERM held until it has its own handlers.

    A Ctrl-C to the process group while it bootstraps must not print a KeyboardInterrupt
    (``worker.lifetime.leave_interrupts_to_the_parent`` lets them in).
    """
    with interrupts_held():
        worker.process.start()


def _send_quietly(conn, message) -> None:
    try:
        conn.send(message)
    except (OSError, EOFError, BrokenPipeError):
        pass  # the worker is already gone


def _exit_cause(process) -> str:
    code = process.exitcode
    if code is None:
        return "still running"
    if code < 0:
        return f"signal {-code}"
    return f"exit code {code}"
