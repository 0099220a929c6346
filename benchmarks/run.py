"""Time benchproject's suite under Django's runners and ours, round-robin, and compare medians.

    python benchmarks/run.py [--db sqlite|postgres|both] [--runs 3] [--workers 2] [--json PATH]

Each run is a fresh `manage.py test` subprocess; its wall time includes interpreter start,
test database creation and teardown, because that is what a developer waits for.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

BENCHMARKS_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCHMARKS_DIR / "benchproject"
REPO_ROOT = BENCHMARKS_DIR.parent
DEFAULT_JSON = BENCHMARKS_DIR / "results" / "latest.json"
DEFAULT_PG_URL = "postgres://postgres:postgres@127.0.0.1:5432/bench"
DJANGO_RUNNER = "django.test.runner.DiscoverRunner"
OUR_RUNNER = "concurrent_test_app.runner.ConcurrentTestRunner"
OUTPUT_TAIL_LINES = 30


def manage_test(*args: str) -> tuple[str, ...]:
    return ("manage.py", "test", "--noinput", "-v", "0", *args)


@dataclass(frozen=True)
class Variant:
    """One way of running the suite: arguments after the Python executable, run in benchproject."""

    name: str
    args: tuple[str, ...]

    def for_workers(self, workers: int) -> Variant:
        fill = {"workers": workers}
        return Variant(self.name.format(**fill), tuple(arg.format(**fill) for arg in self.args))


# The variants, in the order they run within a round. "{workers}" comes from --workers.
# Add pytest-xdist (e.g. ("-m", "pytest", "-n", "{workers}")) or fixed worker counts here.
VARIANTS = (
    Variant("sequential", manage_test("--testrunner", DJANGO_RUNNER)),
    Variant(
        "django-parallel-{workers}",
        manage_test("--testrunner", DJANGO_RUNNER, "--parallel", "{workers}"),
    ),
    Variant("ours-{workers}", manage_test("--testrunner", OUR_RUNNER, "--workers", "{workers}")),
)
# The ratios divide every median by these two variants' medians.
SEQUENTIAL_BASELINE = "sequential"
PARALLEL_BASELINE = "django-parallel-{workers}"


@dataclass
class Result:
    """Every timing of one variant on one database; a single failure invalidates it."""

    variant: Variant
    timings: list[float] = field(default_factory=list)
    failure: str | None = None
    output_tail: str = ""

    @property
    def valid(self) -> bool:
        return self.failure is None and bool(self.timings)

    @property
    def median(self) -> float | None:
        return statistics.median(self.timings) if self.valid else None


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--runs", type=int, default=3, help="rounds of every variant (default 3)")
    parser.add_argument(
        "--workers", type=int, default=2, help="processes for the parallel variants"
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"default {DEFAULT_JSON}")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_PG_URL,
        help=f"PostgreSQL server for --db postgres (default $DATABASE_URL or {DEFAULT_PG_URL})",
    )
    parser.add_argument(
        "--timeout", type=float, default=900, help="seconds before a run counts as hung"
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.workers < 1:
        parser.error("--runs and --workers must be at least 1")
    return args


def environment_for(database: str, pg_url: str) -> dict[str, str]:
    """The subprocess environment: the repository importable, the database chosen by DATABASE_URL."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.pop("DATABASE_URL", None)
    if database == "postgres":
        env["DATABASE_URL"] = pg_url
    return env


def time_once(
    variant: Variant, env: dict[str, str], timeout: float
) -> tuple[float, int | None, str]:
    """Run the variant once; return (wall seconds, exit code or None on timeout, output)."""
    command = [sys.executable, *variant.args]
    started = time.perf_counter()
    # A session of its own, so a hung run can be killed together with its worker processes.
    process = subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        return time.perf_counter() - started, None, output
    return time.perf_counter() - started, process.returncode, output


def record(result: Result, seconds: float, code: int | None, output: str) -> str:
    """Store one run's outcome in `result` and return the progress line's verdict."""
    if code == 0:
        result.timings.append(seconds)
        return f"{seconds:7.2f}s"
    reason = "timed out" if code is None else f"exit code {code}"
    result.failure = f"{reason} after {seconds:.1f}s"
    result.output_tail = "\n".join(output.rstrip().splitlines()[-OUTPUT_TAIL_LINES:])
    return f"FAILED ({result.failure}); last lines of output:\n{result.output_tail}\n"


