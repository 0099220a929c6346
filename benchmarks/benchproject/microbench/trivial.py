"""BENCH_TRIVIAL_TESTS (default 5,000) tests that do nothing: the runner's per-test cost.

The classes are made at import from the environment, so spawn workers, which inherit it
and import this module by name, build the same classes as the parent.
"""

from __future__ import annotations

import os

from django.test import SimpleTestCase

TESTS = int(os.environ.get("BENCH_TRIVIAL_TESTS", "5000"))
# Units of 100 tests, as in a real suite; at least 2 so a concurrent runner has work to share.
CLASSES = max(2, TESTS // 100)
PER_CLASS = max(1, TESTS // CLASSES)


def _trivial(self):
    pass


for _number in range(CLASSES):
    _name = f"Trivial{_number:03d}"
    globals()[_name] = type(
        _name,
        (SimpleTestCase,),
        {"__module__": __name__, **{f"test_{i:03d}": _trivial for i in range(PER_CLASS)}},
    )
