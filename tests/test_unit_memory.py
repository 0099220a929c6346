"""Unit tests of what keeps a worker small (issue #8): what it imports and what it keeps."""

from __future__ import annotations

import subprocess
import sys

from concurrent_test_app.runner import _is_command_module


def _modules_after(statement: str) -> set[str]:
    """The modules a fresh interpreter has after running ``statement``."""
    script = f"import sys\n{statement}\nprint('\\n'.join(sys.modules))"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(run.stdout.split())


def test_the_runner_leaves_lxml_until_it_writes_junit():
    # Workers preload what the parent has; lxml would cost each of them about 4 MB.
    modules = _modules_after("import concurrent_test_app.runner")
    assert "lxml" not in modules
    assert "concurrent_test_app.reports.junit" not in modules


def test_the_test_commands_own_modules_are_not_preloaded():
    for name in ("django.test.runner", "django.core.management.commands.test", "pdb", "ctypes"):
        assert _is_command_module(name), name
    for name in ("django.test", "django.test.testcases", "ctypes_helpers", "app.pdb"):
        assert not _is_command_module(name), name


def test_the_app_and_the_runner_leave_sqlite3_to_sqlite_runs():
    # apps.ready() imports the checks in every worker, and workers preload what the
    # parent has: either way sqlite3 would reach a PostgreSQL or MySQL worker.
    modules = _modules_after("import concurrent_test_app.checks, concurrent_test_app.runner")
    assert "sqlite3" not in modules
