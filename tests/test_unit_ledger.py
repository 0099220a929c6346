"""The intent ledger's file: atomic, per run, and read back only for runs that are gone."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile

import pytest

from concurrent_test_app import ledger as ledger_module
from concurrent_test_app.backends.common import NotOurs
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
    said = []

    found = list(ledger_module.orphaned(tmp_path, said.append))

    assert [(path.name, entries) for path, _owner, entries in found] == [("gone.json", [ENTRY])]
    # Another machine's file and one that is no ledger are set aside, each with one line.
    assert sorted(
        p.name for p in folder.iterdir() if "elsewhere" in p.name or "foreign" in p.name
    ) == [
        "elsewhere.json.foreign",
        "foreign.json.unreadable",
    ]
    assert len(said) == 2 and "written on another machine (another-host)" in said[0], said


def test_an_entry_records_the_machine_that_wrote_it(tmp_path):
    ledger = Ledger(tmp_path)
    ledger.record(ENTRY)
    _owner, [entry] = ledger_module.read(ledger.path)
    assert entry.host == ledger_module.host_identity() and socket.gethostname() in entry.host


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
    with pytest.raises(NotOurs):  # never marked: a ledger entry alone proves nothing
        _left_by(owner, "test_x_p41_w1", None)
    assert _left_by(owner, "test_x_template", None, unmarked_ours=True)  # MySQL marks it last
    assert _left_by(owner, "test_x_p41_w1", f"{clone} host=host-a pid=41")
    assert not _left_by(owner, "test_x_p41_w1", f"{clone} host=host-a pid=42")
    assert not _left_by(owner, "test_x_w1", f"{clone} kept")  # a kept clone stays
    assert _left_by(owner, "test_x_template_unfinished_1a2b3c4d", template)
    assert not _left_by(owner, "test_x_template", template)  # finished: the cache's
    with pytest.raises(NotOurs):
        _left_by(owner, "test_x_p41_w1", "the DBA's own database")


def test_only_names_our_rules_make_from_the_project_are_ours(tmp_path):
    from concurrent_test_app.leftovers import our_file, our_server_name

    names = {"test_shop", "test_shop_other"}
    assert our_server_name("test_shop_p41_w2", "clone", 41, names)
    assert our_server_name("test_shop_w2", "clone", 41, names)  # --keepdb
    assert not our_server_name("test_shop_p42_w2", "clone", 41, names)  # another run's pid
    assert not our_server_name("shop", "clone", 41, names)
    assert our_server_name("test_shop_template", "template", 41, names)
    assert our_server_name("test_shop_template_unfinished_1a2b3c4d", "template", 41, names)
    assert not our_server_name("test_shop_template_unfinished_x", "template", 41, names)
    aliases = {"default"}
    assert our_file(str(tmp_path / "templates" / "default.sqlite3"), aliases, tmp_path)
    assert not our_file(str(tmp_path / "default.sqlite3"), aliases, tmp_path)
    run_folder = tempfile.mkdtemp(prefix="django-concurrent-test-")
    try:
        assert our_file(os.path.join(run_folder, "default_w1.sqlite3"), aliases, tmp_path)
        assert not our_file(os.path.join(run_folder, "elsewhere_w1.sqlite3"), aliases, tmp_path)
        assert not our_file(os.path.join(run_folder, "..", "x_w1.sqlite3"), aliases, tmp_path)
    finally:
        os.rmdir(run_folder)


def test_a_ledger_folder_that_cannot_be_listed_is_one_line(tmp_path, monkeypatch):
    (tmp_path / "ledger").mkdir()

    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(ledger_module.os, "listdir", refuse)
    said = []
    assert list(ledger_module.orphaned(tmp_path, said.append)) == []
    expected = (
        f"Warning: cannot read the database ledger folder {tmp_path / 'ledger'}: "
        "Permission denied; no leftovers of killed runs are dropped this time"
    )
    assert said == [expected]


def test_server_limits_and_cache_trouble_are_recognised():
    from concurrent_test_app.cachefolder import cache_trouble
    from concurrent_test_app.serverlimits import connection_limit, needed

    refused = (
        'connection to server at "127.0.0.1", port 5432 failed: FATAL:  too many '
        'connections for role "ci"\n'
    )
    try:
        try:
            raise OSError(refused)
        except OSError as error:
            raise RuntimeError("wrapped") from error
    except RuntimeError as wrapped:
        assert connection_limit(wrapped) == 'too many connections for role "ci"'
    assert connection_limit("Worker 1 exited") is None
    assert needed(3, 2).startswith("the run needs 7 connections: 3 workers × 2")
    full = OSError(28, "No space left on device", "/cache/templates/default.sqlite3")
    assert cache_trouble(full) == "/cache/templates/default.sqlite3: No space left on device"
    assert cache_trouble(ValueError("no such table: x")) is None
