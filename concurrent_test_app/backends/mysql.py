"""MySQL/MariaDB: one dump of the test database, loaded into each clone in parallel.

As Django's own ``_clone_test_db`` does, the test database is copied with the server's
dump tool (``mysqldump``) and loaded with its client (``mysql``): tables, indexes,
foreign keys, views, triggers and routines all come across, unlike with
``CREATE TABLE … LIKE``. The dump is taken once and loaded into every clone at the same
time. MySQL has no ``COMMENT ON DATABASE``, so a clone's proof of ownership is a marker
table inside it, created before anything is loaded: a database without that table is
never dropped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.db import DatabaseError, connections

from ..exceptions import DatabaseCloneException, PermissionException, SecurityException
from ..snapshots.store import Snapshot
from ..snapshots.tools import find_program, run_program
from .common import (
    CLONE_MARKER,
    TEMPLATE_MARKER,
    Clone,
    DatabaseGroup,
    ServerBackend,
    client_options,
    clone_base,
    dead_owner,
    left_by,
    owner_marker,
    server_clone_name,
    server_entry,
    server_lock,
    session_lock,
    template_digest,
)
from .protocol import CloneContext, WorkerSide

MARKER_TABLE = "django_concurrent_test_clone"
# In a template (templates.py): its fingerprint. Never copied into a clone.
TEMPLATE_MARKER_TABLE = "django_concurrent_test_template"
# Django runs the same two programs; Debian's MariaDB packages provide both names.
DUMP_PROGRAMS = ("mysqldump", "mariadb-dump")
CLIENT_PROGRAMS = ("mysql", "mariadb")
PRIVILEGES = ("CREATE", "DROP")


class MySQLBackend(ServerBackend):
    """Dump/load clones, proved ours by a marker table inside them; named locks."""

    vendor = "mysql"
    template_renamed = False  # MariaDB cannot rename a database
    snapshot_suffix = ".sql"  # the dump the clones are loaded from
    worker = WorkerSide("SELECT DATABASE()", identity_is_path=False)

    def plan_clone(self, group: DatabaseGroup, worker_id: int, context: CloneContext) -> Clone:
        """As for PostgreSQL: this run's pid in the name, unless --keepdb wants it stable."""
        base = clone_base(group, context.keepdb)
        if "`" in base:
            raise SecurityException(
                f"Refusing to clone {base!r}: database names with backticks are not supported."
            )
        name = server_clone_name(base, worker_id)
        return Clone(group, worker_id, name, name)

    def create_clones(self, clones: list[Clone], created: list[Clone], context) -> None:
        """Create and mark every clone, then load one dump into all of them at once."""
        connection = connections[clones[0].group.primary]
        source = connection.settings_dict["NAME"]
        todo = self._create_marked(connection, source, clones, created, context)
        if not todo:
            return
        try:
            dump = _dump(connection, source)
            # Each load is its own client process: they run side by side on the server.
            with ThreadPoolExecutor(max_workers=len(todo)) as pool:
                list(pool.map(lambda clone: _load(connection, clone.name, dump), todo))
        except BaseException:
            # Not yet recorded in ``created``: ours to drop here.
            for clone in todo:
                self.drop_clone(clone, context)
            raise
        if context.keepdb:
            for clone in todo:  # complete: its "kept" marker proves it ours from now on
                context.ledger.forget(server_entry(connection, clone.name, "clone"))
        created.extend(todo)

    def _create_marked(self, connection, source: str, clones, created, context) -> list[Clone]:
        """Create the clones still missing, each marked before anything is loaded."""
        quote = connection.ops.quote_name
        todo = []
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME "
                "FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s",
                [source],
            )
            row = cursor.fetchone()
            if row is None:
                raise DatabaseCloneException(f"Cannot clone {source!r}: it does not exist.")
            charset, collation = row
            for clone in clones:
                if _exists(cursor, clone.name):
                    if context.keepdb and _marker(cursor, quote, clone.name) is not None:
                        created.append(clone)  # kept and ours: reused, as Django does
                        continue
                    _drop_marked(cursor, quote, clone.name)
                entry = server_entry(connection, clone.name, "clone")
                context.ledger.record(entry)  # on disk before the database exists
                try:
                    cursor.execute(
                        f"CREATE DATABASE {quote(clone.name)} "
                        f"CHARACTER SET {charset} COLLATE {collation}"
                    )
                except DatabaseError as error:
                    if error.args and error.args[0] == 1007:  # exists: not ours
                        context.ledger.forget(entry)
                    raise
                # Marked before anything is loaded: a run killed mid-load leaves a
                # database that the next run's sweep can prove is ours.
                marker = f"{CLONE_MARKER} kept" if context.keepdb else owner_marker()
                table = f"{quote(clone.name)}.{quote(MARKER_TABLE)}"
                cursor.execute(f"CREATE TABLE {table} (marker VARCHAR(255) NOT NULL)")
                cursor.execute(f"INSERT INTO {table} (marker) VALUES (%s)", [marker])
                todo.append(clone)
        return todo

    def drop_clone(self, clone: Clone, context: CloneContext) -> None:
        """``DROP DATABASE``, only when its marker table proves it ours."""
        connection = connections[clone.group.primary]
        with connection._nodb_cursor() as cursor:
            if _exists(cursor, clone.name):
                _drop_marked(cursor, connection.ops.quote_name, clone.name)
        context.ledger.forget(server_entry(connection, clone.name, "clone"))

    def drop_leftover(self, connection, entry, owner) -> bool:
        """Drop the entry's database when its marker table shows ``owner`` left it.

        A template is marked last (see ``templates``), so an unmarked one the entry names is
        the entry's; an unmarked clone is not (its marker table comes right after creation).
        """
        name = entry.name
        unmarked_ours = entry.kind == "template"
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", [name]
            )
            if cursor.fetchone() is None or not left_by(
                owner, name, _any_marker(cursor, name), unmarked_ours
            ):
                return False
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
            return True

    def sweep_leftovers(self, alias: str, log) -> None:
        """Drop clones of ours whose run was killed (its process is gone on this host)."""
        connection = connections[alias]
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT TABLE_SCHEMA FROM information_schema.TABLES WHERE TABLE_NAME = %s",
                [MARKER_TABLE],
            )
            for (name,) in cursor.fetchall():
                marker = _marker(cursor, quote, name)
                if marker is not None and dead_owner(marker):
                    log(f"Dropping {name!r}, left behind by a run that was killed")
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")

    def check_permissions(self, alias: str, test_name: str) -> None:
        """Raise PermissionException unless the user of ``alias`` may create and drop the clones.

        Global privileges count, and so do privileges on a database pattern (``test\\_%``)
        that matches both the test database and its clones.
        """
        connection = connections[alias]
        sample_clone = f"{test_name}_p{os.getpid()}_w1"
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT CURRENT_USER()")
            user = cursor.fetchone()[0]
            account, _, host = user.rpartition("@")
            grantee = f"'{account}'@'{host}'"
            cursor.execute(
                "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = %s",
                [grantee],
            )
            granted = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES "
                "WHERE GRANTEE = %s AND %s LIKE TABLE_SCHEMA AND %s LIKE TABLE_SCHEMA",
                [grantee, test_name, sample_clone],
            )
            granted |= {row[0] for row in cursor.fetchall()}
        missing = [privilege for privilege in PRIVILEGES if privilege not in granted]
        if missing:
            # A LIKE pattern matching the test database and its clones, nothing wider.
            pattern = test_name.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "%"
            raise PermissionException(
                f"Missing permission: {', '.join(missing)} (alias {alias!r}: database user "
                f"{user!r} may not create and drop databases named like {test_name!r}; the run "
                "needs its test database and one clone per worker). Ask a DBA to run: "
                f"GRANT ALL PRIVILEGES ON `{pattern}`.* TO {grantee};"
            )

    def template_lock(self, connection, key: int, directory: Path, warn=None):
        """A server-wide named lock, held by this session (64 characters at most)."""
        name = f"django-concurrent-test-{key}"
        return session_lock(
            connection, "SELECT GET_LOCK(%s, -1)", "SELECT RELEASE_LOCK(%s)", [name]
        )

    def template_marker(self, connection, name: str) -> str | None:
        """The digest in the template's marker table; a database without it is refused."""
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", [name]
            )
            if cursor.fetchone() is None:
                return None
            cursor.execute(
                "SELECT 1 FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s",
                [name, TEMPLATE_MARKER_TABLE],
            )
            row = None
            if cursor.fetchone() is not None:
                cursor.execute(f"SELECT marker FROM {quote(name)}.{quote(TEMPLATE_MARKER_TABLE)}")
                row = cursor.fetchone()
        return template_digest(name, row[0] if row else "")

    def mark_template(self, connection, name: str, digest: str) -> None:
        """A one-row table inside the template (the clones' dump leaves it out)."""
        quote = connection.ops.quote_name
        table = f"{quote(name)}.{quote(TEMPLATE_MARKER_TABLE)}"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {table} (marker VARCHAR(255) NOT NULL)")
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(
                f"INSERT INTO {table} (marker) VALUES (%s)", [f"{TEMPLATE_MARKER} {digest}"]
            )

    def server_version(self, connection) -> str:
        """``MariaDB 10.11`` or ``MySQL 8.0``: a dump loads into the same release series."""
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT VERSION()")
            version = cursor.fetchone()[0]
        flavour = "MariaDB" if "mariadb" in version.lower() else "MySQL"
        return f"{flavour} {'.'.join(version.split('-')[0].split('.')[:2])}"

    def dump_template(self, connection, name: str, path: Path, tools: str | None) -> int:
        """The clones' dump of the template (its marker table left out), written to ``path``."""
        program = find_program(DUMP_PROGRAMS, 0, tools)
        # run_program: a failure is a reason not to use a snapshot (SnapshotUnusable).
        path.write_bytes(_dump(connection, name, program.path, run_program))
        return program.major

    def restore_template(self, connection, name: str, snapshot: Snapshot, tools) -> None:
        """Load the dump into the new, empty database ``name`` with the ``mysql`` client."""
        program = find_program(CLIENT_PROGRAMS, 0, tools)
        _load(connection, name, snapshot.path.read_bytes(), program.path, run_program)

    def keepdb_lock(self, connection, test_name: str, key: int, held, directory: Path):
        """A named lock (``GET_LOCK``) on a connection held for the run."""
        return server_lock(held, connection, "GET_LOCK", "RELEASE_LOCK", keepdb_lock_name(key))


