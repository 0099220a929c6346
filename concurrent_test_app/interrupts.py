"""Ctrl-C and SIGTERM in every phase of a run: stop once, clean up, never report success.

Django's runner lets unittest's handler swallow a Ctrl-C outside the tests (the whole
suite then runs) and finish the current test inside them, reporting OK with exit
status 0, which a CI system reads as success. Here one guard covers the run from its
start to its end, and what the first SIGINT/SIGTERM does depends on the phase:

    setting up   (discovery, migrations, cloning, worker start): KeyboardInterrupt at
                 once; cleanup in ``finally``/``except`` blocks drops what was created
    tests        concurrent: workers are stopped at once, nothing new starts;
                 sequential: the current test finishes (a second signal interrupts it)
    stopping     (cleanup, teardown, reports): recorded only, cleanup always finishes

The run then ends with ``INTERRUPTED: X of Y tests not run`` and exit status
128 + the signal (130 for SIGINT, 143 for SIGTERM).
"""

from __future__ import annotations

import signal
import threading
import unittest
from collections.abc import Callable
from contextlib import contextmanager
from multiprocessing import resource_tracker

SIGNALS = (signal.SIGINT, signal.SIGTERM)

SETTING_UP = "setting up"
TESTS = "tests"
STOPPING = "stopping"


class InterruptGuard:
    """While active, turns SIGINT/SIGTERM into the reaction of the current phase.

    ``on_first`` is called on the first signal during the tests phase (or always, for a
    guard that only covers the tests: ``phase=TESTS``); a second signal during the tests
    raises KeyboardInterrupt, as unittest's own handler does.
    """

    def __init__(self, on_first: Callable[[], None], phase: str = TESTS) -> None:
        self.on_first = on_first
        self.phase = phase
        self.signum: int | None = None
        self._previous: dict[int, object] = {}
        self._deferred = 0
        self._pending = False

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for signum in SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc_info) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous = {}

    def reinstall(self) -> None:
        """Take SIGINT back from a handler installed since (``unittest.installHandler``)."""
        if self._previous:
            signal.signal(signal.SIGINT, self._handle)

    @property
    def exit_status(self) -> int | None:
        """128 + the signal number once interrupted, else None."""
        return None if self.signum is None else 128 + self.signum

    @contextmanager
    def deferring(self):
        """Let the block finish before a signal's KeyboardInterrupt (creating clones, say).

        A block that started databases in threads must not be cut short: what the
        threads create after the cut would be left behind.
        """
        self._deferred += 1
        try:
            yield
        finally:
            self._deferred -= 1
        if self._pending and not self._deferred:
            self._pending = False
            raise KeyboardInterrupt

    def _handle(self, signum, frame) -> None:
        first = self.signum is None
        if first:
            self.signum = signum
        if self.phase == STOPPING:
            return  # cleanup is already under way and always finishes
        if self.phase == TESTS:
            if first:
                self.on_first()
                return
            self.phase = STOPPING  # a third signal must not cut the cleanup short
            raise KeyboardInterrupt
        self.phase = STOPPING  # setting up: nothing is worth finishing
        if self._deferred:
            self._pending = True
            return
        raise KeyboardInterrupt


@contextmanager
def interrupts_held():
    """SIGINT and SIGTERM blocked in this thread meanwhile; one that came arrives at the end.

    A process started meanwhile inherits the mask through ``exec``: a signal to the
    process group stays pending in it until it has set its own handlers and unblocked
    them (``worker.lifetime.leave_interrupts_to_the_parent``), instead of raising
    KeyboardInterrupt (a traceback) while it still bootstraps. multiprocessing's
    resource tracker unblocks both when it starts (its own guard against the same
    race), which would end the hold before the process starts: it is started first.
    """
    resource_tracker.ensure_running()
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def stop_registered_results() -> None:
    """Ask every result unittest's runner registered to stop after the current test."""
    for result in list(unittest.signals._results):
        result.stop()
