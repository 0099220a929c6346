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

import hashlib
import time
from collections.abc import Callable
from contextlib import ExitStack, suppress
from pathlib import Path

from django.db import connections

from .backends import backend_of

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
        try:
            take = backend_of(connection).keepdb_lock(
                connection, group.test_name, lock_key(group.test_name), self._held, self.directory
            )
        except OSError as error:
            # A lock file of the cache folder that cannot be used (a directory in its
            # place, a read-only folder) must not cost the run: it goes on unlocked.
            self.log(
                f"Warning: cannot lock the kept test database {group.test_name!r}: "
                f"{error.filename}: {error.strerror or error}; going on without the lock"
            )
            return
        if take is None or take():
            return
        self.log(
            f"Another run is using the kept test database {group.test_name!r} (--keepdb); "
            "waiting for it to finish"
        )
        while not take():
            time.sleep(POLL_SECONDS)


def lock_key(test_name: str) -> int:
    """A 60-bit key for ``test_name``, apart from the template lock's keys."""
    return int(hashlib.sha1(f"keepdb:{test_name}".encode()).hexdigest()[:15], 16)
