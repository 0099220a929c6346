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
    assert not check.passes_in_sequential_order()


def test_nothing_before_it_and_not_reproduced_are_not_order_dependence():
    assert find_polluter(VICTIM, VICTIM_UNIT, (), FakeReplay()).outcome == NO_HISTORY
    check = find_polluter(VICTIM, VICTIM_UNIT, history(), FakeReplay())
    assert (check.outcome, check.replays, check.polluter) == (NOT_REPRODUCED, 1, ())
    assert not check.passes_in_sequential_order()


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
    assert not check.passes_in_sequential_order()
    none_at_all = find_polluter(VICTIM, VICTIM_UNIT, history(), FakeReplay(answers=0))
    assert none_at_all.outcome == OUT_OF_BUDGET


def test_the_verdict_follows_djangos_order():
    after = Check(VICTIM, POLLUTED, (Ran(5, (152,)),))
    before = Check(VICTIM, POLLUTED, (Ran(1, (12,)),))
    assert after.passes_in_sequential_order()
    assert not after.passes_in_sequential_order(strict=True)
    assert not before.passes_in_sequential_order()
    mixed = Check(VICTIM, POLLUTED, (Ran(1, (12,)), Ran(5, (152,))))
    assert not mixed.passes_in_sequential_order()


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
    """Records what ``run_fresh`` ran; the victim (test 5) fails after test 7 ran."""

    aborted = False

    def __init__(self, sequence) -> None:
        self.sequence = tuple(sequence)
        self.runs: list[list[int]] = []

    def process_history(self, worker_id: int):
        return self.sequence

    def run_fresh(self, units, deadline=None):
        ran = [index for unit in units for index, _test in unit.tests]
        self.runs.append(ran)
        events = []
        for index in ran:
            failed = index == 5 and 7 in ran[: ran.index(index)]
            events.append(events_of(index, failed))
        return events


def events_of(index: int, failed: bool):
    from concurrent_test_app.events import RemoteError, ResultCall, TestEvents

    error = RemoteError("AssertionError", "boom", "Traceback\nAssertionError: boom\n")
    outcome = ResultCall("addFailure", (error,)) if failed else ResultCall("addSuccess")
    return TestEvents(index, (ResultCall("startTest"), outcome, ResultCall("stopTest")))


def order_checks(pool, limit=20, strict=False, lines=None, found=None):
    from concurrent_test_app.orderchecks import OrderChecks

    tests = [FakeTest(index) for index in range(10)]
    log = (lines if lines is not None else []).append
    report = (found if found is not None else []).append
    return OrderChecks(pool, tests, limit, 60.0, strict, log, report)


def test_a_victim_polluted_by_a_later_test_is_replayed_as_passed():
    pool = FakePool([(2, 7), (2, 8), (1, 5)])  # unit 2 (tests 7, 8), then the victim
    lines, found = [], []
    checks = order_checks(pool, lines=lines, found=found)
    failed = events_of(5, True)

    assert checks.hold(failed, 1, failed.calls[1].args[0])
    [settled] = checks.settle(lambda index: f"app.tests.Case.test_{index}")

    assert pool.runs[0] == [5]  # alone first
    assert [call.method for call in settled.events[0].calls][1] == "addSuccess"
    assert settled.reruns[0].message.startswith("Order-dependent: app.tests.Case.test_5")
    assert "fails after app.tests.Case.test_7 ran in the same process" in lines[0]
    assert [(f.polluter, f.verdict) for f in found] == [("app.tests.Case.test_7", "passed")]

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
