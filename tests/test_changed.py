"""--record-impact and --changed on real runs of a git copy of the demo project.

One flow per backend: a recording run of ``shop`` and ``library``; nothing changed (no
test runs); a function body edited and a test module added (the tests that executed the
function, whole classes, and the new tests; every test the edit turns red among them,
checked against a full run); then what a record cannot see: a static file, a new
migration, a damaged record (every test runs, the reason named); a ref git does not
know (exit 2 before any database); and a recording run killed midway.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time

from helpers import TESTPROJECT_DIR, kill_process_group, manage_command, manage_env, run_manage

LABELS = ("shop", "library")
VAT = "shop.tests.test_pricing.VatTests"
NEW_TEST = "shop.tests.test_added.AddedTests.test_added"


def _git_copy(tmp_path):
    """testproject's committed files in a fresh git repository (what a user's project is)."""
    project = tmp_path / "project"
    shutil.copytree(
        TESTPROJECT_DIR, project, ignore=shutil.ignore_patterns(".concurrent_test", "__pycache__")
    )
    (project / ".gitignore").write_text(".concurrent_test/\n__pycache__/\n*.sqlite3\n")
    for command in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start"],
    ):
        subprocess.run(["git", *command], cwd=project, check=True)
    return project


def _run(project, backend, *args, junit=None):
    extra = ("--junitxml", str(junit)) if junit else ()
    return run_manage(
        "concurrenttest",
        "--workers",
        "2",
        "-v",
        "2",
        *extra,
        *args,
        backend=backend,
        project=project,
    )


def _line(run, prefix):
    return [line for line in run.stdout.splitlines() if line.startswith(prefix)]


def _edit(path, old, new):
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def test_changed_runs_what_a_change_can_affect(tmp_path, backend):
    project = _git_copy(tmp_path)
    recorded = _run(project, backend, "--record-impact", *LABELS)
    assert recorded.returncode == 0, recorded.describe()
    total = recorded.report.ids
    assert len(_line(recorded, "[CONCURRENT] --record-impact: recorded what ")) == 1

    unchanged = _run(project, backend, "--changed", "HEAD", *LABELS)
    expected = f"[CONCURRENT] --changed: 0 of {len(total)} tests affected by 0 changed files"
    assert _line(unchanged, "[CONCURRENT] --changed") == [expected], unchanged.describe()
    assert unchanged.returncode == 0 and not unchanged.report.ids, unchanged.describe()

    _edit(
        project / "shop/pricing.py", "    rate = Decimal(rate)\n", "    rate = Decimal(rate) + 1\n"
    )
    (project / "shop/tests/test_added.py").write_text(
        "from django.test import SimpleTestCase\n\n\n"
        "class AddedTests(SimpleTestCase):\n"
        "    def test_added(self):\n"
        "        self.assertTrue(True)\n"
    )
    full = _run(project, backend, *LABELS)
    red = {test for test, outcome in full.report.outcomes if outcome != "ok"}
    assert red and red <= {t for t in full.report.ids if t.startswith(VAT)}, full.describe()
    selected = _run(project, backend, "--changed", "HEAD", *LABELS)
    ran = selected.report.ids
    assert red | {NEW_TEST} <= ran, selected.describe()
    assert {t for t in total if t.startswith(VAT)} <= ran  # the whole class
    assert not {t for t in ran if t.startswith("library.")}, selected.describe()
    line = (
        f"[CONCURRENT] --changed: {len(ran)} of {len(total) + 1} tests affected by "
        "2 changed files (1 never recorded)"
    )
    assert _line(selected, "[CONCURRENT] --changed") == [line], selected.describe()
    subprocess.run(["git", "checkout", "-q", "--", "shop/pricing.py"], cwd=project, check=True)
    (project / "shop/tests/test_added.py").unlink()

    # What a per-test record cannot see: every test runs, and the line says why.
    _edit(project / "library/static/library/kinds-marker.txt", "", "edited\n")
    static = _run(project, backend, "--changed", "HEAD", VAT)
    reason = "library/static/library/kinds-marker.txt changed (not Python: a per-test record "
    reason += "cannot see it)"
    assert _reasons(static) == [f"running all 6 tests: {reason}"], static.describe()
    assert len(static.report.ids) == 6
    subprocess.run(["git", "checkout", "-q", "--", "library"], cwd=project, check=True)
    migration = project / "shop/migrations/0002_nothing.py"
    migration.write_text(
        "from django.db import migrations\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    dependencies = [('shop', '0001_initial')]\n"
        "    operations = []\n"
    )
    migrated = _run(project, backend, "--changed", "HEAD", VAT)
    assert _reasons(migrated) == [
        "running all 6 tests: shop/migrations/0002_nothing.py changed (a migration)"
    ], migrated.describe()
    migration.unlink()

    record = project / ".concurrent_test/impact.json"
    record.write_text('{"format": "something else"')
    damaged = _run(project, backend, "--changed", "HEAD", VAT)
    assert _reasons(damaged) == [
        f"running all 6 tests: the impact record {record} is ignored: it is not JSON"
    ], damaged.describe()
    assert damaged.returncode == 0 and len(damaged.report.ids) == 6


def _reasons(run) -> list[str]:
    return [line.partition("--changed: ")[2] for line in _line(run, "[CONCURRENT] --changed")]


def test_a_ref_git_does_not_know_stops_before_any_database(tmp_path):
    project = _git_copy(tmp_path)
    run = _run(project, "sqlite", "--changed=no-such-ref", VAT)
    assert run.returncode == 2, run.describe()
    assert "--changed='no-such-ref': expected a git ref" in run.stderr, run.describe()
    assert "'no-such-ref' names no commit" in run.stderr
    assert "Creating test database" not in run.output
    assert not (project / ".concurrent_test").exists()


def test_a_recording_run_killed_midway_leaves_the_last_record_usable(tmp_path):
    """SIGKILL of a recording run (parent and workers): the record on disk is the last
    complete one, and the next recording run sweeps the dead run's parts."""
    project = _git_copy(tmp_path)
    assert _run(project, "sqlite", "--record-impact", VAT).returncode == 0
    record = project / ".concurrent_test/impact.json"
    before = record.read_bytes()
    # ZSlowNeighbourTests sleeps ORDER_SLEEP seconds: the run is killed while it sleeps.
    label = "scenarios.order_bisect.ZSlowNeighbourTests"
    command = manage_command("concurrenttest", "--workers", "2", "--record-impact", label)
    process = subprocess.Popen(
        command,
        cwd=project,
        env=manage_env("sqlite", {"ORDER_SLEEP": "120"}),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        for line in process.stdout:  # concurrent or sequential, the test starts next
            if line.startswith(("[CONCURRENT] Starting", "[CONCURRENT] Falling back")):
                break
        time.sleep(3)
        kill_process_group(process.pid)
    finally:
        kill_process_group(process.pid)
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert record.read_bytes() == before  # complete or not at all
    parts = project / ".concurrent_test/impact-parts"
    assert [p.name for p in parts.iterdir()], "the killed run left its parts folder"

    unchanged = _run(project, "sqlite", "--changed", "HEAD", VAT)
    assert _reasons(unchanged) == ["0 of 6 tests affected by 0 changed files"]
    again = _run(project, "sqlite", "--record-impact", VAT)
    assert again.returncode == 0, again.describe()
    assert not parts.exists()  # the dead run's parts swept, this run's removed
