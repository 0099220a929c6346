"""Unit tests of the worker pool driven by scripted fake workers: no process starts.

A fake worker is a pipe end and a sentinel. It answers the start-up handshake, and for
each unit it is sent plays a script (``TestStarted``, the test's events, ``UnitDone``),
one message per ``wait``, so the pool sees the same interleavings a real worker makes;
a script may also die in the middle of a test or hang.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from types import SimpleNamespace

import pytest

from concurrent_test_app import events
from concurrent_test_app.exceptions import WorkerStartException
from concurrent_test_app.pool import WorkerPool
from concurrent_test_app.worker import WorkerSpec

DIE, HANG = "die", "hang"  # script steps: the process is SIGKILLed / stops answering
PASSED = (
    events.ResultCall("startTest"),
    events.ResultCall("addSuccess"),
    events.ResultCall("stopTest"),
)


def passing(process: FakeProcess, unit: events.Unit) -> list:
    """What a healthy worker sends for ``unit``: each test starts and passes."""
    steps = []
    for index, _test in unit.tests:
        steps += [events.TestStarted(index), events.TestEvents(index, PASSED)]
    return [*steps, events.UnitDone(unit.index, duration=1.0, load_seconds=0.5)]


class FakeConn:
    """The parent's end of a fake worker's pipe."""

    def __init__(self) -> None:
        self.process: FakeProcess | None = None
        self.inbox: deque = deque()  # delivered by the worker, not yet received
        self.closed = False

    def poll(self) -> bool:
        return bool(self.inbox)

    def recv(self):
        if not self.inbox:
            raise EOFError
        return self.inbox.popleft()

    def send(self, message) -> None:
        if not self.process.is_alive():
            raise BrokenPipeError
        self.process.receive(message)

    def close(self) -> None:
        self.closed = True


class FakeProcess:
    """A scripted worker: its steps are delivered one per ``wait`` of the parent."""

    def __init__(self, world: FakeWorld, spec: WorkerSpec, conn: FakeConn) -> None:
        self.world, self.spec, self.conn = world, spec, conn
        self.generation = sum(p.spec.worker_id == spec.worker_id for p in world.processes) + 1
        self.sentinel = object()
        self.exitcode: int | None = None
        self.steps: deque = deque()
        self.received: list = []  # what the parent sent it, in order
        self.killed = False
        conn.process = self

    @property
    def name(self) -> str:
        """Worker id and process generation, e.g. ``1.2`` for worker 1's first replacement."""
        return f"{self.spec.worker_id}.{self.generation}"

    def start(self) -> None:
        self.world.processes.append(self)
        self.steps.append(events.Booted(self.spec.worker_id, 0))

    def receive(self, message) -> None:
        self.received.append(message)
        if isinstance(message, events.Verify):
            self.steps.append(events.Ready(self.spec.worker_id, {"default": f"clone-{self.name}"}))
        elif isinstance(message, events.Stop):
            self.exitcode = 0
        elif isinstance(message, events.Unit):
            self.steps.extend(self.world.script(self, message))

    def step(self) -> None:
        """Deliver the next message of the script, or die."""
        if not self.is_alive() or not self.steps or self.steps[0] == HANG:
            return
        step = self.steps.popleft()
        if step == DIE:
            self.exitcode = -9
        else:
            self.conn.inbox.append(step)

    def units(self) -> list[int]:
        return [m.index for m in self.received if isinstance(m, events.Unit)]

    def is_alive(self) -> bool:
        return self.exitcode is None

    def join(self, timeout: float | None = None) -> None:
        pass

    def kill(self) -> None:
        self.killed, self.exitcode = True, -9


class FakeWorld:
    """The fake multiprocessing context and ``wait`` the pool is given."""

    def __init__(self, script=passing) -> None:
        self.script = script  # (process, unit) -> the steps it plays for that unit
        self.processes: list[FakeProcess] = []
        self.idle_waits = self.waits = 0

    def Pipe(self):  # the name multiprocessing contexts use
        parent = FakeConn()
        return parent, SimpleNamespace(parent=parent, close=lambda: None)

    def Process(self, target, args, name, daemon):
        spec, child = args
        return FakeProcess(self, spec, child.parent)

    def wait(self, objects, timeout=None) -> list:
        """Every live worker takes one step; then which pipes and sentinels are ready."""
        for process in self.processes:
            process.step()
        ready = [
            obj
            for obj in objects
            if (isinstance(obj, FakeConn) and obj.poll())
            or any(p.sentinel is obj and not p.is_alive() for p in self.processes)
        ]
        self.idle_waits = 0 if ready else self.idle_waits + 1
        self.waits += 1
        assert self.idle_waits < 100, "the pool waits on workers that never answer"
        assert self.waits < 10_000, "the pool never stops"
        return ready

    def process(self, name: str) -> FakeProcess:
        return next(p for p in self.processes if p.name == name)


