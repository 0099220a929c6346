"""Compare our runner with Django's sequential run on a real open-source suite.

    python benchmarks/realsuites/compare.py --suite django-filter [--runs 5] [--repo PATH]

Prepares the suite (see prepare.py), then runs, one at a time: Django's sequential runner
once (the reference), Django's ``--parallel 2`` once, ours with 2 workers ``--runs`` times
from nothing (``.concurrent_test/`` deleted before each: first runs), then ``--runs`` times
with that folder kept (warm runs). For each run it prints the ``Ran`` line(s), verdict(s),
exit status, wall time and whether they, and the failing test ids, equal the sequential
run's. Exit status 1 when any of our runs differs from sequential or fell back to a
sequential run (unless ``--allow-fallback``), 2 when the sequential run printed no ``Ran``
line; logs and a JSON summary go to ``<workdir>/logs/<timestamp>/``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/measure.py

from measure import run_command
from outcomes import Report, parse
from prepare import Prepared, prepare
from suites import DJANGO_RUNNER, OUR_RUNNER, SUITES, Run, Suite

REPO_ROOT = HERE.parent.parent
CACHE_FOLDER = ".concurrent_test"
WORKERS = 2


@dataclass(frozen=True)
class Result:
    """One timed run: its label, the parsed report, the wall time and the log's path."""

    label: str
    report: Report
    wall: float
    log: str


def main() -> int:
    """Prepare the suite, run every variant, print the comparison; 1 if ours differ."""
    options = parse_options()
    suite = SUITES[options.suite]
    workdir = options.workdir or Path("/tmp/realsuites") / suite.name
    prepared = prepare(suite, workdir, options.repo.resolve(), options.django, options.reinstall)
    logs = workdir / "logs" / datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    logs.mkdir(parents=True)
    print(f"{suite.name}: {suite.note}; repo {options.repo.resolve()}; Django {options.django}")
    print(f"run folder {prepared.run_folder}; logs {logs}", flush=True)
    run = Runs(suite, prepared, logs, options.timeout)
    reference = run.one("sequential", Run(DJANGO_RUNNER, 1))
    results = [reference]
    if not options.skip_django_parallel:
        results.append(
            run.one(f"django-parallel-{WORKERS}", Run(DJANGO_RUNNER, WORKERS), reference)
        )
    ours = Run(OUR_RUNNER, WORKERS)
    for index in range(1, options.runs + 1):
        clear_cache(prepared.source)
        results.append(run.one(f"ours-first-{index}", ours, reference))
    for index in range(1, options.runs + 1):
        results.append(run.one(f"ours-warm-{index}", ours, reference))
    ours_results = [r for r in results if r.label.startswith("ours")]
    differing = [r.label for r in ours_results if not r.report.same_as(reference.report)]
    fell_back = [r.label for r in ours_results if r.report.fallbacks]
    summarize(results, reference, differing, fell_back)
    write_json(logs / "summary.json", suite, options, results)
    if not reference.report.ran:
        print(
            "the sequential run printed no 'Ran N tests' line: the suite did not run; see its log"
        )
        return 2
    return 1 if differing or (fell_back and not options.allow_fallback) else 0


class Runs:
    """Runs a suite's variants one by one and prints each as it ends."""

    def __init__(self, suite: Suite, prepared: Prepared, logs: Path, timeout: float) -> None:
        self.suite, self.prepared, self.logs, self.timeout = suite, prepared, logs, timeout

    def one(self, label: str, run: Run, reference: Result | None = None) -> Result:
        """Run once, save the log, print the outcome (compared with ``reference``)."""
        command = [str(self.prepared.python), *self.suite.command(run)]
        outcome = run_command(
            command, self.prepared.run_folder, clean_env(self.prepared), self.timeout
        )
        log = self.logs / f"{label}.log"
        log.write_text(" ".join(command) + "\n\n" + outcome.output)
        result = Result(
            label, parse(outcome.output, outcome.code), round(outcome.wall, 1), str(log)
        )
        print_result(result, reference)
        return result


