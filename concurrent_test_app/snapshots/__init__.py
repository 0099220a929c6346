"""Snapshots of migrated templates, kept in the cache folder so a CI cache can carry them.

``store`` names, writes, checks and prunes the snapshot files; ``tools`` finds the
server's dump and restore programs (``pg_dump``/``pg_restore``, ``mysqldump``/``mysql``)
in a version that can read the server. Each backend knows how to dump and load its own
databases (``Backend.dump_template``/``restore_template``); ``templates`` decides when.
"""

from __future__ import annotations

from .store import Snapshot, SnapshotStore, SnapshotUnusable

__all__ = ["Snapshot", "SnapshotStore", "SnapshotUnusable"]
