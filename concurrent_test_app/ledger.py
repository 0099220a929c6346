"""The intent ledger: every database a run is about to create, written down before it exists.

A killed run cannot clean up, and a database it was creating may not carry our marker yet
(``CREATE DATABASE`` finished, ``COMMENT ON DATABASE`` never ran). So before each
``CREATE DATABASE`` the run writes the name into its own file::

    .concurrent_test/ledger/<host>-<pid>-<token>.json    (beside the timing store)

written atomically (temporary file, fsync, rename), and rewritten when the database is
dropped or handed over to its marker (a kept clone, a finished template). A file whose
process is gone (same host, pid no longer running, or running as another process) names
databases that nobody will drop: the next run's sweep drops them and the file goes. A
database that no ledger names, and that carries no marker of ours, is never touched.

The folder is untrusted (it travels in CI caches): each entry records the machine that
wrote it (``host_identity``), and ``leftovers`` honours an entry only when it proves
the database ours. A file that cannot be read, or that another host wrote, is set
aside with one line, never deleted.
"""

from __future__ import annotations

import functools
import json
import os
import secrets
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import files

FORMAT = "django-concurrent-test/ledger"
FOLDER = "ledger"
MACHINE_ID_FILES = ("/etc/machine-id", "/var/lib/dbus/machine-id")


@functools.cache
def host_identity() -> str:
    """This machine: its host name and machine id (a folder copied from elsewhere names another)."""
    host = socket.gethostname()
    for path in MACHINE_ID_FILES:
        try:
            machine = Path(path).read_text().strip()
        except OSError:
            continue
        if machine:
            return f"{host}/{machine}"
    return host


@dataclass(frozen=True)
class Entry:
    """One database a run was about to create: which server, which name, what for."""

    server: str  # ``server_key`` of the connection: the vendor, host and port
    name: str  # a database name, or a file path for SQLite
    kind: str  # "clone" or "template"
    host: str = field(default_factory=host_identity)  # the machine that wrote the entry


@dataclass(frozen=True)
class Owner:
    """The process a ledger file belongs to."""

    host: str
    pid: int
    started: str | None  # the process's start time (Linux), against pid reuse

    @classmethod
    def current(cls) -> Owner:
        """This process."""
        return cls(socket.gethostname(), os.getpid(), process_start(os.getpid()))

    def gone(self) -> bool:
        """True when this owner is a process of this host that no longer runs."""
        if self.host != socket.gethostname():
            return False  # another machine's run (a shared folder): it may well be alive
        started = process_start(self.pid)
        if started is None:
            return not _alive(self.pid)
        return self.started is not None and started != self.started  # pid reused


def process_start(pid: int) -> str | None:
    """The start time of process ``pid`` in clock ticks since boot (None if unknown)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 22; the command name (field 2) may hold spaces and parentheses.
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Ledger:
    """This run's ledger file: ``record`` before creating, ``forget`` once dropped or marked."""

    def __init__(self, directory: Path | None, log=None) -> None:
        self.owner = Owner.current()
        self.token = secrets.token_hex(4)  # also names this run's unfinished templates
        self.folder = Path(directory) / FOLDER if directory is not None else None
        self.path = (
            self.folder / f"{self.owner.host}-{self.owner.pid}-{self.token}.json"
            if self.folder is not None
            else None
        )
        self.log = log or (lambda message: None)
        self._entries: list[Entry] = []
        self._lock = threading.Lock()  # clones are created and dropped from threads
        self._warned = False

    def record(self, entry: Entry) -> None:
        """Write ``entry`` down; returns once it is on disk."""
        with self._lock:
            if entry not in self._entries:
                self._entries.append(entry)
                self._write()

    def forget(self, entry: Entry) -> None:
        """Strike ``entry`` out: dropped, never created, or now proven by its own marker."""
        with self._lock:
            if entry in self._entries:
                self._entries.remove(entry)
                self._write()

    def _write(self) -> None:
        if self.path is None:
            return
        try:
            if self._entries:
                write_atomically(self.path, self.owner, self._entries)
            else:
                self.path.unlink(missing_ok=True)
        except OSError as error:
            # Without the file only the marker-based sweep can clean up after a kill;
            # the run itself is unaffected.
            if not self._warned:
                self._warned = True
                self.log(f"Warning: could not write the database ledger {self.path}: {error}")


