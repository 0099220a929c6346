"""The mutation check of ``--changed`` (issue #28): no edit may change a verdict it did not select.

    python benchmarks/mutations.py [--projects demo,standard,cpu-bound,migration-heavy]
                                   [--edits N] [--db sqlite|postgres] [--workers 2]
                                   [--json PATH]

Per project: a clean copy (a git repository with one commit) gets one ``--record-impact``
full run, whose JUnit verdicts are the baseline; the copy, record and caches included, is
kept as the pristine state. Per edit of ``mutation_catalog.CATALOG``: the pristine state is
restored at the same path, the edit applied, a ``--changed`` run gives the selection (its
JUnit testcases) and a full run the verdicts after the edit. A miss is a test whose verdict
the edit changed but the selection left out; any miss exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree
from mutation_catalog import CATALOG, Edit

BENCHMARKS_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCHMARKS_DIR.parent
DEFAULT_PG_URL = "postgres://postgres:postgres@127.0.0.1:5432/bench"
RUN_TIMEOUT = 900  # seconds; an edit that makes a test hang must not stall the check
OUTPUT_TAIL_LINES = 25

# What a developer's .gitignore would hold: run artefacts, not sources.
GIT_EXCLUDES = ("__pycache__/", "*.py[cod]", "*.sqlite3", "*.sqlite3-journal", ".concurrent_test/")
COPY_IGNORED = shutil.ignore_patterns(
    "__pycache__", "*.pyc", "*.sqlite3", "*.sqlite3-journal", ".concurrent_test"
)


class HarnessError(Exception):
    """A run did not produce what the check needs (no JUnit file, no --changed line)."""


@dataclass(frozen=True)
class Project:
    """A suite the check edits: its source directory and its PostgreSQL database suffix."""

    name: str
    directory: Path
    pg_suffix: str


PROJECTS = {
    project.name: project
    for project in (
        # The demo names its databases NAME and NAME_other (tests: test_NAME...), which no
        # benchmark suite uses: no suffix, so the test suite can give it its own server URL.
        Project("demo", REPO_ROOT / "testproject", ""),
        Project("standard", BENCHMARKS_DIR / "benchproject", ""),
        Project("cpu-bound", BENCHMARKS_DIR / "cpubound", "_cpu"),
        Project("migration-heavy", BENCHMARKS_DIR / "migrationheavy", "_mh"),
    )
}


@dataclass(frozen=True)
class Settings:
    """How every run of one check is made."""

    workers: int = 2
    pg_url: str | None = None  # None: SQLite; else the server, the project's suffix added
    timeout: float = RUN_TIMEOUT


# -- the copy ------------------------------------------------------------------------------


def copy_project(source: Path, target: Path) -> Path:
    """The project's files (symlinked apps resolved) without run artefacts, at ``target``."""
    shutil.copytree(source, target, symlinks=False, ignore=COPY_IGNORED)
    return target


def git(tree: Path, *args: str) -> str:
    """Run git in ``tree`` with a fixed identity; its stdout."""
    identity = ("-c", "user.name=mutations", "-c", "user.email=mutations@localhost")
    command = ["git", *identity, "-c", "commit.gpgsign=false", *args]
    return subprocess.run(command, cwd=tree, capture_output=True, text=True, check=True).stdout


def git_init(tree: Path) -> None:
    """Make ``tree`` a repository whose one commit holds every source file."""
    git(tree, "init", "-q")
    (tree / ".git" / "info" / "exclude").write_text("\n".join(GIT_EXCLUDES) + "\n")
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "clean copy for the mutation check")


def restore(pristine: Path, tree: Path) -> None:
    """``tree`` becomes an exact copy of ``pristine`` again (same path: recorded paths hold)."""
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(pristine, tree, symlinks=True)


def edited_text(edit: Edit, text: str | None) -> str:
    """The file's text after ``edit`` (``text`` None: the file does not exist yet)."""
    if not edit.old:
        if text is not None:
            raise HarnessError(f"{edit.label}: the file exists; an edit with no old text adds one")
        return edit.new
    if text is None:
        raise HarnessError(f"{edit.label}: no such file")
    found = text.count(edit.old)
    if found != 1:
        raise HarnessError(f"{edit.label}: old text found {found} times, not once")
    return text.replace(edit.old, edit.new)


def apply_edit(tree: Path, edit: Edit) -> None:
    """Write ``edit`` into the copy ``tree``."""
    path = tree / edit.path
    text = edited_text(edit, path.read_text() if path.exists() else None)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def catalog_problems(edits: Iterable[Edit]) -> list[str]:
    """Why any of ``edits`` would not apply to its project as it is now (empty: all apply)."""
    problems = []
    for edit in edits:
        path = PROJECTS[edit.project].directory / edit.path
        try:
            edited_text(edit, path.read_text() if path.exists() else None)
        except HarnessError as error:
            problems.append(str(error))
    return problems


