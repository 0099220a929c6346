"""The README's From Python script: the shipped one runs concurrently with the guide's API;
the same script without its ``__main__`` guard says in one line what it needs."""

from __future__ import annotations

import os
import shutil
import sys

from helpers import FALLBACK_RE, TESTPROJECT_DIR, run_in_testproject, validated_junit

SCRIPT = TESTPROJECT_DIR / "run_tests.py"
GUARD = 'if __name__ == "__main__":\n    sys.exit(main())\n'


def _run_script(path, backend):
    env = {"PYTHONPATH": f"{TESTPROJECT_DIR}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    command = [sys.executable, str(path)]
    return run_in_testproject(command, (path.name,), backend, env, 300, project=path.parent)


def test_the_shipped_script_runs_concurrently_with_the_guides_keywords(tmp_path, backend):
    shutil.copy(SCRIPT, tmp_path / "run_tests.py")
    run = _run_script(tmp_path / "run_tests.py", backend)
    assert run.returncode == 0, run.describe()
    lines = run.stdout.splitlines()
    assert "[CONCURRENT] Starting production-grade concurrent test run with 2 workers" in lines
    assert not FALLBACK_RE.search(run.stdout), run.describe()
    # benchmark=True printed the report; junitxml= wrote the file; the metrics summary
    # of the guide is there after run_tests.
    assert "[CONCURRENT] Production-Grade Benchmark Report" in lines, run.describe()
    ran = run.report.ran
    cases = validated_junit(tmp_path / "test-results.xml").findall(".//testcase")
    assert ran and len(cases) == ran
    assert any(line.startswith("Average test duration: ") for line in lines)


def test_a_script_without_the_guard_says_so_in_one_line(tmp_path, backend):
    text = SCRIPT.read_text()
    assert GUARD in text
    unguarded = tmp_path / "unguarded.py"
    unguarded.write_text(text.replace(GUARD, "sys.exit(main())\n"))
    run = _run_script(unguarded, backend)
    assert run.returncode == 0, run.describe()  # the tests pass, sequentially
    reason = (
        "a worker could not start: unguarded.py starts a test run when it is imported, and "
        'spawn workers import it; put that code under `if __name__ == "__main__":`'
    )
    assert FALLBACK_RE.findall(run.stdout) == [reason], run.describe()
    assert "RuntimeError" not in run.output and "bootstrapping" not in run.output
    assert "Traceback" not in run.output, run.describe()
    # The tests ran on the kept templates: they were invalidated, so the next run (the
    # guarded script, same templates) does not clone what those tests left behind.
    shutil.copy(SCRIPT, tmp_path / "run_tests.py")
    again = _run_script(tmp_path / "run_tests.py", backend)
    assert again.returncode == 0, again.describe()
    assert not FALLBACK_RE.search(again.stdout), again.describe()
