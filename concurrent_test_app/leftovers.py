"""Dropping what runs that are gone left behind, as far as their intent ledger proves it ours.

A ledger entry (see ``ledger``) is written before its database is created, so it names
databases that may lack our marker: a clone whose ``COMMENT ON DATABASE`` never ran, an
unfinished template, a MySQL template killed mid-migration, a clone a run could not drop
because its server was down. Each is dropped once its run is gone. A database that
exists under that name but carries someone else's comment is left alone.
"""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path

from django.db import DatabaseError

from . import ledger as ledger_module
from .backends import backend_of
from .backends.common import UNDROPPED, UNFINISHED
from .ledger import Entry, Owner

__all__ = ["UNDROPPED", "UNFINISHED", "drop_leftover", "entry_for", "server_key", "sweep_ledgers"]


def server_key(connection) -> str:
    """Which server a connection's databases live on: vendor, host and port."""
    return backend_of(connection).server_key(connection)


def entry_for(connection, name: str, kind: str) -> Entry:
    """The ledger entry of database ``name`` on ``connection``'s server."""
    return backend_of(connection).entry_for(connection, name, kind)


def sweep_ledgers(directory: Path | None, connection, log, warn) -> None:
    """Drop the databases on ``connection``'s server that runs now gone recorded and left."""
    if directory is None:
        return
    server = server_key(connection)
    with _sweep_lock(Path(directory) / ledger_module.FOLDER):
        for path, owner, entries in ledger_module.orphaned(directory):
            left = []
            for entry in entries:
                if entry.server != server:
                    left.append(entry)  # another server's: a run that uses it sweeps it
                    continue
                try:
                    dropped = drop_leftover(connection, entry.name, owner)
                except (DatabaseError, OSError) as error:
                    warn(
                        f"Warning: could not drop {entry.name!r}, left behind by process "
                        f"{owner.pid}: {str(error).strip()}; the next run tries again"
                    )
                    left.append(entry)
                    continue
                if dropped and entry.kind == UNDROPPED:
                    log(f"Dropping {entry.name!r}, left behind by a run that could not drop it")
                elif dropped:
                    log(f"Dropping {entry.name!r}, left behind by a run that was killed")
            try:
                ledger_module.rewrite(path, owner, left)
            except OSError as error:
                warn(f"Warning: could not update the database ledger {path}: {error}")


@contextmanager
def _sweep_lock(folder: Path):
    """One sweeper at a time per ledger folder (two runs may start together)."""
    if not folder.is_dir():
        yield
        return
    with open(folder / ".sweep.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def drop_leftover(connection, name: str, owner: Owner) -> bool:
    """Drop database ``name`` if it is there and provably left by ``owner``; True if dropped.

    The ledger proves what is unmarked. A database with a marker is dropped only when the
    marker says the same: a clone marked by ``owner`` itself, an unfinished template. A
    finished template or a kept clone (another run may have made it since) is left to
    the marker rules, and anything with someone else's comment is left alone.
    """
    return backend_of(connection).drop_leftover(connection, name, owner)
