"""The search for a polluter (concurrent_test_app.orderdependence) with fake replays."""

from __future__ import annotations

from concurrent_test_app.orderdependence import (
    FAILS_ALONE,
    NO_HISTORY,
    NOT_REPRODUCED,
    OUT_OF_BUDGET,
    POLLUTED,
    Check,
    Ran,
    find_polluter,
    history_before,
    polluter_search,
)

VICTIM, VICTIM_UNIT = 50, 9


def history(units: int = 8, tests_per_unit: int = 3) -> tuple[Ran, ...]:
    """Units 0.. with tests numbered 100 + 10 * unit + position, as a worker ran them."""
    return tuple(
        Ran(unit, tuple(100 + 10 * unit + n for n in range(tests_per_unit)))
        for unit in range(units)
    )


class FakeReplay:
    """Fails the victim when every test of ``polluters`` ran before it; records each call."""

    def __init__(self, polluters=(), fails_alone=False, answers=None) -> None:
        self.polluters = set(polluters)
        self.fails_alone = fails_alone
        self.answers = answers  # how many calls get an answer (then None: out of budget)
        self.calls: list[tuple[Ran, ...]] = []

    def __call__(self, units: tuple[Ran, ...]) -> bool | None:
        self.calls.append(units)
        if self.answers is not None and len(self.calls) > self.answers:
            return None
        assert units[-1] == Ran(VICTIM_UNIT, (VICTIM,)), "the victim always runs last"
        ran = {index for ran in units[:-1] for index in ran.tests}
        if self.fails_alone:
            return True
        return bool(self.polluters) and self.polluters <= ran


def test_one_polluting_test_is_found_in_few_replays():
    replay = FakeReplay(polluters={152})

    check = find_polluter(VICTIM, VICTIM_UNIT, history(), replay)

    assert check.outcome == POLLUTED
    assert check.polluter == (Ran(5, (152,)),)
    assert check.polluter_tests == (152,)
    assert replay.calls[0] == (Ran(VICTIM_UNIT, (VICTIM,)),)  # alone first, not counted
    assert check.replays == len(replay.calls) - 1
    assert check.replays <= 1 + 2 * 3 + 2 * 2  # whole history, 8 units, 3 tests


def test_every_replay_keeps_the_order_the_worker_ran():
    replay = FakeReplay(polluters={131})
    find_polluter(VICTIM, VICTIM_UNIT, history(), replay)

    order = [ran.unit for ran in history()]
    for call in replay.calls:
        units = [ran.unit for ran in call[:-1]]
        assert units == sorted(units, key=order.index)
        for ran in call[:-1]:
            assert list(ran.tests) == sorted(ran.tests)


def test_a_failure_of_its_own_stops_after_the_run_alone():
    replay = FakeReplay(fails_alone=True)

    check = find_polluter(VICTIM, VICTIM_UNIT, history(), replay)

    assert (check.outcome, check.replays, len(replay.calls)) == (FAILS_ALONE, 0, 1)
    assert not check.reproduced


def test_nothing_before_it_and_not_reproduced_are_not_order_dependence():
    assert find_polluter(VICTIM, VICTIM_UNIT, (), FakeReplay()).outcome == NO_HISTORY
    check = find_polluter(VICTIM, VICTIM_UNIT, history(), FakeReplay())
    assert (check.outcome, check.replays, check.polluter) == (NOT_REPRODUCED, 1, ())
    assert not check.reproduced


def test_units_that_pollute_only_together_are_all_named():
    replay = FakeReplay(polluters={101, 171})

    check = find_polluter(VICTIM, VICTIM_UNIT, history(), replay)

    assert check.outcome == POLLUTED
    assert {ran.unit for ran in check.polluter} >= {0, 7}


