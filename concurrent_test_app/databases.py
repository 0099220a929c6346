"""Worker databases: one clone of every test database per worker, created and dropped safely.

The test databases Django's own ``setup_databases`` created (migrated, possibly
serialized) are the templates. SQLite clones are files in a private temporary
directory, copied with the backup API (so an in-memory test database works too);
PostgreSQL clones are ``CREATE DATABASE … TEMPLATE`` copies carrying a comment that
marks them as ours. Nothing is dropped unless this run created it, or the marker proves
an earlier run of ours did, or the intent ledger (``ledger``) does: each clone's name is
written there before its ``CREATE DATABASE``, so a run killed before the comment still
leaves a database the next run can prove is ours.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.db import DatabaseError, connections

from .exceptions import DatabaseCloneException, PermissionException, SecurityException
from .ledger import Ledger
from .leftovers import UNDROPPED, entry_for

CLONE_MARKER = "django-concurrent-test clone"
TEMP_PREFIX = "django-concurrent-test-"
OWNER_FILE = "owner"  # in a clone directory: the marker of the run that made it


@dataclass(frozen=True)
class DatabaseGroup:
    """One test database and the aliases (mirrors included) that use it."""

    aliases: tuple[str, ...]
    test_name: str = ""  # Django's name for the test database, known before it exists

    @property
    def primary(self) -> str:
        """The alias whose connection reaches the test database."""
        return self.aliases[0]

    @property
    def vendor(self) -> str:
        """The backend's vendor name, e.g. ``sqlite`` or ``postgresql``."""
        return connections[self.primary].vendor


@dataclass(frozen=True)
class Clone:
    """One worker's copy of one group's test database."""

    group: DatabaseGroup
    worker_id: int
    name: str  # a file path for SQLite, a database name for PostgreSQL
    identity: str  # what the worker must see when it connects


class Cloner(Protocol):
    """How one backend makes and removes worker clones."""

    def plan(self, group: DatabaseGroup, worker_id: int) -> Clone:
        """Name the clone without creating it."""

    def create(self, clones: list[Clone], created: list[Clone]) -> None:
        """Create the clones of one group (all workers), appending each to ``created``."""

    def drop(self, clone: Clone) -> None:
        """Remove one clone this run created."""


class SQLiteCloner:
    """File clones in a private temporary directory, via the sqlite3 backup API."""

    def __init__(self, directory: str) -> None:
        self.directory = directory

    def plan(self, group: DatabaseGroup, worker_id: int) -> Clone:
        path = os.path.join(self.directory, f"{group.primary}_w{worker_id}.sqlite3")
        return Clone(group, worker_id, path, os.path.realpath(path))

    def create(self, clones: list[Clone], created: list[Clone]) -> None:
        # Imported here: workers preload the modules the parent has, and a PostgreSQL or
        # MySQL worker has no use for sqlite3 (about 0.8 MB each, issue #8).
        import sqlite3

        source = connections[clones[0].group.primary]
        source.ensure_connection()
        first, *others = clones
        target = sqlite3.connect(first.name)
        created.append(first)
        try:
            source.connection.backup(target)
        finally:
            target.close()
        # One backup, then plain file copies: cheaper than a backup per worker.
        for clone in others:
            created.append(clone)
            shutil.copyfile(first.name, clone.name)

    def drop(self, clone: Clone) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.remove(clone.name + suffix)
            except FileNotFoundError:
                pass


