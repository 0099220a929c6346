"""Ctrl-C and SIGTERM during a run: stop cleanly once, stop at once the second time.

Django's runner lets unittest's handler finish the current test and then reports OK
with exit status 0, which a CI system reads as success. Here the first signal stops
the run (workers are stopped, nothing new starts), the reports still cover everything
that finished, and the run ends with ``INTERRUPTED: X of Y tests not run`` and exit
status 128 + the signal (130 for SIGINT, 143 for SIGTERM). A second signal raises
KeyboardInterrupt at once; cleanup still runs in ``finally`` blocks.
"""

from __future__ import annotations

import signal
import threading
import unittest
from collections.abc import Callable

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class InterruptGuard:
    """While active, turns the first SIGINT/SIGTERM into ``on_first()`` and a flag."""

    def __init__(self, on_first: Callable[[], None]) -> None:
        self.on_first = on_first
        self.signum: int | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for signum in SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc_info) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    @property
    def exit_status(self) -> int | None:
        """128 + the signal number once interrupted, else None."""
        return None if self.signum is None else 128 + self.signum

    def _handle(self, signum, frame) -> None:
        if self.signum is not None:
            raise KeyboardInterrupt
        self.signum = signum
        self.on_first()


def stop_registered_results() -> None:
    """Ask every result unittest's runner registered to stop after the current test."""
    for result in list(unittest.signals._results):
        result.stop()
