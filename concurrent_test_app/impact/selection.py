"""``--changed``: the tests a change can affect, from the impact record and git.

Safe before fast: whenever a record cannot see what a change does, every test runs and
the reason names the file. What counts as changed is the union of the working tree
against the ref, against the commit the record was made on, the files dirty then, and
every recorded file whose content differs from the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .blocks import MODULE, file_digest, parse_blocks
from .changes import GitProblem, changed_files, commit_of, content_at
from .record import ANYWHERE, MODULE_PREFIX, DamagedRecord, ImpactRecord, load


class RunEverything(Exception):
    """A change the record cannot see through; the message names it."""


@dataclass(frozen=True)
class Affected:
    """What a change reaches: subjects (test ids, ``module:M``) and the files it spans."""

    subjects: frozenset[str]
    files: tuple[str, ...]


def affected(
    record: ImpactRecord,
    root: Path,
    commit: str,
    test_files: Mapping[str, frozenset[str]],
    ignored: frozenset[str] = frozenset(),
) -> Affected:
    """The subjects the changes reach; RunEverything when they may reach any test.

    ``test_files`` maps each file holding discovered tests to its test modules' names;
    ``ignored`` are files that are not the project's (the runner's cache folder).
    """
    against_ref = changed_files(root, commit) - ignored
    changed = against_ref | (_since_record(record, root, commit, against_ref) - ignored)
    subjects: set[str] = set()
    for path in sorted(changed):
        olds = []
        if path in record.files:
            olds.append(record.files[path].blocks)
        if path in against_ref:
            before = content_at(root, commit, path)
            parsed = parse_blocks(before) if before is not None else None
            if parsed is not None:
                olds.append(parsed.hashes)
        subjects |= _reached(record, root, path, olds, test_files)
    return Affected(frozenset(subjects), tuple(sorted(changed)))


def _since_record(record: ImpactRecord, root: Path, commit: str, against: set[str]) -> set[str]:
    """What changed since the record: ``against`` is the diff against ``commit``, reused
    when the record was made on that same commit (the usual case)."""
    if record.head is None:
        raise RunEverything("the impact record was not made on a git commit")
    try:
        head = commit_of(root, record.head)
        since = against if head == commit else changed_files(root, head)
    except GitProblem:
        raise RunEverything(
            f"the impact record's commit {record.head[:12]} is not in this repository"
        ) from None
    moved = {path for path, f in record.files.items() if _digest(root / path) != f.sha}
    return since | record.dirty | moved


def _digest(path: Path) -> str | None:
    try:
        return file_digest(path.read_bytes())
    except OSError:
        return None


def _reached(
    record: ImpactRecord,
    root: Path,
    path: str,
    olds: list[Mapping[str, str]],
    test_files: Mapping[str, frozenset[str]],
) -> set[str]:
    """The subjects one changed file reaches."""
    file = root / path
    if not path.endswith(".py"):
        raise RunEverything(f"{path} changed (not Python: a per-test record cannot see it)")
    if not file.is_file():
        raise RunEverything(f"{path} was deleted or renamed")
    if "migrations" in Path(path).parts:
        raise RunEverything(f"{path} changed (a migration)")
    current = parse_blocks(file.read_bytes())
    if current is None:
        raise RunEverything(f"{path} does not parse")
    own = {MODULE_PREFIX + module for module in test_files.get(path, ())}
    if path not in record.files:
        if own:  # a test module no run imported: only its own tests can see it
            return own
        raise RunEverything(f"{path} changed and no recorded test executed it")
    changed = {
        block
        for old in olds
        for block in old.keys() | current.hashes.keys()
        if old.get(block) != current.hashes.get(block)
    }
    if MODULE in changed:
        if own:
            return own | _importers(root, path, test_files)
        raise RunEverything(f"{path} changed outside its functions (code that runs at import)")
    subjects = set(own)
    ran = record.files[path].ran
    for block in sorted(changed):
        reached = ran.get(block, frozenset())
        if ANYWHERE in reached:
            raise RunEverything(
                f"{path}: {block}() changed and ran outside any test "
                "(start-up, imports or system checks)"
            )
        stateful = record.stateful_subjects
        left = next((stateful[s] for s in sorted(reached) if s in stateful), None)
        if left is not None:
            raise RunEverything(
                f"{path}: {block}() changed and ran in a test that also ran {left}: "
                "what it left (a cache, module or class data) later tests may read"
            )
        if not reached and not record.startup:
            raise RunEverything(
                f"{path}: {block}() changed and the record, made by a sequential run, "
                "did not measure start-up"
            )
        subjects |= reached
    return subjects


def _importers(root: Path, path: str, test_files: Mapping[str, frozenset[str]]) -> set[str]:
    """Test modules that may import test module ``path`` (they name it): its base classes."""
    name = Path(path).stem
    found = set()
    for other, modules in test_files.items():
        try:
            if name in (root / other).read_text(encoding="utf-8", errors="replace"):
                found |= {MODULE_PREFIX + module for module in modules}
        except OSError:
            found |= {MODULE_PREFIX + module for module in modules}
    return found


@dataclass(frozen=True)
class ChangedSelection:
    """The tests ``--changed`` runs, in discovery order, and its line."""

    tests: list
    message: str


def select_changed(tests: list, affected_: Affected | None, record, reason: str | None):
    """Whole classes of the reached, and never recorded, tests; or all, with ``reason``."""
    total = len(tests)
    if affected_ is None:
        return ChangedSelection(tests, f"--changed: running all {total:,} tests: {reason}")
    unrecorded = {test.id() for test in tests} - record.tests
    hit = {
        _class_of(test)
        for test in tests
        if test.id() in affected_.subjects
        or MODULE_PREFIX + type(test).__module__ in affected_.subjects
        or test.id() in unrecorded
    }
    chosen = [test for test in tests if _class_of(test) in hit]
    count = len(affected_.files)
    files = "1 changed file" if count == 1 else f"{count} changed files"
    never = len(unrecorded & {test.id() for test in chosen})
    extra = f" ({never:,} never recorded)" if never else ""
    return ChangedSelection(
        chosen, f"--changed: {len(chosen):,} of {total:,} tests affected by {files}{extra}"
    )


def _class_of(test) -> str:
    kind = type(test)
    return f"{kind.__module__}.{kind.__qualname__}"


def test_files_of(tests: Iterable, root: Path) -> dict[str, frozenset[str]]:
    """Each file holding discovered tests (from ``root``), with its test modules' names."""
    import sys

    found: dict[str, set[str]] = {}
    for test in tests:
        module = type(test).__module__
        filename = getattr(sys.modules.get(module), "__file__", None)
        if not filename:
            continue
        try:
            relative = Path(filename).resolve().relative_to(root).as_posix()
        except ValueError:
            continue
        found.setdefault(relative, set()).add(module)
    return {path: frozenset(modules) for path, modules in found.items()}


def changed_selection(
    tests: list, ref: str, record_path: Path, context: str, outputs: Iterable[Path] = ()
) -> ChangedSelection:
    """``--changed ref``: the selection and its line; every test when anything is unsure.

    ``outputs`` are the files this run writes (reports): never a change of the project.
    """
    from .recording import cache_files, environment, project_root, relative_paths

    root = project_root(Path.cwd())
    try:
        record = load(record_path)
        if record is None:
            raise RunEverything("no impact record yet (make one with --record-impact)")
        difference = environment(context).difference(record.environment)
        if difference is not None:
            raise RunEverything(difference)
        reached = affected(
            record,
            root,
            commit_of(root, ref),
            test_files_of(tests, root),
            frozenset(cache_files(record_path.parent, root))
            | record.outputs
            | relative_paths(outputs, root),
        )
    except DamagedRecord as damage:
        return select_changed(
            tests, None, None, f"the impact record {record_path} is ignored: {damage}"
        )
    except (RunEverything, GitProblem) as reason:
        return select_changed(tests, None, None, str(reason))
    return select_changed(tests, reached, record, None)