# -- runs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    """One ``manage.py concurrenttest`` run: exit code, console, verdicts by test id."""

    returncode: int | None  # None: timed out
    output: str
    verdicts: dict[str, str]
    seconds: float

    def tail(self) -> str:
        return "\n".join(self.output.rstrip().splitlines()[-OUTPUT_TAIL_LINES:])


def environment(pg_url: str | None) -> dict[str, str]:
    """The caller's environment without runner settings; DATABASE_URL only for PostgreSQL."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_TEST_", "CONCURRENT_TEST_"))
        and name not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    if pg_url:
        env["DATABASE_URL"] = pg_url
    return env


def project_pg_url(url: str, project: Project) -> str:
    """The server URL with the project's database name (NAME + suffix), as run.py names them."""
    parsed = urlparse(url)
    name = unquote(parsed.path.lstrip("/")) or "bench"
    return parsed._replace(path=f"/{name}{project.pg_suffix}").geturl()


def run_suite(tree: Path, junit: Path, settings: Settings, pg_url: str | None, *extra: str):
    """``manage.py concurrenttest`` in ``tree`` with ``extra`` options; its verdicts."""
    junit.unlink(missing_ok=True)
    command = [sys.executable, "manage.py", "concurrenttest", "--noinput"]
    command += ["--workers", str(settings.workers), "--junitxml", str(junit), *extra]
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=tree,
        env=environment(pg_url),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a hung run is killed with its workers
    )
    try:
        output, _ = process.communicate(timeout=settings.timeout)
        code = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        output, _ = process.communicate()
        code = None
    verdicts = read_junit(junit) if junit.exists() else {}
    return RunResult(code, output, verdicts, time.monotonic() - started)


def verdict_of(case) -> str:
    """A testcase's verdict: passed, or its failure/error/skipped children (xfail named)."""
    kinds = []
    for child in case:
        if child.tag == "skipped" and child.get("type") == "XFAIL":
            kinds.append("expected failure")
        elif child.tag in ("failure", "error", "skipped"):
            kinds.append(child.tag)
    return "+".join(sorted(kinds)) or "passed"


def read_junit(path: Path) -> dict[str, str]:
    """Verdict by test id (``classname.name``) of every ``<testcase>`` of a JUnit file."""
    tree = etree.parse(str(path))
    return {
        f"{case.get('classname')}.{case.get('name')}": verdict_of(case)
        for case in tree.iter("testcase")
    }


def method_id(test_id: str) -> str:
    """A test id without a subtest's parameters or a duplicate's `` [2]``: the method."""
    return test_id.split(" ", 1)[0]


# -- the --changed line ------------------------------------------------------------------

CHANGED_LINE = re.compile(r"^\[CONCURRENT\] --changed: (?P<text>.*)$", re.MULTILINE)
SOME = re.compile(r"^(?P<selected>[\d,]+) of (?P<total>[\d,]+) tests?")
EVERYTHING = re.compile(r"^running all (?P<total>[\d,]+) tests?: (?P<reason>.*)$")


@dataclass(frozen=True)
class ChangedLine:
    """What the first ``[CONCURRENT] --changed:`` line said."""

    text: str
    runs_all: bool
    total: int | None
    reason: str  # why everything runs; empty for a selection


def number(text: str) -> int:
    return int(text.replace(",", ""))


def parse_changed_line(output: str) -> ChangedLine:
    """The first ``--changed`` line of a run's console; HarnessError when there is none."""
    found = CHANGED_LINE.search(output)
    if found is None:
        raise HarnessError("the --changed run printed no '[CONCURRENT] --changed:' line")
    text = found["text"].strip()
    everything = EVERYTHING.match(text)
    if everything:
        return ChangedLine(text, True, number(everything["total"]), everything["reason"])
    some = SOME.match(text)
    return ChangedLine(text, False, number(some["total"]) if some else None, "")


# -- the check -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """A project recorded once: where edits run, the state to restore, the verdicts."""

    project: Project
    tree: Path  # every edit runs here, so paths the record holds stay true
    pristine: Path  # the tree right after the recording run, caches and record included
    verdicts: dict[str, str]
    pg_url: str | None
    seconds: float


def prepare(project: Project, workdir: Path, settings: Settings) -> Baseline:
    """Copy, commit and record ``project`` once; its verdicts are the baseline."""
    root = workdir / project.name
    tree = copy_project(project.directory, root / "tree")
    git_init(tree)
    pg_url = project_pg_url(settings.pg_url, project) if settings.pg_url else None
    record = run_suite(tree, root / "record.xml", settings, pg_url, "--record-impact")
    if not record.verdicts:
        raise HarnessError(f"{project.name}: the recording run wrote no JUnit\n{record.tail()}")
    shutil.copytree(tree, root / "pristine", symlinks=True, ignore=COPY_IGNORED_PYCACHE)
    return Baseline(project, tree, root / "pristine", record.verdicts, pg_url, record.seconds)


