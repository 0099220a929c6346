"""coverage.py measures what runs in spawn workers, with the README's settings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpers import TESTPROJECT_DIR, Completed, manage_env, started_workers

SLOW = TESTPROJECT_DIR / "scenarios" / "slow.py"


def test_lines_run_only_in_workers_are_covered(tmp_path):
    rcfile = tmp_path / "coverage.ini"
    rcfile.write_text(
        "[run]\n"
        "concurrency = multiprocessing\n"
        "parallel = true\n"
        f"source = {TESTPROJECT_DIR / 'scenarios'}\n"
        f"data_file = {tmp_path / 'data' / 'coverage'}\n"
    )
    (tmp_path / "data").mkdir()
    command = [
        sys.executable,
        "-m",
        "coverage",
        "run",
        f"--rcfile={rcfile}",
        "manage.py",
        "concurrenttest",
        "--workers",
        "2",
        "--noinput",
        "scenarios.slow",
        "scenarios.crash",
    ]
    done = subprocess.run(command, cwd=TESTPROJECT_DIR, env=manage_env(), capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    run = Completed(tuple(command), done.returncode, done.stdout, done.stderr)
    assert run.returncode == 0, run.describe()
    assert started_workers(run) == [2], run.describe()
    # The parent and each worker write a data file of their own.
    assert len(list((tmp_path / "data").iterdir())) >= 3

    for step in (["combine"], ["json", "-o", str(tmp_path / "coverage.json")]):
        subprocess.run([sys.executable, "-m", "coverage", *step, f"--rcfile={rcfile}"],
                       cwd=tmp_path, check=True, capture_output=True, timeout=120)  # fmt: skip
    files = json.loads((tmp_path / "coverage.json").read_text())["files"]
    slow = next(data for name, data in files.items() if Path(name).resolve() == SLOW.resolve())
    sleep_lines = [
        number
        for number, line in enumerate(SLOW.read_text().splitlines(), start=1)
        if "time.sleep(" in line
    ]
    assert sleep_lines and set(sleep_lines) <= set(slow["executed_lines"])
