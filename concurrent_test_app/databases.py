"""Worker databases: one clone of every test database per worker, created and dropped safely.

The test databases Django's own ``setup_databases`` created (migrated, possibly
serialized) are the templates. Each group's backend (``backends``) makes and drops its
clones: SQLite clones are files in a private temporary directory, copied with the backup
API (so an in-memory test database works too); PostgreSQL clones are
``CREATE DATABASE … TEMPLATE`` copies carrying a comment that marks them as ours; MySQL
clones are loaded from one dump and carry a marker table. Nothing is dropped unless this run created it, or the marker proves
an earlier run of ours did, or the intent ledger (``ledger``) does: each clone's name is
written there before its ``CREATE DATABASE``, so a run killed before the comment still
leaves a database the next run can prove is ours.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

from django.db import DatabaseError, connections

from .backends import CloneContext, backend_of
from .backends.common import (
    OWNER_FILE,
    TEMP_PREFIX,
    UNDROPPED,
    Clone,
    DatabaseGroup,
    at_once,
    owner_marker,
)
from .exceptions import DatabaseCloneException, SecurityException
from .ledger import Ledger

__all__ = ["OWNER_FILE", "TEMP_PREFIX", "Clone", "CloneSet", "DatabaseGroup", "owner_marker"]


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
        self.context = CloneContext(
            keepdb, max_retries, retry_delay, self.log, self.ledger, self.directory
        )
        self.clones = [
            _backend(group).plan_clone(group, worker_id, self.context)
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
            _backend(group).create_clones(clones, self._created, self.context)

    def for_worker(self, worker_id: int) -> list[Clone]:
        """The clones one worker binds to."""
        return [clone for clone in self.clones if clone.worker_id == worker_id]

    def recreate(self, worker_id: int) -> None:
        """Give a worker fresh copies of its clones (after its predecessor died mid-test)."""
        for group in self.groups:
            clones = [c for c in self.clones if c.worker_id == worker_id and c.group == group]
            backend = _backend(group)
            for clone in clones:
                if clone in self._created:
                    backend.drop_clone(clone, self.context)
                    self._created.remove(clone)
            backend.create_clones(clones, self._created, self.context)

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
                if not (_backend(clone.group).keeps_clones and self.keepdb)
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
        backend = _backend(clone.group)
        delay = self.retry_delay
        for attempt in range(self.max_retries + 1):
            try:
                backend.drop_clone(clone, self.context)
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
            backend = _backend(clone.group)
            self.ledger.record(backend.entry_for(connection, clone.name, UNDROPPED))
            self.ledger.forget(backend.entry_for(connection, clone.name, "clone"))
        names = ", ".join(repr(clone.name) for clone, _ in failed)
        error = failed[0][1]
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        self.warn(
            f"Warning: could not drop {len(failed)} test database(s) ({names}): "
            f"{reason}; the next run drops them"
        )


def _backend(group: DatabaseGroup):
    return backend_of(connections[group.primary])
