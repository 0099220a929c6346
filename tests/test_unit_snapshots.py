"""The snapshot folder and the search for client programs, on files and fake programs."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from concurrent_test_app.config import resolve
from concurrent_test_app.exceptions import ConfigurationException
from concurrent_test_app.snapshots import SnapshotStore, SnapshotUnusable
from concurrent_test_app.snapshots.store import describe
from concurrent_test_app.snapshots.tools import find_program, program_major

PARTS = {"migrations": "abc"}


def _write(store: SnapshotStore, alias: str, digest: str, data: bytes = b"dump") -> None:
    final = store.path_for(alias, digest, ".dump")
    store.folder.mkdir(parents=True, exist_ok=True)
    temporary = store.temporary_path(final)
    temporary.write_bytes(data)
    snapshot = describe(temporary, alias, digest, PARTS, "PostgreSQL 15", 15)
    store.publish(temporary, final, replace(snapshot, path=final))


def test_a_published_snapshot_is_found_by_alias_and_digest(tmp_path):
    store = SnapshotStore(tmp_path)
    _write(store, "default", "0" * 16, b"first")

    found = store.find("default", "0" * 16, ".dump")

    assert found is not None and found.path.read_bytes() == b"first"
    assert (found.server_version, found.tool_version, found.parts) == ("PostgreSQL 15", 15, PARTS)
    found.verify()
    assert store.find("default", "1" * 16, ".dump") is None
    assert store.find("other", "0" * 16, ".dump") is None


def test_publishing_removes_the_aliases_older_snapshots_only(tmp_path):
    store = SnapshotStore(tmp_path)
    _write(store, "default", "0" * 16)
    _write(store, "default-2", "0" * 16)
    _write(store, "other", "0" * 16)
    (store.folder / ".default-1111111111111111.dump-abc.tmp").write_bytes(b"half")

    _write(store, "default", "1" * 16)

    names = sorted(path.name for path in store.folder.iterdir())
    assert names == [
        "default-1111111111111111.dump",
        "default-1111111111111111.json",
        "default-2-0000000000000000.dump",
        "default-2-0000000000000000.json",
        "other-0000000000000000.dump",
        "other-0000000000000000.json",
    ]
    assert [s.digest for s in store.others("default", "2" * 16, ".dump")] == ["1" * 16]


def test_a_dump_without_its_description_is_never_used(tmp_path):
    store = SnapshotStore(tmp_path)
    store.folder.mkdir()
    store.path_for("default", "0" * 16, ".dump").write_bytes(b"unfinished")

    assert store.find("default", "0" * 16, ".dump") is None
    assert store.others("default", "1" * 16, ".dump") == []


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda path: path.write_bytes(b"du"), "it is 2 bytes, 4 were written (truncated?)"),
        (lambda path: path.write_bytes(b"dumb"), "its checksum does not match"),
        (lambda path: path.unlink(), "cannot read it"),
    ],
)
def test_verify_names_what_is_wrong(tmp_path, damage, reason):
    store = SnapshotStore(tmp_path)
    _write(store, "default", "0" * 16, b"dump")
    snapshot = store.find("default", "0" * 16, ".dump")
    damage(snapshot.path)

    with pytest.raises(SnapshotUnusable, match="^" + re.escape(reason)):
        snapshot.verify()


def _fake(folder, name: str, version_line: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{version_line}'\n")
    path.chmod(0o755)
    return str(path)


def test_the_oldest_program_new_enough_is_chosen(tmp_path, monkeypatch):
    old = _fake(tmp_path / "14", "pg_dump", "pg_dump (PostgreSQL) 14.9")
    fits = _fake(tmp_path / "16", "pg_dump", "pg_dump (PostgreSQL) 16.2 (Debian 16.2-1)")
    _fake(tmp_path / "17", "pg_dump", "pg_dump (PostgreSQL) 17.0")
    folders = tuple(str(tmp_path / version) for version in ("14", "16", "17"))
    monkeypatch.setattr("concurrent_test_app.snapshots.tools.VERSIONED_FOLDERS", folders)
    monkeypatch.setenv("PATH", str(tmp_path / "14"))

    assert find_program(("pg_dump",), 15, None).path == fits
    assert find_program(("pg_dump",), 14, None).path == old
    with pytest.raises(SnapshotUnusable) as raised:
        find_program(("pg_dump",), 18, None)
    assert "no pg_dump 18 or newer on PATH" in str(raised.value)
    assert "(found pg_dump 14, pg_dump 16, pg_dump 17)" in str(raised.value)


def test_a_named_folder_is_the_only_place_searched(tmp_path, monkeypatch):
    _fake(tmp_path / "path", "pg_restore", "pg_restore (PostgreSQL) 15.4")
    monkeypatch.setenv("PATH", str(tmp_path / "path"))
    named = tmp_path / "named"
    named.mkdir()

    with pytest.raises(SnapshotUnusable) as raised:
        find_program(("pg_restore",), 15, str(named))

    assert str(raised.value) == f"no pg_restore 15 or newer in {named}"


def test_mariadb_client_versions_are_read(tmp_path):
    line = "mysqldump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)"

    assert program_major(_fake(tmp_path, "mysqldump", line)) == 10


def test_snapshot_tools_must_be_an_existing_folder(tmp_path):
    with pytest.raises(ConfigurationException) as raised:
        resolve(environ={"DJANGO_TEST_SNAPSHOT_TOOLS": str(tmp_path / "missing")}, settings_dict={})

    assert str(raised.value) == (
        f"DJANGO_TEST_SNAPSHOT_TOOLS={str(tmp_path / 'missing')!r}: expected an existing folder "
        "holding pg_dump and pg_restore (or mysqldump and mysql)"
    )
    assert resolve(environ={"DJANGO_TEST_SNAPSHOT_TOOLS": str(tmp_path)}, settings_dict={})