def test_the_budget_stops_the_search_with_what_was_found():
    replay = FakeReplay(polluters={152}, answers=5)

    check = find_polluter(VICTIM, VICTIM_UNIT, history(), replay)

    assert check.outcome == OUT_OF_BUDGET
    assert 0 < len(check.polluter) < len(history())  # narrowed, not finished
    assert Ran(5, (150, 151, 152)) in check.polluter
    assert check.reproduced  # it failed after its history: order-dependent, polluter unknown
    none_at_all = find_polluter(VICTIM, VICTIM_UNIT, history(), FakeReplay(answers=0))
    assert none_at_all.outcome == OUT_OF_BUDGET


def test_side_by_side_steps_find_the_same_polluter_in_fewer_rounds():
    one_by_one = FakeReplay(polluters={152})
    alone = find_polluter(VICTIM, VICTIM_UNIT, history(), one_by_one)
    steps = []

    def drive(width: int) -> Check:
        search = polluter_search(VICTIM, VICTIM_UNIT, history(), width=lambda: width)
        replay, answers = FakeReplay(polluters={152}), None
        try:
            while True:
                step = next(search) if answers is None else search.send(answers)
                steps.append(len(step))
                answers = tuple(replay(units) for units in step)
        except StopIteration as stop:
            return stop.value

    wide = drive(3)

    assert (
        (wide.outcome, wide.polluter)
        == (alone.outcome, alone.polluter)
        == (
            POLLUTED,
            (Ran(5, (152,)),),
        )
    )
    assert steps[0] == 2  # alone and after the whole history, side by side
    assert max(steps) == 3
    assert len(steps) < len(one_by_one.calls)  # rounds of wall time


def test_history_groups_a_process_record_by_unit_up_to_the_test():
    sequence = [(3, 30), (3, 31), (0, 1), (7, 70), (7, 71), (7, 72), (4, 40)]

    assert history_before(sequence, 71) == (Ran(3, (30, 31)), Ran(0, (1,)), Ran(7, (70,)))
    assert history_before(sequence, 30) == ()
    assert history_before(sequence, 40)[-1] == Ran(7, (70, 71, 72))


# -- OrderChecks with a fake pool --------------------------------------------------------


class FakeTest:
    def __init__(self, index: int) -> None:
        self.index = index

    def id(self) -> str:
        return f"app.tests.Case.test_{self.index}"


class FakePool:
    """Records what fresh workers ran; the victim (test 5) fails as ``fails(ran)`` says.

    By default it fails after test 7 ran. ``lanes`` worker ids run side by side (each
    job in a thread of ``lanes.Lanes``).
    """

    aborted = False

    def __init__(self, sequence, fails=None, lanes=(1,)) -> None:
        self.sequence = tuple(sequence)
        self.fails = fails or (lambda before: 7 in before)
        self.lanes = lanes
        self.runs: list[list[int]] = []

    def process_history(self, worker_id: int):
        return self.sequence

    def fresh_lanes(self):
        return self.lanes

    def prepare_fresh(self, worker_id: int) -> bool:
        return True

    def run_prepared(self, worker_id, units, deadline=None):
        from concurrent_test_app.pool import FreshRun

        ran = [index for unit in units for index, _test in unit.tests]
        self.runs.append(ran)
        events = []
        for index in ran:
            failed = index == 5 and self.fails(ran[: ran.index(index)])
            events.append(events_of(index, failed))
        return FreshRun(tuple(events), True)


def events_of(index: int, failed: bool):
    from concurrent_test_app.events import RemoteError, ResultCall, TestEvents

    error = RemoteError("AssertionError", "boom", "Traceback\nAssertionError: boom\n")
    outcome = ResultCall("addFailure", (error,)) if failed else ResultCall("addSuccess")
    return TestEvents(index, (ResultCall("startTest"), outcome, ResultCall("stopTest")))


def order_checks(pool, limit=20, strict=False, lines=None, found=None, budget=60.0):
    from concurrent_test_app.orderchecks import OrderChecks

    tests = [FakeTest(index) for index in range(10)]
    log = (lines if lines is not None else []).append
    report = (found if found is not None else []).append
    return OrderChecks(pool, tests, limit, budget, strict, log, report)


