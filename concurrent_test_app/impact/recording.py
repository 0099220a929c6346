"""``--record-impact``: measure a run in every process and combine it into a record.

Each process (the parent and every worker) saves its own coverage.py data file in a
parts folder of this run; at the end the parent reads them, maps every executed line to
its block (``blocks``) and merges the result into the record on disk in one step.
A worker that died saved nothing: its tests stay unrecorded, and ``--changed`` runs them.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import re
import secrets
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from .. import __version__
from ..worker.impact import ImpactSpec, save_recording, start_recording
from . import record as records
from .blocks import MODULE, Blocks, file_digest, parse_blocks
from .changes import GitProblem, changed_files, head_commit, work_tree

RECORD_NAME = "impact.json"
_PART_FOLDER = re.compile(r"^(\d+)-[0-9a-f]{8}$")  # <pid>-<random>: the names we make


def project_root(start: Path) -> Path:
    """The git work tree holding ``start`` (else ``start``): what paths are relative to."""
    try:
        return work_tree(start)
    except GitProblem:
        return start.resolve()


def environment(context: str) -> records.Environment:
    """This process's environment, as a record states it."""
    import django

    names = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    return records.Environment(
        context,
        __version__,
        django.get_version(),
        platform.python_version(),
        file_digest("\n".join(names).encode()),
    )


class ImpactRecording:
    """One run's recording: its parts folder, the parent's own measurement, the record."""

    def __init__(self, cache_dir: Path, root: Path) -> None:
        self.root = root
        self.path = cache_dir / RECORD_NAME
        self.parts = cache_dir / "impact-parts" / f"{os.getpid()}-{secrets.token_hex(4)}"
        omit = ["*/site-packages/*", "*/dist-packages/*", f"{cache_dir.resolve()}/*"]
        if sys.prefix != sys.base_prefix:  # a virtualenv, perhaps inside the project
            omit.append(f"{Path(sys.prefix).resolve()}/*")
        self.spec = ImpactSpec(str(self.parts), (f"{root}/*",), tuple(omit))

    def start(self) -> None:
        """Sweep dead runs' parts, make this run's folder, and measure this process."""
        sweep_parts(self.parts.parent)
        self.parts.mkdir(parents=True)
        start_recording(self.spec, "parent")

    def finish(
        self, context: str, outputs: Iterable[Path] = ()
    ) -> tuple[records.ImpactRecord, records.ImpactRecord]:
        """Combine the parts, merge with the record on disk, write it; (this run's, merged).

        ``outputs`` are the reports this run wrote: a later ``--changed`` ignores them.
        """
        save_recording()
        startup = any(self.parts.glob("worker*.coverage"))  # a worker measured its start-up
        try:
            files, tests = combine(self.parts, self.root)
        finally:
            remove_parts(self.parts)
        try:
            head = head_commit(self.root)  # None outside a repository or before a commit
        except GitProblem:  # no git at all
            head = None
        written = relative_paths(outputs, self.root)
        dirty = changed_files(self.root, head) - self.own_files() - written if head else set()
        new = records.ImpactRecord(
            environment(context), head, frozenset(dirty), frozenset(tests), files, startup, written
        )
        try:
            old = records.load(self.path)
        except records.DamagedRecord:
            old = None  # replaced, never merged
        merged = records.merge(old, new, self.digest_of)
        records.write(self.path, merged)
        return new, merged

    def own_files(self) -> set[str]:
        """This runner's cache folder, from the root: never a change of the project."""
        return cache_files(self.path.parent, self.root)

    def digest_of(self, path: str) -> str | None:
        """A file's content hash now, None when it is gone."""
        try:
            return file_digest((self.root / path).read_bytes())
        except OSError:
            return None


def cache_files(cache_dir: Path, root: Path) -> set[str]:
    """Every file in the cache folder, from ``root`` (the folder may not be git-ignored)."""
    try:
        base = cache_dir.resolve().relative_to(root)
    except ValueError:
        return set()
    return {(base / p.relative_to(cache_dir)).as_posix() for p in cache_dir.rglob("*")}


def relative_paths(paths: Iterable[Path], root: Path) -> frozenset[str]:
    """``paths`` that lie inside ``root``, relative to it."""
    found = set()
    for path in paths:
        try:
            found.add(Path(path).resolve().relative_to(root).as_posix())
        except ValueError:
            continue
    return frozenset(found)


def combine(parts: Path, root: Path) -> tuple[dict[str, records.FileRecord], set[str]]:
    """Every part's lines as blocks, per file; and the tests that have a context."""
    from coverage import CoverageData

    ran: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    tests: set[str] = set()
    parsed: dict[str, tuple[str, Blocks | None]] = {}
    for part in sorted(parts.glob("*.coverage")):
        data = CoverageData(basename=str(part))
        try:
            data.read()
            measured = data.measured_files()
        except Exception:  # noqa: BLE001, S112 - a part cut short by a kill: its tests stay unrecorded
            continue
        for filename in measured:
            relative = _relative(filename, root)
            if relative is None:
                continue
            if relative not in parsed:
                parsed[relative] = _parse(root / relative)
            blocks = parsed[relative][1]
            for line, contexts in data.contexts_by_lineno(filename).items():
                block = blocks.block_of(line) if blocks is not None else MODULE
                for context in contexts:
                    subject = context or records.ANYWHERE
                    ran[relative][block].add(subject)
                    if context and not context.startswith(records.MODULE_PREFIX):
                        tests.add(context)
    files = {
        path: records.FileRecord(
            parsed[path][0],
            parsed[path][1].hashes if parsed[path][1] is not None else {},
            {block: frozenset(subjects) for block, subjects in blocks_ran.items()},
            parsed[path][1].stateful if parsed[path][1] is not None else frozenset(),
        )
        for path, blocks_ran in ran.items()
    }
    return files, tests


def _relative(filename: str, root: Path) -> str | None:
    try:
        return Path(filename).resolve().relative_to(root).as_posix()
    except ValueError:
        return None


def _parse(path: Path) -> tuple[str, Blocks | None]:
    try:
        data = path.read_bytes()
    except OSError:
        return "", None
    return file_digest(data), parse_blocks(data)


def remove_parts(folder: Path) -> None:
    """Delete a parts folder of ours: its coverage files, then the folder if now empty."""
    for part in folder.glob("*.coverage"):
        part.unlink(missing_ok=True)
    for empty in (folder, folder.parent):  # the parts folder, then impact-parts/ if empty
        try:
            empty.rmdir()
        except OSError:
            return  # something not ours is inside, or it is gone: leave it


def sweep_parts(parent: Path) -> None:
    """Remove the parts folders of runs whose process is gone (a kill, a power cut)."""
    if not parent.is_dir():
        return
    for folder in parent.iterdir():
        match = _PART_FOLDER.match(folder.name)
        if match and folder.is_dir() and not _alive(int(match.group(1))):
            remove_parts(folder)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