class PostgresCloner:
    """``CREATE DATABASE … TEMPLATE`` clones, commented so we can prove they are ours."""

    def __init__(
        self, max_retries: int, retry_delay: float, keepdb: bool, log=None, ledger=None
    ) -> None:
        self.max_retries = max_retries
        self.retry_delay = retry_delay
        self.keepdb = keepdb
        self.log = log or (lambda message: None)
        self.ledger = ledger or Ledger(None)

    def plan(self, group: DatabaseGroup, worker_id: int) -> Clone:
        # Named after the test database, with this run's pid: two runs against one
        # server (two CI jobs, two developers) never reach for the same clone.
        # With --keepdb the clones are kept for the next run, so their names must be
        # stable instead.
        base = group.test_name if self.keepdb else f"{group.test_name}_p{os.getpid()}"
        name = postgres_clone_name(base, worker_id)
        return Clone(group, worker_id, name, name)

    def create(self, clones: list[Clone], created: list[Clone]) -> None:
        connection = connections[clones[0].group.primary]
        source = connection.settings_dict["NAME"]
        # CREATE DATABASE … TEMPLATE fails while anyone is connected to the template.
        for alias in clones[0].group.aliases:
            connections[alias].close()
        in_parallel(
            connection,
            clones,
            lambda cursor, clone: self._create_one(cursor, connection, source, clone, created),
        )

    def _create_one(self, cursor, connection, source: str, clone: Clone, created: list) -> None:
        quote = connection.ops.quote_name
        if self._exists(cursor, clone.name):
            if self.keepdb and self._is_ours(cursor, clone.name):
                created.append(clone)  # kept from an earlier run, and ours
                return
            self._drop_marked(cursor, quote, clone.name)
        entry = entry_for(connection, clone.name, "clone")
        self.ledger.record(entry)  # on disk before the database exists
        try:
            self._with_retries(
                cursor, f"CREATE DATABASE {quote(clone.name)} WITH TEMPLATE {quote(source)}"
            )
        except DatabaseCloneException as error:
            if _sqlstate(error) == "42P04":  # duplicate_database: someone else's, not ours
                self.ledger.forget(entry)
            raise
        # A kept clone (--keepdb) outlives its run on purpose: no pid, so the next
        # run's sweep of killed runs' leftovers does not drop it.
        marker = f"{CLONE_MARKER} kept" if self.keepdb else owner_marker()
        cursor.execute(f"COMMENT ON DATABASE {quote(clone.name)} IS %s", [marker])
        if self.keepdb:
            self.ledger.forget(entry)  # its "kept" marker proves it ours from now on
        created.append(clone)

    def drop(self, clone: Clone) -> None:
        connection = connections[clone.group.primary]
        with connection._nodb_cursor() as cursor:
            if self._exists(cursor, clone.name):
                self._drop_marked(cursor, connection.ops.quote_name, clone.name)
        self.ledger.forget(entry_for(connection, clone.name, "clone"))

    def _drop_marked(self, cursor, quote, name: str) -> None:
        if not self._is_ours(cursor, name):
            raise SecurityException(
                f"Refusing to drop database {name!r}: it does not carry the marker "
                f"{CLONE_MARKER!r}, so django-concurrent-test did not create it. "
                "Drop or rename it yourself if it is a leftover."
            )
        self._with_retries(cursor, f"DROP DATABASE {quote(name)}")

    def _exists(self, cursor, name: str) -> bool:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None

    def _is_ours(self, cursor, name: str) -> bool:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        )
        row = cursor.fetchone()
        return row is not None and (row[0] or "").startswith(CLONE_MARKER)

    def _with_retries(self, cursor, sql: str) -> None:
        delay = self.retry_delay
        for attempt in range(self.max_retries + 1):
            try:
                cursor.execute(sql)
                return
            except Exception as error:
                # 55006 object_in_use: "source database is being accessed by other users".
                transient = _sqlstate(error) == "55006"
                if not transient or attempt == self.max_retries:
                    raise DatabaseCloneException(f"{sql} failed: {error}") from error
                self.log(
                    f"Retry {attempt + 1} of {self.max_retries} in {delay:g}s: {str(error).strip()}"
                )
                time.sleep(delay)
                delay *= 2


