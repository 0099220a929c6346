"""PostgreSQL: ``CREATE DATABASE … TEMPLATE`` clones, marked with ``COMMENT ON DATABASE``."""

from __future__ import annotations

from pathlib import Path

from django.db import connections

from ..cpus import available_cpus
from ..exceptions import DatabaseCloneException, PermissionException, SecurityException
from ..snapshots.store import Snapshot
from ..snapshots.tools import find_program, run_program
from ..worker.upkeep import with_connect_retries
from .common import (
    CLONE_MARKER,
    TEMPLATE_MARKER,
    UNFINISHED,
    Clone,
    DatabaseGroup,
    ServerBackend,
    client_options,
    clone_base,
    dead_owner,
    in_parallel,
    left_by,
    owner_marker,
    server_clone_name,
    server_entry,
    server_lock,
    session_lock,
    template_digest,
)
from .protocol import CloneContext, WorkerSide

# A connection limit no server reaches, given by CREATE DATABASE itself: the one mark a
# clone has from its first instant (its comment comes a statement later, and a run
# killed in between leaves an uncommented clone that only this proves ours).
CLONE_CONNECTION_LIMIT = 1_000_027
OBJECT_IN_USE = "55006"  # "source database is being accessed by other users"
DUPLICATE_DATABASE = "42P04"


class PostgreSQLBackend(ServerBackend):
    """Template clones, proved ours by their comment; advisory locks."""

    vendor = "postgresql"
    template_renamed = True
    snapshot_suffix = ".dump"  # pg_dump's custom format: pg_restore loads it in parallel
    worker = WorkerSide("SELECT current_database()", identity_is_path=False)

    def plan_clone(self, group: DatabaseGroup, worker_id: int, context: CloneContext) -> Clone:
        """``<test name>_p<pid>_w<k>`` (``<test name>_w<k>`` with --keepdb), within 63 bytes."""
        name = server_clone_name(clone_base(group, context.keepdb), worker_id)
        return Clone(group, worker_id, name, name)

    def create_clones(self, clones: list[Clone], created: list[Clone], context) -> None:
        """All of one group's clones at once, each on its own connection."""
        connection = connections[clones[0].group.primary]
        source = connection.settings_dict["NAME"]
        # CREATE DATABASE … TEMPLATE fails while anyone is connected to the template.
        for alias in clones[0].group.aliases:
            connections[alias].close()
        in_parallel(
            connection,
            clones,
            lambda cursor, clone: self._create_one(
                cursor, connection, source, clone, created, context
            ),
        )

    def _create_one(self, cursor, connection, source: str, clone, created, context) -> None:
        quote = connection.ops.quote_name
        if _exists(cursor, clone.name):
            if context.keepdb and _is_ours(cursor, clone.name):
                created.append(clone)  # kept from an earlier run, and ours
                return
            _drop_marked(cursor, quote, clone.name, context)
        entry = server_entry(connection, clone.name, "clone")
        context.ledger.record(entry)  # on disk before the database exists
        try:
            _execute_retrying(
                cursor,
                f"CREATE DATABASE {quote(clone.name)} WITH TEMPLATE {quote(source)} "
                f"CONNECTION LIMIT {CLONE_CONNECTION_LIMIT}",
                context,
            )
        except DatabaseCloneException as error:
            if _sqlstate(error) == DUPLICATE_DATABASE:  # someone else's, not ours
                context.ledger.forget(entry)
            raise
        # A kept clone (--keepdb) outlives its run on purpose: no pid, so the next
        # run's sweep of killed runs' leftovers does not drop it.
        marker = f"{CLONE_MARKER} kept" if context.keepdb else owner_marker()
        cursor.execute(f"COMMENT ON DATABASE {quote(clone.name)} IS %s", [marker])
        if context.keepdb:
            context.ledger.forget(entry)  # its "kept" marker proves it ours from now on
        created.append(clone)

    def drop_clone(self, clone: Clone, context: CloneContext) -> None:
        """``DROP DATABASE``, only when its comment proves it ours."""
        connection = connections[clone.group.primary]
        with connection._nodb_cursor() as cursor:
            if _exists(cursor, clone.name):
                _drop_marked(cursor, connection.ops.quote_name, clone.name, context)
        context.ledger.forget(server_entry(connection, clone.name, "clone"))

    def drop_leftover(self, connection, entry, owner) -> bool:
        """Drop the entry's database when its comment shows ``owner`` left it (NotOurs if none)."""
        name = entry.name
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database'), datconnlimit FROM pg_database "
                "WHERE datname = %s",
                [name],
            )
            row = cursor.fetchone()
            if row is None:
                return False
            # Uncommented but created as our clones are: killed before its comment.
            unmarked_ours = entry.kind != "template" and row[1] == CLONE_CONNECTION_LIMIT
            if not left_by(owner, name, row[0], unmarked_ours):
                return False
            # The dead run's own sessions may linger a moment; FORCE (PostgreSQL 13+)
            # ends them rather than failing with "being accessed by other users".
            force = " WITH (FORCE)" if connection.pg_version >= 130000 else ""
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}{force}")
            return True

    def sweep_leftovers(self, alias: str, log) -> None:
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

    def check_permissions(self, alias: str, test_name: str) -> None:
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

    def template_lock(self, connection, key: int, directory: Path, warn=None):
        """A session advisory lock, waited for."""
        return session_lock(
            connection, "SELECT pg_advisory_lock(%s)", "SELECT pg_advisory_unlock(%s)", [key]
        )

    def template_marker(self, connection, name: str) -> str | None:
        """The digest in the template's comment; a database without our comment is refused."""
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [name],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        return template_digest(name, row[0] or "")

    def mark_building(self, connection, name: str) -> None:
        """Comment the new, empty template at once: a kill while it fills leaves it provable."""
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS %s",
                [f"{TEMPLATE_MARKER} {UNFINISHED.strip('_')}"],
            )

    def mark_template(self, connection, name: str, digest: str) -> None:
        """``COMMENT ON DATABASE``, with no session left on the template."""
        connection.close()  # the template must have no session when it is cloned
        quoted = connection.ops.quote_name(name)
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"COMMENT ON DATABASE {quoted} IS %s", [f"{TEMPLATE_MARKER} {digest}"])

    def server_version(self, connection) -> str:
        """``PostgreSQL <major>``: a dump restores into a server of the same major version."""
        return f"PostgreSQL {_major(connection)}"

    def dump_template(self, connection, name: str, path: Path, tools: str | None) -> int:
        """``pg_dump`` in custom format, without owners or grants; its major version."""
        program = find_program(("pg_dump",), _major(connection), tools)
        options, env = client_options(connection, name)
        command = [program.path, *options, "--format=custom", "--no-owner", "--no-privileges"]
        run_program([*command, f"--file={path}", name], env, f"dumping {name!r}")
        return program.major

    def restore_template(self, connection, name: str, snapshot: Snapshot, tools) -> None:
        """``pg_restore -j`` into the new, empty database ``name``; stops at the first error."""
        at_least = max(snapshot.tool_version, _major(connection))
        program = find_program(("pg_restore",), at_least, tools)
        options, env = client_options(connection, name)
        jobs = min(4, available_cpus())
        command = [program.path, *options, "--no-owner", "--no-privileges", "--exit-on-error"]
        command += [f"--jobs={jobs}", f"--dbname={name}", str(snapshot.path)]
        run_program(command, env, f"restoring {name!r}")

    def keepdb_lock(self, connection, test_name: str, key: int, held, directory: Path):
        """A session advisory lock on a connection held for the run."""
        return server_lock(held, connection, "pg_try_advisory_lock", "pg_advisory_unlock", key)


