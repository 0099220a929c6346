"""The live status line: on a terminal at verbosity 1 only, erased before the summary."""

from __future__ import annotations

import os
import pty
import subprocess

import pytest
from helpers import TESTPROJECT_DIR, manage_command, manage_env, run_manage

CLEAR_LINE = "\r\x1b[2K"
STATUS = "[CONCURRENT] "


def run_on_terminal(*args: str, timeout: float = 300) -> tuple[int, str]:
    """Run manage.py with stdout and stderr on a pseudo-terminal; return (code, output)."""
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        manage_command(*args, "--noinput"),
        cwd=TESTPROJECT_DIR,
        env=manage_env(),
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=secondary,
        start_new_session=True,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:  # EIO: every writer closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(primary)
    return process.wait(timeout=timeout), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("workers", ["2", "1"])
def test_status_line_on_a_terminal_is_erased_before_the_summary(workers):
    code, output = run_on_terminal("concurrenttest", "--workers", workers, "scenarios.slow")
    assert code == 0, output
    drawn = output.count(CLEAR_LINE + STATUS)
    assert drawn >= 2, output  # the first draw and at least one update
    assert f"{STATUS}12/12 tests, 0 failed" in output, output
    last = output.rindex(CLEAR_LINE + STATUS)
    after = output[last + len(CLEAR_LINE) :]
    # The last status line is followed by an erase, then the summary.
    erase = after.index(CLEAR_LINE)
    assert after.index("Ran 12 tests") > erase, output
    assert "....." not in output  # unittest's dots would break the line up


def test_no_status_line_at_verbosity_0_or_2_on_a_terminal():
    for verbosity in ("0", "2"):
        code, output = run_on_terminal(
            "concurrenttest", "--workers", "2", "-v", verbosity, "scenarios.slow"
        )
        assert code == 0, output
        assert "\x1b[2K" not in output, output


def test_no_status_line_when_output_is_not_a_terminal():
    run = run_manage("concurrenttest", "--workers", "2", "scenarios.slow")
    assert run.returncode == 0, run.describe()
    assert "\x1b[2K" not in run.output and "\r" not in run.output, run.describe()
    assert "tests, 0 failed" not in run.output
