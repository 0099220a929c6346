"""SQLite: file clones in the run's private temporary folder, made with the backup API."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.db import connections

from ..files import open_lock
from ..ledger import Entry
from ..snapshots.store import Snapshot
from .common import (
    OWNER_FILE,
    TEMP_PREFIX,
    Clone,
    DatabaseGroup,
    NotOurs,
    dead_owner,
    file_lock,
)
from .protocol import CloneContext, WorkerSide

SQLITE_SUFFIXES = ("", "-journal", "-wal", "-shm")
SQLITE_HEADER = b"SQLite format 3\x00"  # the first bytes of every SQLite 3 database file
SERVER_KEY = "sqlite"  # every file is on "this machine"


class SQLiteBackend:
    """File clones and templates; a run's leftovers are its folder; file locks."""

    vendor = "sqlite"
    keeps_clones = False  # cheap copies in a private folder: they always go
    template_in_file = True
    template_renamed = False
    snapshot_suffix = ".sqlite3"  # a copy of the template file
    # A clone lives as long as the run and is rebuilt if its worker dies, so durability
    # buys nothing; without it a file clone is about as fast as Django's in-memory test
    # database (TransactionTestCase commits after every statement).
    worker = WorkerSide(
        "SELECT file FROM pragma_database_list WHERE name = 'main'",
        identity_is_path=True,
        setup_statements=("PRAGMA synchronous = OFF", "PRAGMA journal_mode = MEMORY"),
    )

    def plan_clone(self, group: DatabaseGroup, worker_id: int, context: CloneContext) -> Clone:
        """``<alias>_w<k>.sqlite3`` in the run's private folder."""
        path = os.path.join(context.directory, f"{group.primary}_w{worker_id}.sqlite3")
        return Clone(group, worker_id, path, os.path.realpath(path))

    def create_clones(self, clones: list[Clone], created: list[Clone], context) -> None:
        """One backup of the test database (in memory or not), then plain file copies."""
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

    def drop_clone(self, clone: Clone, context: CloneContext) -> None:
        """Remove the file and its journals."""
        _remove(clone.name)

    def worker_settings(self, clone: Clone) -> dict:
        """The test database's settings, pointing at the clone's file."""
        # Not Django's get_test_db_clone_settings: for spawn it names a file relative to
        # the working directory, which two runs would share and no sweep could prove ours.
        source = connections[clone.group.primary].settings_dict
        test_settings = {**source.get("TEST", {}), "NAME": clone.name}
        return {**source, "NAME": clone.name, "TEST": test_settings}

    def server_key(self, connection) -> str:
        """``sqlite``: files need no server address."""
        return SERVER_KEY

    def entry_for(self, connection, name: str, kind: str) -> Entry:
        """The ledger entry of file ``name``."""
        return Entry(SERVER_KEY, name, kind)

    def drop_leftover(self, connection, entry, owner) -> bool:
        """Remove a SQLite file the ledger names (its path was checked); True if it was there.

        NotOurs when the file is not a SQLite database: nothing of ours is anything else.
        """
        name = os.path.realpath(entry.name)
        try:
            with open(name, "rb") as stream:
                header = stream.read(len(SQLITE_HEADER))
        except FileNotFoundError:
            header = b""
        if header and header != SQLITE_HEADER:
            raise NotOurs("it is not a SQLite database")
        return _remove(name)

    def sweep_leftovers(self, alias: str, log) -> None:
        """Remove clone folders of ours whose run was killed."""
        for folder in Path(tempfile.gettempdir()).glob(TEMP_PREFIX + "*"):
            owner = folder / OWNER_FILE
            try:
                marker = owner.read_text().strip()
            except OSError:
                continue  # not ours, or not yet written: leave it
            if dead_owner(marker):
                log(f"Removing {str(folder)!r}, left behind by a run that was killed")
                shutil.rmtree(folder, ignore_errors=True)

    def check_permissions(self, alias: str, test_name: str) -> None:
        """Nothing to check: the clones are files in a folder of ours."""

    def template_name(self, connection, directory: Path) -> str:
        """``<directory>/templates/<alias>.sqlite3``."""
        return str(Path(directory) / "templates" / f"{connection.alias}.sqlite3")

    @contextmanager
    def template_lock(self, connection, key: int, directory: Path, warn=None):
        """``flock`` on a file in the cache folder, waited for (OSError: the cache is unusable)."""
        directory.mkdir(parents=True, exist_ok=True)
        with open_lock(directory / f".template-{key}.lock", warn or _silent) as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def template_marker(self, connection, name: str) -> str | None:
        """The digest in the sidecar file beside the template."""
        sidecar = Path(name + ".fingerprint")
        exists = Path(name).exists() and sidecar.exists()
        return sidecar.read_text().strip() if exists else None

    def mark_building(self, connection, name: str) -> None:
        """Nothing: a template file is built in the cache folder, never on a server."""

    def mark_template(self, connection, name: str, digest: str) -> None:
        """Write the sidecar file."""
        Path(name + ".fingerprint").write_text(digest + "\n")

    def invalidate_template(self, connection, name: str) -> None:
        """Remove the sidecar file."""
        Path(name + ".fingerprint").unlink(missing_ok=True)

    def server_version(self, connection) -> str:
        """``SQLite 3``: every SQLite 3 library reads every SQLite 3 file."""
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version_info[0]}"

    def dump_template(self, connection, name: str, path: Path, tools: str | None) -> int:
        """A consistent copy of the template file (the backup API), written to ``path``."""
        import sqlite3

        source, target = sqlite3.connect(name), sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return 0

    def restore_template(self, connection, name: str, snapshot: Snapshot, tools) -> None:
        """Put a copy of the snapshot in the template's place, in one rename."""
        temporary = f"{name}.{os.getpid()}.restoring"
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(snapshot.path, temporary)
            os.replace(temporary, name)
        finally:
            _remove(temporary)

    def keepdb_lock(self, connection, test_name: str, key: int, held, directory: Path):
        """``flock`` on a file in the runner's folder; none for an in-memory database."""
        if connection.creation.is_in_memory_db(test_name):
            return None  # private to the run
        return file_lock(held, directory, key)


def _silent(message: str) -> None:
    """Says nothing."""


def _remove(name: str) -> bool:
    existed = False
    for suffix in SQLITE_SUFFIXES:
        try:
            os.remove(name + suffix)
            existed = True
        except FileNotFoundError:
            pass
    return existed


SQLITE = SQLiteBackend()
