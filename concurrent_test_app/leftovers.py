"""Dropping what runs that are gone left behind, as far as their intent ledger proves it ours.

A ledger entry (see ``ledger``) is written before its database is created, so it names
databases a killed run may have left: a clone whose run never dropped it, an unfinished
template, a MySQL template killed mid-migration, a clone a run could not drop because
its server was down. Each is dropped once its run is gone, and only when the entry
proves it ours: the cache folder is untrusted input (it travels in CI caches and can be
edited), so an entry is honoured only when

* this machine wrote it (``ledger.host_identity``: host name and machine id),
* it names something our naming rules make from this project's configured test
  databases (a clone ``<test name>_p<pid>_w<k>`` of the dead run's pid, a template;
  for SQLite a clone file in one of our run folders or a template file in the cache
  folder), and
* the database carries our marker where the backend marks (see ``backends``).

Anything else is left alone with one line naming it, and struck from the ledger so the
next run does not say it again.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, connections

from . import ledger as ledger_module
from .backends import backend_of
from .backends.common import (
    PG_MAX_IDENTIFIER_BYTES,
    TEMP_PREFIX,
    UNDROPPED,
    UNFINISHED,
    NotOurs,
    server_clone_name,
)
from .exceptions import SecurityException
from .files import open_lock
from .ledger import Entry, Owner, host_identity

__all__ = [
    "UNDROPPED",
    "UNFINISHED",
    "ProjectNames",
    "drop_leftover",
    "entry_for",
    "server_key",
    "sweep_ledgers",
]

SQLITE_SUFFIX = ".sqlite3"


@dataclass(frozen=True)
class ProjectNames:
    """This project's configured test databases: what its runs' names are made from."""

    test_names: frozenset[str]
    aliases: frozenset[str]

    @classmethod
    def configured(cls) -> ProjectNames:
        """Read from the settings before set-up points any alias at a template."""
        names = set()
        for alias in connections:
            try:
                names.add(connections[alias].creation._get_test_db_name())
            except Exception:  # noqa: BLE001, S112 - an alias without a usable test name names nothing
                continue
        return cls(frozenset(names), frozenset(connections))


def server_key(connection) -> str:
    """Which server a connection's databases live on: vendor, host and port."""
    return backend_of(connection).server_key(connection)


def entry_for(connection, name: str, kind: str) -> Entry:
    """The ledger entry of database ``name`` on ``connection``'s server."""
    return backend_of(connection).entry_for(connection, name, kind)


def sweep_ledgers(
    directory: Path | None, connection, log, warn, names: ProjectNames | None = None
) -> None:
    """Drop the databases on ``connection``'s server that runs now gone recorded and left."""
    if directory is None:
        return
    server = server_key(connection)
    names = names or ProjectNames.configured()
    with _sweep_lock(Path(directory) / ledger_module.FOLDER, warn) as locked:
        if not locked:
            return
        for path, owner, entries in ledger_module.orphaned(directory, warn):
            left = []
            for entry in entries:
                if entry.server != server:
                    left.append(entry)  # another server's: a run that uses it sweeps it
                    continue
                if not _sweep_one(connection, entry, owner, names, directory, path, log, warn):
                    left.append(entry)
            try:
                ledger_module.rewrite(path, owner, left)
            except OSError as error:
                warn(f"Warning: could not update the database ledger {path}: {error}")


def _sweep_one(connection, entry, owner, names, directory, path, log, warn) -> bool:
    """Drop one entry's database if the entry proves it ours; False: keep the entry."""
    try:
        refuse_unproven(entry, owner, names, directory, backend_of(connection).template_in_file)
        dropped = drop_leftover(connection, entry, owner)
    except NotOurs as error:
        warn(f"Warning: leaving {entry.name!r} alone: the ledger {path} names it, but {error}")
        return True  # struck out: said once, never acted on
    except (DatabaseError, OSError) as error:
        warn(
            f"Warning: could not drop {entry.name!r}, left behind by process "
            f"{owner.pid}: {str(error).strip()}; the next run tries again"
        )
        return False
    if dropped and entry.kind == UNDROPPED:
        log(f"Dropping {entry.name!r}, left behind by a run that could not drop it")
    elif dropped:
        log(f"Dropping {entry.name!r}, left behind by a run that was killed")
    return True


