"""--start-method forkserver: one server imports the tests once; workers fork from it (#20).

The same scenario runs under spawn and under forkserver: under spawn every worker imports
the test module itself; under forkserver no worker does, they are all children of the one
process that did, and each test still runs on its own clone (on a server backend the
module queried at import, in the server).
"""

from __future__ import annotations

import json

from conftest import backend_fixture
from helpers import concurrent

backend = backend_fixture(["sqlite", "postgres"])


def _probe(method: str, backend: str, tmp_path) -> list[dict]:
    directory = tmp_path / method
    directory.mkdir()
    env = {"PROBE_DIR": str(directory), "DJANGO_TEST_START_METHOD": method}
    run = concurrent("scenarios.start_method", backend=backend, env=env)
    assert run.returncode == 0, run.describe()
    records = [json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))]
    assert len(records) == 2, run.describe()
    return records


def test_forkserver_imports_once_and_hands_on_no_connection(backend, tmp_path):
    spawned = _probe("spawn", backend, tmp_path)
    assert all(r["imported_by"] == r["pid"] for r in spawned), spawned

    forked = _probe("forkserver", backend, tmp_path)
    servers = {r["imported_by"] for r in forked}
    assert len(servers) == 1, forked  # one import, in one server
    assert all(r["pid"] != r["imported_by"] for r in forked), forked
    assert all(r["parent"] in servers for r in forked), forked
    for record in forked:
        assert "test" in record["database"], forked  # a clone, never the configured database
    if len({r["pid"] for r in forked}) == 2:  # one class each: their own clones
        assert forked[0]["database"] != forked[1]["database"], forked
