"""The intent ledger's file: atomic, per run, and read back only for runs that are gone."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

from concurrent_test_app import ledger as ledger_module
from concurrent_test_app.ledger import Entry, Ledger, Owner

ENTRY = Entry("postgresql://127.0.0.1:5432", "test_x_p1_w1", "clone")


def test_an_entry_is_on_disk_once_recorded_and_the_file_goes_with_the_last_one(tmp_path):
    ledger = Ledger(tmp_path)
    ledger.record(ENTRY)

    data = json.loads(ledger.path.read_text())
    assert data["pid"] == os.getpid() and data["databases"][0]["name"] == "test_x_p1_w1"
    assert [p.name for p in (tmp_path / "ledger").iterdir()] == [ledger.path.name]  # no temp

    ledger.forget(ENTRY)
    assert not ledger.path.exists()


def test_only_runs_that_are_gone_are_orphaned(tmp_path):
    Ledger(tmp_path).record(ENTRY)  # this process: alive
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    gone = Owner(socket.gethostname(), int(dead.stdout), "1")
    elsewhere = Owner("another-host", int(dead.stdout), "1")
    folder = tmp_path / "ledger"
    ledger_module.write_atomically(folder / "gone.json", gone, [ENTRY])
    ledger_module.write_atomically(folder / "elsewhere.json", elsewhere, [ENTRY])
    (folder / "foreign.json").write_text('{"format": "something else"}')

    found = list(ledger_module.orphaned(tmp_path))

    assert [(path.name, entries) for path, _owner, entries in found] == [("gone.json", [ENTRY])]


def test_a_reused_pid_is_not_the_owner():
    me = Owner.current()
    assert not me.gone()
    assert Owner(me.host, me.pid, "0").gone()  # same pid, another start time


def test_without_a_folder_nothing_is_written(tmp_path):
    ledger = Ledger(None)
    ledger.record(ENTRY)
    assert ledger.path is None and list(ledger_module.orphaned(None)) == []


def test_what_a_ledger_entry_proves_depends_on_the_marker_found():
    from concurrent_test_app.backends.common import left_by as _left_by

    owner = Owner("host-a", 41, "7")
    clone = "django-concurrent-test clone"
    template = "django-concurrent-test template abc"
    assert _left_by(owner, "test_x_p41_w1", None)  # never marked: the ledger proves it
    assert _left_by(owner, "test_x_p41_w1", f"{clone} host=host-a pid=41")
    assert not _left_by(owner, "test_x_p41_w1", f"{clone} host=host-a pid=42")
    assert not _left_by(owner, "test_x_w1", f"{clone} kept")  # a kept clone stays
    assert _left_by(owner, "test_x_template_unfinished_1a2b3c4d", template)
    assert not _left_by(owner, "test_x_template", template)  # finished: the cache's
    assert not _left_by(owner, "test_x_p41_w1", "the DBA's own database")
