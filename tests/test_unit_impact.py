"""The impact record's pure parts: blocks, the record file, merging, and what a change reaches.

``affected`` runs against a real git repository in a temporary folder; the record is
built by hand, as a recording run would have left it.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from concurrent_test_app.impact import record as records
from concurrent_test_app.impact.blocks import MODULE, file_digest, parse_blocks
from concurrent_test_app.impact.changes import commit_of
from concurrent_test_app.impact.selection import RunEverything, affected

SOURCE = """\
LIMIT = 3


def first(x):
    # a comment
    return x + LIMIT


class Box:
    size = 2

    def grow(self, by=1):
        def inner():
            return by
        return self.size + inner()
"""


def _changed_blocks(before: str, after: str) -> set[str]:
    old, new = parse_blocks(before).hashes, parse_blocks(after).hashes
    return {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)}


def test_a_body_edit_changes_its_function_only_and_comments_change_nothing():
    assert _changed_blocks(SOURCE, SOURCE.replace("x + LIMIT", "x - LIMIT")) == {"first"}
    assert _changed_blocks(SOURCE, SOURCE.replace("# a comment", "# other\n\n")) == set()
    inner = SOURCE.replace("return by", "return -by")
    assert _changed_blocks(SOURCE, inner) == {"Box.grow", "Box.grow.inner"}
    # What runs at import: a constant, a class attribute, a default value.
    for old, new in (("LIMIT = 3", "LIMIT = 4"), ("size = 2", "size = 5"), ("by=1", "by=2")):
        assert MODULE in _changed_blocks(SOURCE, SOURCE.replace(old, new)), old


def test_each_line_belongs_to_its_innermost_function():
    blocks = parse_blocks(SOURCE)
    lines = SOURCE.splitlines()
    assert blocks.block_of(lines.index("    return x + LIMIT") + 1) == "first"
    assert blocks.block_of(lines.index("            return by") + 1) == "Box.grow.inner"
    assert blocks.block_of(lines.index("        return self.size + inner()") + 1) == "Box.grow"
    assert blocks.block_of(lines.index("    size = 2") + 1) == MODULE
    assert parse_blocks("def broken(:\n") is None


def _env(**changes):
    values = {"context": "s:sqlite", "runner": "1", "django": "5.2", "python": "3.11"}
    return records.Environment(**{**values, "packages": "p", **changes})


def _record(tests, files, env=None, head="c0", startup=True):
    return records.ImpactRecord(env or _env(), head, frozenset(), frozenset(tests), files, startup)


def _file(sha, ran):
    return records.FileRecord(sha, {block: "h" for block in ran}, ran)


def test_the_record_reads_back_and_anything_else_is_damaged(tmp_path):
    path = tmp_path / "impact.json"
    assert records.load(path) is None
    ran = {"f": frozenset({"t.A.test_1", "module:t"}), MODULE: frozenset({records.ANYWHERE})}
    record = _record({"t.A.test_1", "t.A.test_2"}, {"a.py": _file("s1", ran)})
    records.write(path, record)
    assert records.load(path) == record
    data = json.loads(path.read_text())
    for damage, expected in (
        ("{", "it is not JSON"),
        (json.dumps({**data, "format": "x"}), "not an impact record"),
        (json.dumps({**data, "version": 99}), "version 99"),
        (json.dumps({**data, "tests": [999]}), "malformed (IndexError"),
        (json.dumps({**data, "tests": [True]}), "malformed (ValueError"),
        (json.dumps({**data, "head": 5}), "malformed (TypeError"),
        (json.dumps({**data, "files": []}), "malformed (AttributeError"),
    ):
        path.write_text(damage)
        with pytest.raises(records.DamagedRecord, match=re.escape(expected)):
            records.load(path)


def test_merging_keeps_tests_whose_files_did_not_change():
    old = _record(
        {"t.A.test_1", "t.B.test_2", "t.C.test_3"},
        {
            "a.py": _file("a1", {"f": frozenset({"t.A.test_1", "t.B.test_2"})}),
            "b.py": _file("b1", {"g": frozenset({"t.B.test_2", "t.C.test_3"})}),
            "c.py": _file("c1", {"h": frozenset({"t.C.test_3"})}),
        },
    )
    new = _record({"t.A.test_1"}, {"a.py": _file("a1", {"f": frozenset({"t.A.test_1"})})})
    now = {"a.py": "a1", "b.py": "b1", "c.py": "c2"}  # c.py changed since
    merged = records.merge(old, new, now.get)
    # test_3 executed c.py, which changed: dropped everywhere, so unrecorded.
    assert merged.tests == {"t.A.test_1", "t.B.test_2"}
    assert merged.files["a.py"].ran["f"] == {"t.A.test_1", "t.B.test_2"}
    assert merged.files["b.py"].ran["g"] == {"t.B.test_2"}
    assert "c.py" not in merged.files
    assert records.merge(old, _record(new.tests, new.files, env=_env(django="6.0")), now.get) == (
        _record(new.tests, new.files, env=_env(django="6.0"))
    )


def _git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "app.py").write_text(SOURCE)
    (tmp_path / "tests_app.py").write_text("import app\n\n\ndef test_x():\n    pass\n")
    (tmp_path / "page.html").write_text("<p>hi</p>\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    return tmp_path


def _recorded(repo, **ran_by_block):
    source = (repo / "app.py").read_bytes()
    blocks = parse_blocks(source).hashes
    ran = {block: frozenset(subjects) for block, subjects in ran_by_block.items()}
    tests_file = records.FileRecord(
        file_digest((repo / "tests_app.py").read_bytes()),
        parse_blocks((repo / "tests_app.py").read_bytes()).hashes,
        {"test_x": frozenset({"tests_app.T.test_x"})},
    )
    files = {
        "app.py": records.FileRecord(file_digest(source), blocks, ran),
        "tests_app.py": tests_file,
    }
    head = commit_of(repo, "HEAD")
    return _record({"tests_app.T.test_x", "other.T.test_y"}, files, head=head)


def _reach(repo, record, ref="HEAD"):
    test_files = {"tests_app.py": frozenset({"tests_app"})}
    return affected(record, repo, commit_of(repo, ref), test_files)


def test_a_changed_function_reaches_the_tests_that_ran_it(repo):
    record = _recorded(repo, first={"other.T.test_y"}, **{"Box.grow": {"module:other"}})
    assert _reach(repo, record).subjects == set()
    (repo / "app.py").write_text(SOURCE.replace("x + LIMIT", "x * LIMIT"))
    assert _reach(repo, record).subjects == {"other.T.test_y"}
    (repo / "app.py").write_text(SOURCE.replace("return by", "return 0"))
    assert _reach(repo, record).subjects == {"module:other"}
    (repo / "tests_app.py").write_text("import app\n\n\ndef test_x():\n    assert 1\n")
    reached = _reach(repo, record)
    assert reached.subjects == {"module:other", "module:tests_app", "tests_app.T.test_x"}
    assert reached.files == ("app.py", "tests_app.py")


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda r: (r / "app.py").write_text(SOURCE.replace("LIMIT = 3", "LIMIT = 4")), "outside"),
        (lambda r: (r / "page.html").write_text("<p>bye</p>\n"), "page.html changed (not Python"),
        (lambda r: (r / "app.py").unlink(), "app.py was deleted"),
        (lambda r: (r / "new.py").write_text("X = 1\n"), "new.py changed and no recorded test"),
        (lambda r: (r / "app.py").write_text(SOURCE + "def (:\n"), "app.py does not parse"),
        (
            lambda r: (r / "migrations").mkdir() or (r / "migrations/0002.py").write_text(""),
            "(a migration)",
        ),
        (
            lambda r: (r / "app.py").write_text(SOURCE.replace("return x", "return 0")),
            "ran outside",
        ),
    ],
)
def test_what_a_record_cannot_see_runs_everything(repo, edit, reason):
    record = _recorded(repo, first={records.ANYWHERE})
    edit(repo)
    with pytest.raises(RunEverything, match=re.escape(reason)):
        _reach(repo, record)


def test_a_sequential_record_cannot_vouch_for_a_function_nothing_ran(repo):
    record = _recorded(repo)
    (repo / "app.py").write_text(SOURCE.replace("x + LIMIT", "x * LIMIT"))
    assert _reach(repo, record).subjects == set()  # a worker measured start-up: nothing ran it
    sequential = records.ImpactRecord(
        record.environment, record.head, record.dirty, record.tests, record.files, False
    )
    with pytest.raises(RunEverything, match="did not measure start-up"):
        _reach(repo, sequential)


def test_changes_since_the_record_count_even_when_committed(repo):
    record = _recorded(repo, first={"other.T.test_y"})
    (repo / "app.py").write_text(SOURCE.replace("x + LIMIT", "x * LIMIT"))
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "two")
    # Against HEAD nothing changed, but the record was made before the commit.
    assert _reach(repo, record).subjects == {"other.T.test_y"}


STATEFUL = """\
import functools
REGISTRY = {}
_count = 0