def keepdb_lock_name(key: int) -> str:
    """The MySQL lock name of ``key`` (at most 64 characters)."""
    return f"django-concurrent-test-keepdb-{key:x}"


def _dump(connection, source: str, program: str | None = None, run=None) -> bytes:
    options, env = client_options(connection, source)
    # --single-transaction: a consistent copy without LOCK TABLES privileges;
    # --routines/--events as Django's _clone_db.
    command = [
        program or _program(DUMP_PROGRAMS),
        *options,
        "--single-transaction",
        "--routines",
        "--events",
        f"--ignore-table={source}.{TEMPLATE_MARKER_TABLE}",
        source,
    ]
    return (run or _run)(command, env, f"dumping {source!r}")


def _load(connection, target: str, dump: bytes, program: str | None = None, run=None) -> None:
    options, env = client_options(connection, target)
    command = [program or _program(CLIENT_PROGRAMS), *options, target]
    (run or _run)(command, env, f"loading {target!r}", dump)


def _program(names: tuple[str, ...]) -> str:
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    raise DatabaseCloneException(
        f"Cloning a MySQL/MariaDB test database needs {' or '.join(names)} on PATH "
        "(Debian: apt-get install mariadb-client; or the MySQL client tools)."
    )


def _run(command: list[str], env: dict | None, what: str, data: bytes | None = None) -> bytes:
    completed = subprocess.run(command, input=data, env=env, capture_output=True, check=False)
    if completed.returncode != 0:
        error = completed.stderr.decode(errors="replace").strip()
        raise DatabaseCloneException(f"{what} failed ({command[0]}): {error}")
    return completed.stdout


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", [name])
    return cursor.fetchone() is not None


def _marker(cursor, quote, name: str) -> str | None:
    """The marker row of a database of ours, or None when it has no marker table."""
    cursor.execute(
        "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s",
        [name, MARKER_TABLE],
    )
    if cursor.fetchone() is None:
        return None
    cursor.execute(f"SELECT marker FROM {quote(name)}.{quote(MARKER_TABLE)}")
    row = cursor.fetchone()
    marker = row[0] if row else ""
    return marker if marker.startswith(CLONE_MARKER) else None


def _any_marker(cursor, name: str) -> str | None:
    """The clone or template marker row inside a database, or None when it has none."""
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


def _drop_marked(cursor, quote, name: str) -> None:
    if _marker(cursor, quote, name) is None:
        raise SecurityException(
            f"Refusing to drop database {name!r}: it has no {MARKER_TABLE!r} table carrying "
            f"{CLONE_MARKER!r}, so django-concurrent-test did not create it. "
            "Drop or rename it yourself if it is a leftover."
        )
    cursor.execute(f"DROP DATABASE {quote(name)}")


MYSQL = MySQLBackend()
