"""Exceptions that cannot cross a process boundary, next to an ordinary failure for comparison."""

from __future__ import annotations

import threading

from django.test import SimpleTestCase


class UnpicklableError(Exception):
    """Holds a lock, and locks refuse to pickle."""

    def __init__(self, message: str):
        super().__init__(message)
        self.lock = threading.Lock()


class UnunpicklableError(Exception):
    """Pickles fine but fails to unpickle.

    Pickle rebuilds an exception as ``cls(*self.args)``; ``args`` holds one item
    because ``super().__init__`` got one, but ``__init__`` demands two: TypeError.
    """

    def __init__(self, message: str, code: int):
        super().__init__(f"{message} (code {code})")
        self.code = code


class UnpicklableTests(SimpleTestCase):
    def test_unpicklable_exception(self):
        raise UnpicklableError("UNPICKLABLE-MARKER")

    def test_ununpicklable_exception(self):
        raise UnunpicklableError("UNUNPICKLABLE-MARKER", 42)

    def test_ordinary_failure(self):
        self.assertEqual("expected", "actual", "ORDINARY-FAILURE-MARKER")

    def test_pass(self):
        pass