def run_database(database: str, variants: list[Variant], args: argparse.Namespace) -> list[Result]:
    """Run every variant args.runs times, round-robin, so drift in the machine hits all alike."""
    env = environment_for(database, args.pg_url)
    results = [Result(variant) for variant in variants]
    for round_number in range(1, args.runs + 1):
        for result in results:
            if result.failure:
                continue  # A failed variant's numbers are invalid already; spare the time.
            label = f"[{database}] run {round_number}/{args.runs}"
            print(f"{label:<22} {result.variant.name:<24}", end=" ", flush=True)
            print(record(result, *time_once(result.variant, env, args.timeout)), flush=True)
    return results


def ratio(result: Result, baseline: Result | None) -> float | None:
    if baseline is None or result.median is None or baseline.median is None:
        return None
    return result.median / baseline.median


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def baselines(results: list[Result], workers: int) -> tuple[Result | None, Result | None]:
    by_name = {result.variant.name: result for result in results}
    return by_name.get(SEQUENTIAL_BASELINE), by_name.get(PARALLEL_BASELINE.format(workers=workers))


def summarise(results: list[Result], workers: int) -> dict[str, dict]:
    sequential, parallel = baselines(results, workers)
    return {
        result.variant.name: {
            "command": ["python", *result.variant.args],
            "valid": result.valid,
            "failure": result.failure,
            "output_tail": result.output_tail or None,
            "timings": [round(t, 3) for t in result.timings],
            "median": rounded(result.median),
            "min": rounded(min(result.timings) if result.valid else None),
            "max": rounded(max(result.timings) if result.valid else None),
            "ratio_to_sequential": rounded(ratio(result, sequential)),
            "ratio_to_django_parallel": rounded(ratio(result, parallel)),
        }
        for result in results
    }


def print_table(database: str, summary: dict[str, dict], args: argparse.Namespace) -> None:
    parallel_name = PARALLEL_BASELINE.format(workers=args.workers)
    print(
        f"\n{database}: {args.runs} run(s), {args.workers} workers, wall seconds (ratio = median / baseline median)"
    )
    header = f"{'variant':<24} {'median':>8} {'min':>8} {'max':>8} {'vs sequential':>14} {'vs ' + parallel_name:>22}"
    print(header)
    print("-" * len(header))
    for name, row in summary.items():
        if not row["valid"]:
            print(f"{name:<24} {'FAILED':>8}   {row['failure']}")
            continue
        ratios = [
            f"{r:.2f}" if r is not None else "-"
            for r in (row["ratio_to_sequential"], row["ratio_to_django_parallel"])
        ]
        print(
            f"{name:<24} {row['median']:8.2f} {row['min']:8.2f} {row['max']:8.2f} {ratios[0]:>14} {ratios[1]:>22}"
        )


def machine_info() -> dict:
    try:
        import django

        django_version = django.get_version()
    except ImportError:
        django_version = None
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "usable_cpus": usable,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "django": django_version,
        "git_commit": git_commit(),
        # Recorded because they change how our runner behaves (workers, template caching).
        "django_test_environment": {
            k: v for k, v in os.environ.items() if k.startswith("DJANGO_TEST_")
        },
    }


def git_commit() -> str | None:
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return completed.stdout.strip()


def save(path: Path, report: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nRaw timings, medians and ratios saved to {path}")


def redact(url: str) -> str:
    """The URL without its password, fit for a results file that may be shared."""
    scheme, sep, rest = url.partition("://")
    credentials, at, location = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}{sep}{credentials.split(':', 1)[0]}:***@{location}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    variants = [variant.for_workers(args.workers) for variant in VARIANTS]
    report = {
        "machine": machine_info(),
        "settings": {"runs": args.runs, "workers": args.workers, "pg_url": redact(args.pg_url)},
        "databases": {},
    }
    for database in databases:
        summary = summarise(run_database(database, variants, args), args.workers)
        report["databases"][database] = summary
    for database, summary in report["databases"].items():
        print_table(database, summary, args)
    save(args.json, report)
    failed = [
        f"{db}/{name}"
        for db, rows in report["databases"].items()
        for name, row in rows.items()
        if not row["valid"]
    ]
    if failed:
        print(
            f"Invalid (failed) variants: {', '.join(failed)}; their output tails are printed above."
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
