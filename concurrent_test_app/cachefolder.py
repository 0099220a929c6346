"""Trouble with the cache folder: which errors mean "go on without that cache feature".

The cache folder (``.concurrent_test/``) is untrusted and may be read-only, full, or
hold a directory where a lock file belongs. None of that is the tests' business: the
run says what is wrong in one line and sets its databases up as Django does.
"""

from __future__ import annotations

# What SQLite says when the file system under a database file fails it.
SQLITE_FILE_TROUBLE = (
    "database or disk is full",
    "attempt to write a readonly database",
    "unable to open database file",
    "disk I/O error",
)


def cache_trouble(error: BaseException) -> str | None:
    """What is wrong with a file of the cache folder, if ``error`` (or its cause) says so."""
    seen = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError):
            where = f"{current.filename}: " if current.filename else ""
            return f"{where}{current.strerror or current}"
        if any(text in str(current) for text in SQLITE_FILE_TROUBLE):
            return str(error).strip().splitlines()[0]
        current = current.__cause__ or current.__context__
    return None
