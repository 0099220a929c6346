"""Dropping what runs that are gone left behind, as far as their intent ledger proves it ours.

A ledger entry (see ``ledger``) is written before its database is created, so it names
databases that may lack our marker: a clone whose ``COMMENT ON DATABASE`` never ran, an
unfinished template, a MySQL template killed mid-migration, a clone a run could not drop
because its server was down. Each is dropped once its run is gone. A database that
exists under that name but carries someone else's comment is left alone.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from django.db import DatabaseError

from . import ledger as ledger_module
from .ledger import Entry, Owner

OUR_PREFIX = "django-concurrent-test"  # the start of every marker of ours
SQLITE_SUFFIXES = ("", "-journal", "-wal", "-shm")
UNDROPPED = "undropped"  # the kind of an entry whose run could not drop it
UNFINISHED = "_unfinished_"  # in the name of a template still being built


def server_key(connection) -> str:
    """Which server a connection's databases live on: vendor, host and port."""
    if connection.vendor == "sqlite":
        return "sqlite"
    settings_dict = connection.settings_dict
    host = settings_dict.get("HOST") or "localhost"
    return f"{connection.vendor}://{host}:{settings_dict.get('PORT') or ''}"


def entry_for(connection, name: str, kind: str) -> Entry:
    """The ledger entry of database ``name`` on ``connection``'s server."""
    return Entry(server_key(connection), name, kind)


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
    if connection.vendor == "sqlite":
        existed = False
        for suffix in SQLITE_SUFFIXES:
            try:
                os.remove(name + suffix)
                existed = True
            except FileNotFoundError:
                pass
        return existed
    quoted = connection.ops.quote_name(name)
    with connection._nodb_cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [name],
            )
            row = cursor.fetchone()
            if row is None or not _left_by(owner, name, row[0]):
                return False
            # The dead run's own sessions may linger a moment; FORCE (PostgreSQL 13+)
            # ends them rather than failing with "being accessed by other users".
            force = " WITH (FORCE)" if connection.pg_version >= 130000 else ""
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}{force}")
            return True
        cursor.execute("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", [name])
        if cursor.fetchone() is None or not _left_by(owner, name, _mysql_marker(cursor, name)):
            return False
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        return True


def _left_by(owner: Owner, name: str, marker: str | None) -> bool:
    """Whether a database the ledger of ``owner`` names, marked ``marker``, is its leftover."""
    from .databases import CLONE_MARKER  # imported here: databases builds on this module

    if not marker:
        return True  # never marked: the ledger entry, written before it existed, proves it
    if marker.startswith(CLONE_MARKER):
        return marker == f"{CLONE_MARKER} host={owner.host} pid={owner.pid}"
    # A template of ours: only an unfinished build (its run's token in its name) is a
    # leftover; a finished one is the template cache's to keep or replace.
    return marker.startswith(OUR_PREFIX) and UNFINISHED in name


def _mysql_marker(cursor, name: str) -> str | None:
    """The clone or template marker row inside a MySQL database, or None when it has none."""
    from .mysql_clones import MARKER_TABLE, TEMPLATE_MARKER_TABLE

    cursor.execute(
        "SELECT TABLE_NAME FROM information_schema.TABLES "
        "WHERE TABLE_SCHEMA = %s AND TABLE_NAME IN (%s, %s)",
        [name, MARKER_TABLE, TEMPLATE_MARKER_TABLE],
    )
    tables = sorted(row[0] for row in cursor.fetchall())
    if not tables:
        return None
    cursor.execute(f"SELECT marker FROM `{name}`.`{tables[0]}`")
    row = cursor.fetchone()
    return None if row is None else row[0]  # no row yet: killed before the INSERT