def _major(connection) -> int:
    """The server's major version (15 for 15.4), read on a connection to no test database."""
    with connection._nodb_cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _is_ours(cursor, name: str) -> bool:
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [name],
    )
    row = cursor.fetchone()
    return row is not None and (row[0] or "").startswith(CLONE_MARKER)


def _drop_marked(cursor, quote, name: str, context: CloneContext) -> None:
    if not _is_ours(cursor, name):
        raise SecurityException(
            f"Refusing to drop database {name!r}: it does not carry the marker "
            f"{CLONE_MARKER!r}, so django-concurrent-test did not create it. "
            "Drop or rename it yourself if it is a leftover."
        )
    _execute_retrying(cursor, f"DROP DATABASE {quote(name)}", context)


def _execute_retrying(cursor, sql: str, context: CloneContext) -> None:
    """Run ``sql``, retried while the template is in use; a failure is a clone error."""
    try:
        with_connect_retries(
            lambda: cursor.execute(sql),
            context.max_retries,
            context.retry_delay,
            context.log,
            transient=lambda error: _sqlstate(error) == OBJECT_IN_USE,
        )
    except Exception as error:
        raise DatabaseCloneException(f"{sql} failed: {error}") from error


def _sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of a psycopg error, or of the one a wrapper was raised from."""
    while error is not None:
        code = getattr(error, "pgcode", None) or getattr(error, "sqlstate", None)
        if code:
            return code
        error = error.__cause__
    return None


POSTGRESQL = PostgreSQLBackend()
