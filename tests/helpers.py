"""Run testproject's manage.py in a subprocess and read what it printed.

The functional tests drive the runner the way a user does: as a separate
process against the demo project, reading its exit code and console output.
Nothing here imports ``concurrent_test_app``.
"""

from __future__ import annotations

import collections
import dataclasses
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
TESTPROJECT_DIR = REPO_DIR / "testproject"

DEFAULT_PG_URL = "postgres://postgres:postgres@127.0.0.1:5432/testproject"
DEFAULT_MYSQL_URL = "mysql://root@127.0.0.1:3306/testproject"
BASELINE_RUNNER = "django.test.runner.DiscoverRunner"
CONCURRENT_RUNNER = "concurrent_test_app.runner.ConcurrentTestRunner"

# Variables the runner or the demo project read: a developer's shell must not
# leak them into a run that a test did not configure.
_SCRUBBED_PREFIXES = ("DJANGO_TEST_", "CONCURRENT_TEST_")
# Not scrubbed: the start method every manage.py run of this suite uses (default spawn).
SUITE_START_METHOD = "SUITE_START_METHOD"
_SCRUBBED_NAMES = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "ISOLATION_DIR", "CRASH_SCENARIO"}


def clean_copy(target: Path) -> Path:
    """The repository's committed files only, copied to ``target``, as a fresh clone has them."""
    files = subprocess.run(
        ["git", "ls-files"], cwd=REPO_DIR, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for name in files:
        source = REPO_DIR / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def postgres_url() -> str:
    """The server the postgres-backed runs use (``.ci/run`` exports it)."""
    return os.environ.get("CONCURRENT_TEST_PG_URL") or DEFAULT_PG_URL


def postgres_params(url: str | None = None, dbname: str | None = None) -> dict:
    """psycopg2 connection keywords for ``url``, optionally for another database."""
    parts = urlsplit(url or postgres_url())
    params = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": unquote(parts.username or "postgres"),
        "dbname": dbname or unquote(parts.path.lstrip("/")) or "postgres",
        "connect_timeout": 5,
    }
    if parts.password:
        params["password"] = unquote(parts.password)
    return params


def postgres_database_name() -> str:
    """The configured (non-test) NAME of the default database on postgres."""
    return postgres_params()["dbname"]


def mysql_url() -> str:
    """The MySQL/MariaDB server the mysql-backed runs use (``.ci/run`` exports it)."""
    return os.environ.get("CONCURRENT_TEST_MYSQL_URL") or DEFAULT_MYSQL_URL


def mysql_params(url: str | None = None, database: str | None = None) -> dict:
    """MySQLdb connection keywords for ``url``; no database unless ``database`` is given."""
    parts = urlsplit(url or mysql_url())
    params = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "connect_timeout": 5,
        "charset": "utf8mb4",
    }
    if parts.password:
        params["password"] = unquote(parts.password)
    if database:
        params["database"] = database
    return params


def mysql_database_name() -> str:
    """The configured (non-test) NAME of the default database on mysql."""
    return unquote(urlsplit(mysql_url()).path.lstrip("/")) or "testproject"


