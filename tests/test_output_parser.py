"""The verbosity-2 parser the functional tests rely on, checked on real and recorded output."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from helpers import (
    UNNAMED,
    normalize_test_id,
    paired_verdicts,
    parse_test_output,
    verdict_difference,
)

SAMPLE_MODULE = '''
import sys
import unittest


class Outcomes(unittest.TestCase):
    def test_pass(self):
        pass

    def test_fail(self):
        self.assertEqual(1, 2)

    def test_error(self):
        raise ValueError("boom")

    @unittest.skip("not today")
    def test_skip(self):
        pass

    @unittest.expectedFailure
    def test_xfail(self):
        self.fail("expected")

    @unittest.expectedFailure
    def test_xpass(self):
        pass

    def test_subtests(self):
        for i in range(3):
            with self.subTest(i=i):
                self.assertNotEqual(i, 2)

    def test_doc(self):
        """First docstring line."""

    def test_prints(self):
        print("PRINTED-TO-STDERR", file=sys.stderr)
        print("PRINTED-TO-STDOUT")


class BrokenClass(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        raise RuntimeError("class fixture")

    def test_never(self):
        pass
'''

MODULE_FIXTURE = """
import unittest


def setUpModule():
    raise RuntimeError("module fixture")


class T(unittest.TestCase):
    def test_never(self):
        pass
