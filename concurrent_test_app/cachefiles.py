"""Reading the cache folder as untrusted input: value checks, one line, set aside.

Everything in ``.concurrent_test/`` may have been carried between machines by a CI
cache, edited, truncated or replaced. Readers check what they read with these helpers;
a damaged file is reported in one ``[CONCURRENT]`` line and renamed out of the way
(``<name>.damaged``) so that the next run rebuilds it and is healthy again.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

PREFIX = "[CONCURRENT]"
DAMAGED = ".damaged"


def warn_line(message: str) -> None:
    """One ``[CONCURRENT]`` line on stderr (for readers used outside a runner)."""
    sys.stderr.write(f"{PREFIX} {message}\n")
    sys.stderr.flush()


def is_number(value) -> bool:
    """A finite int or float (a bool is not a number here)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def is_duration(value) -> bool:
    """A finite, non-negative number of seconds."""
    return is_number(value) and value >= 0


def entries(count: int) -> str:
    """``1 entry``, ``2 entries``: for the lines that count what was dropped."""
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def set_aside(path: Path) -> str:
    """Rename a damaged file to ``<name>.damaged``; say where it went (or that it stayed)."""
    path = Path(path)
    target = path.with_name(path.name + DAMAGED)
    try:
        os.replace(path, target)
    except OSError as error:
        return f"it could not be set aside ({error.strerror})"
    return f"set aside as {target.name}"
