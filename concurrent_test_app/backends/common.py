"""What every backend shares: the clone records, our markers, names, locks and threads."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connections

from ..exceptions import DatabaseCloneException, SecurityException
from ..ledger import Entry, Owner

CLONE_MARKER = "django-concurrent-test clone"
TEMPLATE_MARKER = "django-concurrent-test template"
OUR_PREFIX = "django-concurrent-test"  # the start of every marker of ours
UNDROPPED = "undropped"  # the kind of a ledger entry whose run could not drop it
UNFINISHED = "_unfinished_"  # in the name of a template still being built
PG_MAX_IDENTIFIER_BYTES = 63
TEMP_PREFIX = "django-concurrent-test-"  # a run's private temporary folder
OWNER_FILE = "owner"  # in that folder: the marker of the run that made it


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


def server_clone_name(source: str, worker_id: int) -> str:
    """``<source>_w<id>``, shortened with a hash to fit 63 bytes (so MySQL's 64 characters).

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


def clone_base(group: DatabaseGroup, keepdb: bool) -> str:
    """The name a server clone is derived from: the test database's, with this run's pid.

    Two runs against one server (two CI jobs, two developers) never reach for the same
    clone. With --keepdb the clones are kept for the next run, so their names must be
    stable instead.
    """
    return group.test_name if keepdb else f"{group.test_name}_p{os.getpid()}"


def clone_settings(clone: Clone) -> dict:
    """Django's own settings for a clone (``get_test_db_clone_settings``), named as we named it.

    Django would name it ``<test name>_<suffix>``; ours carries the run's pid and stays
    within the server's identifier limit, so only the name is replaced.
    """
    connection = connections[clone.group.primary]
    settings_dict = connection.creation.get_test_db_clone_settings(f"w{clone.worker_id}")
    test_settings = {**settings_dict.get("TEST", {}), "NAME": clone.name}
    return {**settings_dict, "NAME": clone.name, "TEST": test_settings}


def template_digest(name: str, marker: str) -> str:
    """The fingerprint digest in a template marker; anything else is someone else's database."""
    if not marker.startswith(TEMPLATE_MARKER):
        raise SecurityException(
            f"Refusing to replace database {name!r}: it exists but was not made by "
            "django-concurrent-test (no template marker). Rename or drop it yourself."
        )
    return marker[len(TEMPLATE_MARKER) :].strip()


def owner_marker() -> str:
    """The comment on a clone: our mark, and which host and process made it."""
    return f"{CLONE_MARKER} host={socket.gethostname()} pid={os.getpid()}"


def dead_owner(marker: str | None) -> bool:
    """True when ``marker`` names a process on this host that no longer exists."""
    match = re.fullmatch(re.escape(CLONE_MARKER) + r" host=(\S+) pid=(\d+)", marker or "")
    # Another machine's clone is never "dead": its owner may well be alive.
    return bool(match) and Owner(match.group(1), int(match.group(2)), None).gone()


class NotOurs(Exception):
    """A database or file a ledger names that does not prove itself ours; says why."""


def left_by(owner: Owner, name: str, marker: str | None, unmarked_ours: bool = False) -> bool:
    """Whether a database the ledger of ``owner`` names, marked ``marker``, is its leftover.

    Raises NotOurs when it carries no marker of ours: a ledger entry alone (a file anyone
    can write) never drops a database. ``unmarked_ours``: the backend marks this kind only
    when it is complete (a MySQL template), so an unmarked one is the entry's.
    """
    if not marker:
        if unmarked_ours:
            return True
        raise NotOurs(f"it does not carry the marker {CLONE_MARKER!r}")
    if marker.startswith(CLONE_MARKER):
        return marker == f"{CLONE_MARKER} host={owner.host} pid={owner.pid}"
    if not marker.startswith(OUR_PREFIX):
        raise NotOurs("it carries a marker that is not django-concurrent-test's")
    # A template of ours: only an unfinished build (its run's token in its name) is a
    # leftover; a finished one is the template cache's to keep or replace.
    return UNFINISHED in name


def server_address(connection) -> str:
    """A database server's ledger key: vendor, host and port."""
    settings_dict = connection.settings_dict
    host = settings_dict.get("HOST") or "localhost"
    return f"{connection.vendor}://{host}:{settings_dict.get('PORT') or ''}"


def server_entry(connection, name: str, kind: str) -> Entry:
    """The ledger entry of database ``name`` on ``connection``'s server."""
    return Entry(server_address(connection), name, kind)


class ServerBackend:
    """What the backends of database servers (PostgreSQL, MySQL) do alike."""

    keeps_clones = True  # with --keepdb the clones outlive the run
    template_in_file = False

    def worker_settings(self, clone: Clone) -> dict:
        """Django's settings for a worker's clone, named as we named it."""
        return clone_settings(clone)

    def server_key(self, connection) -> str:
        """``<vendor>://host:port``."""
        return server_address(connection)

    def entry_for(self, connection, name: str, kind: str) -> Entry:
        """The ledger entry of database ``name`` on this server."""
        return server_entry(connection, name, kind)

    def template_name(self, connection, directory: Path) -> str:
        """``<test name>_template``."""
        return f"{connection.creation._get_test_db_name()}_template"

    def mark_template(self, connection, name: str, digest: str) -> None:
        """Store ``digest`` with template ``name``, proving it ours."""
        raise NotImplementedError

    def mark_building(self, connection, name: str) -> None:
        """Mark a template just created, before it is filled (none: MySQL marks it last)."""

    def invalidate_template(self, connection, name: str) -> None:
        """Mark it with a digest nothing has."""
        self.mark_template(connection, name, "invalidated")


def client_options(connection, database: str) -> tuple[list[str], dict]:
    """Django's ``dbshell`` options for ``database``, without the program and the name.

    Every client program of the same server accepts them (``mysqldump``/``mysql``,
    ``pg_dump``/``pg_restore``); credentials travel in the environment, not argv.
    """
    settings_dict = {**connection.settings_dict, "NAME": database}
    args, env = connection.client.settings_to_cmd_args_env(settings_dict, [])
    if not args or args[-1] != database:
        raise DatabaseCloneException(f"Cannot build a client command for {database!r}.")
    return args[1:-1], {**os.environ, **(env or {})}


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


def server_lock(held: ExitStack, connection, lock: str, unlock: str, name) -> Callable[[], bool]:
    """A ``take()`` trying a server lock once, on a connection ``held`` keeps open."""
    # A connection of its own, kept open for the run: the lock lives as long as it.
    cursor = held.enter_context(connection._nodb_cursor())
    arguments = "%s" if lock.startswith("pg_") else "%s, 0"  # GET_LOCK: do not block

    def take() -> bool:
        cursor.execute(f"SELECT {lock}({arguments})", [name])
        if cursor.fetchone()[0] != 1:
            return False
        held.callback(cursor.execute, f"SELECT {unlock}(%s)", [name])
        return True

    return take


@contextmanager
def session_lock(connection, lock_sql: str, unlock_sql: str, params: list):
    """Hold a server lock on a connection of its own for the ``with`` block (waits for it)."""
    with connection._nodb_cursor() as cursor:
        cursor.execute(lock_sql, params)
        try:
            yield
        finally:
            cursor.execute(unlock_sql, params)


def file_lock(held: ExitStack, directory: Path, key: int) -> Callable[[], bool]:
    """A ``take()`` trying ``flock`` once on a file of ``directory`` that ``held`` keeps open."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f".keepdb-{key:x}.lock"
    handle = held.enter_context(open(path, "w"))  # noqa: SIM115 - held for the run

    def take() -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True  # closing the handle (release) unlocks it

    return take
