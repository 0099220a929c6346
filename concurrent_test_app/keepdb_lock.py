"""One ``--keepdb`` run at a time per test database: a lock held from set-up to teardown.

With ``--keepdb`` the test database and its clones (``<test name>_w<k>``) have stable
names, so two runs on one server would migrate, clone and test in the same databases
(a duplicate-key error creating them, or false UniqueViolation errors in tests). The
second run waits for the first, and says so, as a run wanting a template being built
does. Each lock belongs to a connection or file handle of this process, so a killed run
frees it at once:

* PostgreSQL: a session advisory lock; MySQL/MariaDB: a named lock (``GET_LOCK``),
  each on a connection of its own held for the run;
* SQLite: ``flock`` on a file in the runner's folder (``.concurrent_test/``), for a test
  database in a file (an in-memory one is private to the run).
"""

from __future__ import annotations

import fcntl
import hashlib
import time
from collections.abc import Callable
from contextlib import ExitStack, suppress
from pathlib import Path

from django.db import connections

POLL_SECONDS = 0.5  # short sleeps rather than one blocking call: Ctrl-C still works


class KeptDatabasesLock:
    """Locks every test database a ``--keepdb`` run uses; ``release()`` frees them all."""

    def __init__(self, groups, directory: Path, log: Callable[[str], None]) -> None:
        self.groups = sorted(groups, key=lambda group: group.test_name)  # one order: no deadlock
        self.directory = Path(directory)
        self.log = log
        self._held = ExitStack()

    def acquire(self) -> None:
        """Take each database's lock, waiting (and saying so) while another run holds one."""
        try:
            for group in self.groups:
                self._acquire_one(group)
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        """Let the next run have the databases (also called when acquiring failed)."""
        # A lost connection has lost its lock too: nothing is left to free then.
        with suppress(Exception):
            self._held.close()

    def _acquire_one(self, group) -> None:
        connection = connections[group.primary]
        if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(group.test_name):
            return
        key = lock_key(group.test_name)
        if connection.vendor == "postgresql":
            take = self._server_lock(connection, "pg_try_advisory_lock", "pg_advisory_unlock", key)
        elif connection.vendor == "mysql":
            take = self._server_lock(connection, "GET_LOCK", "RELEASE_LOCK", mysql_name(key))
        else:
            take = self._file_lock(key)
        if take():
            return
        self.log(
            f"Another run is using the kept test database {group.test_name!r} (--keepdb); "
            "waiting for it to finish"
        )
        while not take():
            time.sleep(POLL_SECONDS)

    def _server_lock(self, connection, lock: str, unlock: str, name) -> Callable[[], bool]:
        # A connection of its own, kept open for the run: the lock lives as long as it.
        cursor = self._held.enter_context(connection._nodb_cursor())
        arguments = "%s" if lock.startswith("pg_") else "%s, 0"  # GET_LOCK: do not block

        def take() -> bool:
            cursor.execute(f"SELECT {lock}({arguments})", [name])
            if cursor.fetchone()[0] != 1:
                return False
            self._held.callback(cursor.execute, f"SELECT {unlock}(%s)", [name])
            return True

        return take

    def _file_lock(self, key: int) -> Callable[[], bool]:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f".keepdb-{key:x}.lock"
        handle = self._held.enter_context(open(path, "w"))  # noqa: SIM115 - held for the run

        def take() -> bool:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True  # closing the handle (release) unlocks it

        return take


def lock_key(test_name: str) -> int:
    """A 60-bit key for ``test_name``, apart from the template lock's keys."""
    return int(hashlib.sha1(f"keepdb:{test_name}".encode()).hexdigest()[:15], 16)


def mysql_name(key: int) -> str:
    """The MySQL lock name of ``key`` (at most 64 characters)."""
    return f"django-concurrent-test-keepdb-{key:x}"
