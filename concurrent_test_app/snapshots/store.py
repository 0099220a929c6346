"""The snapshot folder: one snapshot per alias, named by the template's fingerprint.

A snapshot is two files in ``<cache folder>/snapshots/``: the dump itself,
``<alias>-<digest><suffix>``, and its description, ``<alias>-<digest>.json`` (the
fingerprint's parts, the server version it was made on, the tool that made it, its
size and SHA-256). Each is written to a temporary name and renamed; the description
comes last, so a snapshot without one is unfinished and never restored. The checksum
catches a file the CI cache truncated or someone edited. A description that is not
JSON or has a value of the wrong type is one line and set aside (``.json.damaged``); a
snapshot whose description was forged to match a foreign file is caught when the restored
template is proven (``template_proof``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..cachefiles import set_aside, warn_line
from ..files import write_atomically

FOLDER = "snapshots"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
_DIGEST = re.compile(r"[0-9a-f]{16}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


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

    def __init__(self, directory: Path, warn=warn_line) -> None:
        self.folder = Path(directory) / FOLDER
        self.warn = warn

    def path_for(self, alias: str, digest: str, suffix: str) -> Path:
        """Where the snapshot of ``alias`` with fingerprint ``digest`` lives."""
        return self.folder / f"{_UNSAFE.sub('_', alias)}-{digest}{suffix}"

    def find(self, alias: str, digest: str, suffix: str) -> Snapshot | None:
        """The finished snapshot of ``alias`` made from a template with fingerprint ``digest``."""
        found = self._read(self.path_for(alias, digest, suffix))
        if found is not None and (found.alias, found.digest) != (alias, digest):
            self._damaged(found.path, "it describes another alias or fingerprint than its name")
            return None
        return found

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
        """The snapshot at ``path`` if its description is there and sound, else None.

        No description: unfinished, never restored. A damaged one: one line, set aside.
        """
        try:
            data = json.loads(path.with_suffix(".json").read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            self._damaged(path, f"it cannot be read ({str(error)[:120]})")
            return None
        problem = description_problem(data)
        if problem is not None:
            self._damaged(path, problem)
            return None
        return Snapshot(path=path, **{key: data[key] for key in _FIELDS})

    def _damaged(self, path: Path, problem: str) -> None:
        description = path.with_suffix(".json")
        where = set_aside(description)
        self.warn(
            f"Warning: template snapshot description {description} is damaged: {problem}; {where}"
        )


_FIELDS = {
    "alias": str,
    "digest": str,
    "parts": dict,
    "server_version": str,
    "tool_version": int,
    "size": int,
    "sha256": str,
}
_KINDS = {str: "a string", dict: "an object", int: "a whole number"}


def description_problem(data) -> str | None:
    """What is wrong with a snapshot description's content, or None."""
    if not isinstance(data, dict):
        return f"a JSON {type(data).__name__}, not an object"
    for key, kind in _FIELDS.items():
        value = data.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            return f"{key!r} is {value!r:.40}, not {_KINDS[kind]}"
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in data["parts"].items()):
        return "'parts' holds values that are not strings"
    if not _DIGEST.fullmatch(data["digest"]) or not _SHA256.fullmatch(data["sha256"]):
        return "its digest or checksum is not a hexadecimal hash"
    if data["size"] < 0 or data["tool_version"] < 0:
        return "its size or tool version is negative"
    return None


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