COPY_IGNORED_PYCACHE = shutil.ignore_patterns("__pycache__")


@dataclass(frozen=True)
class EditResult:
    """What one edit did to the verdicts and what ``--changed`` selected for it."""

    edit: Edit
    line: ChangedLine
    selected: frozenset[str]  # test ids the --changed run ran
    changed: frozenset[str] | None  # ids whose verdict the edit changed; None: not measured
    misses: frozenset[str]
    total: int
    seconds: float

    @property
    def fraction(self) -> float:
        return 1.0 if self.line.runs_all else min(1.0, len(self.selected) / max(self.total, 1))


def verdict_changes(before: dict[str, str], after: dict[str, str]) -> frozenset[str]:
    """Ids of the run after an edit whose verdict differs from before (new ones included).

    A test that vanished (its module no longer imports, its class fixture fails) is not
    counted: what replaced it (the loader's or the fixture's error case) is, and that one
    the selection must hold.
    """
    return frozenset(test for test, verdict in after.items() if before.get(test) != verdict)


def missed(changed: Iterable[str], selected: Iterable[str]) -> frozenset[str]:
    """The changed tests whose method the selection did not run."""
    ran = {method_id(test) for test in selected}
    return frozenset(test for test in changed if method_id(test) not in ran)


def selection_run(baseline: Baseline, settings: Settings, junit: Path):
    """The ``--changed`` run on the edited tree: its first line and the tests it ran."""
    run = run_suite(baseline.tree, junit, settings, baseline.pg_url, "--changed")
    if run.returncode is None:
        raise HarnessError(f"the --changed run timed out\n{run.tail()}")
    try:
        line = parse_changed_line(run.output)
    except HarnessError as error:
        raise HarnessError(f"{error}\n{run.tail()}") from None
    if run.verdicts or line.text.startswith("0 of"):
        return line, frozenset(run.verdicts), run.seconds
    if line.runs_all:  # it set out to run everything and failed before its tests
        return line, frozenset(baseline.verdicts), run.seconds
    raise HarnessError(f"the --changed run wrote no JUnit testcases\n{run.tail()}")


def full_run(baseline: Baseline, settings: Settings, junit: Path) -> RunResult:
    """The full run on the edited tree: every test's verdict after the edit."""
    run = run_suite(baseline.tree, junit, settings, baseline.pg_url)
    if run.verdicts:
        return run
    if run.returncode in (0, None):
        raise HarnessError(f"the full run wrote no JUnit testcases\n{run.tail()}")
    # The edit broke the run before any test (e.g. test database creation): every
    # verdict changed.
    failed = {test: f"run failed (exit {run.returncode})" for test in baseline.verdicts}
    return RunResult(run.returncode, run.output, failed, run.seconds)


def check_edit(
    edit: Edit, baseline: Baseline, settings: Settings, skip_full_when_all: bool = False
) -> EditResult:
    """Apply ``edit`` to the recorded state; compare the selection with the verdict changes.

    ``skip_full_when_all``: no full run when ``--changed`` ran everything, since nothing
    can be missed then (the test suite saves its CI time so; the script measures always).
    """
    restore(baseline.pristine, baseline.tree)
    apply_edit(baseline.tree, edit)
    junit_dir = baseline.pristine.parent
    line, selected, seconds = selection_run(baseline, settings, junit_dir / "changed.xml")
    total = line.total or len(baseline.verdicts)
    if skip_full_when_all and line.runs_all:
        return EditResult(edit, line, selected, None, frozenset(), total, seconds)
    after = full_run(baseline, settings, junit_dir / "full.xml")
    changed = verdict_changes(baseline.verdicts, after.verdicts)
    misses = missed(changed, selected)
    return EditResult(edit, line, selected, changed, misses, total, seconds + after.seconds)


def check_project(
    project: Project,
    edits: Sequence[Edit],
    workdir: Path,
    settings: Settings,
    report: Callable[[EditResult], None] = lambda result: None,
    skip_full_when_all: bool = False,
) -> list[EditResult]:
    """Record ``project`` once, then check each of ``edits`` on it, reporting as it goes."""
    baseline = prepare(project, workdir, settings)
    print(
        f"[{project.name}] recorded {len(baseline.verdicts)} tests in {baseline.seconds:.1f}s",
        flush=True,
    )
    results = []
    try:
        for edit in edits:
            result = check_edit(edit, baseline, settings, skip_full_when_all)
            report(result)
            results.append(result)
    finally:
        shutil.rmtree(workdir / project.name, ignore_errors=True)  # two copies of the project
    return results


# -- the report ------------------------------------------------------------------------------


