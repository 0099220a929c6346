"""The mutation check of ``--changed`` in small (issue #28): five edits of the demo, real runs.

The full check is ``benchmarks/mutations.py`` (76 edits over four projects, not a CI step);
this runs the same code on ``mutation_catalog.SMOKE``: one recording run, then per edit a
``--changed`` run and, unless that ran everything (nothing can be missed then), a full run.
"""

from __future__ import annotations

import importlib
import sys

from helpers import REPO_DIR, postgres_url

BENCHMARKS_DIR = REPO_DIR / "benchmarks"


def _load_mutations():
    """benchmarks/mutations.py, which imports mutation_catalog beside it as a script does."""
    sys.path.insert(0, str(BENCHMARKS_DIR))
    try:
        return importlib.import_module("mutations")
    finally:
        sys.path.remove(str(BENCHMARKS_DIR))


mutations = _load_mutations()
catalog = importlib.import_module("mutation_catalog")

JUNIT = """<testsuites>
  <testsuite name="a.tests.T"><properties/>
    <testcase classname="a.tests.T" name="test_ok" time="0.1"/>
    <testcase classname="a.tests.T" name="test_red" time="0.1"><failure message="m"/></testcase>
    <testcase classname="a.tests.T" name="test_sub (i=2)" time="0.1"><error message="m"/></testcase>
    <testcase classname="a.tests.T" name="test_x" time="0.1"><skipped type="XFAIL" message=""/>
    </testcase>
  </testsuite>
</testsuites>"""


def test_catalog_applies_and_misses_are_counted(tmp_path):
    """Every edit applies to its project as it is; verdicts, lines and misses are read right."""
    assert mutations.catalog_problems(catalog.CATALOG) == []
    assert len(catalog.CATALOG) >= 50
    assert {edit.project for edit in catalog.CATALOG} == set(mutations.PROJECTS)
    kinds = {edit.kind for edit in catalog.CATALOG}
    assert {"constant", "comparison", "deleted-line", "template", "migration"} <= kinds

    (tmp_path / "run.xml").write_text(JUNIT)
    after = mutations.read_junit(tmp_path / "run.xml")
    assert after == {
        "a.tests.T.test_ok": "passed",
        "a.tests.T.test_red": "failure",
        "a.tests.T.test_sub (i=2)": "error",
        "a.tests.T.test_x": "expected failure",
    }
    before = {"a.tests.T.test_ok": "passed", "a.tests.T.test_red": "passed", "gone.T.t": "passed"}
    changed = mutations.verdict_changes(before, after)
    assert changed == {"a.tests.T.test_red", "a.tests.T.test_sub (i=2)", "a.tests.T.test_x"}
    assert mutations.missed(changed, {"a.tests.T.test_red", "a.tests.T.test_sub"}) == {
        "a.tests.T.test_x"
    }

    everything = mutations.parse_changed_line(
        "x\n[CONCURRENT] --changed: running all 1,802 tests: a/b.html changed (not Python)\n"
    )
    assert (everything.runs_all, everything.total) == (True, 1802)
    some = mutations.parse_changed_line(
        "[CONCURRENT] --changed: 41 of 1,802 tests affected by 2 changed files\n"
    )
    assert (some.runs_all, some.total, some.reason) == (False, 1802, "")


def test_no_edit_changes_a_verdict_it_did_not_select(tmp_path, backend):
    """Five edits of the demo (constant, comparison, deleted line, template, migration)."""
    settings = mutations.Settings(
        workers=2, pg_url=postgres_url() if backend == "postgres" else None
    )
    results = mutations.check_project(
        mutations.PROJECTS["demo"], catalog.SMOKE, tmp_path, settings, skip_full_when_all=True
    )
    report = "\n".join(mutations.describe(result) for result in results)
    assert [result.edit for result in results] == list(catalog.SMOKE), report
    assert sum(len(result.misses) for result in results) == 0, report

    by_edit = {result.edit: result for result in results}
    # The comparison edit turns a test red and --changed runs it, and not everything.
    flipped = by_edit[catalog.SKU_LENGTH]
    assert flipped.changed and not flipped.line.runs_all, report
    assert {mutations.method_id(test) for test in flipped.changed} <= {
        mutations.method_id(test) for test in flipped.selected
    }, report
    assert len(flipped.selected) < flipped.total, report
    # What a per-test record cannot see runs everything.
    assert by_edit[catalog.RECEIPT_TEMPLATE].line.runs_all, report
    assert by_edit[catalog.SHOP_INDEX].line.runs_all, report


CACHED_RATE = catalog.Edit(
    "demo",
    "scenarios/cached_rate.py",
    'return Decimal("0.20")',
    'return Decimal("0.21")',
    "constant",
)


def test_an_edit_of_a_cached_computation_selects_every_reader(tmp_path):
    """scenarios.changed_cache: four classes, one functools.cache'd rate, two workers.

    Only the first test of each worker executes compute_rate when the record is made; the
    others read the cache. A selection from the lines each test executed ran two of the
    four classes the edit turns red (the miss this test found, fixed in main by the
    stateful-function rule of impact.blocks).
    """
    label = "scenarios.changed_cache"
    settings = mutations.Settings(workers=2)
    tree = mutations.copy_project(mutations.PROJECTS["demo"].directory, tmp_path / "tree")
    mutations.git_init(tree)
    record = mutations.run_suite(
        tree, tmp_path / "record.xml", settings, None, "--record-impact", label
    )
    assert len(record.verdicts) == 4 and set(record.verdicts.values()) == {"passed"}, record.tail()
    mutations.apply_edit(tree, CACHED_RATE)
    changed = mutations.run_suite(
        tree, tmp_path / "changed.xml", settings, None, "--changed", "HEAD", label
    )
    selected = set(changed.verdicts)
    # Every class turns red after the edit (a full run shows it): all four must run.
    assert changed.returncode == 1 and selected == set(record.verdicts), changed.tail()