@dataclasses.dataclass(frozen=True)
class Completed:
    """What one ``manage.py`` run left behind."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    pid: int = 0  # also the process group of the run (started in a new session)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def report(self) -> TestReport:
        return parse_test_output(self.stderr)

    def describe(self) -> str:
        """Everything needed to understand a failed assertion about this run."""
        return (
            f"$ {' '.join(self.args)}\n"
            f"exit code: {self.returncode}\n"
            f"--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}"
        )


def manage_env(backend: str = "sqlite", env: dict | None = None) -> dict:
    """The environment of a manage.py subprocess for ``backend``."""
    if backend not in {"sqlite", "postgres", "mysql"}:
        raise ValueError(f"unknown backend {backend!r}: expected 'sqlite', 'postgres' or 'mysql'")
    full = {
        name: value
        for name, value in os.environ.items()
        if name not in _SCRUBBED_NAMES and not name.startswith(_SCRUBBED_PREFIXES)
    }
    # Console lines must reach the pipes in the order they were printed.
    full["PYTHONUNBUFFERED"] = "1"
    # CI runs some test modules again with every run forked from a forkserver
    # (.ci/run); a test that sets DJANGO_TEST_START_METHOD itself still wins.
    if os.environ.get(SUITE_START_METHOD):
        full["DJANGO_TEST_START_METHOD"] = os.environ[SUITE_START_METHOD]
    if backend == "postgres":
        full["DATABASE_URL"] = postgres_url()
    elif backend == "mysql":
        full["DATABASE_URL"] = mysql_url()
    full.update(env or {})
    return full


def manage_command(*args: str) -> list[str]:
    return [sys.executable, "manage.py", *args]


# Commands built on Django's test command: a run must never stop at the
# "test database already exists, type 'yes'" prompt (stdin is closed).
TEST_COMMANDS = {"test", "concurrenttest", "runtests"}


def run_manage(
    *args: str,
    backend: str = "sqlite",
    env: dict | None = None,
    timeout: float = 300,
    project: Path = TESTPROJECT_DIR,
) -> Completed:
    """Run ``manage.py *args`` of testproject (or of a copy of it, ``project``) and wait."""
    if args and args[0] in TEST_COMMANDS and "--noinput" not in args:
        args = (*args, "--noinput")
    command = manage_command(*args)
    return run_in_testproject(command, ("manage.py", *args), backend, env, timeout, project)


def sequential(*args: str, backend: str, env: dict | None = None) -> Completed:
    """``manage.py test`` with Django's own runner at -v 2: the baseline to compare with."""
    return run_manage(
        "test", "--testrunner", BASELINE_RUNNER, "-v", "2", *args, backend=backend, env=env
    )


def concurrent(*args: str, backend: str, env: dict | None = None, workers: int = 2) -> Completed:
    """``manage.py concurrenttest`` with ``workers`` workers at -v 2."""
    return run_manage(
        "concurrenttest", "--workers", str(workers), "-v", "2", *args, backend=backend, env=env
    )


def run_python(
    script: str, backend: str = "sqlite", env: dict | None = None, timeout: float = 300
) -> Completed:
    """Run ``python -c script`` in testproject with its settings, as a library user would."""
    env = {"DJANGO_SETTINGS_MODULE": "testproject.settings", **(env or {})}
    return run_in_testproject([sys.executable, "-c", script], ("-c", script), backend, env, timeout)