def clean_env(prepared: Prepared) -> dict[str, str]:
    """The caller's environment without anything that would steer Django or our runner."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_TEST_")
        and name not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "VIRTUAL_ENV"}
    }
    env["PATH"] = f"{prepared.python.parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def clear_cache(source: Path) -> None:
    """Delete every ``.concurrent_test/`` folder in the suite: timings, templates, ledger."""
    for folder in list(source.rglob(CACHE_FOLDER)):
        shutil.rmtree(folder)


def print_result(result: Result, reference: Result | None) -> None:
    """One block per run: Ran, verdict, exit, wall time, and equality with sequential."""
    report = result.report
    if reference is None:
        same = "(reference)"
    elif report.same_as(reference.report):
        same = "SAME as sequential"
    else:
        same = "DIFFERS: " + "; ".join(report.differences(reference.report))
    ran = ", ".join(report.ran) or "(no Ran line)"
    verdicts = ", ".join(report.verdicts) or "(no verdict)"
    print(f"{result.label:<20} {ran} | {verdicts} | exit {report.code} | {result.wall}s | {same}")
    for reason in dict.fromkeys(report.fallbacks):
        print(f"{'':<20} fell back to sequential: {reason}")
    sys.stdout.flush()


def summarize(
    results: list[Result], reference: Result, differing: list[str], fell_back: list[str]
) -> None:
    """The closing table and verdict of the comparison."""
    print("\nsummary (wall seconds):")
    for result in results:
        if result is reference:
            same = "reference"
        else:
            same = "same" if result.report.same_as(reference.report) else "DIFFERS"
        fallback = ", fell back to sequential" if result.report.fallbacks else ""
        print(f"  {result.label:<20} {result.wall:>8}  {same}{fallback}")
    ours = len([r for r in results if r.label.startswith("ours")])
    print(f"ours equal to sequential: {ours - len(differing)} of {ours}")
    print(f"ours concurrent (no fallback): {ours - len(fell_back)} of {ours}")
    if differing:
        print(f"differing: {', '.join(differing)}")


def write_json(
    path: Path, suite: Suite, options: argparse.Namespace, results: list[Result]
) -> None:
    """Every run's facts, for later comparison."""
    data = {
        "suite": suite.name,
        "sdist": suite.sdist.format(django=options.django),
        "repo": str(options.repo.resolve()),
        "django": options.django,
        "runs": [
            {**asdict(r), "report": {**asdict(r.report), "failing": sorted(r.report.failing)}}
            for r in results
        ],
    }
    path.write_text(json.dumps(data, indent=2))


def installed_django() -> str | None:
    """The Django version of the Python running this script, the default for --django."""
    try:
        return version("Django")
    except PackageNotFoundError:
        return None


def parse_options() -> argparse.Namespace:
    """The command line; see the module docstring and README.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suite", required=True, choices=sorted(SUITES))
    parser.add_argument("--runs", type=int, default=5, help="first runs, and as many warm runs")
    parser.add_argument("--repo", type=Path, default=REPO_ROOT, help="installed editable")
    parser.add_argument("--django", default=installed_django(), help="Django version")
    parser.add_argument("--workdir", type=Path, help="default /tmp/realsuites/SUITE")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per run")
    parser.add_argument("--skip-django-parallel", action="store_true")
    parser.add_argument(
        "--allow-fallback",
        action="store_true",
        help="exit 0 although our runner fell back to sequential (the verdicts still count)",
    )
    parser.add_argument("--reinstall", action="store_true", help="reinstall the venv")
    options = parser.parse_args()
    if options.django is None:
        parser.error("Django is not installed in this Python: give --django VERSION (e.g. 5.2.20)")
    return options


if __name__ == "__main__":
    sys.exit(main())