def refuse_unproven(entry: Entry, owner: Owner, names, directory, in_file: bool) -> None:
    """Raise NotOurs unless this machine wrote ``entry`` and our naming rules make its name."""
    if not entry.host:
        raise NotOurs("the entry does not say which machine wrote it")
    if entry.host != host_identity():
        raise NotOurs(f"it was written on another machine ({entry.host})")
    if in_file:
        if not our_file(entry.name, names.aliases, Path(directory)):
            raise NotOurs(
                "it is no clone in a run folder of ours nor a template in the cache folder"
            )
    elif not our_server_name(entry.name, entry.kind, owner.pid, names.test_names):
        raise NotOurs("no test database of this project gives a clone or template that name")


def unfinished_name(name: str, token: str) -> str:
    """``<name>_unfinished_<token>``, within PostgreSQL's 63 bytes (shortened with a hash)."""
    suffix = f"{UNFINISHED}{token}"
    if len((name + suffix).encode()) <= PG_MAX_IDENTIFIER_BYTES:
        return name + suffix
    digest = "_" + hashlib.sha256(name.encode()).hexdigest()[:8]
    room = PG_MAX_IDENTIFIER_BYTES - len((digest + suffix).encode())
    return name.encode()[:room].decode(errors="ignore") + digest + suffix


def our_server_name(name: str, kind: str, pid: int, test_names) -> bool:
    """Whether a run of process ``pid`` names a clone or template ``name`` (server backends)."""
    worker = re.search(r"_w(\d+)$", name)
    if kind != "template" and worker:
        k = int(worker.group(1))
        made = set()
        for test_name in test_names:
            try:
                made |= {
                    server_clone_name(f"{test_name}_p{pid}", k),
                    server_clone_name(test_name, k),
                }
            except SecurityException:
                continue  # a name we refuse to clone: no clone of it exists
        return name in made
    if kind == "template":
        templates = {f"{test_name}_template" for test_name in test_names}
        token = re.search(re.escape(UNFINISHED) + r"([0-9a-f]{8})$", name)
        unfinished = {unfinished_name(t, token.group(1)) for t in templates} if token else set()
        return name in templates | unfinished
    return False


def our_file(name: str, aliases, directory: Path) -> bool:
    """Whether ``name`` is a clone file in a run folder of ours or a template in the cache."""
    real = Path(os.path.realpath(name))
    folder = real.parent
    if folder == Path(os.path.realpath(directory)) / "templates":
        return real.name in {f"{alias}{SQLITE_SUFFIX}" for alias in aliases}
    temporary = Path(os.path.realpath(tempfile.gettempdir()))
    if folder.parent == temporary and folder.name.startswith(TEMP_PREFIX):
        clone = re.fullmatch(r"(.+)_w\d+" + re.escape(SQLITE_SUFFIX), real.name)
        return bool(clone) and clone.group(1) in aliases
    return False


@contextmanager
def _sweep_lock(folder: Path, warn):
    """One sweeper at a time per ledger folder; yields False (one line) if it cannot lock."""
    if not folder.is_dir():
        yield True
        return
    path = folder / ".sweep.lock"
    try:
        lock = open_lock(path, warn)
    except OSError as error:
        warn(
            f"Warning: cannot use the lock file {path}: {error.strerror or error}; "
            "no leftovers of killed runs are dropped this time"
        )
        yield False
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def drop_leftover(connection, entry: Entry, owner: Owner) -> bool:
    """Drop ``entry``'s database if it is there and provably left by ``owner``; True if dropped.

    The marker decides: a clone marked by ``owner`` itself, an unfinished template. A
    finished template or a kept clone (another run may have made it since) is left to
    the marker rules; a database without our marker raises NotOurs.
    """
    return backend_of(connection).drop_leftover(connection, entry, owner)