class Run:
    """A pool of fake workers, what it logged and every event it replayed."""

    def __init__(self, workers: int = 1, script=passing, **options) -> None:
        self.world = FakeWorld(script)
        self.lines: list[str] = []
        self.events: list[tuple[int, object]] = []
        self.on_event = None  # called with each event, e.g. to abort or requeue
        specs = [WorkerSpec(worker_id=n, settings_module="") for n in range(1, workers + 1)]
        self.pool = WorkerPool(
            specs,
            self.lines.append,
            context=self.world,
            wait_for=self.world.wait,
            stack_of=lambda worker: f"<stack of worker {worker.worker_id}>",
            **options,
        )
        self.pool.start()
        self.pool.verify({n: events.Verify() for n in range(1, workers + 1)})

    def run(self, units: list[events.Unit], **options) -> None:
        def record(worker_id, event):
            self.events.append((worker_id, event))
            if self.on_event is not None:
                self.on_event(worker_id, event)

        try:
            self.pool.run(units, record, should_stop=lambda: False, **options)
        finally:
            self.pool.close()

    def outcomes(self) -> dict[int, list[str]]:
        """Each test's result calls other than start and stop, with the error's text."""
        seen: dict[int, list[str]] = {}
        for _worker, event in self.events:
            for call in getattr(event, "calls", ()):
                if call.method not in ("startTest", "stopTest"):
                    text = call.args[0].message if call.args else ""
                    seen.setdefault(event.test, []).append(f"{call.method} {text}".strip())
        return seen


def units(*sizes: int) -> list[events.Unit]:
    """Units numbered from 0 whose tests are numbered on across them, named ``tN``."""
    made, first = [], 0
    for number, size in enumerate(sizes):
        tests = tuple((i, f"t{i}") for i in range(first, first + size))
        made.append(events.Unit(number, tests))
        first += size
    return made


def dying_in(test: int, generation: int = 1):
    """A script whose process ``generation`` dies once ``test`` has started."""

    def script(process: FakeProcess, unit: events.Unit) -> list:
        steps = passing(process, unit)
        if process.generation == generation and events.TestStarted(test) in steps:
            return [*steps[: steps.index(events.TestStarted(test)) + 1], DIE]
        return steps

    return script


def test_a_death_mid_test_errors_that_test_and_a_replacement_runs_the_rest_first():
    run = Run(script=dying_in(1))
    run.run(units(3, 1))
    assert "Worker 1 died (signal 9) while running 1; restarting it" in run.lines
    outcomes = run.outcomes()
    assert outcomes[1] == ["addError Worker 1 died (signal 9) while running this test"]
    assert all(outcomes[i] == ["addSuccess"] for i in (0, 2, 3))
    replacement = run.world.process("1.2")
    # The rest of the dead worker's unit goes to the front of the queue.
    sent = [m for m in replacement.received if isinstance(m, events.Unit)]
    assert [(u.index, [i for i, _ in u.tests]) for u in sent] == [(0, [2]), (1, [3])]
    assert run.pool.restarts == 1


def test_a_hung_test_times_out_with_its_stack_and_the_worker_is_replaced():
    def hang_in_1(process, unit):
        # One Batch per unit: no test is in flight between two messages, so only the
        # hung test outlives the (tiny) timeout.
        steps = passing(process, unit)
        if process.generation == 1 and events.TestStarted(1) in steps:
            return [events.Batch(tuple(steps[: steps.index(events.TestStarted(1)) + 1])), HANG]
        return [events.Batch(tuple(steps))]

    run = Run(script=hang_in_1, test_timeout=1e-9)
    run.run(units(2, 1))
    hung = run.world.process("1.1")
    assert hung.killed
    assert "Worker 1 timed out after 1e-09s" in run.lines
    error = run.outcomes()[1]
    stack = "its stack when it was stopped:\n<stack of worker 1>"
    assert error == [f"addError Worker 1 timed out after 1e-09s; {stack}"]
    assert run.world.process("1.2").units() == [1]


def test_past_the_restart_cap_stopping_is_said_once_and_nothing_restarts():
    run = Run(workers=2, script=lambda process, unit: [events.TestStarted(unit.tests[0][0]), DIE])
    run.pool.max_restarts = 0
    run.run(units(2, 2, 1))
    stopping = [line for line in run.lines if line.startswith("Stopping:")]
    limit = "workers crashed 1 times, more than the limit of 0 restarts"
    assert stopping == [f"Stopping: {limit}; 2 tests not run are reported as errors"]
    assert [p.name for p in run.world.processes] == ["1.1", "2.1"]  # no replacement
    assert run.pool.gave_up
    outcomes = run.outcomes()
    assert sorted(outcomes) == [0, 1, 2, 3, 4]  # every test is reported, none lost
    assert outcomes[4] == [f"addError Not run: {limit}"]


