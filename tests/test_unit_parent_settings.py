"""Settings fingerprints: equal for equal settings in any process, never for different ones."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import PurePosixPath

from concurrent_test_app.worker.parent_settings import UNCOMPARABLE, differences, fingerprint


def test_equal_values_built_in_another_order_have_one_fingerprint():
    first = {"b": {"x", "y", "z"}, "a": [1, 2.0, "3"], "c": (PurePosixPath("/tmp"), None)}
    second = {"c": (PurePosixPath("/tmp"), None), "a": [1, 2.0, "3"], "b": {"z", "y", "x"}}
    assert fingerprint(first) == fingerprint(second)


def test_a_changed_value_or_type_changes_the_fingerprint():
    base = fingerprint({"APPS": ["a", "b"], "DEBUG": False})
    assert fingerprint({"APPS": ["a", "b", "c"], "DEBUG": False}) != base
    assert fingerprint({"APPS": ("a", "b"), "DEBUG": False}) != base
    assert fingerprint({"APPS": ["a", "b"], "DEBUG": 0}) != base


def test_sets_of_strings_agree_across_processes_with_other_hash_seeds():
    code = (
        "from concurrent_test_app.worker.parent_settings import fingerprint;"
        "print(fingerprint({'ALLOWED_HOSTS': {'a', 'b', 'c', 'd', 'e'}, 'R': __import__('re').compile('x', 2)}))"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(seen) == 1
    assert (
        fingerprint({"ALLOWED_HOSTS": {"a", "b", "c", "d", "e"}, "R": re.compile("x", 2)}) + "\n"
        in seen
    )


def test_a_value_that_does_not_pickle_is_said_to_be_not_comparable():
    # A function by its qualified name is comparable; an object that will not pickle is not.
    assert not fingerprint(len).startswith(UNCOMPARABLE)
    assert fingerprint(object.__new__(_Unpicklable)).startswith(UNCOMPARABLE)


def test_differences_name_changed_missing_and_added_settings():
    mine = {"A": "1", "B": "2", "C": "3"}
    theirs = {"A": "1", "B": "9", "D": "4"}
    assert differences(mine, theirs) == ("B", "C", "D")
    assert differences(mine, dict(mine)) == ()


class _Unpicklable:
    def __reduce__(self):
        raise TypeError("no")
