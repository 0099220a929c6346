"""One console for the result stream and the runner's lines: every runner line whole.

unittest writes dots (or ``description ... ``) to the result stream without ending the
line, the live progress line is drawn on it without a newline, and the runner's own
lines go to stdout or stderr. On a terminal, or any two streams that reach the same
file, they would run into each other (``.[CONCURRENT] Worker 1 died``). So before a
runner line the progress line is erased and an unfinished line of the result stream is
ended; before a test's own output only the progress line is erased (Django's sequential
run glues a print to the dots too).

One run at a time per process: the state is module-level so that every writer (runner,
pool callbacks, replayed output) reaches it without being handed an object.
"""

from __future__ import annotations

import os
import sys

CLEAR_LINE = "\r\x1b[2K"  # as progress.CLEAR_LINE: an erased line is an empty line


class LineTrackingStream:
    """Wraps a result stream and remembers whether its last line is unfinished."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.mid_line = False

    def write(self, text: str):
        if text:
            self.mid_line = not text.endswith(("\n", CLEAR_LINE))
        return self.stream.write(text)

    def writeln(self, text: str | None = None) -> None:
        """unittest's ``_WritelnDecorator.writeln``, through ``write`` so it is tracked."""
        if text:
            self.write(text)
        self.write("\n")

    def __getattr__(self, name):
        return getattr(self.stream, name)


class Console:
    """The result stream of the run and its progress line, as far as they are known."""

    def __init__(self) -> None:
        self.result_stream: LineTrackingStream | None = None
        self.progress = None  # a reports.progress.ProgressLine while one is shown

    def track(self, stream) -> LineTrackingStream:
        """Wrap the result's stream (``startTestRun``); returns what the result should use."""
        if not isinstance(stream, LineTrackingStream):
            stream = LineTrackingStream(stream)
        self.result_stream = stream
        return stream

    def release(self) -> None:
        """The test run ended (``stopTestRun``)."""
        self.result_stream = None
        self.progress = None

    def before_output(self) -> None:
        """Before a test's own output: erase the progress line."""
        if self.progress is not None:
            self.progress.clear()

    def before_line(self, target) -> None:
        """Before a runner line on ``target``: erase the progress line, end a partial line."""
        self.before_output()
        stream = self.result_stream
        if stream is not None and stream.mid_line and same_destination(stream, target):
            stream.write("\n")
            stream.flush()


def same_destination(first, second) -> bool:
    """Whether two streams write to the same file, pipe or terminal."""
    if first is second:
        return True
    try:
        one, other = os.fstat(first.fileno()), os.fstat(second.fileno())
    except (AttributeError, OSError, ValueError):
        return False
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


CONSOLE = Console()


def runner_line(text: str, stream=None) -> None:
    """Write one whole runner line (``text`` without its newline) to ``stream`` (stdout)."""
    stream = sys.stdout if stream is None else stream
    CONSOLE.before_line(stream)
    stream.write(text + "\n")
    stream.flush()
