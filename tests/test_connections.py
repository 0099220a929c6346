"""A dead database session between two units does not fail the next unit."""

from __future__ import annotations

import re

import pytest
from conftest import require_backend
from helpers import run_manage

LABEL = "scenarios.connection_loss"


@pytest.mark.parametrize(("interval", "passes"), [("0.001", True), ("3600", False)])
def test_dead_connection_is_replaced_between_units(interval, passes):
    require_backend("postgres")  # kills PostgreSQL sessions; fails in CI without a server
    run = run_manage(
        "concurrenttest", "--workers", "2", "--health-check-interval", interval, "--benchmark",
        LABEL, backend="postgres",
    )  # fmt: skip

    # The 3600 s control shows the scenario really breaks connections.
    assert (run.returncode == 0) is passes, run.describe()
    assert run.report.summary is not None and run.report.summary.startswith("OK") is passes
    if passes:  # the benchmark report counts the replacements
        replaced = re.search(r"^  Connections replaced: (\d+)$", run.stdout, re.MULTILINE)
        assert replaced and int(replaced.group(1)) >= 1, run.describe()
