"""The one interface every database backend offers the runner, the caches and the worker."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..ledger import Entry, Ledger, Owner
from ..snapshots.store import Snapshot
from .common import Clone, DatabaseGroup


def _silent(message: str) -> None:
    """The default log: says nothing."""


@dataclass(frozen=True)
class CloneContext:
    """What one run's cloning needs besides the clones: its options, log, ledger and folder."""

    keepdb: bool = False
    max_retries: int = 3
    retry_delay: float = 1.0
    log: Callable[[str], None] = _silent
    ledger: Ledger = field(default_factory=lambda: Ledger(None))
    directory: str = ""  # the run's private temporary folder (file clones live there)


@dataclass(frozen=True)
class WorkerSide:
    """What a worker runs on one alias: its identity query and its set-up statements."""

    identity_sql: str  # one row, one column: the database (or file) it is attached to
    identity_is_path: bool  # the identity is a file path: compared as its realpath
    setup_statements: tuple[str, ...] = ()  # on every new connection, not counted


class Backend(Protocol):
    """How one database backend clones, proves, sweeps, locks and identifies its databases."""

    vendor: str
    keeps_clones: bool  # with --keepdb the clones outlive the run
    template_in_file: bool  # the template is a file: no ledger, no server build
    template_renamed: bool  # built under an unfinished name, renamed when marked
    snapshot_suffix: str  # the ending of a template snapshot's file name
    worker: WorkerSide

    def plan_clone(self, group: DatabaseGroup, worker_id: int, context: CloneContext) -> Clone:
        """Name the clone without creating it."""

    def create_clones(self, clones: list[Clone], created: list[Clone], context) -> None:
        """Create one group's clones (all workers), appending each to ``created``."""

    def drop_clone(self, clone: Clone, context: CloneContext) -> None:
        """Remove one clone this run created, after proving it ours."""

    def worker_settings(self, clone: Clone) -> dict[str, Any]:
        """The connection settings a worker uses to reach ``clone``."""

    def server_key(self, connection) -> str:
        """Which server ``connection``'s databases live on (the ledger's key)."""

    def entry_for(self, connection, name: str, kind: str) -> Entry:
        """The ledger entry of database ``name`` on ``connection``'s server."""

    def drop_leftover(self, connection, entry: Entry, owner: Owner) -> bool:
        """Drop ``entry``'s database if there and provably left by ``owner``; True if dropped.

        Raises NotOurs (``backends.common``) when it is there but not provably ours.
        """

    def mark_building(self, connection, name: str) -> None:
        """Mark a server template just created, before it is filled (server backends)."""

    def sweep_leftovers(self, alias: str, log) -> None:
        """Drop the marked clones of runs that were killed."""

    def check_permissions(self, alias: str, test_name: str) -> None:
        """Raise PermissionException unless the run may create and drop its databases."""

    def template_name(self, connection, directory: Path) -> str:
        """The template's database name, or file path."""

    def template_lock(
        self, connection, key: int, directory: Path, warn=None
    ) -> AbstractContextManager:
        """Held while a run builds or checks a template: others wanting it wait.

        ``warn`` says that an unusable lock file was set aside (file locks).
        """

    def template_marker(self, connection, name: str) -> str | None:
        """The fingerprint stored with an existing template of ours, else None."""

    def mark_template(self, connection, name: str, digest: str) -> None:
        """Store ``digest`` with template ``name``, proving it ours."""

    def invalidate_template(self, connection, name: str) -> None:
        """Make the template's fingerprint match nothing (tests ran on it)."""

    def keepdb_lock(
        self, connection, test_name: str, key: int, held: ExitStack, directory: Path
    ) -> Callable[[], bool] | None:
        """A ``take()`` trying the lock of a kept test database once, or None: none needed."""

    def server_version(self, connection) -> str:
        """The server a snapshot must be restored into, e.g. ``PostgreSQL 15``."""

    def dump_template(self, connection, name: str, path: Path, tools: str | None) -> int:
        """Write a snapshot of template ``name`` to ``path``; the dump program's major version.

        ``tools`` is the folder to take the client programs from (None: search for them).
        Raises SnapshotUnusable (or any error) when it cannot.
        """

    def restore_template(self, connection, name: str, snapshot: Snapshot, tools) -> None:
        """Load ``snapshot`` into ``name``: a new empty database, or the template's file."""
