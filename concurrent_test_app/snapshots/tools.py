"""Finds a server's client programs in a version that can work with that server.

``pg_dump`` refuses a server newer than itself, and a newer ``pg_restore`` may write
settings an older server does not know; so the program chosen is the oldest one at
least as new as what it must read. The places searched: the folder named by
``--snapshot-tools`` alone when it is given, else ``PATH`` and then the folders where
packages install side-by-side versions (Debian, Red Hat, Homebrew, Postgres.app).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from .store import SnapshotUnusable

VERSIONED_FOLDERS = (
    "/usr/lib/postgresql/*/bin",
    "/usr/pgsql-*/bin",
    "/opt/homebrew/opt/postgresql@*/bin",
    "/usr/local/opt/postgresql@*/bin",
    "/Applications/Postgres.app/Contents/Versions/*/bin",
)
_VERSION = re.compile(r"\b(\d+)[.]\d+")


@dataclass(frozen=True)
class Program:
    """One client program and the major version it reports."""

    path: str
    major: int


def find_program(names: tuple[str, ...], at_least: int, folder: str | None) -> Program:
    """The oldest of ``names`` whose major version is ``at_least`` or newer.

    Raises SnapshotUnusable saying where it looked and what it found.
    """
    found = [program for program in _candidates(names, folder) if program.major >= 0]
    fitting = [program for program in found if program.major >= at_least]
    if fitting:
        return min(fitting, key=lambda program: program.major)
    where = f"in {folder}" if folder else "on PATH or in the usual install folders"
    seen = ", ".join(sorted({f"{os.path.basename(p.path)} {p.major}" for p in found}))
    wanted = " or ".join(names) + (f" {at_least} or newer" if at_least else "")
    also = f" (found {seen})" if seen else ""
    hint = "" if folder else "; name its folder with --snapshot-tools"
    raise SnapshotUnusable(f"no {wanted} {where}{also}{hint}")


def _candidates(names: tuple[str, ...], folder: str | None):
    paths: list[str] = []
    if folder:
        paths = [os.path.join(folder, name) for name in names]
    else:
        paths = [shutil.which(name) or "" for name in names]
        for pattern in VERSIONED_FOLDERS:
            for name in names:
                paths += sorted(glob.glob(os.path.join(pattern, name)))
    seen = set()
    for path in paths:
        real = os.path.realpath(path) if path else ""
        if real and real not in seen and os.access(real, os.X_OK) and os.path.isfile(real):
            seen.add(real)
            yield Program(path, program_major(path))


def program_major(path: str) -> int:
    """The major version ``path --version`` prints (``pg_dump (PostgreSQL) 15.4`` → 15); -1."""
    try:
        completed = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return -1
    match = _VERSION.search(completed.stdout)  # the first number: the program's version
    return int(match.group(1)) if match and completed.returncode == 0 else -1


def run_program(
    command: list[str], env: dict | None, what: str, data: bytes | None = None
) -> bytes:
    """Run a client program; its output, or SnapshotUnusable with its error on one line."""
    try:
        completed = subprocess.run(command, input=data, env=env, capture_output=True, check=False)
    except OSError as error:
        raise SnapshotUnusable(f"{what} failed ({command[0]}): {error.strerror}") from None
    if completed.returncode != 0:
        lines = completed.stderr.decode(errors="replace").strip().splitlines() or ["no message"]
        message = "; ".join(line.strip() for line in lines[:3])
        raise SnapshotUnusable(f"{what} failed ({os.path.basename(command[0])}): {message[:300]}")
    return completed.stdout
