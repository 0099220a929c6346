"""Unit tests of benchmarks/changed_scenario.py: its clean git copies and its one-function edits."""

from __future__ import annotations

import ast
import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SOURCES = {
    "standard": BENCHMARKS / "benchproject",
    "migration-heavy": BENCHMARKS / "migrationheavy",
    "cpu-bound": BENCHMARKS / "cpubound",
    "demo": BENCHMARKS.parent / "testproject",
}


def load(name: str):
    """A module of benchmarks/, loaded under a name no other module uses."""
    # changed_scenario imports measure as the harness does: from its own folder.
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


scenario = load("changed_scenario")


def function_lines(source: str, name: str) -> range:
    """The lines of the body of the module-level function ``name``."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return range(node.body[0].lineno, node.end_lineno + 1)
    raise AssertionError(f"no function {name}")


@pytest.mark.parametrize("suite", sorted(SOURCES))
def test_each_suite_edit_changes_one_line_of_its_function_in_a_clean_git_copy(suite):
    edit = scenario.EDITS[suite]
    project = scenario.clean_copy(SOURCES[suite])
    try:
        # A clean tree, symlinked apps copied as files (git would keep dangling links).
        assert scenario.git(project, "status", "--porcelain") == ""
        assert not any(path.is_symlink() for path in project.rglob("*"))
        edit.apply(project)
        assert scenario.git(project, "status", "--porcelain") == f" M {edit.path}\n"
        diff = scenario.git(project, "diff", "-U0", "--", edit.path)
        changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] != "---"]
        changed = [line for line in changed if line[:3] != "+++"]
        assert len(changed) == 2, diff
        source = (project / edit.path).read_text()
        line = source[: source.index(edit.new)].count("\n") + 1
        assert line in function_lines(source, edit.function)
        # A record that hashes code (not text) must see it: the function's AST differs.
        before = scenario.git(project, "show", f"HEAD:{edit.path}")
        assert ast.dump(ast.parse(before)) != ast.dump(ast.parse(source))
        with pytest.raises(ValueError, match="occurs 0 times"):
            edit.apply(project)  # applied twice: refused, not silently a no-op
    finally:
        shutil.rmtree(project.parent)


def test_tests_in_counts_the_test_cases_of_a_junit_file(tmp_path):
    junit = tmp_path / "junit.xml"
    junit.write_text(
        "<testsuites><testsuite><testcase name='a'/><testcase name='b'><skipped/></testcase>"
        "</testsuite><testsuite><testcase name='c'/></testsuite></testsuites>"
    )
    assert scenario.tests_in(junit) == 3
    assert scenario.tests_in(tmp_path / "missing.xml") is None
    junit.write_text("<testsuites>")
    assert scenario.tests_in(junit) is None
