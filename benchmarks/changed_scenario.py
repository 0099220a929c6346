"""The ``changed`` scenario (issue 28): time to the verdict after a one-function edit.

In a clean git copy of a suite's project, every round runs our runner four times:

    plain    a full warm run on the clean tree
    record   the same with --record-impact (the impact record the next runs use)
    full     a full warm run after the suite's one-function edit
    changed  --changed after the same edit: only the tests the edit can affect

``changed / full`` is what a developer saves on the run after an edit; ``record / plain``
is what recording costs. One untimed run first builds the template and the timing store,
so every timed run is warm. Each run writes JUnit XML, whose test cases are the tests it
ran. The edit is undone (``git checkout``) at the head of every round.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from measure import Outcome, run_command

WORKERS = "2"  # the README's typical use of --record-impact / --changed
OUTPUT_TAIL_LINES = 30
# What a real project keeps out of git: without it the cache folder, the byte code and the
# SQLite files would be untracked files, which --changed counts as changes.
GITIGNORE = "__pycache__/\n*.py[cod]\n*.sqlite3\n*.sqlite3-journal\n.concurrent_test/\n"
COPY_IGNORE = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".concurrent_test", "*.sqlite3", "*.sqlite3-journal", ".pytest_cache"
)
CHANGED_LINE = re.compile(r"^\[CONCURRENT\] --changed: .*$", re.MULTILINE)
STEPS = ("plain", "record", "full", "changed")


@dataclass(frozen=True)
class Edit:
    """One edit inside one function that some tests execute; it must not change a verdict."""

    path: str  # relative to the project directory
    function: str
    old: str  # must occur exactly once in the file
    new: str

    def apply(self, project: Path) -> None:
        """Replace ``old`` with ``new`` in the copy, refusing an ambiguous or stale edit."""
        target = project / self.path
        text = target.read_text()
        if text.count(self.old) != 1:
            raise ValueError(f"{self.path}: {self.old!r} occurs {text.count(self.old)} times")
        target.write_text(text.replace(self.old, self.new))


# The same line, in other words: the function's code changes, its results do not.
ORDERS_EDIT = Edit(
    "orders/services.py",
    "mark_paid",
    "points = int(order.total) * LOYALTY_POINTS_PER_EURO",
    "points = LOYALTY_POINTS_PER_EURO * int(order.total)",
)
EDITS = {
    "standard": ORDERS_EDIT,
    "migration-heavy": ORDERS_EDIT,  # its orders app is benchproject's (a symlink)
    "cpu-bound": Edit(
        "pricing/services.py",
        "best_discount",
        "return max(applicable, default=Decimal(0))",
        'return max(applicable, default=Decimal("0"))',
    ),
    "demo": Edit(
        "warehouse/services.py",
        "receive",
        "if quantity <= 0:",
        "if not quantity > 0:",
    ),
}


@dataclass
class Step:
    """Every timed run of one step; the first failure ends the scenario."""

    name: str
    outcomes: list[Outcome] = field(default_factory=list)
    tests: list[int | None] = field(default_factory=list)  # test cases in its JUnit XML
    changed_lines: list[str | None] = field(default_factory=list)

    @property
    def timings(self) -> list[float]:
        return [outcome.wall for outcome in self.outcomes]

    @property
    def median(self) -> float | None:
        return statistics.median(self.timings) if self.outcomes else None

    @property
    def cpu(self) -> list[float]:
        """CPU seconds of each run's process tree (PostgreSQL's backends included)."""
        return [o.client_cpu + (o.server_cpu or 0.0) for o in self.outcomes]

    @property
    def median_cpu(self) -> float | None:
        return statistics.median(self.cpu) if self.outcomes else None


@dataclass(frozen=True)
class Failure:
    """A run that exited non-zero or hung: which step, why, and the end of its output."""

    step: str
    reason: str
    output_tail: str


def git(project: Path, *args: str) -> str:
    """Run git in the copy, with an identity of its own (the machine may have none)."""
    identity = ("-c", "user.name=bench", "-c", "user.email=bench@localhost")
    completed = subprocess.run(
        ["git", *identity, *args], cwd=project, capture_output=True, text=True, check=True
    )
    return completed.stdout


def clean_copy(source: Path) -> Path:
    """A copy of the project in a git repository of its own, everything committed.

    Symlinked apps (the migration-heavy and CPU-bound suites share benchproject's) are
    copied as files, so the copy is self-contained and git sees ordinary sources.
    """
    project = Path(tempfile.mkdtemp(prefix="bench-changed-")) / source.name
    shutil.copytree(source, project, ignore=COPY_IGNORE)
    (project / ".gitignore").write_text(GITIGNORE)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "clean")
    return project


def tests_in(junit: Path) -> int | None:
    """How many test cases a run's JUnit XML holds; None if it is missing or unreadable."""
    try:
        return sum(1 for _ in ElementTree.parse(junit).iter("testcase"))
    except (OSError, ElementTree.ParseError):
        return None


def flags_of(step: str) -> tuple[str, ...]:
    """The options a step adds to the full warm run."""
    return {"record": ("--record-impact",), "changed": ("--changed",)}.get(step, ())


class Scenario:
    """Runs the steps of one suite's copy on one database; ``bench`` gives env and limits."""

    def __init__(self, bench, base_command: tuple[str, ...], project: Path, label: str) -> None:
        self.bench = bench
        self.base_command = base_command  # manage.py test … --workers N, without flags
        self.project = project
        self.label = label
        self.junit = project.parent / "junit.xml"  # outside the work tree: not a change

    def run(self, step: str) -> Outcome:
        """One run of ``step`` in the copy, with its JUnit XML written afresh."""
        self.junit.unlink(missing_ok=True)
        env = {**self.bench.env, "DJANGO_TEST_JUNITXML": str(self.junit)}
        command = [sys.executable, *self.base_command, *flags_of(step)]
        return run_command(command, self.project, env, self.bench.timeout, self.bench.pg_settings)

    def rounds(self, edit: Edit, runs: int) -> tuple[dict[str, Step], Failure | None]:
        """Prime once, then ``runs`` rounds of the four steps; stop at the first failure."""
        steps = {name: Step(name) for name in STEPS}
        outcome = self.run("plain")
        print(f"{self.label} priming (untimed) {outcome.wall:.2f}s", flush=True)
        if outcome.code != 0:
            return steps, failure("priming", outcome)
        for round_number in range(1, runs + 1):
            git(self.project, "checkout", "--", ".")  # the clean tree again
            for name in STEPS:
                if name == "full":
                    edit.apply(self.project)
                print(f"{self.label} {round_number}/{runs} {name:<8}", end=" ", flush=True)
                outcome = self.run(name)
                if outcome.code != 0:
                    print("FAILED", flush=True)
                    return steps, failure(name, outcome)
                self.keep(steps[name], outcome)
        return steps, None

    def keep(self, step: Step, outcome: Outcome) -> None:
        """Store a good run: its wall time, its tests and its --changed line."""
        step.outcomes.append(outcome)
        step.tests.append(tests_in(self.junit))
        match = CHANGED_LINE.search(outcome.output)
        step.changed_lines.append(match.group(0) if match else None)
        print(f"{outcome.wall:7.2f}s  {step.tests[-1]} tests", flush=True)


def failure(step: str, outcome: Outcome) -> Failure:
    reason = "timed out" if outcome.code is None else f"exit code {outcome.code}"
    tail = "\n".join(outcome.output.rstrip().splitlines()[-OUTPUT_TAIL_LINES:])
    print(f"{step}: FAILED ({reason}); last lines of output:\n{tail}\n", flush=True)
    return Failure(step, f"{reason} after {outcome.wall:.1f}s", tail)


def run_changed(bench, base_command: tuple[str, ...], runs: int) -> dict:
    """The scenario on ``bench``'s suite and database; the figures for the JSON report."""
    suite = bench.suite
    edit = EDITS[suite.name]
    project = clean_copy(suite.directory)
    label = f"[{suite.name}/{bench.database} changed]"
    load_before = os.getloadavg()
    try:
        steps, failed = Scenario(bench, base_command, project, label).rounds(edit, runs)
    finally:
        shutil.rmtree(project.parent, ignore_errors=True)
    # The machine may be shared: its load says how far to trust the figures.
    load = {"before": load_before, "after": os.getloadavg()}
    return {**figures(edit, base_command, steps, failed), "load_average": load}


def figures(edit: Edit, base_command, steps: dict[str, Step], failed: Failure | None) -> dict:
    """Medians, spreads, tests run and the two ratios; a failure voids the ratios."""
    rows = {
        name: {
            "command": ["python", *base_command, *flags_of(name)],
            "timings": [round(t, 3) for t in step.timings],
            "median": rounded(step.median),
            "min": rounded(min(step.timings, default=None)),
            "max": rounded(max(step.timings, default=None)),
            "cpu": [round(c, 3) for c in step.cpu],
            "median_cpu": rounded(step.median_cpu),
            "server_cpu": [rounded(o.server_cpu) for o in step.outcomes],
            "tests": step.tests,
            "changed_line": next((line for line in step.changed_lines if line), None),
        }
        for name, step in steps.items()
    }

    def ratio(top: str, bottom: str, cpu: bool = False) -> float | None:
        a, b = (
            (steps[top].median_cpu, steps[bottom].median_cpu)
            if cpu
            else (steps[top].median, steps[bottom].median)
        )
        return None if failed or a is None or not b else round(a / b, 3)

    return {
        "edit": {"path": edit.path, "function": edit.function, "old": edit.old, "new": edit.new},
        "workers": WORKERS,
        "steps": rows,
        "ratio_changed_to_full": ratio("changed", "full"),
        "ratio_record_to_plain": ratio("record", "plain"),
        # CPU is less at the mercy of a shared machine than wall time.
        "cpu_ratio_changed_to_full": ratio("changed", "full", cpu=True),
        "cpu_ratio_record_to_plain": ratio("record", "plain", cpu=True),
        "failure": None if failed is None else f"{failed.step}: {failed.reason}",
        "output_tail": None if failed is None else failed.output_tail,
    }


def rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def print_changed(changed: dict) -> None:
    """The scenario's table: each step's wall times and tests, then the two ratios."""
    edit = changed["edit"]
    print(
        f"\nChanged scenario ({changed['workers']} workers): one edit in {edit['function']}()"
        f" of {edit['path']}; wall seconds to the verdict"
    )
    header = f"{'step':<9} {'median':>8} {'min':>8} {'max':>8} {'cpu':>8} {'tests':>7}  what"
    print(header)
    print("-" * len(header))
    for name, row in changed["steps"].items():
        if row["median"] is None:
            print(f"{name:<9} {'-':>8}")
            continue
        tests = median_count(row["tests"])
        print(
            f"{name:<9} {row['median']:8.2f} {row['min']:8.2f} {row['max']:8.2f}"
            f" {row['median_cpu']:8.2f} {tests if tests is not None else '-':>7}  {DESCRIPTIONS[name]}"
        )
    line = changed["steps"]["changed"]["changed_line"]
    if line:
        print(f"  its first line: {line}")
    for key, text in (
        ("changed_to_full", "changed / full (after the edit)"),
        ("record_to_plain", "record / plain (what recording costs)"),
    ):
        wall, cpu = changed[f"ratio_{key}"], changed[f"cpu_ratio_{key}"]
        if wall is not None:
            print(f"  {text:<40} {wall:.2f} wall, {cpu:.2f} cpu")
    load = changed["load_average"]
    print(
        "  load average (1, 5, 15 min) before "
        + " ".join(f"{x:.2f}" for x in load["before"])
        + ", after "
        + " ".join(f"{x:.2f}" for x in load["after"])
    )
    if changed["failure"]:
        print(f"  FAILED at {changed['failure']}")


DESCRIPTIONS = {
    "plain": "full warm run, clean tree",
    "record": "the same with --record-impact",
    "full": "full warm run after the edit",
    "changed": "--changed after the edit",
}


def median_count(counts: list[int | None]) -> int | None:
    known = [count for count in counts if count is not None]
    return int(statistics.median(known)) if known else None
