"""Unit tests of the checks made before any database: shard variables, paths, the keepdb lock."""

from __future__ import annotations

import pytest

from concurrent_test_app.backends.common import file_lock
from concurrent_test_app.keepdb_lock import KeptDatabasesLock
from concurrent_test_app.preflight import shard_variable_problems
from concurrent_test_app.reports.session import unwritable_reason


@pytest.mark.parametrize(
    "environ, explicit, expected",
    [
        ({"DJANGO_TEST_SHARD_INDEX": "abc", "DJANGO_TEST_SHARD_TOTAL": "2"}, False,
         ["DJANGO_TEST_SHARD_INDEX='abc': expected a positive integer"]),
        ({"DJANGO_TEST_SHARD_INDEX": "abc", "DJANGO_TEST_SHARD_TOTAL": "2"}, True,
         ["DJANGO_TEST_SHARD_INDEX='abc': expected a positive integer"]),
        ({"DJANGO_TEST_SHARD_INDEX": "1", "DJANGO_TEST_SHARD_TOTAL": "0"}, False,
         ["DJANGO_TEST_SHARD_TOTAL='0': expected a positive integer"]),
        ({"DJANGO_TEST_SHARD_INDEX": "3", "DJANGO_TEST_SHARD_TOTAL": "2"}, False,
         ["DJANGO_TEST_SHARD_INDEX='3': expected 1 to DJANGO_TEST_SHARD_TOTAL='2'"]),
        ({"DJANGO_TEST_SHARD_TOTAL": "2"}, False,
         [("DJANGO_TEST_SHARD_TOTAL='2': expected DJANGO_TEST_SHARD_INDEX to be set too "
          "(shard I of N)")]),
        ({"CI_NODE_INDEX": "x", "CI_NODE_TOTAL": "2"}, False,
         ["CI_NODE_INDEX='x': expected a positive integer"]),
        ({"CI_NODE_INDEX": "x", "CI_NODE_TOTAL": "2"}, True, []),  # --shard wins
        ({"CI_NODE_INDEX": "x"}, False, []),  # read only as a pair, as shard_from_ci does
        ({"DJANGO_TEST_SHARD_INDEX": "2", "DJANGO_TEST_SHARD_TOTAL": "2"}, False, []),
    ],
)  # fmt: skip
def test_shard_variables_are_named(environ, explicit, expected):
    assert shard_variable_problems(environ, explicit=explicit) == expected


def test_report_paths(tmp_path):
    (tmp_path / "file.xml").write_text("old")
    assert unwritable_reason(str(tmp_path / "file.xml")) is None
    assert unwritable_reason(str(tmp_path / "new.xml")) is None
    assert unwritable_reason(str(tmp_path)) == "it is a directory"
    assert unwritable_reason("/dev/null") == "it exists and is not a regular file"
    assert unwritable_reason(str(tmp_path / "no" / "r.xml")) == (
        f"directory '{tmp_path / 'no'}' does not exist"
    )
    # Root may write anywhere by its permissions; /proc still takes no new file.
    assert unwritable_reason("/proc/version").startswith("directory '/proc' does not take")
    assert list(tmp_path.iterdir()) == [tmp_path / "file.xml"], "the probe is removed"


def test_sqlite_keepdb_lock_is_held_until_released(tmp_path):
    key = 12345
    first = KeptDatabasesLock([], tmp_path, print)
    second = KeptDatabasesLock([], tmp_path, print)
    # flock belongs to an open file, so two handles in one process exclude each other.
    assert file_lock(first._held, tmp_path, key)()
    take_second = file_lock(second._held, tmp_path, key)
    assert not take_second()
    first.release()
    assert take_second()
    second.release()
