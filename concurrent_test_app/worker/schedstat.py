"""How long this worker waited for a CPU: the run-queue wait of Linux's schedstat."""

from __future__ import annotations

from pathlib import Path

# The calling thread's line, "<on-CPU ns> <run-queue wait ns> <timeslices>": the serve
# loop runs the tests in the main thread, so its line is the tests' line.
SCHEDSTAT = Path("/proc/thread-self/schedstat")


def run_queue_seconds(path: Path = SCHEDSTAT) -> float | None:
    """Seconds this thread has been runnable but not running, or None where unknown.

    None on macOS and Windows, and on kernels built without schedstat: ``auto`` then
    takes the machine load as it is, uncorrected for contention.
    """
    try:
        return parse_schedstat(path.read_text())
    except OSError:
        return None


def parse_schedstat(text: str) -> float | None:
    """The run-queue wait in seconds from a schedstat line, or None if it is not one."""
    fields = text.split()
    if len(fields) < 3:
        return None
    try:
        wait_ns = int(fields[1])
    except ValueError:
        return None
    return wait_ns / 1e9 if wait_ns >= 0 else None
