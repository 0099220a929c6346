"""A clean console: runner lines on lines of their own, the progress line erased before a
test's output, chunks numbered like workers, no database lines a run did not make."""

from __future__ import annotations

import io
import re
import subprocess

from helpers import clean_copy, manage_command, manage_env
from test_reports_progress import CLEAR_LINE, run_on_terminal

from concurrent_test_app.reports.console import Console, LineTrackingStream

# SimpleTestCase only: these labels need no database.
NO_DATABASE = ("shop.tests.test_sku", "scenarios.crash", "library.tests.test_isbn",
               "shop.tests.test_pricing")  # fmt: skip


def run_merged(*args: str, project, env: dict | None = None) -> tuple[int, list[str]]:
    """manage.py with stdout and stderr on one pipe, as a terminal or a CI log shows them."""
    done = subprocess.run(
        manage_command(*args, "--noinput"),
        cwd=project,
        env=manage_env("sqlite", env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout.splitlines()


def test_runner_lines_stand_alone_and_a_first_run_says_only_what_happened(tmp_path):
    project = clean_copy(tmp_path / "repo") / "testproject"  # no template, no timings yet
    code, lines = run_merged(
        "concurrenttest", "--workers", "2", "--failfast", *NO_DATABASE,
        project=project, env={"CRASH_SCENARIO": "1"},
    )  # fmt: skip
    shown = "\n".join(lines)
    assert code == 1, shown
    # Never glued to the dots: ".[CONCURRENT] Worker 1 died", ".s[CONCURRENT] Stopped early".
    glued = [line for line in lines if "[CONCURRENT]" in line and not line.startswith("[CONC")]
    assert glued == [], shown
    died = re.compile(
        r"\[CONCURRENT\] Worker [12] died \(exit code 13\) while running "
        r"scenarios\.crash\.CrashTests\.test_crash(; restarting it)?"
    )
    assert any(died.fullmatch(line) for line in lines), shown
    chunks = [line for line in lines if line.startswith("[CONCURRENT] Chunk ")]
    assert [line.split(":")[0] for line in chunks] == ["[CONCURRENT] Chunk 1", "[CONCURRENT] Chunk 2"]  # fmt: skip
    assert not any(re.match(r"\[CONCURRENT\] (Setting up|Successfully setup) ", line) for line in lines), shown  # fmt: skip

    code, lines = run_merged("concurrenttest", "--workers", "2", "shop", project=project)
    shown = "\n".join(lines)
    assert code == 0, shown
    # The template was built in this run, from nothing: nothing old was destroyed.
    assert "Creating test database for alias 'default'..." in lines, shown
    assert not any(line.startswith("Destroying old test database") for line in lines), shown
    assert "[CONCURRENT] Setting up 4 test databases with template caching" in lines, shown


def _visible_lines(output: str) -> list[str]:
    """What a terminal shows: on each line, only what follows its last erase."""
    return [line.rsplit(CLEAR_LINE, 1)[-1] for line in output.replace("\r\n", "\n").split("\n")]


def test_the_progress_line_is_erased_before_a_tests_output():
    code, output = run_on_terminal("concurrenttest", "--workers", "2", "scenarios.output")
    assert code == 1, output  # the scenario has failing tests
    lines = _visible_lines(output)
    assert "PRINTED-TO-STDOUT by test_prints_and_passes" in lines, output
    assert "PRINTED-TO-STDERR by test_prints_and_passes" in lines, output
    assert not [line for line in lines if re.search(r"ETA [\d.ms-]+\S", line)], output


class _Tty(io.StringIO):
    def __init__(self, fileno: int) -> None:
        super().__init__()
        self._fileno = fileno

    def fileno(self) -> int:
        return self._fileno


class _Progress:
    def __init__(self) -> None:
        self.cleared = 0

    def clear(self) -> None:
        self.cleared += 1


def test_console_ends_a_partial_line_only_where_the_runner_line_goes():
    result = io.StringIO()
    console = Console()
    stream = console.track(result)
    assert isinstance(stream, LineTrackingStream) and console.track(stream) is stream
    stream.write("..")
    console.before_line(io.StringIO())  # elsewhere (its own file): nothing to end
    assert result.getvalue() == ".."
    console.before_line(stream)
    assert result.getvalue() == "..\n"
    console.before_line(stream)  # already at a line start
    assert result.getvalue() == "..\n"
    stream.writeln("ok")
    assert not stream.mid_line


def test_console_erases_the_progress_line_before_output_and_lines():
    console = Console()
    console.progress = progress = _Progress()
    console.before_output()
    console.before_line(io.StringIO())
    assert progress.cleared == 2
    console.release()
    console.before_output()
    assert progress.cleared == 2
