"""Live progress: one status line on an interactive terminal, rewritten in place.

Shown only at verbosity 1 on a TTY: at verbosity 2 every test has its own line, at 0
nothing is wanted, and CI logs (not a TTY) must stay free of carriage returns. While
the line is shown unittest's dots are turned off (they would break it up); the line is
erased when a test starts (before what it prints) and in ``stopTestRun``, before
unittest prints the failures and the summary.
"""

from __future__ import annotations

import time

from .console import CLEAR_LINE, CONSOLE  # CLEAR_LINE: carriage return, ANSI erase in line

MIN_INTERVAL = 0.1  # seconds between two redraws


def is_tty(stream) -> bool:
    """Whether ``stream`` (or the stream it decorates) is an interactive terminal."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def format_seconds(seconds: float) -> str:
    """``75.2`` -> ``1m15s``; ``4.04`` -> ``4.0s``."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}m{seconds:02d}s"


def status_line(done: int, total: int, failed: int, elapsed: float) -> str:
    """``[CONCURRENT] 40/183 tests, 1 failed, 3.2s elapsed, ETA 11.4s``."""
    eta = "ETA --"
    if 0 < done < total:
        eta = f"ETA {format_seconds(elapsed / done * (total - done))}"
    elif total and done >= total:
        eta = "ETA 0.0s"
    return (
        f"[CONCURRENT] {done}/{total} tests, {failed} failed, "
        f"{format_seconds(elapsed)} elapsed, {eta}"
    )


class ProgressLine:
    """Draws the status line on ``stream`` and erases it at the end."""

    def __init__(self, stream, total: int, clock=time.monotonic) -> None:
        self.stream = stream
        self.total = total
        self.clock = clock
        self.started = clock()
        self.last_drawn = float("-inf")
        self.visible = False

    def update(self, done: int, failed: int, force: bool = False) -> None:
        """Redraw, at most every MIN_INTERVAL seconds unless ``force``."""
        now = self.clock()
        if not force and now - self.last_drawn < MIN_INTERVAL and done < self.total:
            return
        self.last_drawn = now
        text = status_line(done, self.total, failed, now - self.started)
        self.stream.write(CLEAR_LINE + text)
        self.stream.flush()
        self.visible = True

    def clear(self) -> None:
        """Erase the line so that the summary starts on a clean line."""
        if self.visible:
            self.stream.write(CLEAR_LINE)
            self.stream.flush()
            self.visible = False


class ProgressResultMixin:
    """Shows a ProgressLine on the result's stream; ``session`` is set per session."""

    session = None

    def startTestRun(self):
        super().startTestRun()
        self._progress = None
        stream = getattr(self, "stream", None)
        if stream is not None:
            # Runner lines end a partial line of this stream first (reports.console).
            self.stream = stream = CONSOLE.track(stream)
        if self.session is not None and self.session.wants_progress(stream):
            self._progress = ProgressLine(stream, self.session.total_tests)
            self.dots = False
            self._progress.update(0, 0, force=True)
        if self.session is not None:
            self.session.progress = self._progress
        CONSOLE.progress = self._progress

    def startTest(self, test):
        # What the test prints (in this process, or replayed right after this call)
        # starts on a clean line; the next update draws the status line again.
        progress = getattr(self, "_progress", None)
        if progress is not None:
            progress.clear()
        super().startTest(test)

    def stopTestRun(self):
        progress = getattr(self, "_progress", None)
        if progress is not None:
            progress.clear()
        CONSOLE.release()
        super().stopTestRun()
