"""The cache folder's validators, on files and fakes: descriptions, the index, migrations."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from concurrent_test_app.cachefiles import is_duration, set_aside
from concurrent_test_app.snapshots import SnapshotStore
from concurrent_test_app.snapshots.store import description_problem
from concurrent_test_app.template_proof import migrations_problem
from concurrent_test_app.templates import Fingerprint, checked_index

DIGEST = "0123456789abcdef"
GOOD = {
    "alias": "default",
    "digest": DIGEST,
    "parts": {"migrations": "abc"},
    "server_version": "SQLite 3",
    "tool_version": 0,
    "size": 10,
    "sha256": "a" * 64,
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"parts": "abc"}, "'parts' is 'abc', not an object"),
        ({"parts": {"migrations": 1}}, "'parts' holds values that are not strings"),
        ({"size": "10"}, "'size' is '10', not a whole number"),
        ({"size": True}, "'size' is True, not a whole number"),
        ({"alias": None}, "'alias' is None, not a string"),
        ({"digest": "../../etc"}, "its digest or checksum is not a hexadecimal hash"),
        ({"size": -1}, "its size or tool version is negative"),
    ],
)
def test_a_description_of_the_wrong_shape_says_what_is_wrong(change, problem):
    assert description_problem(GOOD) is None
    assert description_problem({**GOOD, **change}) == problem
    assert description_problem(["default"]) == "a JSON list, not an object"


def test_a_damaged_description_is_one_line_and_set_aside(tmp_path):
    lines = []
    store = SnapshotStore(tmp_path, lines.append)
    store.folder.mkdir()
    dump = store.path_for("default", DIGEST, ".sqlite3")
    dump.write_bytes(b"0123456789")
    description = dump.with_suffix(".json")
    description.write_text(json.dumps({**GOOD, "parts": "abc"}))

    assert store.find("default", DIGEST, ".sqlite3") is None
    assert lines == [
        (
            f"Warning: template snapshot description {description} is damaged: 'parts' is "
            "'abc', not an object; set aside as default-0123456789abcdef.json.damaged"
        )
    ]
    assert store.find("default", DIGEST, ".sqlite3") is None and len(lines) == 1  # gone
    description.write_text(json.dumps({**GOOD, "digest": "f" * 16}))  # another's, renamed
    assert store.find("default", DIGEST, ".sqlite3") is None
    assert "describes another alias or fingerprint" in lines[-1]


def test_the_template_index_keeps_only_entries_of_the_right_shape():
    parts = {"migrations": "abc"}
    assert checked_index({"default:x": parts, "other:y": "abc", "z": {"m": 1}}) == (
        {"default:x": parts},
        2,
    )
    assert checked_index(["default:x"]) == ({}, 1)
    assert Fingerprint(parts).changes_from("abc") == "fingerprint changed"  # never raises


def _loader(nodes, applied, disk, replaces=None):
    """A fake ``MigrationLoader``: the graph's nodes, the applied rows, the files on disk."""
    migrations = {key: SimpleNamespace(replaces=(replaces or {}).get(key, [])) for key in disk}
    return SimpleNamespace(
        graph=SimpleNamespace(nodes=dict.fromkeys(nodes)),
        applied_migrations=dict.fromkeys(applied),
        disk_migrations=migrations,
    )


def test_applied_migrations_must_equal_the_graph():
    a1, a2, b1 = ("a", "0001_initial"), ("a", "0002_more"), ("b", "0001_initial")
    assert migrations_problem(_loader([a1, a2], [a1, a2], [a1, a2])) is None
    assert migrations_problem(_loader([a1, a2], [a1], [a1, a2])) == (
        "its applied migrations differ from the project's (1 not applied, e.g. a.0002_more)"
    )
    assert migrations_problem(_loader([a1], [a1, b1], [a1])) == (
        "its applied migrations differ from the project's (1 not in the project, "
        "e.g. b.0001_initial)"
    )


def test_a_squashed_migration_counts_as_the_ones_it_replaces():
    squashed, old = ("a", "0001_squashed_0002"), [("a", "0001_initial"), ("a", "0002_more")]
    loader = _loader([squashed], [squashed, *old], [squashed], {squashed: old})
    assert migrations_problem(loader) is None


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0, "1", True, None])
def test_impossible_durations(value):
    assert not is_duration(value)
    assert is_duration(0) and is_duration(2.5)


def test_set_aside_renames_or_says_why_not(tmp_path):
    path = tmp_path / "timings.json"
    path.write_text("x")
    assert set_aside(path) == "set aside as timings.json.damaged"
    assert (tmp_path / "timings.json.damaged").read_text() == "x"
    assert set_aside(path).startswith("it could not be set aside (")
