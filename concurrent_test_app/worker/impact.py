"""Impact recording in a process that runs tests: coverage.py, one context per test.

The context is the test's id while it runs and ``module:<its module>`` around it
(class and module fixtures, which every test of that module may depend on); before the
first unit it is empty: start-up, imports and system checks, which every test may
depend on. Each process saves its own data file into the run's parts folder; the parent
combines them. The worker package imports nothing parent-side: this module is shared.
"""

from __future__ import annotations

import os
import unittest
from dataclasses import dataclass

MODULE_CONTEXT = "module:"


@dataclass(frozen=True)
class ImpactSpec:
    """Where a process saves its measurements, and which files it measures."""

    parts: str
    include: tuple[str, ...]
    omit: tuple[str, ...]


class Recorder:
    """One process's coverage.py measurement with per-test contexts."""

    def __init__(self, spec: ImpactSpec, name: str) -> None:
        import coverage

        self._coverage = coverage.Coverage(
            data_file=os.path.join(spec.parts, f"{name}-{os.getpid()}.coverage"),
            config_file=False,
            include=list(spec.include),
            omit=list(spec.omit),
        )
        self._coverage.start()
        self._context = ""

    def enter_module(self, module: str) -> None:
        """Fixtures of test module ``module`` run now."""
        self._switch(f"{MODULE_CONTEXT}{module}")

    def enter_test(self, test_id: str) -> None:
        """Test ``test_id`` runs now."""
        self._switch(test_id)

    def _switch(self, context: str) -> None:
        if context != self._context:
            self._context = context
            self._coverage.switch_context(context)

    def save(self) -> None:
        """Stop measuring and write this process's part."""
        self._coverage.stop()
        self._coverage.save()


_RECORDER: list[Recorder] = []  # this process's recorder, once started


def start_recording(spec: ImpactSpec | None, name: str) -> None:
    """Measure this process from now on, when the run records impact."""
    if spec is not None and not _RECORDER:
        _RECORDER.append(Recorder(spec, name))


def recorder() -> Recorder | None:
    """This process's recorder, None when it records nothing."""
    return _RECORDER[0] if _RECORDER else None


def test_starts(test) -> None:
    """Attribute what runs from now on to ``test``."""
    if _RECORDER:
        _RECORDER[0].enter_test(test.id())


def fixtures_of(test) -> None:
    """Attribute what runs from now on to the fixtures of ``test``'s module."""
    if _RECORDER:
        _RECORDER[0].enter_module(type(test).__module__)


def save_recording() -> None:
    """Write this process's part, if it records."""
    if _RECORDER:
        _RECORDER.pop().save()


class TestContexts:
    """A result mixin: a test's context from ``startTest`` to ``stopTest``."""

    def startTest(self, test) -> None:
        test_starts(test)
        super().startTest(test)

    def stopTest(self, test) -> None:
        super().stopTest(test)
        fixtures_of(test)


class ContextSuite(unittest.TestSuite):
    """A suite that attributes class and module fixtures to their test module's context.

    unittest runs ``setUpClass`` and ``setUpModule`` before the first test's
    ``startTest``: without this they would count for the test that ran before.
    """

    _upcoming = None  # the test whose module's fixtures come next

    def _tearDownPreviousClass(self, test, result):
        _previous_module(result)
        super()._tearDownPreviousClass(test, result)

    def _handleModuleFixture(self, test, result):
        self._upcoming = test
        fixtures_of(test)
        super()._handleModuleFixture(test, result)

    def _handleModuleTearDown(self, result):
        # Called inside _handleModuleFixture, before the next module's setUpModule.
        _previous_module(result)
        super()._handleModuleTearDown(result)
        if self._upcoming is not None:
            fixtures_of(self._upcoming)

    def _handleClassSetUp(self, test, result):
        fixtures_of(test)
        super()._handleClassSetUp(test, result)


def _previous_module(result) -> None:
    """Attribute what runs now (a teardown) to the module of the class that ran last."""
    previous = getattr(result, "_previousTestClass", None)
    if _RECORDER and previous is not None:
        _RECORDER[0].enter_module(previous.__module__)


def suite_of(tests) -> unittest.TestSuite:
    """A suite of ``tests``: one that keeps fixture contexts apart when recording."""
    return (ContextSuite if _RECORDER else unittest.TestSuite)(tests)
