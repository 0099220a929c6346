"""The snapshot folder: one snapshot per alias, named by the template's fingerprint.

A snapshot is two files in ``<cache folder>/snapshots/``: the dump itself,
``<alias>-<digest><suffix>``, and its description, ``<alias>-<digest>.json`` (the
fingerprint's parts, the server version it was made on, the tool that made it, its
size and SHA-256). Each is written to a temporary name and renamed; the description
comes last, so a snapshot without one is unfinished and never restored. The checksum
catches a file the CI cache truncated or someone edited.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..files import write_atomically

FOLDER = "snapshots"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


class SnapshotUnusable(Exception):
    """A snapshot cannot be made or restored; the message says why, in one line."""


@dataclass(frozen=True)
class Snapshot:
    """One snapshot file of one alias's template, and what its description says."""

    path: Path
    alias: str
    digest: str
    parts: dict
    server_version: str  # the server it was dumped from, e.g. "PostgreSQL 15"
    tool_version: int  # the dump program's major version (0 when it has none)
    size: int
    sha256: str

    def verify(self) -> None:
        """Raise SnapshotUnusable unless the file is whole and unchanged."""
        try:
            size = self.path.stat().st_size
        except OSError as error:
            raise SnapshotUnusable(f"cannot read it ({error.strerror})") from None
        if size != self.size:
            raise SnapshotUnusable(f"it is {size} bytes, {self.size} were written (truncated?)")
        if file_sha256(self.path) != self.sha256:
            raise SnapshotUnusable("its checksum does not match (damaged or changed)")


class SnapshotStore:
    """Finds, writes and prunes the snapshots in one cache folder."""

    def __init__(self, directory: Path) -> None:
        self.folder = Path(directory) / FOLDER

    def path_for(self, alias: str, digest: str, suffix: str) -> Path:
        """Where the snapshot of ``alias`` with fingerprint ``digest`` lives."""
        return self.folder / f"{_UNSAFE.sub('_', alias)}-{digest}{suffix}"

    def find(self, alias: str, digest: str, suffix: str) -> Snapshot | None:
        """The finished snapshot of ``alias`` made from a template with fingerprint ``digest``."""
        return self._read(self.path_for(alias, digest, suffix))

    def others(self, alias: str, digest: str, suffix: str) -> list[Snapshot]:
        """The finished snapshots of ``alias`` made from other fingerprints."""
        found = []
        for description in sorted(self.folder.glob(f"{_UNSAFE.sub('_', alias)}-*.json")):
            snapshot = self._read(description.with_suffix(suffix))
            if snapshot is not None and snapshot.alias == alias and snapshot.digest != digest:
                found.append(snapshot)
        return found

    def temporary_path(self, final: Path) -> Path:
        """A private name beside ``final`` to dump into (hidden, ending in .tmp)."""
        return final.with_name(f".{final.name}-{secrets.token_hex(6)}.tmp")

    def publish(self, temporary: Path, final: Path, snapshot: Snapshot) -> None:
        """Move a finished dump into place, describe it, and remove the alias's others."""
        os.replace(temporary, final)
        write_atomically(final.with_suffix(".json"), json.dumps(_description(snapshot), indent=1))
        for path in self.folder.iterdir():
            if _is_older(path, snapshot):
                path.unlink(missing_ok=True)

    def _read(self, path: Path) -> Snapshot | None:
        try:
            data = json.loads(path.with_suffix(".json").read_text())
            return Snapshot(
                path=path,
                alias=str(data["alias"]),
                digest=str(data["digest"]),
                parts=dict(data["parts"]),
                server_version=str(data["server_version"]),
                tool_version=int(data["tool_version"]),
                size=int(data["size"]),
                sha256=str(data["sha256"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # unfinished, or not ours: never restored


def describe(path: Path, alias: str, digest: str, parts: dict, server: str, tool: int) -> Snapshot:
    """The description of a finished dump at ``path`` (its size and checksum read now)."""
    return Snapshot(
        path, alias, digest, parts, server, tool, path.stat().st_size, file_sha256(path)
    )


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _description(snapshot: Snapshot) -> dict:
    return {
        "alias": snapshot.alias,
        "digest": snapshot.digest,
        "parts": snapshot.parts,
        "server_version": snapshot.server_version,
        "tool_version": snapshot.tool_version,
        "size": snapshot.size,
        "sha256": snapshot.sha256,
    }


def _is_older(path: Path, kept: Snapshot) -> bool:
    """A file of another snapshot of ``kept``'s alias (finished or not), or a stale temp."""
    prefix = f"{_UNSAFE.sub('_', kept.alias)}-"
    name = path.name.lstrip(".")
    if not name.startswith(prefix) or path.stem == kept.path.stem:
        return False
    rest = name[len(prefix) :]
    return re.match(r"[0-9a-f]{16}[.]", rest) is not None
