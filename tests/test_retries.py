"""Cloning from a template someone is connected to is retried, then fails clearly."""

from __future__ import annotations

import subprocess
import threading

from conftest import require_backend
from helpers import (
    TESTPROJECT_DIR,
    kill_process_group,
    manage_command,
    manage_env,
    postgres_database_name,
    postgres_params,
    run_manage,
)

LABELS = ("library", "shop")


def _hold_template():
    """A session on the default alias's template, as another tool might keep open."""
    import psycopg2

    assert (
        run_manage("concurrenttest", "--workers", "2", *LABELS, backend="postgres").returncode == 0
    )
    return psycopg2.connect(**postgres_params(dbname=f"test_{postgres_database_name()}_template"))


def test_busy_template_is_retried_until_it_is_free():
    require_backend("postgres")
    session = _hold_template()
    process = subprocess.Popen(
        manage_command("concurrenttest", "--workers", "2", "-v", "2", "--noinput",
                       "--retry-delay", "0.5", "--max-retries", "6", *LABELS),
        cwd=TESTPROJECT_DIR, env=manage_env("postgres"), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            if "[CONCURRENT] Setting up" in line:
                # PostgreSQL itself waits 5 s for other sessions before it gives up: hold
                # the template longer, so that one attempt fails, then free it.
                threading.Timer(6.5, session.close).start()
        process.wait(timeout=120)
    finally:
        session.close()
        kill_process_group(process.pid)
    output = "".join(lines)
    assert process.returncode == 0, output
    assert "[CONCURRENT] Retry 1 of 6 in 0.5s: " in output, output
    assert "being accessed by other users" in output, output


def test_busy_template_without_retries_fails_with_the_database_message():
    require_backend("postgres")
    session = _hold_template()
    try:
        run = run_manage(
            "concurrenttest",
            "--workers",
            "2",
            "--max-retries",
            "0",
            *LABELS,
            backend="postgres",
            timeout=120,
        )
    finally:
        session.close()
    assert run.returncode != 0, run.describe()
    assert "DatabaseCloneException" in run.stderr, run.describe()
    assert "is being accessed by other users" in run.stderr, run.describe()