def describe(index: int) -> str:
    return f"app.tests.Case.test_{index}"


def settle_one(pool, seconds=None, **options):
    """Hold the victim (test 5) as failed in worker 1, settle: (Settled, lines, findings)."""
    lines, found = [], []
    checks = order_checks(pool, lines=lines, found=found, **options)
    failed = events_of(5, True)
    assert checks.hold(failed, 1, failed.calls[1].args[0])
    [settled] = checks.settle(describe, seconds)
    return settled, lines, found


def test_a_victim_polluted_by_a_later_test_is_replayed_as_passed():
    pool = FakePool([(2, 7), (2, 8), (1, 5)])  # unit 2 (tests 7, 8), then the victim
    lines, found = [], []
    checks = order_checks(pool, lines=lines, found=found)
    failed = events_of(5, True)

    assert checks.hold(failed, 1, failed.calls[1].args[0])
    [settled] = checks.settle(lambda index: f"app.tests.Case.test_{index}")

    assert [5] in pool.runs  # alone
    assert [0, 1, 2, 3, 4, 5] in pool.runs  # Django's order up to it: the verdict
    assert [call.method for call in settled.events[0].calls][1] == "addSuccess"
    assert settled.reruns[0].message.startswith("Order-dependent: app.tests.Case.test_5")
    assert "fails after app.tests.Case.test_7 ran in the same process" in lines[0]
    assert "(the replay passed): counted as passed" in lines[1]
    assert [(f.polluter, f.verdict, f.replay) for f in found] == [
        ("app.tests.Case.test_7", "passed", "passed")
    ]

    strict = order_checks(FakePool(pool.sequence), strict=True)
    strict.hold(failed, 1, failed.calls[1].args[0])
    [kept] = strict.settle(lambda index: f"app.tests.Case.test_{index}")
    assert kept.events == (failed,) and kept.reruns == () and "--strict-order" in kept.note


def test_only_the_failures_of_the_first_units_are_held():
    pool = FakePool([(0, 1), (0, 2), (3, 4)])
    checks = order_checks(pool, limit=1)
    one, two, other = events_of(1, True), events_of(2, True), events_of(4, True)

    assert checks.hold(one, 1, one.calls[1].args[0])
    assert checks.hold(two, 1, two.calls[1].args[0])  # the same unit
    assert not checks.hold(other, 1, other.calls[1].args[0])  # a second unit: over the limit

    lines = []
    checks.log = lines.append
    checks.settle(describe)
    assert lines[0] == (
        "Order check: 1 more failed tests not checked, over the limit of 1 units "
        "(order_check_limit); they stay failed"
    )


def _undone_by_test_3(before: list[int]) -> bool:
    """Test 2 pollutes, test 3 undoes it: fails when 2 ran and 3 did not run after it."""
    return 2 in before and (3 not in before or before.index(3) < before.index(2))


def test_a_polluter_that_runs_earlier_in_djangos_order_is_judged_by_the_replay():
    # The worker ran test 2 and then the victim; Django's order runs 2, 3 (which undoes
    # the pollution), 4, then the victim: a sequential run passes it, and so do we.
    undone = FakePool([(0, 2), (1, 5)], fails=_undone_by_test_3)
    settled, lines, found = settle_one(undone)
    assert [call.method for call in settled.events[0].calls][1] == "addSuccess"
    assert "fails after app.tests.Case.test_2 ran in the same process" in lines[0]
    assert "(the replay passed): counted as passed" in lines[1]
    assert "fails sequentially" not in "\n".join(lines)
    assert [(f.polluter, f.verdict, f.replay) for f in found] == [
        ("app.tests.Case.test_2", "passed", "passed")
    ]

    # Right before it, nothing undoes it: the replay fails it, and the console says so.
    right_before = FakePool([(0, 4), (1, 5)], fails=lambda before: 4 in before)
    settled, lines, found = settle_one(right_before)
    assert settled.reruns == () and settled.events[0].calls[1].method == "addFailure"
    assert "(the replay failed): it fails sequentially" in lines[1]
    assert [(f.verdict, f.replay) for f in found] == [("failed", "failed")]


