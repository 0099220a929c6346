"""Time the benchmark suites under Django's runners, pytest-xdist and ours; compare medians.

    python benchmarks/run.py [--suite standard|migration-heavy|both] [--db sqlite|postgres|both]
                             [--runs 3] [--variants a,b|none] [--no-overhead] [--scaling]
                             [--changed-scenario] [--json PATH]

Each run is a fresh subprocess; its wall time includes interpreter start, test database
creation and teardown, because that is what a developer waits for. Besides the table of
variants it reports, for our runner, the lower bound of a run (issue 8) and, per suite, the
fixed cost up to the first test and the per-test overhead on 5,000 trivial tests.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlparse

from changed_scenario import WORKERS as CHANGED_WORKERS
from changed_scenario import print_changed, run_changed
from measure import Outcome, run_command

BENCHMARKS_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCHMARKS_DIR.parent
DEFAULT_JSON = BENCHMARKS_DIR / "results" / "latest.json"
DEFAULT_PG_URL = "postgres://postgres:postgres@127.0.0.1:5432/bench"
DJANGO_RUNNER = "django.test.runner.DiscoverRunner"
OUR_RUNNER = "concurrent_test_app.runner.ConcurrentTestRunner"
PEAK_MEMORY = BENCHMARKS_DIR / "peak_memory.py"
OUTPUT_TAIL_LINES = 30
TRIVIAL_TESTS = 5000


def manage_test(*args: str) -> tuple[str, ...]:
    return ("manage.py", "test", "--noinput", "-v", "0", *args)


def django(*args: str) -> tuple[str, ...]:
    return manage_test("--testrunner", DJANGO_RUNNER, *args)


def ours(workers: str) -> tuple[str, ...]:
    return manage_test("--testrunner", OUR_RUNNER, "--workers", workers)


def ours_verbose(workers: str) -> tuple[str, ...]:
    """Ours at verbosity 1, which prints the ``[CONCURRENT]`` lines (the changed scenario)."""
    return (
        "manage.py",
        "test",
        "--noinput",
        "-v",
        "1",
        "--testrunner",
        OUR_RUNNER,
        "--workers",
        workers,
    )


def measured(args: tuple[str, ...]) -> tuple[str, ...]:
    """``args`` run through peak_memory.py, which writes the run's peak RSS (issue 20)."""
    return (str(PEAK_MEMORY), *args)


@dataclass(frozen=True)
class Variant:
    """One way of running a suite: arguments after the Python executable, run in the project.

    ``state`` says what the variant needs before a timed run: ``cold`` deletes the timing
    store (and turns the template cache off through ``env``) and spoils every warm state of
    the same ``state_key``; ``warm`` runs the same command once, untimed, whenever its
    state may have been spoilt since it was last primed.
    """

    name: str
    args: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()
    state: str | None = None  # None, "cold", "warm" or "timed" (timings but no template)
    state_key: str = "ours"
    prime_key: str = "suite"  # warm variants with the same keys share one priming run
    requires: tuple[str, ...] = ()  # importable modules; without them: not applicable

    def missing(self) -> list[str]:
        return [module for module in self.requires if importlib.util.find_spec(module) is None]


COLD = (("DJANGO_TEST_TEMPLATE_CACHE", "false"),)
FORKSERVER = (("DJANGO_TEST_START_METHOD", "forkserver"),)

# The variants, in the order they run within a round.
VARIANTS = (
    # Through peak_memory.py: its peak RSS is the memory baseline (issue 20).
    Variant("sequential", measured(django())),
    Variant("django-parallel-2", django("--parallel", "2")),
    Variant("django-parallel-4", django("--parallel", "4")),
    Variant("ours-cold-2", ours("2"), env=COLD, state="cold"),
    Variant("ours-cold-auto", ours("auto"), env=COLD, state="cold"),
    Variant("ours-warm-2", ours("2"), state="warm"),
    Variant("ours-warm-4", ours("4"), state="warm"),
    Variant("ours-warm-auto", ours("auto"), state="warm"),
    # Workers forked from one server that imported the tests once (issue 20).
    Variant("ours-warm-2-forkserver", ours("2"), env=FORKSERVER, state="warm"),
    Variant("ours-warm-auto-forkserver", ours("auto"), env=FORKSERVER, state="warm"),
    # No template but the timing store kept: a CI job whose database server starts
    # empty while the timing store comes from the repository or a cache (README "CI").
    # It runs after the warm variants, whose priming it shares; it drops the template,
    # which the next round's cold variants re-prime anyway.
    Variant("ours-cold-timed-auto", ours("auto"), env=COLD, state="timed"),
    Variant(
        "pytest-xdist-2",
        # pytest.ini beside manage.py sets DJANGO_SETTINGS_MODULE and the test paths.
        ("-m", "pytest", "-q", "-n", "2", "--reuse-db"),
        state="warm",
        state_key="xdist",
        requires=("pytest_django", "xdist"),
    ),
)
# The ratios divide every median by these two variants' medians.
SEQUENTIAL_BASELINE = "sequential"
PARALLEL_BASELINE = "django-parallel-2"