def _sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of a psycopg error, or of the one a wrapper was raised from."""
    while error is not None:
        code = getattr(error, "pgcode", None) or getattr(error, "sqlstate", None)
        if code:
            return code
        error = error.__cause__
    return None


def in_parallel(connection, clones: list[Clone], action) -> None:
    """Call ``action(cursor, clone)`` for every clone at once, each on its own connection.

    ``CREATE DATABASE … TEMPLATE`` mostly waits on the server (about 0.4 s for even a
    small database): one after another, N clones cost N times that. The first error
    is raised after every thread has finished, so no statement is left running.
    """

    def one(clone: Clone) -> None:
        own = connection.copy()  # a connection belongs to the thread that opens it
        try:
            with own._nodb_cursor() as cursor:
                action(cursor, clone)
        finally:
            own.close()

    at_once(clones, one)


def at_once(clones: list[Clone], action) -> None:
    """Call ``action(clone)`` for every clone, each in its own thread.

    The first error is raised after every thread has finished, so nothing is left
    running. Django's connections are per thread, so each call opens its own.
    """
    if len(clones) <= 1:
        for clone in clones:
            action(clone)
        return
    with ThreadPoolExecutor(max_workers=len(clones), thread_name_prefix="clone") as pool:
        futures = [pool.submit(action, clone) for clone in clones]
    for future in futures:
        future.result()


PG_MAX_IDENTIFIER_BYTES = 63


def postgres_clone_name(source: str, worker_id: int) -> str:
    """``<source>_w<id>``, shortened with a hash when PostgreSQL would truncate it.

    PostgreSQL silently cuts identifiers at 63 bytes, which could make two workers'
    clones the same database; quotes and NUL cannot be quoted safely, so are refused.
    """
    if '"' in source or "\x00" in source:
        raise SecurityException(
            f"Refusing to clone {source!r}: database names with double quotes or NUL "
            "are not supported."
        )
    suffix = f"_w{worker_id}"
    name = source + suffix
    if len(name.encode()) <= PG_MAX_IDENTIFIER_BYTES:
        return name
    digest = "_" + hashlib.sha1(source.encode()).hexdigest()[:8]
    room = PG_MAX_IDENTIFIER_BYTES - len((digest + suffix).encode())
    prefix = source.encode()[:room].decode(errors="ignore")
    return prefix + digest + suffix


def owner_marker() -> str:
    """The comment on a clone: our mark, and which host and process made it."""
    return f"{CLONE_MARKER} host={socket.gethostname()} pid={os.getpid()}"


def dead_owner(marker: str | None) -> bool:
    """True when ``marker`` names a process on this host that no longer exists."""
    match = re.fullmatch(re.escape(CLONE_MARKER) + r" host=(\S+) pid=(\d+)", marker or "")
    if not match or match.group(1) != socket.gethostname():
        return False  # another machine's clone: its owner may well be alive
    return not _alive(int(match.group(2)))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_postgres_leftovers(alias: str, log) -> None:
    """Drop clones of ours whose run was killed (its process is gone on this host)."""
    connection = connections[alias]
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE shobj_description(oid, 'pg_database') LIKE %s",
            [CLONE_MARKER + "%"],
        )
        for name, marker in cursor.fetchall():
            if dead_owner(marker):
                log(f"Dropping {name!r}, left behind by a run that was killed")
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def sweep_sqlite_leftovers(log) -> None:
    """Remove clone directories of ours whose run was killed."""
    for folder in Path(tempfile.gettempdir()).glob(TEMP_PREFIX + "*"):
        owner = folder / OWNER_FILE
        try:
            marker = owner.read_text().strip()
        except OSError:
            continue  # not ours, or not yet written: leave it
        if dead_owner(marker):
            log(f"Removing {str(folder)!r}, left behind by a run that was killed")
            shutil.rmtree(folder, ignore_errors=True)


def check_postgres_permissions(alias: str) -> None:
    """Raise PermissionException unless the user of ``alias`` may create databases."""
    connection = connections[alias]
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolcreatedb OR rolsuper FROM pg_roles "
            "WHERE rolname = current_user"
        )
        user, allowed = cursor.fetchone()
    if not allowed:
        raise PermissionException(
            f"Missing permission: CREATE (alias {alias!r}: database user {user!r} may not "
            "create databases; the run needs its test database and one clone per worker). "
            f"Ask a DBA to run: ALTER ROLE {connection.ops.quote_name(user)} CREATEDB;"
        )


CLONABLE_VENDORS = ("sqlite", "postgresql", "mysql")


class CloneSet:
    """All clones of one run: planned, created, verified against safety rules, dropped."""

    def __init__(
        self,
        groups,
        worker_ids,
        protected_names,
        *,
        keepdb=False,
        max_retries=3,
        retry_delay=1.0,
        log=None,
        ledger=None,
        warn=None,
    ) -> None:
        self.groups = list(groups)
        self.keepdb = keepdb
        self.max_retries = max_retries
        self.retry_delay = retry_delay
        self.log = log or (lambda message: None)
        self.warn = warn or (lambda message: print(message, file=sys.stderr, flush=True))
        self.ledger = ledger or Ledger(None)
        self._log_lock = threading.Lock()
        self.directory = tempfile.mkdtemp(prefix=TEMP_PREFIX)
        Path(self.directory, OWNER_FILE).write_text(owner_marker() + "\n")
        # Imported here: mysql_clones builds on this module's names.
        from .mysql_clones import MySQLCloner

        self._cloners = {
            "sqlite": SQLiteCloner(self.directory),
            "postgresql": PostgresCloner(max_retries, retry_delay, keepdb, log, self.ledger),
            "mysql": MySQLCloner(keepdb, log, self.ledger),
        }
        self.clones = [
            self._cloners[group.vendor].plan(group, worker_id)
            for worker_id in worker_ids
            for group in self.groups
        ]
        self._protected = set(protected_names)
        self._created: list[Clone] = []

    def create(self) -> None:
        """Create every clone, group by group; refuse names of real databases."""
        for clone in self.clones:
            if clone.name in self._protected:
                raise SecurityException(
                    f"Refusing to create clone {clone.name!r}: a configured database has that NAME."
                )
        for group in self.groups:
            clones = [clone for clone in self.clones if clone.group == group]
            # Each clone is recorded as soon as it exists: when another one fails,
            # those already made are still dropped.
            self._cloners[group.vendor].create(clones, self._created)

    def for_worker(self, worker_id: int) -> list[Clone]:
        """The clones one worker binds to."""
        return [clone for clone in self.clones if clone.worker_id == worker_id]

    def recreate(self, worker_id: int) -> None:
        """Give a worker fresh copies of its clones (after its predecessor died mid-test)."""
        for group in self.groups:
            clones = [c for c in self.clones if c.worker_id == worker_id and c.group == group]
            cloner = self._cloners[group.vendor]
            for clone in clones:
                if clone in self._created:
                    cloner.drop(clone)
                    self._created.remove(clone)
            cloner.create(clones, self._created)

    def drop(self) -> None:
        """Drop the clones this run created and the temp directory.

        With keepdb, PostgreSQL and MySQL clones stay for the next run; SQLite clone files are
        cheap copies in a private temporary directory and always go. A clone the server
        will not drop, even after the retries (it is restarting, say), stays in the
        ledger for the next run's sweep, with one warning line: the verdict is the tests'.
        """
        try:
            doomed = [
                clone
                for clone in reversed(self._created)
                if not (clone.group.vendor in ("postgresql", "mysql") and self.keepdb)
                # defence in depth: never touch a configured NAME
                and clone.name not in self._protected
            ]
            failed: list[tuple[Clone, Exception]] = []
            with warnings.catch_warnings():
                # Django's PostgreSQL backend warns at length when the server is down;
                # the one line below says it all.
                warnings.filterwarnings("ignore", "Normally Django will use", RuntimeWarning)
                # DROP DATABASE mostly waits on the server: all at once, as they were made.
                at_once(doomed, lambda clone: self._drop_or_leave(clone, failed))
            self._created.clear()
            if failed:
                self._leave_for_next_run(failed)
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def _drop_or_leave(self, clone: Clone, failed: list) -> None:
        """Drop one clone, retrying while the server cannot; note it in ``failed`` if never."""
        cloner = self._cloners[clone.group.vendor]
        delay = self.retry_delay
        for attempt in range(self.max_retries + 1):
            try:
                cloner.drop(clone)
                return
            except (DatabaseError, DatabaseCloneException) as error:
                if attempt == self.max_retries:
                    failed.append((clone, error))
                    return
                reason = str(error).strip().splitlines()[0] if str(error).strip() else error
                with self._log_lock:  # one whole line per thread
                    self.log(
                        f"Retry {attempt + 1} of {self.max_retries} in {delay:g}s: "
                        f"dropping {clone.name!r}: {reason}"
                    )
                time.sleep(delay)
                delay *= 2

    def _leave_for_next_run(self, failed: list) -> None:
        for clone, _error in failed:
            connection = connections[clone.group.primary]
            self.ledger.record(entry_for(connection, clone.name, UNDROPPED))
            self.ledger.forget(entry_for(connection, clone.name, "clone"))
        names = ", ".join(repr(clone.name) for clone, _ in failed)
        error = failed[0][1]
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        self.warn(
            f"Warning: could not drop {len(failed)} test database(s) ({names}): "
            f"{reason}; the next run drops them"
        )