def test_a_replay_over_the_budget_leaves_the_verdict_unconfirmed():
    pool = FakePool([(0, 2), (1, 5)], fails=_undone_by_test_3)
    settled, lines, found = settle_one(pool, budget=5.0, seconds=lambda index: 2.0)

    assert [0, 1, 2, 3, 4, 5] not in pool.runs  # 12s of tests before it: not started
    assert settled.reruns == () and settled.events[0].calls[1].method == "addFailure"
    assert "The verdict is not confirmed: the replay of Django's order stopped" in lines[1]
    assert "took 12.0s in this run, more than the budget of 5s" in lines[1]
    assert "fails sequentially" not in "\n".join(lines)
    assert found[0].verdict == "failed" and found[0].replay.startswith("not confirmed")


def test_the_verdict_replay_and_the_search_run_side_by_side():
    import threading

    together = threading.Barrier(2, timeout=30)  # the first two jobs must meet

    class TwoLanes(FakePool):
        def run_prepared(self, worker_id, units, deadline=None):
            if len(self.runs) < 2:
                self.runs.append(["waiting"])
                together.wait()
            return super().run_prepared(worker_id, units, deadline)

    pool = TwoLanes([(2, 7), (2, 8), (1, 5)], lanes=(1, 2))
    _settled, lines, found = settle_one(pool)

    assert not together.broken
    assert [0, 1, 2, 3, 4, 5] in pool.runs and [5] in pool.runs
    assert found[0].verdict == "passed" and "on 2 workers" in lines[-1]


def test_the_replay_of_djangos_order_runs_the_prefix_and_reads_each_victim():
    from concurrent_test_app.orderreplay import (
        FAILED,
        PASSED,
        STOPPED,
        estimated_seconds,
        prefix_replay,
        read_outcomes,
    )

    units = [(0, 1), (2, 3, 4), (5,), (6, 7)]
    replay = prefix_replay(units, [3, 1, 3])

    # Earlier units whole, the last victim's unit up to it; nothing after.
    assert replay.units == (Ran(0, (0, 1)), Ran(1, (2, 3)))
    assert replay.victims == (1, 3)
    assert estimated_seconds(replay, {0: 1.0, 2: 0.5}.get) == 1.5

    done = [events_of(0, False), events_of(1, True), events_of(2, False), events_of(3, False)]
    outcomes = read_outcomes(replay, done, describe)
    assert (outcomes[1].state, outcomes[3].state) == (FAILED, PASSED)

    cut = read_outcomes(replay, done[:3], describe)  # the budget ran out before test 3
    assert (cut[1].state, cut[3].state) == (FAILED, STOPPED)
    assert cut[3].where == "after app.tests.Case.test_2 (3 of 4 tests of Django's order)"
    none = read_outcomes(replay, [], describe)[1]
    assert none.where == "before its first test (0 of 4 tests of Django's order)"


def test_a_job_whose_worker_never_started_is_tried_once_more():
    from concurrent_test_app.pool import FreshRun

    class LosesTheFirstWorker(FakePool):
        lost = 0

        def run_prepared(self, worker_id, units, deadline=None):
            if not self.lost:  # e.g. its fresh clones vanished before it connected
                self.lost += 1
                return FreshRun((), False)
            return super().run_prepared(worker_id, units, deadline)

    pool = LosesTheFirstWorker([(2, 7), (2, 8), (1, 5)])
    _settled, _lines, found = settle_one(pool)

    assert [(f.polluter, f.verdict, f.replay) for f in found] == [
        ("app.tests.Case.test_7", "passed", "passed")
    ]