# The overhead measurements (--no-overhead skips them), on the micro-benchmark modules.
STARTUP_LABEL = "microbench.startup"  # one test, no database: interpreter and Django set-up
TRIVIAL_VARIANTS = (
    Variant("sequential", django("microbench.trivial")),
    Variant("ours-2", ours("2") + ("microbench.trivial",)),
)
PROBE_VARIANTS = (
    Variant("sequential", django("microbench.probe")),
    Variant("django-parallel-2", django("--parallel", "2", "microbench.probe")),
    Variant("ours-cold-2", ours("2") + ("microbench.probe",), env=COLD, state="cold"),
    Variant("ours-warm-2", ours("2") + ("microbench.probe",), state="warm", prime_key="probe"),
    Variant(
        "ours-warm-2-forkserver",
        ours("2") + ("microbench.probe",),
        env=FORKSERVER,
        state="warm",
        prime_key="probe",
    ),
)

# The scaling measurement (--scaling): I/O-waiting tests under more and more workers.
WAITING = "microbench.waiting"
SCALING_WORKERS = (1, 2, 4, 8)
SCALING_VARIANTS = (
    Variant("sequential", django(WAITING)),
    *(Variant(f"ours-{n}", ours(str(n)) + (WAITING,)) for n in SCALING_WORKERS),
)


@dataclass(frozen=True)
class Suite:
    """A benchmark project: its directory and the PostgreSQL database name suffix.

    The demo project (``testproject/``) has no ``microbench`` modules and no pytest.ini:
    its start-up probe is a module of its own that needs no database, and the overhead
    measurements and pytest-xdist are not run on it.
    """

    name: str
    directory: Path
    pg_suffix: str
    startup_label: str = STARTUP_LABEL
    microbench: bool = True  # has microbench.trivial and microbench.probe (overhead)
    pytest: bool = True  # has a pytest.ini for pytest-django (the pytest-xdist variant)

    def startup(self) -> Variant:
        """The start-up probe: a run of one module that needs no database."""
        return Variant("startup", django(self.startup_label))


SUITES = {
    "standard": Suite("standard", BENCHMARKS_DIR / "benchproject", ""),
    "migration-heavy": Suite("migration-heavy", BENCHMARKS_DIR / "migrationheavy", "_mh"),
    "cpu-bound": Suite("cpu-bound", BENCHMARKS_DIR / "cpubound", "_cpu"),
    # The README's first command runs this one (issue 19): the first run a newcomer sees.
    "demo": Suite(
        "demo",
        REPO_ROOT / "testproject",
        "_demo",
        startup_label="testproject.test_database_url",
        microbench=False,
        pytest=False,
    ),
}
# --suite both: the two original suites; all: every suite.
SUITE_CHOICES = {"both": ("standard", "migration-heavy"), "all": tuple(SUITES)}
# Issue 20's targets for ours-warm-auto against django-parallel-2, printed beside the ratios.
PARALLEL_TARGETS = {"standard": 0.6, "migration-heavy": 0.45, "cpu-bound": 0.8}
BOUND_TARGETS = {"cpu-bound": 1.15}
# Issue 19: the README's first command (a first run: no template, no timings, 2 workers)
# must beat Django's sequential run on the demo.
SEQUENTIAL_TARGETS = {"demo": ("ours-cold-2", 1.0)}
MEMORY_TARGET_MB = 8.0  # largest worker's peak over the plain Django process's (issue 20)


@dataclass(frozen=True)
class RunReport:
    """What one run of ours said about itself in its --benchmark-json report."""

    workers: int
    efficiency: float  # (sum of unit times / workers) / test-phase makespan
    utilization: float  # the same with test spans only (README "Worker utilization")
    worker_peak_mb: float  # the largest peak RSS of any worker
    parent_peak_mb: float


@dataclass
class Result:
    """Every timed run of one variant on one suite and database; one failure invalidates it."""

    variant: Variant
    outcomes: list[Outcome] = field(default_factory=list)
    longest_units: list[float | None] = field(default_factory=list)
    # Read right after each run: every run of a probe variant writes the same file.
    first_tests: list[float | None] = field(default_factory=list)
    # ours only, from its --benchmark-json report
    schedules: list[RunReport | None] = field(default_factory=list)
    # sequential only, from peak_memory.py: {"run_peak_mb": ..., "test_phase_peak_mb": ...}
    memory: list[dict | None] = field(default_factory=list)
    failure: str | None = None
    output_tail: str = ""

    @property
    def valid(self) -> bool:
        return self.failure is None and bool(self.outcomes)

    @property
    def timings(self) -> list[float]:
        return [o.wall for o in self.outcomes]

    @property
    def median(self) -> float | None:
        return statistics.median(self.timings) if self.valid else None