def write_atomically(path: Path, owner: Owner, entries: list[Entry]) -> None:
    """Replace ``path`` with the ledger of ``owner``: complete or not at all, even on a kill."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "format": FORMAT,
        "host": owner.host,
        "pid": owner.pid,
        "started": owner.started,
        "databases": [entry.__dict__ for entry in entries],
    }
    files.write_atomically(path, json.dumps(data))


class Unreadable(Exception):
    """A ledger file that cannot be read or is not a ledger; its message says why."""


def read(path: Path) -> tuple[Owner, list[Entry]]:
    """The owner and entries of a ledger file; Unreadable when it is damaged or not one."""
    try:
        data = json.loads(path.read_text())
    except OSError as error:
        raise Unreadable(error.strerror or str(error)) from None
    except ValueError:
        raise Unreadable("not JSON") from None
    try:
        if data.get("format") != FORMAT:
            raise Unreadable(f"not a ledger of django-concurrent-test (format {FORMAT!r})")
        owner = Owner(str(data["host"]), int(data["pid"]), data.get("started"))
        entries = [
            Entry(str(item["server"]), str(item["name"]), str(item["kind"]), _host(item))
            for item in data["databases"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise Unreadable(f"not a ledger of the expected shape ({type(error).__name__})") from None
    return owner, entries


def _host(item: dict) -> str:
    """The machine an entry says wrote it ("" when it says none, as before version 2)."""
    host = item.get("host")
    return host if isinstance(host, str) else ""


def orphaned(directory: Path | None, warn=None) -> Iterator[tuple[Path, Owner, list[Entry]]]:
    """Ledger files in ``directory`` whose run is gone, with their entries.

    A file that cannot be read, or that another machine wrote, is set aside (renamed,
    never deleted) with one line from ``warn``: nothing it names is dropped here.
    """
    if directory is None:
        return
    say = warn or (lambda message: None)
    folder = Path(directory) / FOLDER
    if folder.exists() and not folder.is_dir():
        _set_aside(folder, ".unusable", "it is not a folder", say)
        return
    try:
        names = sorted(os.listdir(folder)) if folder.is_dir() else []
    except OSError as error:
        say(
            f"Warning: cannot read the database ledger folder {folder}: "
            f"{error.strerror or error}; no leftovers of killed runs are dropped this time"
        )
        return
    for path in (folder / name for name in names if name.endswith(".json")):
        try:
            owner, entries = read(path)
        except Unreadable as error:
            _set_aside(path, ".unreadable", f"{error}", say)
            continue
        if owner.host != socket.gethostname():
            _set_aside(path, ".foreign", f"written on another machine ({owner.host})", say)
        elif owner.gone():
            yield path, owner, entries


def _set_aside(path: Path, suffix: str, problem: str, say) -> None:
    """Rename ``path`` so no sweep reads it again; one line says what and why."""
    try:
        os.replace(path, path.with_name(path.name + suffix))
        where = f"set aside as {path.name + suffix}"
    except OSError as error:
        where = f"left where it is ({error.strerror or error})"
    say(
        f"Warning: ignoring the database ledger {path}: {problem}; "
        f"nothing it names is dropped; {where}"
    )


def rewrite(path: Path, owner: Owner, entries: list[Entry]) -> None:
    """Keep what is still left in a dead run's ledger (or remove the file when nothing is)."""
    if entries:
        write_atomically(path, owner, entries)
    else:
        path.unlink(missing_ok=True)
