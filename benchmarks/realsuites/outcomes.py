"""What a test run's console says: its ``Ran`` lines, verdicts, failing tests and fallbacks.

Django's runner (and ours, which prints the same) ends each suite with ``Ran N tests in Xs``
and, after a blank line, ``OK`` or ``FAILED (...)``, with skips and expected failures in
the parentheses. At verbosity 1 every failure or error is listed once as ``FAIL: <test id>``
or ``ERROR: <test id>`` above them. A script that runs several suites prints several.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RAN = re.compile(r"^Ran (\d+) tests? in ")
VERDICT = re.compile(r"^(OK|FAILED)( \(.*\))?\s*$")
FAILING = re.compile(r"^(FAIL|ERROR|UNEXPECTED SUCCESS): (.+?)\s*$")
FALLBACK = re.compile(r"Falling back to sequential testing: (.+?)\s*$")
VERDICT_DISTANCE = 10  # lines between "Ran ..." and its verdict (a blank line, maybe notes)


@dataclass(frozen=True)
class Report:
    """The comparable facts of one run's console output and exit status."""

    ran: tuple[str, ...]  # "Ran 520 tests", one per suite the command ran
    verdicts: tuple[str, ...]  # "OK (skipped=3)", "FAILED (failures=1)", one per Ran line
    failing: frozenset[str]  # "FAIL: test_x (app.tests.Case.test_x)"
    fallbacks: tuple[str, ...]  # our runner's reasons for running sequentially
    code: int | None  # exit status; None when the run timed out

    def same_as(self, other: Report) -> bool:
        """Whether Ran lines, verdicts, failing tests and exit status all match ``other``."""
        return (
            self.ran == other.ran
            and self.verdicts == other.verdicts
            and self.failing == other.failing
            and self.code == other.code
        )

    def differences(self, other: Report) -> list[str]:
        """Human-readable differences from ``other`` (the reference run)."""
        found = []
        if self.ran != other.ran:
            found.append(f"Ran {self.ran} vs {other.ran}")
        if self.verdicts != other.verdicts:
            found.append(f"verdict {self.verdicts} vs {other.verdicts}")
        if self.code != other.code:
            found.append(f"exit {self.code} vs {other.code}")
        extra, missing = self.failing - other.failing, other.failing - self.failing
        if extra:
            found.append(f"{len(extra)} failing only here, e.g. {sorted(extra)[:3]}")
        if missing:
            found.append(
                f"{len(missing)} failing only in the reference, e.g. {sorted(missing)[:3]}"
            )
        return found


def parse(output: str, code: int | None) -> Report:
    """Read a run's combined stdout/stderr into a Report."""
    lines = output.splitlines()
    ran, verdicts = [], []
    for index, line in enumerate(lines):
        match = RAN.match(line)
        if match:
            ran.append(f"Ran {match.group(1)} tests")
            verdicts.append(verdict_after(lines, index))
    failing = frozenset(m.group(0).strip() for m in map(FAILING.match, lines) if m)
    fallbacks = tuple(m.group(1) for m in map(FALLBACK.search, lines) if m)
    return Report(tuple(ran), tuple(verdicts), failing, fallbacks, code)


def verdict_after(lines: list[str], index: int) -> str:
    """The OK/FAILED line that follows the Ran line at ``index``, or "(no verdict)"."""
    for line in lines[index + 1 : index + 1 + VERDICT_DISTANCE]:
        if VERDICT.match(line):
            return line.strip()
    return "(no verdict)"