def describe(result: EditResult) -> str:
    """One line per edit: kind, file, verdicts changed, selection, misses."""
    edit = result.edit
    changed = "-" if result.changed is None else str(len(result.changed))
    if result.line.runs_all:
        selection = f"all {result.total} ({shorten(result.line.reason, 48)})"
    else:
        selection = f"{len(result.selected)}/{result.total}"
    text = (
        f"[{edit.project}] {edit.kind:<16} {edit.path:<44} changed {changed:>4}  "
        f"selected {selection}  misses {len(result.misses)}"
    )
    if result.misses:
        text += "\n    MISSED: " + ", ".join(sorted(result.misses))
    return text


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


@dataclass(frozen=True)
class Summary:
    """The figures of a whole check."""

    edits: int
    changed_a_verdict: int
    misses: int
    mean_fraction_selected: float
    mean_fraction_selected_when_not_all: float | None
    ran_all: int
    seconds: float


def summarise(results: Sequence[EditResult], seconds: float) -> Summary:
    """Totals over every edit checked."""
    partial = [result.fraction for result in results if not result.line.runs_all]
    return Summary(
        edits=len(results),
        changed_a_verdict=sum(1 for result in results if result.changed),
        misses=sum(len(result.misses) for result in results),
        mean_fraction_selected=statistics.fmean(r.fraction for r in results) if results else 0.0,
        mean_fraction_selected_when_not_all=statistics.fmean(partial) if partial else None,
        ran_all=sum(1 for result in results if result.line.runs_all),
        seconds=seconds,
    )


def summary_lines(summary: Summary) -> list[str]:
    partial = summary.mean_fraction_selected_when_not_all
    others = "-" if partial is None else f"{partial:.3f}"
    totals = f"changed a verdict: {summary.changed_a_verdict}, misses: {summary.misses}"
    fraction = f"mean fraction selected: {summary.mean_fraction_selected:.3f}"
    ran_all = f"{summary.ran_all} edits ran everything; the others: {others}"
    return [
        f"edits: {summary.edits}, {totals}",
        f"{fraction} ({ran_all})",
        f"wall time: {summary.seconds:.0f}s",
    ]


def as_json(results: Sequence[EditResult], summary: Summary, settings: Settings) -> dict:
    """The whole check as JSON: every edit, its figures and misses, and the summary."""
    return {
        "settings": {
            "workers": settings.workers,
            "db": "postgres" if settings.pg_url else "sqlite",
        },
        "summary": asdict(summary),
        "edits": [
            {
                **asdict(result.edit),
                "changed_line": result.line.text,
                "runs_all": result.line.runs_all,
                "selected": len(result.selected),
                "total": result.total,
                "fraction": round(result.fraction, 4),
                "verdicts_changed": None if result.changed is None else sorted(result.changed),
                "misses": sorted(result.misses),
                "seconds": round(result.seconds, 2),
            }
            for result in results
        ],
    }


# -- the command line ------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", default=",".join(PROJECTS), help="comma-separated names")
    parser.add_argument("--edits", type=int, help="only the first N edits of the catalog")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_PG_URL,
        help="server for --db postgres; each project adds its suffix to the database name",
    )
    parser.add_argument("--workers", type=int, default=2, help="workers of every run")
    parser.add_argument("--json", type=Path, help="write every edit's figures here")
    parser.add_argument("--timeout", type=float, default=RUN_TIMEOUT, help="seconds per run")
    args = parser.parse_args(argv)
    unknown = set(args.projects.split(",")) - set(PROJECTS)
    if unknown:
        parser.error(
            f"--projects: unknown {', '.join(sorted(unknown))}; known: {', '.join(PROJECTS)}"
        )
    return args


def chosen_edits(projects: Sequence[str], count: int | None) -> list[Edit]:
    """The catalog's edits of ``projects``, in catalog order, the first ``count`` of them."""
    edits = [edit for edit in CATALOG if edit.project in projects]
    return edits if count is None else edits[:count]


def print_result(result: EditResult) -> None:
    print(describe(result), flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    settings = Settings(args.workers, args.pg_url if args.db == "postgres" else None, args.timeout)
    edits = chosen_edits(args.projects.split(","), args.edits)
    started = time.monotonic()
    results: list[EditResult] = []
    with tempfile.TemporaryDirectory(prefix="mutations-") as workdir:
        for project in PROJECTS.values():
            mine = [edit for edit in edits if edit.project == project.name]
            if mine:
                results += check_project(project, mine, Path(workdir), settings, print_result)
    summary = summarise(results, time.monotonic() - started)
    print("\n".join(summary_lines(summary)))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(as_json(results, summary, settings), indent=2) + "\n")
    return 1 if summary.misses else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except HarnessError as error:
        print(f"mutations.py: {error}", file=sys.stderr)
        sys.exit(2)