"""

PYTHON_310_OUTPUT = textwrap.dedent(
    """\
    ERROR
    test_doc (pkg.sample.Outcomes)
    First docstring line. ... ok
    test_error (pkg.sample.Outcomes) ... ERROR
    test_fail (pkg.sample.Outcomes) ... FAIL
    test_pass (pkg.sample.Outcomes) ... ok
    test_prints (pkg.sample.Outcomes) ... PRINTED-TO-STDERR
    ok
    test_skip (pkg.sample.Outcomes) ... skipped 'not today'
    test_subtests (pkg.sample.Outcomes) ... test_xfail (pkg.sample.Outcomes) ... expected failure
    test_xpass (pkg.sample.Outcomes) ... unexpected success
    ERROR

    ======================================================================
    ERROR: setUpClass (pkg.sample.BrokenClass)
    ----------------------------------------------------------------------
    Traceback (most recent call last):
      File "/tmp/pkg/sample.py", line 43, in setUpClass
        raise RuntimeError("class fixture")
    RuntimeError: class fixture

    ======================================================================
    ERROR: test_error (pkg.sample.Outcomes)
    ----------------------------------------------------------------------
    Traceback (most recent call last):
      File "/tmp/pkg/sample.py", line 13, in test_error
        raise ValueError("boom")
    ValueError: boom

    ======================================================================
    ERROR: setUpModule (pkg.modfix)
    ----------------------------------------------------------------------
    Traceback (most recent call last):
      File "/tmp/pkg/modfix.py", line 4, in setUpModule
        raise RuntimeError("module fixture")
    RuntimeError: module fixture

    ======================================================================
    FAIL: test_fail (pkg.sample.Outcomes)
    ----------------------------------------------------------------------
    Traceback (most recent call last):
      File "/tmp/pkg/sample.py", line 10, in test_fail
        self.assertEqual(1, 2)
    AssertionError: 1 != 2

    ======================================================================
    FAIL: test_subtests (pkg.sample.Outcomes) (i=2)
    ----------------------------------------------------------------------
    Traceback (most recent call last):
      File "/tmp/pkg/sample.py", line 30, in test_subtests
        self.assertNotEqual(i, 2)
    AssertionError: 2 == 2

    ----------------------------------------------------------------------
    Ran 9 tests in 0.001s

    FAILED (failures=2, errors=3, skipped=1, expected failures=1, unexpected successes=1)
    """
)

EXPECTED_TEST_OUTCOMES = [
    ("pkg.sample.Outcomes.test_doc", "ok"),
    ("pkg.sample.Outcomes.test_error", "ERROR"),
    ("pkg.sample.Outcomes.test_fail", "FAIL"),
    ("pkg.sample.Outcomes.test_pass", "ok"),
    ("pkg.sample.Outcomes.test_prints", "ok"),
    ("pkg.sample.Outcomes.test_skip", "skipped 'not today'"),
    ("pkg.sample.Outcomes.test_xfail", "expected failure"),
    ("pkg.sample.Outcomes.test_xpass", "unexpected success"),
]
EXPECTED_BLOCKS = [
    ("ERROR", "pkg.sample.Outcomes.test_error"),
    ("ERROR", "setUpClass (pkg.sample.BrokenClass)"),
    ("ERROR", "setUpModule (pkg.modfix)"),
    ("FAIL", "pkg.sample.Outcomes.test_fail"),
    ("FAIL", "pkg.sample.Outcomes.test_subtests (i=2)"),
]
SUMMARY = "FAILED (failures=2, errors=3, skipped=1, expected failures=1, unexpected successes=1)"


def run_unittest_verbose(tmp_path) -> subprocess.CompletedProcess:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "sample.py").write_text(SAMPLE_MODULE)
    (package / "modfix.py").write_text(MODULE_FIXTURE)
    return subprocess.run(
        [sys.executable, "-m", "unittest", "-v", "pkg.sample", "pkg.modfix"],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_this_pythons_unittest_output(tmp_path):
    completed = run_unittest_verbose(tmp_path)
    report = parse_test_output(completed.stderr)

    # 3.11+ also names the fixtures and the failing subtest; 3.10 does not.
    assert set(EXPECTED_TEST_OUTCOMES) <= set(report.outcomes), completed.stderr
    assert report.outcome_of("pkg.sample.Outcomes.test_never") == [], completed.stderr
    assert set(EXPECTED_BLOCKS) <= set(report.blocks), completed.stderr
    # 3.12.1 does not count a @skip-ped test as run (3.11 and 3.13.0 do; other 3.12
    # releases were not checked).
    expected_ran = {8, 9} if sys.version_info[:2] == (3, 12) else {9}
    assert report.ran in expected_ran, completed.stderr
    assert report.summary is not None and report.summary.startswith("FAILED (failures=2, errors=3")
    assert "PRINTED-TO-STDOUT" not in completed.stderr


def test_recorded_python_310_output():
    report = parse_test_output(PYTHON_310_OUTPUT)

    assert report.outcomes == sorted(
        EXPECTED_TEST_OUTCOMES + [(UNNAMED, "ERROR"), (UNNAMED, "ERROR")]
    )
    assert report.blocks == EXPECTED_BLOCKS
    assert report.ran == 9
    assert report.summary == SUMMARY
    assert "RuntimeError: class fixture" in report.block_text[EXPECTED_BLOCKS[1]]
    assert "ValueError: boom" not in report.block_text[EXPECTED_BLOCKS[1]]


def test_python_310_and_311_descriptions_give_one_id():
    assert normalize_test_id("test_x (pkg.mod.Class)") == "pkg.mod.Class.test_x"
    assert normalize_test_id("test_x (pkg.mod.Class.test_x)") == "pkg.mod.Class.test_x"
    assert normalize_test_id("  test_x (pkg.mod.C.test_x) (i=2)") == "pkg.mod.C.test_x (i=2)"
    assert normalize_test_id("test_x (pkg.mod.C) [msg] (i=2)") == "pkg.mod.C.test_x [msg] (i=2)"
    assert normalize_test_id("setUpClass (pkg.mod.Class)") == "setUpClass (pkg.mod.Class)"
    assert normalize_test_id("setUpModule (pkg.mod)") == "setUpModule (pkg.mod)"
    assert normalize_test_id("Creating test database for alias 'default'...") is None


def test_fixture_lines_compare_equal_whether_named_or_not():
    named = parse_test_output(
        "test_a (m.C.test_a) ... ok\n"
        "setUpClass (m.D) ... skipped 'no D'\n"
        "\n" + "-" * 70 + "\nRan 1 test in 0.1s\n\nOK (skipped=1)\n"
    )
    bare = parse_test_output(
        "test_a (m.C.test_a) ... ok\n"
        "skipped 'no D'\n"
        "\n" + "-" * 70 + "\nRan 1 test in 0.1s\n\nOK (skipped=1)\n"
    )

    assert named.outcomes != bare.outcomes
    assert named.verdicts() == bare.verdicts()


def test_different_runs_differ():
    passing = parse_test_output("test_a (m.C.test_a) ... ok\n\nRan 1 test in 0.1s\n\nOK\n")
    failing = parse_test_output(
        "test_a (m.C.test_a) ... FAIL\n\nRan 1 test in 0.1s\n\nFAILED (failures=1)\n"
    )
    skipped = parse_test_output(
        "test_a (m.C.test_a) ... skipped 'x'\n\nRan 1 test in 0.1s\n\nOK (skipped=1)\n"
    )

    assert passing.verdicts() != failing.verdicts()
    assert passing.verdicts() != skipped.verdicts()
    assert passing.summary == "OK" and failing.summary == "FAILED (failures=1)"


def test_stdout_noise_and_database_messages_are_ignored():
    report = parse_test_output(
        "Creating test database for alias 'default'...\n"
        "System check identified no issues (0 silenced).\n"
        "test_a (m.C.test_a) ... ok\n"
        "OK\n"  # printed by a test before the summary: not the summary
        "\nRan 1 test in 0.1s\n\nOK\n"
        "Destroying test database for alias 'default'...\n"
    )

    assert report.outcomes == [("m.C.test_a", "ok")]
    assert report.ran == 1
    assert report.summary == "OK"


# Python 3.12.1 reports a @skip-ped test without startTest; after "expected
# failure" or "unexpected success" its description is therefore not printed.
AFTER_XPASS_MODULE = """
import unittest


