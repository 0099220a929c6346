"""InterruptGuard: what each signal does in each phase of a run (no real signals sent)."""

from __future__ import annotations

import signal

import pytest

from concurrent_test_app.interrupts import SETTING_UP, STOPPING, TESTS, InterruptGuard


def guard_in(phase: str) -> tuple[InterruptGuard, list[str]]:
    calls: list[str] = []
    return InterruptGuard(on_first=lambda: calls.append("stop"), phase=phase), calls


def test_setting_up_stops_at_once_and_then_lets_cleanup_finish():
    guard, calls = guard_in(SETTING_UP)
    with pytest.raises(KeyboardInterrupt):
        guard._handle(signal.SIGTERM, None)
    guard._handle(signal.SIGINT, None)  # during the cleanup: recorded, nothing raised
    assert (guard.exit_status, guard.phase, calls) == (143, STOPPING, [])


def test_tests_stop_gracefully_first_and_at_once_the_second_time():
    guard, calls = guard_in(TESTS)
    guard._handle(signal.SIGINT, None)
    assert calls == ["stop"]
    with pytest.raises(KeyboardInterrupt):
        guard._handle(signal.SIGINT, None)
    guard._handle(signal.SIGINT, None)  # a third one must not cut the cleanup short
    assert (guard.exit_status, guard.phase, calls) == (130, STOPPING, ["stop"])


def test_stopping_only_records():
    guard, calls = guard_in(STOPPING)
    guard._handle(signal.SIGINT, None)
    guard._handle(signal.SIGINT, None)
    assert (guard.exit_status, calls) == (130, [])


def test_a_deferring_block_finishes_before_the_interrupt():
    guard, _ = guard_in(SETTING_UP)
    finished = []
    with pytest.raises(KeyboardInterrupt), guard.deferring():
        guard._handle(signal.SIGINT, None)
        finished.append(True)  # creating clones in threads goes on to its end
    assert finished == [True]
    assert guard.exit_status == 130
