"""The cache folder is untrusted input: damage costs one line, never a traceback or a verdict.

Each case: a clean run (once per backend, copied into each case's folder), then the
damage, then two runs. The damaged run ends as the clean one did, with exactly one
``[CONCURRENT]`` line for each damaged file, naming it and what is wrong; the run after
it is healthy (no such line), except for a newer runner's timing store, which is left as
it is. A case damages two independent files at once, so that the cases stay cheap.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import postgres_admin, require_backend
from helpers import postgres_database_name, run_manage

LABELS = ("library", "shop")


@dataclass(frozen=True)
class Damage:
    """What a case does to the cache folder; the file its line names; what the line says."""

    damage: object  # (cache folder) -> the damaged file (its path as the line shows it)
    problem: str
    persists: bool = False  # a newer runner's store stays, and so does its line


def _run(backend, cache: Path):
    return run_manage(
        "concurrenttest", "--workers", "2", "--timings-file", str(cache / "timings.json"),
        *LABELS, backend=backend,
    )  # fmt: skip


def _timings(cache: Path, change) -> Path:
    path = cache / "timings.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))  # NaN and Infinity are what json writes for them
    return path


def _impossible_durations(cache: Path) -> Path:
    def change(data):
        bad = [float("nan"), float("inf"), -16998.2, "1.0"]
        for key, value in zip(sorted(data["units"])[: len(bad)], bad, strict=True):
            data["units"][key][0] = value

    return _timings(cache, change)


def _future_version(cache: Path) -> Path:
    return _timings(cache, lambda data: data.update(version=2, units={"x.Y": [1.0, 1e12]}))


def _garbage(path: Path) -> Path:
    path.write_bytes(random.Random(27).randbytes(8192))
    return path


def _foreign_sqlite(path: Path) -> Path:
    path.unlink()
    with sqlite3.connect(path) as foreign:
        foreign.execute("CREATE TABLE notes (body TEXT)")
        foreign.execute("INSERT INTO notes VALUES ('not a template')")
    return path


def _template(cache: Path) -> Path:
    return cache / "templates" / "default.sqlite3"


def _index_of_strings_and_a_changed_fingerprint(cache: Path) -> Path:
    index = cache / "templates.json"
    keys = [f"{alias}:{cache / 'templates' / alias}.sqlite3" for alias in ("default", "other")]
    index.write_text(json.dumps(dict.fromkeys(keys, "not the parts of a fingerprint")))
    Path(f"{_template(cache)}.fingerprint").write_text("0123456789abcdef\n")
    return index


def _snapshot(cache: Path, alias: str) -> Path:
    shutil.rmtree(cache / "templates", ignore_errors=True)  # a new CI machine: only the
    return next((cache / "snapshots").glob(f"{alias}-*.sqlite3"))  # snapshots came along


def _forged_snapshot(cache: Path) -> Path:
    snapshot = _foreign_sqlite(_snapshot(cache, "default"))
    description = snapshot.with_suffix(".json")
    data = json.loads(description.read_text())
    data.update(size=snapshot.stat().st_size, sha256=_sha256(snapshot))
    description.write_text(json.dumps(data))
    return snapshot


def _damaged_description(cache: Path) -> Path:
    description = _snapshot(cache, "other").with_suffix(".json")
    description.write_text(json.dumps(["not", "a", "description"]))
    return description


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


SQLITE_CASES = {
    "impossible durations, template of random bytes": (
        Damage(_impossible_durations, "4 entries of the wrong shape"),
        Damage(lambda cache: _garbage(_template(cache)), "cannot be read (file is not a database)"),
    ),
    "timing store of random bytes, foreign SQLite file as the template": (
        Damage(lambda cache: _garbage(cache / "timings.json"), "is not JSON"),
        Damage(lambda cache: _foreign_sqlite(_template(cache)), "has no django_migrations table"),
    ),
    "timing store from a newer runner, index of strings and a changed fingerprint": (
        Damage(
            _future_version, "has version 2, this runner reads 1: left untouched", persists=True
        ),
        Damage(_index_of_strings_and_a_changed_fingerprint, "2 entries of the wrong shape"),
    ),
    "snapshot forged to describe a foreign file, description of the wrong shape": (
        Damage(_forged_snapshot, "not restored: the restored template is not what it says"),
        Damage(_damaged_description, "is damaged: a JSON list, not an object"),
    ),
}


@pytest.fixture(scope="module")
def clean_sqlite(tmp_path_factory):
    """One clean run's cache folder (template, snapshots, timings) and its result."""
    require_backend("sqlite")
    cache = tmp_path_factory.mktemp("clean") / ".concurrent_test"
    cache.mkdir()
    clean = _run("sqlite", cache)  # leaves timings, templates, snapshots and the index
    assert clean.returncode == 0 and not _lines(clean), clean.describe()
    return cache, clean


@pytest.mark.parametrize("case", SQLITE_CASES, ids=str)
def test_damaged_cache_files_are_one_line_each_and_the_next_run_is_healthy(
    clean_sqlite, tmp_path, case
):
    pristine, clean = clean_sqlite
    cache = tmp_path / ".concurrent_test"
    shutil.copytree(pristine, cache)
    damages = SQLITE_CASES[case]
    paths = [damage.damage(cache) for damage in damages]
    kept = {path: path.read_bytes() for path, d in zip(paths, damages, strict=True) if d.persists}

    _assert_one_line_each_then_healthy("sqlite", cache, clean, paths, damages)

    assert all(path.read_bytes() == before for path, before in kept.items())  # not rewritten


def test_a_postgres_template_with_other_migrations_is_rebuilt(tmp_path):
    require_backend("postgres")
    cache = tmp_path / ".concurrent_test"
    cache.mkdir()
    clean = _run("postgres", cache)  # builds the template, or finds it on the server
    assert clean.returncode == 0 and not _lines(clean), clean.describe()
    template = f"test_{postgres_database_name()}_template"
    with postgres_admin(template) as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'library'")

    damage = Damage(None, "its applied migrations differ")
    _assert_one_line_each_then_healthy("postgres", cache, clean, [template], [damage])


def _assert_one_line_each_then_healthy(backend, cache, clean, names, damages) -> None:
    damaged = _run(backend, cache)

    _assert_same_verdict(damaged, clean)
    lines = _lines(damaged)
    assert len(lines) == len(damages), damaged.describe()
    for name, damage in zip(names, damages, strict=True):
        mine = [line for line in lines if str(name) in line]
        assert len(mine) == 1 and damage.problem in mine[0], damaged.describe()
    for estimate in ("estimated time: -", "estimated time: inf", "estimated time: nan"):
        assert estimate not in damaged.stdout, damaged.describe()

    after = _run(backend, cache)

    _assert_same_verdict(after, clean)
    persisting = [
        line
        for name, damage in zip(names, damages, strict=True)
        if damage.persists
        for line in lines
        if str(name) in line
    ]
    assert _lines(after) == persisting, after.describe()


def _assert_same_verdict(run, clean) -> None:
    assert run.returncode == clean.returncode, run.describe()
    assert run.report.outcomes == clean.report.outcomes, run.describe()
    assert "Traceback" not in run.output, run.describe()


def _lines(run) -> list[str]:
    """The run's ``[CONCURRENT]`` lines on stderr: a clean run has none."""
    return [line for line in run.stderr.splitlines() if line.startswith("[CONCURRENT]")]