def test_a_rerun_runs_in_a_fresh_worker_and_its_time_is_not_its_units():
    run = Run()

    requeued = []

    def rerun_test_0(worker_id, event):
        if event.test == 0 and not requeued:  # as the suite does after a failure
            requeued.append(events.Unit(0, ((0, "t0"),), rerun=True))
            run.pool.requeue(requeued[0])

    run.on_event = rerun_test_0
    run.run(units(2, 1))
    first, fresh = run.world.process("1.1"), run.world.process("1.2")
    assert first.units() == [0, 1]
    assert isinstance(first.received[-1], events.Stop) and first.killed is False
    assert fresh.received[1] == events.Unit(0, ((0, "t0"),), rerun=True)
    assert run.pool.restarts == 0  # renewing a healthy worker is not a restart
    assert run.pool.unit_durations == {0: 1.0, 1: 1.0}
    assert run.pool.rerun_seconds == 1.5


def test_run_queue_share_sums_over_units_and_is_unknown_if_one_worker_cannot_say():
    def waiting(seconds):
        def script(process, unit):
            *steps, done = passing(process, unit)  # each unit: 1.0 s + 0.5 s loading
            return [*steps, dataclasses.replace(done, run_queue_wait=seconds(unit))]

        return script

    run = Run(workers=2, script=waiting(lambda unit: 0.5 * unit.index))
    run.run(units(1, 1, 1))
    assert run.pool.run_queue_fraction() == pytest.approx((0 + 0.5 + 1.0) / 4.5)
    run = Run(script=waiting(lambda unit: None if unit.index else 0.9))  # no schedstat
    run.run(units(1, 1))
    assert run.pool.run_queue_fraction() == 0.0  # no half-measure: no correction


def test_shrink_stops_the_extra_workers_before_they_get_work():
    run = Run(workers=3)
    run.pool.shrink(2)
    run.run(units(1, 1, 1, 1))
    extra = run.world.process("3.1")
    assert [type(m) for m in extra.received] == [events.Verify, events.Stop]
    assert 3 not in run.pool.startup_spans
    ran = run.world.process("1.1").units() + run.world.process("2.1").units()
    assert sorted(ran) == [0, 1, 2, 3]


def test_abort_stops_busy_workers_and_counts_their_unfinished_tests_not_run():
    run = Run(workers=2)
    run.on_event = lambda worker_id, event: run.pool.abort()  # Ctrl-C after one test
    run.run(units(3, 2, 2))
    assert all(p.killed for p in run.world.processes)
    # Each worker had finished one test; the other five were not run.
    assert sorted(event.test for _worker, event in run.events) == [0, 3]
    assert run.lines == ["Stopped early: 5 tests were not run"]
    assert not any(line.startswith("Worker") for line in run.lines)  # no death blamed


def test_shares_run_in_order_and_a_free_worker_steals_the_end_of_another():
    run = Run(workers=2)
    run.run(units(2, 2, 2, 1), shares=[[0, 1, 2], [3]], estimates={0: 2, 1: 2, 2: 2, 3: 1})
    assert run.world.process("1.1").units() == [0, 1]
    assert run.world.process("2.1").units() == [3, 2]  # stolen: share 1's last unit


def test_an_unknown_message_is_one_clear_error_and_a_fatal_one_stops_the_run():
    run = Run(script=lambda process, unit: ["not a message"])
    with pytest.raises(TypeError, match=r"^Worker 1 sent an unknown message: 'not a message'$"):
        run.run(units(1))
    run = Run(script=lambda process, unit: [events.Fatal("not my clone")])
    with pytest.raises(Exception, match="^not my clone$"):
        run.run(units(1))


def test_a_background_start_that_fails_stops_the_pool_cleanly(monkeypatch):
    """start(in_background=True) (forkserver): a failed start raises in verify, not later."""
    world = FakeWorld()
    started = FakeProcess.start

    def start(process) -> None:
        if process.spec.worker_id == 2:
            raise OSError("the forkserver is gone")
        started(process)

    monkeypatch.setattr(FakeProcess, "start", start)
    specs = [WorkerSpec(worker_id=n, settings_module="") for n in (1, 2, 3)]
    pool = WorkerPool(specs, print, context=world, wait_for=world.wait)
    pool.start(in_background=True)
    with pytest.raises(WorkerStartException, match="the forkserver is gone"):
        pool.verify({n: events.Verify() for n in (1, 2, 3)})
    assert [w.worker_id for w in pool.workers] == [1]  # 2 failed, 3 was never started
    pool.close()
    assert [p.name for p in world.processes] == ["1.1"]
    assert world.processes[0].exitcode == 0  # the one that started was stopped
