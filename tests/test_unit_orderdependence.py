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