def run_in_testproject(
    command: list[str],
    args: tuple[str, ...],
    backend: str,
    env: dict | None,
    timeout: float,
    project: Path = TESTPROJECT_DIR,
) -> Completed:
    """Run ``command`` in testproject's folder (or ``project``) and collect what it printed.

    A run that outlives ``timeout`` is killed with its whole process group
    (workers included) and reported as a test failure with what it printed.
    """
    process = subprocess.Popen(
        command,
        cwd=project,
        env=manage_env(backend, env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_process_group(process.pid)
        stdout, stderr = process.communicate()
        raise AssertionError(
            f"{' '.join(args)} did not finish within {timeout}s\n"
            f"--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
        ) from None
    return Completed(tuple(args), process.returncode, stdout, stderr, process.pid)


def kill_process_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def process_group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


# --- console lines of the concurrent runner ---------------------------------

STARTING_RE = re.compile(
    r"^\[CONCURRENT\] Starting production-grade concurrent test run with (\d+) workers?\s*$",
    re.MULTILINE,
)
SETTING_UP_RE = re.compile(r"^\[CONCURRENT\] Setting up (\d+) test databases?", re.MULTILINE)
FALLBACK_RE = re.compile(r"^\[CONCURRENT\] Falling back to sequential testing: (.+)$", re.MULTILINE)


def started_workers(run: Completed) -> list[int]:
    """Worker counts of every Starting line the run printed."""
    return [int(count) for count in STARTING_RE.findall(run.output)]


def databases_set_up(run: Completed) -> list[int]:
    """Database counts of every "Setting up N test databases" line."""
    return [int(count) for count in SETTING_UP_RE.findall(run.output)]


def fallback_reasons(run: Completed) -> list[str]:
    return FALLBACK_RE.findall(run.output)


# --- unittest verbosity-2 output --------------------------------------------

SEPARATOR1 = "=" * 70
SEPARATOR2 = "-" * 70
FIXTURE_NAMES = {"setUpClass", "tearDownClass", "setUpModule", "tearDownModule"}

# "name (dotted.path)" optionally followed by a subtest description.
_DESCRIPTION_RE = re.compile(r"^(?P<name>[A-Za-z_]\w*) \((?P<where>[\w.]+)\)(?P<rest>.*)$")
_STATUS_RE = re.compile(
    r"^(?P<status>ok|FAIL|ERROR|expected failure|unexpected success|skipped (?P<reason>.*))$",
    re.DOTALL,
)
_BLOCK_RE = re.compile(r"^(?P<kind>FAIL|ERROR|UNEXPECTED SUCCESS): (?P<description>.+)$")
_RAN_RE = re.compile(r"^Ran (?P<count>\d+) tests? in [\d.]+s$")
_SUMMARY_RE = re.compile(r"^(?P<summary>OK|FAILED|NO TESTS RAN)(?: \((?P<details>.*)\))?$")


UNNAMED = "<unnamed fixture>"


@dataclasses.dataclass
class TestReport:
    """The verdicts one verbosity-2 unittest run printed to stderr.

    ``outcomes`` and ``blocks`` are sorted lists of ``(test id, outcome)`` and
    ``(kind, test id)``: multisets that compare equal across runs whatever
    order the tests ran in.  ``block_text`` maps ``(kind, test id)`` to the
    text of that failure block (joined when one id has several blocks).
    """

    __test__ = False  # not a pytest test class despite its name

    outcomes: list[tuple[str, str]]
    blocks: list[tuple[str, str]]
    block_text: dict[tuple[str, str], str]
    ran: int | None
    summary: str | None

    @property
    def ids(self) -> set[str]:
        return {test_id for test_id, _ in self.outcomes if test_id != UNNAMED}

    def outcome_of(self, test_id: str) -> list[str]:
        return [outcome for tid, outcome in self.outcomes if tid == test_id]

    def counts(self) -> collections.Counter:
        return collections.Counter(_outcome_kind(outcome) for _, outcome in self.outcomes)

    def comparable_outcomes(self) -> list[tuple[str, str]]:
        """Outcomes with class/module fixture lines made anonymous.

        unittest prints a fixture's description before its status only when
        the previous status line went through ``_write_status`` (3.11+; never
        on 3.10), so whether ``setUpClass (…)`` is named depends on which
        test ran just before it.  Its identity is still compared through
        ``blocks`` (errors) — only a skip raised in setUpClass is
        identified by its reason alone.
        """
        return sorted(
            (UNNAMED if _is_fixture_id(test_id) else test_id, outcome)
            for test_id, outcome in self.outcomes
        )

    def verdicts(self) -> dict:
        """Everything two equivalent runs must agree on."""
        return {
            "outcomes": self.comparable_outcomes(),
            "blocks": self.blocks,
            "ran": self.ran,
            "summary": self.summary,
        }


def paired_verdicts(actual: TestReport, expected: TestReport) -> tuple[dict, dict]:
    """Both reports' ``verdicts()``, with each bare skip paired to the named skip it stands for.

    On Python 3.12 (seen on 3.12.1; 3.11 and 3.13.0 name it) a skipped test or class
    (``@skip``) is reported without ``startTest``, so its description is printed only
    when the previous status line went through ``_write_status``; "expected failure" and
    "unexpected success" do not, so a skip right after one of them prints a bare
    ``skipped 'reason'``.  Which test ran just before depends on the order of the
    run, so one report may name a skip that the other leaves bare.  A bare skip
    therefore matches a named skip of the same reason that the other report lacks,
    one for one: a missing, extra or differently skipped test still differs.
    """
    mine, theirs = actual.verdicts(), expected.verdicts()
    mine["outcomes"], theirs["outcomes"] = _pair_bare_skips(mine["outcomes"], theirs["outcomes"])
    return mine, theirs


def _pair_bare_skips(
    first: list[tuple[str, str]], second: list[tuple[str, str]]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    only_first = collections.Counter(first) - collections.Counter(second)
    only_second = collections.Counter(second) - collections.Counter(first)

    def anonymise(outcomes, only_here, only_there):
        # How many bare skips of each status the other report has beyond ours.
        spare = collections.Counter(
            outcome
            for test_id, outcome in only_there.elements()
            if test_id == UNNAMED and outcome.startswith("skipped ")
        )
        unmatched = collections.Counter(only_here)
        result = []
        for test_id, outcome in outcomes:
            if test_id != UNNAMED and spare[outcome] and unmatched[(test_id, outcome)]:
                spare[outcome] -= 1
                unmatched[(test_id, outcome)] -= 1
                test_id = UNNAMED
            result.append((test_id, outcome))
        return sorted(result)

    return anonymise(first, only_first, only_second), anonymise(second, only_second, only_first)


def verdict_difference(actual: TestReport, expected: TestReport) -> str:
    """A readable account of how two reports differ (empty when they agree)."""
    lines = []
    mine, theirs = paired_verdicts(actual, expected)
    for key in ("outcomes", "blocks"):
        extra = collections.Counter(mine[key]) - collections.Counter(theirs[key])
        missing = collections.Counter(theirs[key]) - collections.Counter(mine[key])
        lines += [f"{key}: unexpected {item!r}" for item in sorted(extra.elements())]
        lines += [f"{key}: missing {item!r}" for item in sorted(missing.elements())]
    for key in ("ran", "summary"):
        if mine[key] != theirs[key]:
            lines.append(f"{key}: {mine[key]!r} where Django's runner gave {theirs[key]!r}")
    return "\n".join(lines)


def _outcome_kind(outcome: str) -> str:
    return "skipped" if outcome.startswith("skipped") else outcome


def _is_fixture_id(test_id: str) -> bool:
    return test_id == UNNAMED or test_id.split(" ", 1)[0] in FIXTURE_NAMES


def normalize_test_id(description: str) -> str | None:
    """``test_x (pkg.mod.Class.test_x) (i=2)`` -> ``pkg.mod.Class.test_x (i=2)``.

    Python 3.10 prints ``test_x (pkg.mod.Class)`` and 3.11+ prints
    ``test_x (pkg.mod.Class.test_x)``; both give the same id.  Class and
    module fixtures keep their own form: ``setUpClass (pkg.mod.Class)``.
    Returns None for text that is not a test description.
    """
    match = _DESCRIPTION_RE.match(description.strip())
    if not match:
        return None
    name, where, rest = match["name"], match["where"], match["rest"]
    if name in FIXTURE_NAMES:
        return f"{name} ({where}){rest}"
    full = where if where.endswith("." + name) else f"{where}.{name}"
    return full + rest


def parse_test_output(stderr: str) -> TestReport:
    """Parse unittest's verbosity-2 stream (what Django's test command prints).

    The stream is ``description ... status`` per test, then failure blocks,
    then ``Ran N tests`` and the summary.  Three irregularities are handled:
    a test that writes to stderr pushes its status onto a later line; a test
    with a docstring has a two-line description; and a test that ends with
    no status of its own (failed subtests, 3.10) leaves its description
    followed directly by the next one on the same line.
    """
    outcomes: list[tuple[str, str]] = []
    blocks: list[tuple[str, str]] = []
    block_lines: dict[tuple[str, str], list[str]] = {}
    ran: int | None = None
    summary: str | None = None

    pending: str | None = None  # the test whose status has not been printed yet
    after_separator = False
    block: tuple[str, str] | None = None
    in_block_body = False

    for line in stderr.splitlines():
        if line == SEPARATOR1:
            after_separator, block, in_block_body, pending = True, None, False, None
            continue
        if after_separator:
            after_separator = False
            header = _BLOCK_RE.match(line)
            if header:
                description = header["description"]
                block = (header["kind"], normalize_test_id(description) or description)
                blocks.append(block)
                block_lines.setdefault(block, [])
                continue
        if block is not None:
            if line == SEPARATOR2 and not in_block_body:
                in_block_body = True
                continue
            if line == SEPARATOR2 or _RAN_RE.match(line):
                block, in_block_body = None, False
            else:
                block_lines[block].append(line)
                continue

        ran_match = _RAN_RE.match(line)
        if ran_match:
            ran, pending = int(ran_match["count"]), None
            continue
        if ran is not None and _SUMMARY_RE.match(line):
            summary = line.strip()
            continue

        *descriptions, tail = line.split(" ... ")
        for text in descriptions:
            # A text that is no description is the docstring line of `pending`.
            pending = normalize_test_id(text) or pending
        tail = tail.strip()
        status = _STATUS_RE.match(tail)
        if status and (descriptions or pending is not None or _is_bare_status(tail)):
            outcomes.append((pending or UNNAMED, status["status"]))
            pending = None
        elif not descriptions and normalize_test_id(tail):
            # A description on a line of its own: the first line of a test
            # with a docstring, whose status follows the docstring line.
            pending = normalize_test_id(tail)

    return TestReport(
        outcomes=sorted(outcomes),
        blocks=sorted(blocks),
        block_text={key: "\n".join(lines) for key, lines in block_lines.items()},
        ran=ran,
        summary=summary,
    )


def _is_bare_status(text: str) -> bool:
    """A status printed with no description: a class/module fixture's."""
    return text in {"ERROR", "FAIL"} or text.startswith("skipped ")


# --- reports ------------------------------------------------------------------

SCHEMAS_DIR = TESTS_DIR / "schemas"
STRICT_SCHEMA = SCHEMAS_DIR / "jenkins-junit.xsd"
PERMISSIVE_SCHEMA = SCHEMAS_DIR / "jenkins-junit-2014-permissive.xsd"
_SUMMARY_COUNTS_RE = re.compile(
    r"(failures|errors|skipped|expected failures|unexpected successes)=(\d+)"
)


def validated_junit(path, schema=STRICT_SCHEMA):
    """Parse a JUnit file and assert it is valid against ``schema``; return the root."""
    from lxml import etree

    tree = etree.parse(str(path))
    etree.XMLSchema(etree.parse(str(schema))).assertValid(tree)
    return tree.getroot()


def summary_counts(run: Completed) -> dict[str, int]:
    """The counts of unittest's last ``FAILED (...)``/``OK (...)`` line (0 when absent)."""
    counts = dict.fromkeys(
        ("failures", "errors", "skipped", "expected failures", "unexpected successes"), 0
    )
    summary = run.report.summary or ""
    for key, value in _SUMMARY_COUNTS_RE.findall(summary):
        counts[key] = int(value)
    return counts


def junit_cases(root) -> dict[tuple[str, str], list[str]]:
    """``(classname, name)`` -> the tags of the case's outcome children (``[]`` = passed)."""
    cases = {}
    for case in root.iter("testcase"):
        key = (case.get("classname"), case.get("name"))
        assert key not in cases, f"duplicate testcase {key}"
        cases[key] = [child.tag for child in case if child.tag in {"failure", "error", "skipped"}]
    return cases


# --- nothing left behind -------------------------------------------------------


def assert_no_processes_left(run: Completed, timeout: float = 15) -> None:
    """No process of the run's group (workers included) outlives it."""
    deadline = time.monotonic() + timeout
    while process_group_alive(run.pid) and time.monotonic() < deadline:
        time.sleep(0.1)  # workers may still be finishing their exit
    assert not process_group_alive(run.pid), "a worker outlived the run\n" + run.describe()