def median_of(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


class Bench:
    """Runs commands of one suite on one database, keeping cold and warm states honest."""

    def __init__(self, suite: Suite, database: str, args: argparse.Namespace) -> None:
        self.suite = suite
        self.database = database
        self.timeout = args.timeout
        self.pg_url = suite_pg_url(args.pg_url, suite) if database == "postgres" else None
        self.pg_settings = pg_settings(self.pg_url) if self.pg_url else None
        self.env = environment_for(self.pg_url)
        self.primed: set[tuple[str, tuple[str, ...]]] = set()

    @property
    def timing_store(self) -> Path:
        return self.suite.directory / ".concurrent_test" / "timings.json"

    @property
    def report_file(self) -> Path:
        """Where our runner writes its --benchmark-json report (ours variants only)."""
        return self.suite.directory / ".concurrent_test" / "bench-report.json"

    @property
    def memory_file(self) -> Path:
        """Where peak_memory.py writes a measured run's peak RSS."""
        return self.suite.directory / ".concurrent_test" / "bench-memory.json"

    def memory_of_last_run(self) -> dict | None:
        try:
            data = json.loads(self.memory_file.read_text())
            self.memory_file.unlink()
        except (OSError, ValueError):
            return None
        return data

    def environment(self, variant: Variant, extra_env: dict[str, str] | None) -> dict[str, str]:
        env = {**self.env, **dict(variant.env), **(extra_env or {})}
        if variant.args[-2:-1] == ("--workers",):  # ours: ask for its JSON report
            # A fresh clone has no .concurrent_test yet, and the runner refuses a report
            # path whose folder is missing.
            self.report_file.parent.mkdir(parents=True, exist_ok=True)
            env["DJANGO_TEST_BENCHMARK_JSON"] = str(self.report_file)
        if variant.args[0] == str(PEAK_MEMORY):
            self.memory_file.parent.mkdir(parents=True, exist_ok=True)
            self.memory_file.unlink(missing_ok=True)
            env["BENCH_RSS_FILE"] = str(self.memory_file)
        return env

    def schedule_of_last_run(self) -> RunReport | None:
        """Workers, scheduling efficiency and memory of our last run, from its JSON report.

        Efficiency = (sum of unit times / workers) / test-phase makespan: 1.0 when every
        worker was busy from the first unit handed out to the last one's end (issue 5 asks
        for >= 0.9). Utilization counts only the spans from a unit's first test to its
        last, so it leaves out class fixtures and imports.
        """
        try:
            data = json.loads(self.report_file.read_text())
            self.report_file.unlink()
            return RunReport(
                int(data["workers"]),
                float(data["scheduling_efficiency"]),
                float(data["worker_utilization"]),
                float(data.get("worker_peak_rss_mb") or 0.0),
                float(data.get("parent_peak_rss_mb") or 0.0),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def prime_if_needed(self, variant: Variant, env: dict[str, str]) -> Outcome | None:
        """Prepare the variant's state; a warm one is run untimed if its state may be spoilt."""
        key = (variant.state_key, variant.prime_key)
        if variant.state == "cold":
            self.timing_store.unlink(missing_ok=True)
            self.primed = {p for p in self.primed if p[0] != variant.state_key}
        elif variant.state in ("warm", "timed") and key not in self.primed:
            outcome = self.execute(variant, env)
            if outcome.code == 0 and variant.state == "warm":
                self.primed.add(key)
            return outcome
        if variant.state == "timed":
            self.primed.discard(key)  # its run drops the template: prime again after it
        return None

    def execute(self, variant: Variant, env: dict[str, str]) -> Outcome:
        return run_command(
            [sys.executable, *variant.args],
            self.suite.directory,
            env,
            self.timeout,
            self.pg_settings,
        )

    def longest_unit_since(self, started: float) -> float | None:
        """The longest unit our runner stored for the run that began at ``started``."""
        try:
            units = json.loads(self.timing_store.read_text()).get("units", {})
        except (OSError, ValueError):
            return None
        durations = [entry[0] for entry in units.values() if entry[1] >= started]
        return max(durations) if durations else None

    def cleanup(self) -> None:
        """Drop what pytest-django's --reuse-db keeps on the server (NAME_test_gwN)."""
        if self.pg_settings is None:
            return
        import psycopg2

        try:
            connection = psycopg2.connect(**connect_kwargs(self.pg_settings))
            connection.autocommit = True
            prefix = f"{self.pg_settings['NAME']}_test_gw"
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT datname FROM pg_database WHERE left(datname, %s) = %s",
                    [len(prefix), prefix],
                )
                for (name,) in cursor.fetchall():
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.close()
        except psycopg2.Error as error:  # best effort: leftovers are only disk space
            print(f"Could not drop pytest-xdist's databases: {error}")


def record(result: Result, outcome: Outcome) -> str:
    """Store one run's outcome in ``result`` and return the progress line's verdict."""
    if outcome.code == 0:
        result.outcomes.append(outcome)
        server = "" if outcome.server_cpu is None else f" + server {outcome.server_cpu:.2f}s"
        return f"{outcome.wall:7.2f}s  (cpu {outcome.client_cpu:.2f}s{server})"
    reason = "timed out" if outcome.code is None else f"exit code {outcome.code}"
    result.failure = f"{reason} after {outcome.wall:.1f}s"
    result.output_tail = "\n".join(outcome.output.rstrip().splitlines()[-OUTPUT_TAIL_LINES:])
    return f"FAILED ({result.failure}); last lines of output:\n{result.output_tail}\n"


def not_applicable(variant: Variant) -> str | None:
    missing = variant.missing()
    return f"not applicable: {', '.join(missing)} not installed" if missing else None


def run_rounds(
    bench: Bench, variants, runs: int, label: str = "", prepare=None, first: Result | None = None
) -> list[Result]:
    """Every variant once per round, round-robin, so drift in the machine hits all alike.

    ``first`` (the start-up probe) runs at the head of every round; ``prepare(variant)``
    returns extra environment for one run.
    """
    results = [Result(variant, failure=not_applicable(variant)) for variant in variants]
    for round_number in range(1, runs + 1):
        for result in ([first] if first else []) + results:
            if result.failure:
                continue  # invalid already (failed or not applicable); spare the time
            env = bench.environment(result.variant, prepare(result.variant) if prepare else None)
            tag = f"[{bench.suite.name}/{bench.database}{label}] {round_number}/{runs}"
            priming = bench.prime_if_needed(result.variant, env)
            if priming is not None:
                print(f"{tag:<38} {result.variant.name:<26} (priming, untimed) {priming.wall:.2f}s")
            if priming is not None and priming.code != 0:
                outcome = priming  # the timed run would fail alike; report this one
            else:
                print(f"{tag:<38} {result.variant.name:<26}", end=" ", flush=True)
                outcome = bench.execute(result.variant, env)
            verdict = record(result, outcome)
            delay = first_test_delay(outcome) if outcome.code == 0 else None
            result.first_tests.append(delay)
            print(verdict + (f"  first test at {delay:.2f}s" if delay else ""), flush=True)
            if outcome.code == 0 and result.variant.name.startswith("ours"):
                result.longest_units.append(bench.longest_unit_since(outcome.started))
                result.schedules.append(bench.schedule_of_last_run())
            if outcome.code == 0 and result.variant.args[0] == str(PEAK_MEMORY):
                result.memory.append(bench.memory_of_last_run())
    return results


# -- figures -----------------------------------------------------------------------------


def ratio(result: Result, baseline: Result | None) -> float | None:
    if baseline is None or result.median is None or baseline.median is None:
        return None
    return result.median / baseline.median


def rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def summarise(results: list[Result]) -> dict[str, dict]:
    by_name = {result.variant.name: result for result in results}
    sequential, parallel = by_name.get(SEQUENTIAL_BASELINE), by_name.get(PARALLEL_BASELINE)
    return {
        result.variant.name: {
            "command": ["python", *result.variant.args],
            "env": dict(result.variant.env),
            "valid": result.valid,
            "failure": result.failure,
            "output_tail": result.output_tail or None,
            "timings": [round(t, 3) for t in result.timings],
            "median": rounded(result.median),
            "min": rounded(min(result.timings) if result.valid else None),
            "max": rounded(max(result.timings) if result.valid else None),
            "ratio_to_sequential": rounded(ratio(result, sequential)),
            "ratio_to_django_parallel_2": rounded(ratio(result, parallel)),
            "client_cpu": [round(o.client_cpu, 3) for o in result.outcomes],
            "server_cpu": [rounded(o.server_cpu) for o in result.outcomes],
            "workers": [s.workers if s else None for s in result.schedules],
            "scheduling_efficiency": [
                rounded(s.efficiency) if s else None for s in result.schedules
            ],
            "median_scheduling_efficiency": rounded(
                median_of(s.efficiency if s else None for s in result.schedules)
            ),
            "worker_utilization": [rounded(s.utilization) if s else None for s in result.schedules],
            "median_worker_utilization": rounded(
                median_of(s.utilization if s else None for s in result.schedules)
            ),
            "worker_peak_rss_mb": [
                rounded(s.worker_peak_mb, 1) if s else None for s in result.schedules
            ],
            "parent_peak_rss_mb": [
                rounded(s.parent_peak_mb, 1) if s else None for s in result.schedules
            ],
            "peak_memory": result.memory or None,
        }
        for result in results
    }


def lower_bounds(results: list[Result], startup: Result, cores: int) -> dict[str, dict]:
    """Issue 8's bound for each of our variants' runs, and ours ÷ bound.

    bound = startup + max(longest unit, (CPU work - startup CPU) / cores), where CPU work
    is the run's client CPU (runner and workers) plus its PostgreSQL backends' CPU, and
    startup is the no-database one-test run (interpreter, Django set-up, checks) that every
    runner pays before it can do anything else; its CPU is taken out of the work once.
    """
    if not startup.valid:
        return {}
    startup_wall = statistics.median(startup.timings)
    startup_cpu = statistics.median(o.client_cpu for o in startup.outcomes)
    bounds = {}
    for result in results:
        if not result.valid or not result.variant.name.startswith("ours"):
            continue
        rows = []
        for outcome, longest in zip(result.outcomes, result.longest_units, strict=True):
            work = outcome.client_cpu + (outcome.server_cpu or 0.0)
            spread = max(0.0, work - startup_cpu) / cores
            bound = startup_wall + max(longest or 0.0, spread)
            rows.append((outcome.wall, work, longest, bound, outcome.wall / bound))
        bounds[result.variant.name] = {
            "cores": cores,
            "startup_wall": round(startup_wall, 3),
            "startup_cpu": round(startup_cpu, 3),
            "cpu_work": [round(r[1], 3) for r in rows],
            "longest_unit": [rounded(r[2]) for r in rows],
            "bound": [round(r[3], 3) for r in rows],
            "ours_over_bound": [round(r[4], 3) for r in rows],
            "median_bound": rounded(median_of(r[3] for r in rows)),
            "median_ours_over_bound": rounded(median_of(r[4] for r in rows)),
            "server_cpu_measured": all(o.server_cpu is not None for o in result.outcomes),
        }
    return bounds


def memory_figures(summary: dict) -> dict:
    """Issue 20's memory target: our peaks over those of a plain Django process.

    The baseline is the ``sequential`` variant run through peak_memory.py: its test phase
    (the largest worker is compared with it; workers never migrate) and its whole run
    (our runner's own process is compared with that).
    """
    measured = (summary.get(SEQUENTIAL_BASELINE) or {}).get("peak_memory") or []
    test_phase = median_of(m.get("test_phase_peak_mb") for m in measured if m)
    whole_run = median_of(m.get("run_peak_mb") for m in measured if m)
    ours = {}
    for name, row in summary.items():
        if not name.startswith("ours") or not row["valid"]:
            continue
        worker = median_of(row["worker_peak_rss_mb"])
        parent = median_of(row["parent_peak_rss_mb"])
        ours[name] = {
            "worker_peak_mb": rounded(worker, 1),
            "parent_peak_mb": rounded(parent, 1),
            "worker_over_django_mb": rounded(worker - test_phase, 1)
            if worker and test_phase
            else None,
            "parent_over_sequential_mb": rounded(parent - whole_run, 1)
            if parent and whole_run
            else None,
        }
    return {
        "django_test_phase_peak_mb": rounded(test_phase, 1),
        "django_run_peak_mb": rounded(whole_run, 1),
        "target_mb": MEMORY_TARGET_MB,
        "ours": ours,
    }


def overhead_figures(
    trivial: dict[str, list[Result]], probes: list[Result], startup: Result, parallel_median
) -> dict:
    """Per-test overhead on the trivial suite and fixed cost up to the first test."""
    figures: dict = {"trivial_tests": TRIVIAL_TESTS}
    walls = {
        (size, r.variant.name): median_of(r.timings) if r.valid else None
        for size, results in trivial.items()
        for r in results
    }
    cpus = {
        (size, r.variant.name): median_of(o.client_cpu for o in r.outcomes) if r.valid else None
        for size, results in trivial.items()
        for r in results
    }
    figures["wall"] = {f"{name}-{size}": rounded(v) for (size, name), v in walls.items()}
    figures["cpu"] = {f"{name}-{size}": rounded(v) for (size, name), v in cpus.items()}
    big, small = TRIVIAL_TESTS, 2
    try:
        seq, seq0 = walls[(big, "sequential")], walls[(small, "sequential")]
        our, our0 = walls[(big, "ours-2")], walls[(small, "ours-2")]
        figures["per_test_ms_brief"] = round((our - seq / 2) / big * 1000, 4)
        figures["per_test_ms_net"] = round(((our - our0) - (seq - seq0) / 2) / big * 1000, 4)
        cseq, cseq0 = cpus[(big, "sequential")], cpus[(small, "sequential")]
        cour, cour0 = cpus[(big, "ours-2")], cpus[(small, "ours-2")]
        figures["per_test_cpu_ms"] = round(((cour - cour0) - (cseq - cseq0)) / big * 1000, 4)
    except (KeyError, TypeError):
        pass  # a failed trivial run: no figure rather than a wrong one
    figures["first_test_seconds"] = {
        r.variant.name: rounded(median_of(r.first_tests)) for r in probes if r.valid
    }
    sequential_first = figures["first_test_seconds"].get("sequential")
    if startup.valid and sequential_first is not None:
        creation = sequential_first - statistics.median(startup.timings)
        figures["test_database_creation_seconds"] = round(creation, 3)
        if parallel_median:
            figures["creation_share_of_django_parallel_2"] = round(creation / parallel_median, 3)
    return figures


def first_test_delay(outcome: Outcome) -> float | None:
    """Seconds from the command's start to the earliest probe test's start."""
    if not outcome.probe_file:
        return None
    try:
        stamps = [float(line) for line in Path(outcome.probe_file).read_text().split()]
    except (OSError, ValueError):
        return None
    return min(stamps) - outcome.started if stamps else None


# -- one suite on one database -----------------------------------------------------------


def run_suite(suite: Suite, database: str, variants, args: argparse.Namespace) -> dict:
    bench = Bench(suite, database, args)
    startup = Result(suite.startup())
    if not suite.pytest:
        variants = [variant for variant in variants if variant.state_key != "xdist"]
    load_before = os.getloadavg()
    # --variants none: no table of variants (say, only the changed scenario), so no probe.
    results = run_rounds(bench, variants, args.runs, first=startup) if variants else []
    summary = summarise(results)
    report = {
        "variants": summary,
        "startup": summarise([startup])["startup"],
        "lower_bound": lower_bounds(results, startup, usable_cpus()),
        "memory": memory_figures(summary),
        # The machine may be shared: its load says how far to trust the figures.
        "load_average": {"before": load_before, "after": os.getloadavg()},
    }
    if args.overhead and suite.microbench:
        parallel = summary.get(PARALLEL_BASELINE, {}).get("median")
        report["overhead"] = run_overhead(bench, startup, parallel, args)
    if args.scaling and suite.name == "standard":
        report["scaling"] = summarise(run_rounds(bench, SCALING_VARIANTS, args.runs, " waiting"))
    if args.changed_scenario:
        report["changed"] = run_changed(bench, ours_verbose(CHANGED_WORKERS), args.runs)
    bench.cleanup()
    return report


def run_overhead(bench: Bench, startup: Result, parallel_median, args) -> dict:
    """The trivial suite at 5,000 and 2 tests, then the first-test probes."""
    trivial = {
        size: run_rounds(
            bench,
            TRIVIAL_VARIANTS,
            args.runs,
            f" trivial x{size}",
            prepare=lambda _variant, size=size: {"BENCH_TRIVIAL_TESTS": str(size)},
        )
        for size in (TRIVIAL_TESTS, 2)
    }
    probe_dir = Path(tempfile.mkdtemp(prefix="bench-probes-"))

    def probe_file(variant: Variant) -> dict[str, str]:
        path = probe_dir / f"{variant.name}.txt"
        path.unlink(missing_ok=True)
        return {"BENCH_PROBE_FILE": str(path)}

    try:
        probes = run_rounds(bench, PROBE_VARIANTS, args.runs, " probe", prepare=probe_file)
        figures = overhead_figures(trivial, probes, startup, parallel_median)
    finally:
        shutil.rmtree(probe_dir, ignore_errors=True)
    figures["failures"] = {
        f"{r.variant.name}": r.failure
        for results in [*trivial.values(), probes]
        for r in results
        if r.failure
    }
    return figures


# -- printing ----------------------------------------------------------------------------


def print_tables(suite: str, database: str, report: dict, runs: int) -> None:
    print(f"\n{suite} suite, {database}: {runs} run(s), wall seconds, ratio = median / baseline")
    if report["variants"]:  # --variants none: no table, and no load or memory to speak of
        print_variants(report["variants"])
        print_schedules(report["variants"])
        print_targets(suite, report)
        print_memory(report.get("memory"))
    bounds = report["lower_bound"]
    if bounds:
        any_row = next(iter(bounds.values()))
        print(
            f"\nLower bound = startup {any_row['startup_wall']:.2f}s + max(longest unit, "
            f"(cpu work - startup cpu {any_row['startup_cpu']:.2f}s) / {any_row['cores']} cores)"
        )
        header = f"{'variant':<26} {'cpu work':>9} {'longest unit':>13} {'bound':>8} {'ours / bound':>13}"
        print(header)
        print("-" * len(header))
        for name, row in bounds.items():
            work = median_of(row["cpu_work"])
            longest = median_of(row["longest_unit"])
            server = (
                "" if row["server_cpu_measured"] or database != "postgres" else "  (no server cpu)"
            )
            print(
                f"{name:<26} {work:9.2f} {(longest or 0):13.2f} {row['median_bound']:8.2f} "
                f"{row['median_ours_over_bound']:13.2f}{server}"
            )
    if "scaling" in report:
        print_scaling(report["scaling"])
    if "changed" in report:
        print_changed(report["changed"])
    overhead = report.get("overhead")
    if overhead:
        print(f"\nOverhead ({TRIVIAL_TESTS} trivial tests, medians):")
        for key in ("per_test_ms_brief", "per_test_ms_net", "per_test_cpu_ms"):
            if key in overhead:
                print(f"  {key:<36} {overhead[key]:.4f} ms")
        print(
            "  first test starts after (s):    "
            + ", ".join(
                f"{name} {value:.2f}"
                for name, value in overhead["first_test_seconds"].items()
                if value is not None
            )
        )
        if "test_database_creation_seconds" in overhead:
            share = overhead.get("creation_share_of_django_parallel_2")
            print(
                f"  test database creation: {overhead['test_database_creation_seconds']:.2f}s"
                + (f" = {share:.0%} of django-parallel-2's median" if share else "")
            )
        for name, failure in overhead["failures"].items():
            print(f"  {name}: FAILED {failure}")


def print_variants(variants: dict) -> None:
    """The table of variants: wall seconds, CPU and the ratios to the two baselines."""
    header = (
        f"{'variant':<26} {'median':>8} {'min':>8} {'max':>8} {'cpu':>7} "
        f"{'vs sequential':>14} {'vs django-parallel-2':>21}"
    )
    print(header)
    print("-" * len(header))
    for name, row in variants.items():
        if not row["valid"]:
            print(f"{name:<26} {'-':>8}   {row['failure']}")
            continue
        cpu = median_of(
            c + (s or 0.0) for c, s in zip(row["client_cpu"], row["server_cpu"], strict=True)
        )
        ratios = [
            f"{r:.2f}" if r is not None else "-"
            for r in (row["ratio_to_sequential"], row["ratio_to_django_parallel_2"])
        ]
        print(
            f"{name:<26} {row['median']:8.2f} {row['min']:8.2f} {row['max']:8.2f} {cpu:7.2f} "
            f"{ratios[0]:>14} {ratios[1]:>21}"
        )


def print_targets(suite: str, report: dict) -> None:
    """Issue 20's ratios for this suite, beside their targets, and the machine's load."""
    load = report.get("load_average") or {}
    if load:
        before, after = load["before"], load["after"]
        print(
            f"\nLoad average (1, 5, 15 min) before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f},"
            f" after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}"
            f" on {usable_cpus()} CPUs: above the CPU count, other work shared the machine"
        )
    row = report["variants"].get("ours-warm-auto") or {}
    target = PARALLEL_TARGETS.get(suite)
    if row.get("ratio_to_django_parallel_2") is not None and target:
        print(
            f"ours-warm-auto / django-parallel-2 = {row['ratio_to_django_parallel_2']:.2f}"
            f" (target <= {target:.2f})"
        )
    name, limit = SEQUENTIAL_TARGETS.get(suite, (None, None))
    first = report["variants"].get(name) or {}
    if first.get("ratio_to_sequential") is not None:
        print(f"{name} / sequential = {first['ratio_to_sequential']:.2f} (target < {limit:.2f})")
    bound = (report.get("lower_bound") or {}).get("ours-warm-auto")
    if bound and suite in BOUND_TARGETS:
        print(
            f"ours-warm-auto / lower bound = {bound['median_ours_over_bound']:.2f}"
            f" (target <= {BOUND_TARGETS[suite]:.2f})"
        )


def print_memory(memory: dict | None) -> None:
    """Peak RSS of our largest worker and of our runner against a plain Django process."""
    if not memory or not memory["ours"]:
        return
    base, whole = memory["django_test_phase_peak_mb"], memory["django_run_peak_mb"]
    if base is None:
        print("\nMemory: no baseline (the sequential variant did not run or had no /proc)")
        return
    print(
        f"\nMemory, median peak RSS in MB: plain Django process {base:.1f} in its test phase,"
        f" {whole:.1f} over its whole run; target: largest worker <= baseline"
        f" + {memory['target_mb']:.0f}"
    )
    for name, row in memory["ours"].items():
        if row["worker_peak_mb"] is None:
            continue
        over = row["worker_over_django_mb"]
        parent_over = row["parent_over_sequential_mb"]
        print(
            f"  {name:<26} largest worker {row['worker_peak_mb']:7.1f}"
            + (f" ({over:+.1f})" if over is not None else "")
            + f"   runner {row['parent_peak_mb'] or 0:7.1f}"
            + (f" ({parent_over:+.1f} against the whole sequential run)" if parent_over else "")
        )


def print_scaling(scaling: dict) -> None:
    """The I/O-waiting suite: median wall and speed-up over sequential per worker count."""
    print(f"\nScaling on {WAITING} (tests that sleep; CPUs are not the limit):")
    for name, row in scaling.items():
        if not row["valid"]:
            print(f"  {name:<12} -   {row['failure']}")
            continue
        speedup = 1 / row["ratio_to_sequential"] if row["ratio_to_sequential"] else None
        print(
            f"  {name:<12} {row['median']:7.2f}s"
            + (f"   {speedup:5.2f}x faster than sequential" if speedup else "")
        )


def print_schedules(variants: dict) -> None:
    """Our variants' workers and scheduling efficiency, per run and median."""
    rows = {n: r for n, r in variants.items() if r["valid"] and r["median_scheduling_efficiency"]}
    if not rows:
        return
    print(
        "\nScheduling efficiency = (sum of unit times / workers) / test-phase makespan;"
        " utilization = the same over test spans only; peak RSS in MB (largest worker / runner)"
    )
    for name, row in rows.items():
        runs = ", ".join(
            f"{e:.2f} ({w} workers)" if e is not None else "-"
            for w, e in zip(row["workers"], row["scheduling_efficiency"], strict=True)
        )
        memory = median_of(row["worker_peak_rss_mb"]), median_of(row["parent_peak_rss_mb"])
        print(
            f"{name:<26} median {row['median_scheduling_efficiency']:.2f}"
            f" (utilization {row['median_worker_utilization'] or 0:.2f})   runs: {runs}"
            f"   RSS {memory[0] or 0:.0f} / {memory[1] or 0:.0f}"
        )


# -- environment -------------------------------------------------------------------------


def suite_pg_url(url: str, suite: Suite) -> str:
    """The server URL with the suite's database name: NAME for standard, NAME_mh for heavy."""
    parsed = urlparse(url)
    name = unquote(parsed.path.lstrip("/")) or "bench"
    return parsed._replace(path=f"/{name}{suite.pg_suffix}").geturl()


def pg_settings(url: str) -> dict:
    parsed = urlparse(url)
    return {
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
    }


def connect_kwargs(settings: dict) -> dict:
    return {
        "dbname": "postgres",
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "host": settings["HOST"],
        "port": settings["PORT"] or None,
    }


def environment_for(pg_url: str | None) -> dict[str, str]:
    """The subprocess environment: the repository importable, the database from DATABASE_URL.

    DJANGO_TEST_* variables of the caller are removed, so that "defaults" means the
    runner's defaults; the variants that need one set it themselves.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_TEST_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # each project's manage.py / pytest.ini sets it
    if pg_url:
        env["DATABASE_URL"] = pg_url
    return env


def usable_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def machine_info() -> dict:
    try:
        import django

        django_version = django.get_version()
    except ImportError:
        django_version = None
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "usable_cpus": usable_cpus(),
        "load_average_at_start": os.getloadavg(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "django": django_version,
        "git_commit": git_commit(),
    }


def git_commit() -> str | None:
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return completed.stdout.strip()


def redact(url: str) -> str:
    """The URL without its password, fit for a results file that may be shared."""
    scheme, sep, rest = url.partition("://")
    credentials, at, location = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}{sep}{credentials.split(':', 1)[0]}:***@{location}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suite", choices=(*SUITES, *SUITE_CHOICES), default="standard")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--runs", type=int, default=3, help="rounds of every variant (default 3)")
    parser.add_argument(
        "--variants",
        help="comma-separated variant names to run, or none (default: all; "
        + ", ".join(v.name for v in VARIANTS)
        + ")",
    )
    parser.add_argument(
        "--no-overhead",
        dest="overhead",
        action="store_false",
        help="skip the fixed-cost probe and the 5,000 trivial tests",
    )
    parser.add_argument(
        "--scaling",
        action="store_true",
        help=f"also time {WAITING} (I/O-waiting tests) sequentially and with "
        f"{', '.join(map(str, SCALING_WORKERS))} workers (standard suite only)",
    )
    parser.add_argument(
        "--changed-scenario",
        action="store_true",
        help="also time, in a git copy of each suite, a full run and a --changed run after a "
        "one-function edit, and a run with --record-impact against one without (issue 28)",
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"default {DEFAULT_JSON}")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_PG_URL,
        help=f"PostgreSQL server for --db postgres (default $DATABASE_URL or {DEFAULT_PG_URL}); "
        "the migration-heavy suite uses database NAME_mh",
    )
    parser.add_argument(
        "--timeout", type=float, default=900, help="seconds before a run counts as hung"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.variants and args.variants != "none":
        names = {v.name for v in VARIANTS}
        unknown = set(args.variants.split(",")) - names
        if unknown:
            parser.error(f"unknown variant(s) {', '.join(sorted(unknown))}; known: {sorted(names)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    suites = list(SUITE_CHOICES.get(args.suite, (args.suite,)))
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    wanted = set(args.variants.split(",")) if args.variants else None  # "none": an empty table
    variants = [v for v in VARIANTS if wanted is None or v.name in wanted]
    report = {
        "machine": machine_info(),
        "settings": {
            "runs": args.runs,
            "pg_url": redact(args.pg_url),
            "overhead": args.overhead,
            "changed_scenario": args.changed_scenario,
        },
        "suites": {},
    }
    for suite_name in suites:
        for database in databases:
            result = run_suite(SUITES[suite_name], database, variants, args)
            report["suites"].setdefault(suite_name, {})[database] = result
    for suite_name, by_database in report["suites"].items():
        for database, result in by_database.items():
            print_tables(suite_name, database, result, args.runs)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nRaw timings, medians, ratios and bounds saved to {args.json}")
    failed = [
        f"{suite}/{db}/{name}"
        for suite, by_database in report["suites"].items()
        for db, result in by_database.items()
        for name, row in result["variants"].items()
        if not row["valid"] and not (row["failure"] or "").startswith("not applicable")
    ]
    failed += [
        f"{suite}/{db}/changed"
        for suite, by_database in report["suites"].items()
        for db, result in by_database.items()
        if (result.get("changed") or {}).get("failure")
    ]
    if failed:
        print(f"Invalid (failed) variants: {', '.join(failed)}; their output tails are above.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
