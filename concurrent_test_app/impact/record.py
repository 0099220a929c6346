"""The impact record (``impact.json``): which blocks of which files each test executed.

Read from the cache folder, so untrusted: anything malformed raises DamagedRecord and
the caller runs every test. Subjects are what executed a block: a test id, ``module:M``
(a class or module fixture of test module M: every test of M), or ANYWHERE (import,
set-up, system checks: outside any test, so every test may depend on it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..files import write_atomically
from .blocks import MODULE

FORMAT = "django-concurrent-runner impact record"
VERSION = 1
ANYWHERE = "*"
MODULE_PREFIX = "module:"


class DamagedRecord(Exception):
    """The record cannot be read or is not one of ours; the message says why."""


@dataclass(frozen=True)
class Environment:
    """What a record is only valid under: it changes what every test executes."""

    context: str  # settings module and database vendors (outcomes.run_context)
    runner: str
    django: str
    python: str
    packages: str  # a digest of every installed distribution's name and version

    def difference(self, other: Environment) -> str | None:
        """How ``other`` (the record's) differs from this one, for the reason line."""
        for label, mine, theirs in (
            ("settings and databases", self.context, other.context),
            ("django-concurrent-runner", self.runner, other.runner),
            ("Django", self.django, other.django),
            ("Python", self.python, other.python),
        ):
            if mine != theirs:
                return f"the impact record was made with {label} {theirs} (now {mine})"
        if self.packages != other.packages:
            return "the impact record was made with other installed packages"
        return None


@dataclass(frozen=True)
class FileRecord:
    """One measured file: its content hash, its blocks' hashes, who ran each block."""

    sha: str
    blocks: Mapping[str, str]
    ran: Mapping[str, frozenset[str]]
    stateful: frozenset[str] = frozenset()  # blocks whose effect may outlive their test


@dataclass(frozen=True)
class ImpactRecord:
    """Everything ``--changed`` knows about the tests' code, and under what it holds."""

    environment: Environment
    head: str | None  # the commit checked out when recorded
    dirty: frozenset[str]  # files that differed from it then
    tests: frozenset[str]
    files: Mapping[str, FileRecord] = field(default_factory=dict)
    # Whether a worker measured a process's start-up (settings, django.setup(), the
    # checks); a sequential run's parent starts measuring only once its runner runs.
    startup: bool = True
    outputs: frozenset[str] = frozenset()  # reports the recording runs wrote: not changes

    @cached_property
    def stateful_subjects(self) -> dict[str, str]:
        """Each subject that may have left state behind for later tests, and how.

        It ran a stateful block, or a file's import-time code: a test that imports a
        module first runs what every later importer of that process only finds done.
        """
        found: dict[str, str] = {}
        for path, file in sorted(self.files.items()):
            for subject in file.ran.get(MODULE, ()):
                found.setdefault(subject, f"{path} first in its process (its import)")
            for block in sorted(file.stateful):
                for subject in file.ran.get(block, ()):
                    found.setdefault(subject, f"{path}: {block}(), which keeps state")
        return found

    def subjects_of_file(self, path: str) -> set[str]:
        """Every subject that executed any line of ``path``."""
        found: set[str] = set()
        for subjects in self.files[path].ran.values():
            found |= subjects
        return found


def merge(old: ImpactRecord | None, new: ImpactRecord, digest_of) -> ImpactRecord:
    """``new``, plus ``old``'s tests that did not run again and whose files are unchanged.

    ``digest_of(path)`` is a file's content hash now (None if gone). A test is kept
    whole or not at all: one that executed a file that changed since is dropped, and so
    counts as never recorded (``--changed`` runs it).
    """
    if old is None or old.environment != new.environment or old.head != new.head:
        return new
    changed = {path for path, f in old.files.items() if digest_of(path) != f.sha}
    stale = set().union(*(old.subjects_of_file(path) for path in changed))
    keep = old.tests - new.tests - stale
    subjects_kept = {s for f in old.files.values() for ss in f.ran.values() for s in ss}
    subjects_kept = (subjects_kept - old.tests) | keep  # fixtures and ANYWHERE stay
    files = {}
    for path in new.files.keys() | (old.files.keys() - changed):
        current = new.files.get(path) or old.files[path]
        ran = {block: set(subjects) for block, subjects in new.files.get(path, _EMPTY).ran.items()}
        if path in old.files and path not in changed:
            for block, subjects in old.files[path].ran.items():
                ran.setdefault(block, set()).update(subjects & subjects_kept)
        files[path] = FileRecord(current.sha, current.blocks, _frozen(ran), current.stateful)
    return ImpactRecord(
        new.environment,
        new.head,
        new.dirty | old.dirty,
        new.tests | keep,
        files,
        new.startup and old.startup,
        new.outputs | old.outputs,
    )


_EMPTY = FileRecord("", {}, {}, frozenset())


def _frozen(ran: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    return {block: frozenset(subjects) for block, subjects in ran.items() if subjects}


def dumps(record: ImpactRecord) -> str:
    """The record as JSON; subjects are listed once and referred to by index."""
    subjects = sorted(
        {s for f in record.files.values() for ss in f.ran.values() for s in ss} | record.tests
    )
    index = {subject: number for number, subject in enumerate(subjects)}
    env = record.environment
    return json.dumps(
        {
            "format": FORMAT,
            "version": VERSION,
            "environment": {
                "context": env.context,
                "runner": env.runner,
                "django": env.django,
                "python": env.python,
                "packages": env.packages,
            },
            "head": record.head,
            "startup": record.startup,
            "outputs": sorted(record.outputs),
            "dirty": sorted(record.dirty),
            "subjects": subjects,
            "tests": sorted(index[test] for test in record.tests),
            "files": {
                path: {
                    "sha": f.sha,
                    "blocks": dict(f.blocks),
                    "ran": {block: sorted(index[s] for s in ss) for block, ss in f.ran.items()},
                    "stateful": sorted(f.stateful),
                }
                for path, f in sorted(record.files.items())
            },
        },
        separators=(",", ":"),
    )


def write(path: Path, record: ImpactRecord) -> None:
    """Replace the record in one step: a crash leaves the old one or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, dumps(record))


def load(path: Path) -> ImpactRecord | None:
    """The record at ``path``; None when there is none; DamagedRecord when unusable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise DamagedRecord(f"it cannot be read ({error})") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise DamagedRecord("it is not JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DamagedRecord("it is not an impact record of django-concurrent-runner")
    if data.get("version") != VERSION:
        raise DamagedRecord(f"it has version {data.get('version')!r}, this runner reads {VERSION}")
    try:
        return _parsed(data)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        raise DamagedRecord(f"it is malformed ({type(error).__name__}: {error})") from None


def _parsed(data: dict) -> ImpactRecord:
    env = data["environment"]
    environment = Environment(*(_text(env[key]) for key in Environment.__dataclass_fields__))
    subjects = [_text(subject) for subject in data["subjects"]]
    files = {}
    for path, entry in data["files"].items():
        blocks = {_text(name): _text(digest) for name, digest in entry["blocks"].items()}
        ran = {
            _text(block): frozenset(subjects[_index(i)] for i in indices)
            for block, indices in entry["ran"].items()
        }
        stateful = frozenset(_text(name) for name in entry["stateful"])
        files[_text(path)] = FileRecord(_text(entry["sha"]), blocks, ran, stateful)
    head = data["head"]
    if not isinstance(data["startup"], bool):
        raise TypeError("startup is not true or false")
    return ImpactRecord(
        environment,
        None if head is None else _text(head),
        frozenset(_text(path) for path in data["dirty"]),
        frozenset(subjects[_index(i)] for i in data["tests"]),
        files,
        data["startup"],
        frozenset(_text(path) for path in data["outputs"]),
    )


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, found {type(value).__name__}")
    return value


def _index(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"expected a subject index, found {value!r}")
    return value
