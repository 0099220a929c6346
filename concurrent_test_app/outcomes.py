"""Each test's last outcome, and the selections built on it: --failed-first, --last-failed.

The outcomes live in the timing store under ``outcomes``, one table per run context
(settings module and database vendors: a test red on PostgreSQL may be green on SQLite).
A key is a test id, or the class or module of a fixture that failed (``setUpClass``,
``setUpModule``): such a key stands for every test under it. The selection is a
reordering or a cut of the discovered tests, made before the shard cut, the gate and the
plan, so it holds for sequential fallbacks and composes with any planner.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

PASSED = "passed"
FAILED = "failed"
ERRORED = "errored"
SKIPPED = "skipped"
EXPECTED_FAILURE = "expected_failure"
UNEXPECTED_SUCCESS = "unexpected_success"
OUTCOMES = (PASSED, FAILED, ERRORED, SKIPPED, EXPECTED_FAILURE, UNEXPECTED_SUCCESS)
# What makes a run red, and so what runs again first: unittest counts an unexpected
# success against wasSuccessful() as it does a failure.
RED = frozenset({FAILED, ERRORED, UNEXPECTED_SUCCESS})
# Worst first: a test and its failing subtest, or a late error, keep the worst.
_WORST_FIRST = (ERRORED, FAILED, UNEXPECTED_SUCCESS, EXPECTED_FAILURE, SKIPPED, PASSED)
_FIXTURES = ("setUpClass", "tearDownClass", "setUpModule", "tearDownModule")


def run_context(settings_module: str | None, vendors: Iterable[str]) -> str:
    """The store's key for a run: ``testproject.settings:postgresql`` (vendors sorted)."""
    return f"{settings_module or 'configured'}:{'+'.join(sorted(set(vendors)))}"


def read_outcomes(raw) -> dict[str, dict[str, list]]:
    """The store's ``outcomes`` as read: only well-formed entries, unknown outcomes dropped.

    A file from a newer version may name outcomes this one does not know: they are left
    out rather than trusted, and the test counts as never recorded.
    """
    if not isinstance(raw, dict):
        return {}
    tables = {}
    for context, table in raw.items():
        if isinstance(context, str) and isinstance(table, dict):
            tables[context] = {
                test_id: [entry[0], float(entry[1])]
                for test_id, entry in table.items()
                if isinstance(test_id, str) and _valid(entry)
            }
    return tables


def _valid(entry) -> bool:
    return (
        isinstance(entry, list)
        and len(entry) == 2
        and entry[0] in OUTCOMES
        and isinstance(entry[1], (int, float))
        and not isinstance(entry[1], bool)
        and math.isfinite(entry[1])
    )


def outcomes_of(records) -> dict[str, str]:
    """Each test's (or failed fixture's) outcome from a run's records (``reports.recording``)."""
    found: dict[str, str] = {}
    for record in records:
        key, outcome = _keyed_outcome(record)
        if key and (key not in found or _worse(outcome, found[key])):
            found[key] = outcome
    return found


def _keyed_outcome(record) -> tuple[str, str]:
    kinds = {(outcome.kind, outcome.type) for outcome in record.outcomes}
    status = record.status
    if ("error", "UnexpectedSuccess") in kinds and status == "error" and len(kinds) == 1:
        outcome = UNEXPECTED_SUCCESS
    elif status == "error":
        outcome = ERRORED
    elif status == "failure" or record.has_failed_subtests:
        outcome = FAILED
    elif status == "skipped":
        outcome = EXPECTED_FAILURE if ("skipped", "XFAIL") in kinds else SKIPPED
    else:
        outcome = PASSED
    if record.is_test:
        return f"{record.classname}.{record.name}", outcome
    if outcome not in RED:
        return "", outcome
    first = record.name.split(" ", 1)[0]
    if first in _FIXTURES:  # the class or module whose fixture failed
        return record.classname, outcome
    # A failing subtest ("test_x (i=1)") or an outcome reported after its test stopped.
    return f"{record.classname}.{first}" if record.classname else "", outcome


def _worse(outcome: str, than: str) -> bool:
    return _WORST_FIRST.index(outcome) < _WORST_FIRST.index(than)


@dataclass(frozen=True)
class Selection:
    """The tests to run, in order, and the one line that says what was chosen."""

    tests: list
    message: str
    missing: tuple[str, ...] = ()  # recorded red tests (or fixtures) no longer in the code
    first: int = 0  # --failed-first: how many of ``tests``, from the start, were red


def _keys_of(test_id: str) -> list[str]:
    """The keys that cover a test: its id, its class's and its module's (any prefix)."""
    parts = test_id.split(".")
    return [".".join(parts[:cut]) for cut in range(len(parts), 0, -1)]


def select(
    tests: list,
    last: dict[str, list],
    *,
    only_failed: bool,
    units_of: Callable[[list], list],
    exists: Callable[[str], bool],
    flag: str,
) -> Selection:
    """The tests ``--last-failed`` keeps, or the order ``--failed-first`` gives them.

    ``last``: this context's table; ``units_of`` groups tests into units (planning), and
    a unit with a red test moves whole, in Django's order; ``exists`` says whether a
    recorded key outside ``tests`` is still in the code (merely outside this selection).
    """
    red = {key for key, entry in last.items() if entry[0] in RED}
    hits = [bool(red.intersection(_keys_of(test.id()))) for test in tests]
    matched = {key for test in tests for key in _keys_of(test.id()) if key in red}
    missing = tuple(sorted(key for key in red - matched if not exists(key)))
    total = len(tests)
    if not matched:
        why = "nothing recorded" if not last else "no test of this selection failed last time"
        what = f"all {total} tests run" if only_failed else "Django's order kept"
        return Selection(list(tests), f"{flag}: {why}; {what}", missing)
    units = [unit for unit in units_of(tests) if any(hits[i] for i in unit.indices)]
    chosen = sorted(i for unit in units for i in unit.indices)
    if only_failed:
        message = f"{flag}: {len(chosen)} of {total} tests ({total - len(chosen)} deselected)"
        return Selection([tests[i] for i in chosen], message, missing)
    taken = set(chosen)
    rest = [tests[i] for i in range(total) if i not in taken]
    message = f"{flag}: {len(chosen)} of {total} tests first (0 deselected)"
    return Selection([tests[i] for i in chosen] + rest, message, missing, len(chosen))


def recorded_test_exists(key: str) -> bool:
    """Whether ``key`` (``pkg.module.Class.test``, or a class or module) is in the code.

    The longest importable module prefix, then attributes. A module that exists but
    fails to import counts as existing: the run reports the broken import, not this.
    """
    parts = key.split(".")
    for cut in range(len(parts), 0, -1):
        name = ".".join(parts[:cut])
        try:
            target = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name and (name == error.name or name.startswith(error.name + ".")):
                continue  # this prefix is no module: try a shorter one
            return True
        except Exception:  # noqa: BLE001 - any import error: the module is there, broken
            return True
        for attribute in parts[cut:]:
            target = getattr(target, attribute, None)
            if target is None:
                return False
        return True
    return False
