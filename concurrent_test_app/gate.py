"""The gate: whether a run may be concurrent, and if not, the reason it runs sequentially.

One pure function over small inputs, asked at three moments of a run with what is known
by then (the runner fills in the rest with values that cannot stop it):

    setup_test_environment   before discovery: 2 units, no databases yet (workers boot
                             early only if nothing known so far says no)
    setup_databases          the plan: real unit count and database groups
    run_suite                a worker could not start: the run goes sequential

The first reason found wins, in this order: production, ``--pdb``, worker count, unit
count, a suite smaller than the workers' start-up (``--workers auto`` only), settings
module, backend support, worker start. Missing permissions are not a
reason to run sequentially but an error (PermissionException) raised before anything is
created; ``checks_permissions`` says when the runner checks them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .backends import CLONABLE_VENDORS, backend_for

SECURITY_FAILURE = "Concurrent testing not allowed in production"
SMALL_SUITE = "the tests take "  # how the small-suite reason starts


@dataclass(frozen=True)
class GateInputs:
    """What the gate needs to know about a run (all plain values, no Django)."""

    production: str | None  # why the environment looks like production (safety.py), or None
    pdb: bool  # --pdb: the tests must run in this process
    workers: int  # workers requested (auto already resolved)
    units: int  # units to distribute (pieces of split classes count)
    settings_problem: str | None  # why the settings cannot reach a worker (settings_carry)
    groups: Sequence = ()  # the test databases to clone (DatabaseGroup: .vendor, .primary)
    worker_start_error: str | None = None  # why a worker could not start, once tried
    # --workers auto only: the run's tests by the timing store, and what starting the
    # workers cost in an earlier run (None where unknown)
    test_seconds: float | None = None
    startup_seconds: float | None = None


def sequential_reason(run: GateInputs) -> str | None:
    """Why this run must be sequential, or None when it may be concurrent."""
    if run.production:
        return f"{SECURITY_FAILURE}; the environment looks like production ({run.production})"
    if run.pdb:
        return "--pdb needs the tests in this process"
    if run.workers < 2:
        return "1 worker requested"
    if run.units < 2:
        return f"{run.units} test class(es) to run, nothing to distribute"
    small = small_suite_reason(run.test_seconds, run.startup_seconds)
    if small:
        return small
    if run.settings_problem:
        return run.settings_problem
    unsupported = backend_reason(run.groups)
    if unsupported:
        return unsupported
    if run.worker_start_error is not None:
        return f"a worker could not start: {run.worker_start_error}"
    return None


def small_suite_reason(test_seconds: float | None, startup_seconds: float | None) -> str | None:
    """Why a suite whose tests take less than starting the workers runs in-process."""
    if test_seconds is None or startup_seconds is None or test_seconds >= startup_seconds:
        return None
    return (
        f"{SMALL_SUITE}{test_seconds:.2f}s by the timing store, less than starting "
        f"the workers ({startup_seconds:.2f}s last time); --workers N runs them concurrently"
    )


def backend_reason(groups: Sequence) -> str | None:
    """Why one of these test databases cannot be cloned, or None when all can."""
    for group in groups:
        if backend_for(group.vendor) is None:
            return (
                f"database backend {group.vendor!r} (alias {group.primary!r}) cannot be "
                f"cloned; supported: {', '.join(CLONABLE_VENDORS)}"
            )
    return None


def checks_permissions(concurrent: bool, keepdb: bool) -> bool:
    """Whether the database user must be shown able to create databases before set-up.

    A concurrent run creates one clone per worker; a sequential run creates its test
    database unless ``--keepdb`` reuses it.
    """
    return concurrent or not keepdb