@functools.lru_cache(maxsize=None)
def rate():
    return compute()


def compute():
    return 3


def register(name):
    REGISTRY[name] = True


def bump():
    global _count
    _count += 1


def local_only(items):
    REGISTRY = {}
    REGISTRY["x"] = items
    return REGISTRY


class Thing:
    @classmethod
    def configure(cls, value):
        cls.value = value

    @classmethod
    def setUpTestData(cls):
        cls.rows = []
"""


def test_stateful_blocks_are_caches_and_writers_of_module_or_class_state():
    stateful = parse_blocks(STATEFUL).stateful
    assert stateful == {"rate", "register", "bump", "Thing.configure"}


def test_a_change_ran_by_a_test_that_filled_a_cache_runs_everything(repo):
    record = _recorded(repo, first={"other.T.test_y"})
    (repo / "cache.py").write_text(STATEFUL)
    blocks = parse_blocks(STATEFUL)
    cache_file = records.FileRecord(
        file_digest(STATEFUL.encode()),
        blocks.hashes,
        {"rate": frozenset({"other.T.test_y"})},
        blocks.stateful,
    )
    _git(repo, "add", "cache.py")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "cache")
    filled = records.ImpactRecord(
        record.environment,
        commit_of(repo, "HEAD"),
        record.dirty,
        record.tests,
        {**record.files, "cache.py": cache_file},
    )
    (repo / "app.py").write_text(SOURCE.replace("x + LIMIT", "x * LIMIT"))
    with pytest.raises(RunEverything, match=re.escape("also ran cache.py: rate(), which keeps")):
        _reach(repo, filled)


def test_a_change_ran_by_a_test_that_imported_its_module_first_runs_everything(repo):
    # A lazy import: the first test of a process runs the module's code, later
    # importers find it in sys.modules and execute nothing.
    record = _recorded(repo, first={"other.T.test_y"}, **{MODULE: {"other.T.test_y"}})
    (repo / "app.py").write_text(SOURCE.replace("x + LIMIT", "x * LIMIT"))
    with pytest.raises(RunEverything, match=re.escape("also ran app.py first in its process")):
        _reach(repo, record)


def test_the_reports_of_a_run_are_not_changes_of_the_project(repo):
    record = _recorded(repo, first={"other.T.test_y"})
    (repo / "junit.xml").write_text("<testsuites/>")
    with pytest.raises(RunEverything, match="junit.xml changed"):
        _reach(repo, record)
    test_files = {"tests_app.py": frozenset({"tests_app"})}
    commit = commit_of(repo, "HEAD")
    assert affected(record, repo, commit, test_files, frozenset({"junit.xml"})).subjects == set()


class _Contexts:
    """A stand-in recorder: the contexts a suite switches to, in order."""

    def __init__(self):
        self.seen = []

    def enter_module(self, module):
        self.seen.append(f"module:{module}")

    def enter_test(self, test_id):
        self.seen.append(test_id)


def _module_with_fixtures(name, calls):
    import types
    import unittest

    module = types.ModuleType(name)

    def case(self):
        calls.append(("test", name))

    module.Tests = type("Tests", (unittest.TestCase,), {"test_it": case, "__module__": name})
    module.setUpModule = lambda: calls.append(("setUpModule", name))
    module.tearDownModule = lambda: calls.append(("tearDownModule", name))
    return module


def test_module_fixtures_count_for_their_own_module(monkeypatch):
    import sys
    import unittest

    from concurrent_test_app.worker import impact

    recorder, calls = _Contexts(), []
    for name in ("fixtures_a", "fixtures_b"):
        monkeypatch.setitem(sys.modules, name, _module_with_fixtures(name, calls))
    monkeypatch.setattr(impact, "_RECORDER", [recorder])

    def traced(kind, name):
        calls.append((kind, name))
        calls.append(("context", recorder.seen[-1]))

    for name in ("fixtures_a", "fixtures_b"):
        module = sys.modules[name]
        module.setUpModule = lambda n=name: traced("setUpModule", n)
        module.tearDownModule = lambda n=name: traced("tearDownModule", n)
    tests = [sys.modules[n].Tests("test_it") for n in ("fixtures_a", "fixtures_b")]
    result = type("Result", (impact.TestContexts, unittest.TestResult), {})()
    impact.suite_of(tests).run(result)
    contexts = {(k, n): calls[i + 1][1] for i, (k, n) in enumerate(calls) if k.endswith("Module")}
    assert contexts == {
        ("setUpModule", "fixtures_a"): "module:fixtures_a",
        ("tearDownModule", "fixtures_a"): "module:fixtures_a",
        ("setUpModule", "fixtures_b"): "module:fixtures_b",
        ("tearDownModule", "fixtures_b"): "module:fixtures_b",
    }
    assert "fixtures_a.Tests.test_it" in recorder.seen
