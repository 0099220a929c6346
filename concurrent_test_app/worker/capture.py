"""A worker's output capture: what its tests print travels to the parent, not the terminal."""

from __future__ import annotations

import io
import sys


class _CapturedStream(io.TextIOBase):
    """Stands in for sys.stdout/sys.stderr: what is written travels to the parent.

    Workers share the parent's terminal; writing there directly would splice a test's
    prints into the middle of the parent's result lines. The parent writes them at
    the right place instead, as a sequential run would show them.
    """

    def __init__(self, name: str, chunks: list, original) -> None:
        self.name = name
        self.chunks = chunks
        self.original = original
        self.on_line = None  # set by the result: sends complete lines as they come

    def write(self, text: str) -> int:
        if text:
            self.chunks.append((self.name, text))
            # Whole lines leave at once, so the parent holds a crashed test's last words.
            if self.on_line is not None and "\n" in text:
                self.on_line()
        return len(text)

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return getattr(self.original, "encoding", "utf-8")

    def fileno(self) -> int:
        return self.original.fileno()


def capture_output() -> list:
    """Replace sys.stdout and sys.stderr; return the shared list of captured chunks."""
    chunks: list = []
    sys.stdout = _CapturedStream("stdout", chunks, sys.stdout)
    sys.stderr = _CapturedStream("stderr", chunks, sys.stderr)
    return chunks


def send_lines_as_written(on_line) -> None:
    """Have the captured streams call ``on_line`` after each write ending a line."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, _CapturedStream):
            stream.on_line = on_line