class A(unittest.TestCase):
    @unittest.expectedFailure
    def test_xpass(self):
        pass


@unittest.skip("whole class")
class B(unittest.TestCase):
    def test_one(self):
        pass

    def test_two(self):
        pass
"""

_XPASS_BLOCK = (
    "\n" + "=" * 70 + "\nUNEXPECTED SUCCESS: test_xpass (m.A.test_xpass)\n" + "-" * 70 + "\n"
    "Ran 1 test in 0.1s\n\nFAILED (skipped=2, unexpected successes=1)\n"
)
BARE_SKIP_OUTPUT = (
    "test_xpass (m.A.test_xpass) ... unexpected success\n"
    "skipped 'whole class'\n"
    "test_two (m.B.test_two) ... skipped 'whole class'\n" + _XPASS_BLOCK
)
NAMED_SKIP_OUTPUT = (
    "test_one (m.B.test_one) ... skipped 'whole class'\n"
    "test_two (m.B.test_two) ... skipped 'whole class'\n"
    "test_xpass (m.A.test_xpass) ... unexpected success\n" + _XPASS_BLOCK
)


def test_a_bare_skip_after_unexpected_success_pairs_with_the_named_skip():
    bare = parse_test_output(BARE_SKIP_OUTPUT)
    named = parse_test_output(NAMED_SKIP_OUTPUT)

    assert (UNNAMED, "skipped 'whole class'") in bare.outcomes
    assert bare.verdicts() != named.verdicts()
    mine, theirs = paired_verdicts(named, bare)
    assert mine == theirs
    assert verdict_difference(named, bare) == ""
    assert verdict_difference(bare, named) == ""


def test_a_bare_skip_pairs_only_with_a_missing_skip_of_the_same_reason():
    bare = parse_test_output(BARE_SKIP_OUTPUT)
    other_reason = parse_test_output(NAMED_SKIP_OUTPUT.replace("'whole class'", "'other'", 1))
    passed = parse_test_output(
        NAMED_SKIP_OUTPUT.replace("test_one (m.B.test_one) ... skipped 'whole class'", "").replace(
            "test_two (m.B.test_two)", "test_one (m.B.test_one) ... ok\ntest_two (m.B.test_two)"
        )
    )
    extra = parse_test_output(
        "test_three (m.B.test_three) ... skipped 'whole class'\n" + NAMED_SKIP_OUTPUT
    )

    for different in (other_reason, passed, extra):
        mine, theirs = paired_verdicts(different, bare)
        assert mine != theirs
        assert verdict_difference(different, bare) != ""


def test_this_pythons_skip_after_unexpected_success(tmp_path):
    (tmp_path / "m.py").write_text(AFTER_XPASS_MODULE)
    completed = subprocess.run(
        [sys.executable, "-m", "unittest", "-v", "m"],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    report = parse_test_output(completed.stderr)
    named = parse_test_output(NAMED_SKIP_OUTPUT)

    assert report.outcome_of("m.A.test_xpass") == ["unexpected success"], completed.stderr
    assert report.outcome_of("m.B.test_two") == ["skipped 'whole class'"], completed.stderr
    # Named on 3.10, 3.11 and 3.13.0; bare on 3.12.1 (the versions checked).
    assert len(report.outcomes) == 3, completed.stderr
    # Only the outcomes: 3.12.1 does not count the skipped tests in "Ran N tests".
    mine, theirs = paired_verdicts(report, named)
    assert mine["outcomes"] == theirs["outcomes"], completed.stderr
    if sys.version_info >= (3, 11):  # 3.10 prints no block for an unexpected success
        assert mine["blocks"] == theirs["blocks"], completed.stderr
