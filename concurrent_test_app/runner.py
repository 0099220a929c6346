"""ConcurrentTestRunner: Django's DiscoverRunner, with run_suite spread over spawn workers.

Discovery, database set-up, system checks and teardown stay Django's own; only running
the suite changes. Django's ``run_tests`` calls the hooks in this order; each hook calls
the named phase of this runner (the gate is ``gate.sequential_reason``):

    run_tests                   _guarded_run: one InterruptGuard from discovery to teardown
    ├ setup_test_environment    _boot_workers: gate (what is known before discovery)
    │                               ── spawn workers; they boot while discovery runs
    ├ build_suite               _select_shard: Django's discovery, cut to this shard
    ├ setup_databases           _plan_run: _find_database_groups ── kept-databases lock
    │                               ── plan units (gate) ── check permissions
    │                               ── start or shrink the pool, preload (or close it)
    │                           _create_test_databases: template cache, or Django's
    │                               set-up (migrations) while the workers boot
    ├ run_checks                _preload: Django's system checks; then the workers are
    │                               sent what they imported, and run them too
    ├ run_suite                 _run_planned: the plan, under the guard; reports in finally
    │                               concurrent (_run_concurrently): _create_clones (sweep
    │                               leftovers first) ── _verify_workers (one that cannot
    │                               start: gate ── sequential) ── _announce_plan
    │                               ── _run_in_pool (dispatch units, replay events)
    │                               ── stop workers ── drop clones
    │                               sequential: run_sequentially, Django's own run
    ├ teardown_databases        _stop_and_tear_down: stop workers (always) ── Django's
    │                               teardown, or keep the templates
    └ teardown_test_environment _release_kept_databases: the next --keepdb run may start
"""

from __future__ import annotations

import argparse
import math
import os
import pickle
import sys
import time
import unittest
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.test.runner import DiscoverRunner
from django.test.utils import get_unique_databases_and_mirrors, iter_test_cases
from django.utils.module_loading import import_string

from . import config as config_module
from .backends import BACKENDS, backend_for
from .cachefolder import cache_trouble
from .checks import check_app_installed
from .cpus import auto_workers, available_cpus, busy_cpu_seconds
from .databases import CloneSet, DatabaseGroup
from .events import AliasBinding, Verify
from .exceptions import ConfigurationException, WorkerStartException
from .gate import (
    SECURITY_FAILURE,
    SMALL_SUITE,
    GateInputs,
    checks_permissions,
    sequential_reason,
)
from .impact.recording import RECORD_NAME, ImpactRecording, project_root
from .impact.selection import changed_selection
from .interrupts import SETTING_UP, STOPPING, TESTS, InterruptGuard, stop_registered_results
from .keepdb_lock import KeptDatabasesLock
from .ledger import Ledger
from .leftovers import ProjectNames, sweep_ledgers
from .mainguard import exit_if_importing_main
from .orderchecks import OrderChecks
from .outcomes import outcomes_of, recorded_test_exists, run_context, select
from .planning import (
    Shard,
    estimate_units,
    plan_segments,
    plan_units,
    preload_modules,
    select_shard,
    shard_from_ci,
    split_long_units,
    summarize_shares,
)
from .pool import WorkerPool
from .preflight import REPORT_OPTIONS, check_before_databases
from .reports import ReportSession, RunInfo
from .reports.console import CONSOLE
from .safety import production_reason, refuse_real_names, remember_configured_debug
from .serverlimits import connection_limit, needed
from .settings_carry import SettingsCarry, carry_settings
from .startmethods import ForkServer
from .suite import ConcurrentSuite, with_replay_formatting
from .templates import TemplateCache, restore_names
from .timings import TimingStore, default_path, shard_path
from .worker import WorkerSpec, peak_rss_mb
from .worker.impact import TestContexts, suite_of
from .worker.parent_settings import UNCOMPARABLE, fingerprints
from .worker.upkeep import with_connect_retries

PREFIX = "[CONCURRENT]"
RUN_TIMEOUT_STATUS = 124
MIN_LOAD_SECONDS = 2.0  # test phases shorter than this do not update the machine load


@dataclass(frozen=True)
class RunPlan:
    """How a suite will run: its tests, units, worker count, or why sequentially."""

    suite: object
    tests: list
    units: list
    workers: int
    fallback_reason: str | None
    estimates: dict = field(default_factory=dict)
    shares: list = field(default_factory=list)  # each worker's segment of Django's order
    splits: list = field(default_factory=list)  # long classes cut into pieces (Split)


@dataclass
class RunState:
    """What a run has found, made and decided so far; every phase reads and writes it."""

    suite: unittest.TestSuite | None = None  # discovered, cut to the shard (build_suite)
    plan: RunPlan | None = None  # made in setup_databases
    groups: list[DatabaseGroup] = field(default_factory=list)  # the test databases
    protected_names: set[str] = field(default_factory=set)  # configured NAMEs: never touched
    pool: WorkerPool | None = None  # started in setup_test_environment, closed in teardown
    forkserver: ForkServer | None = None  # --start-method forkserver: stopped with the pool
    guard: InterruptGuard | None = None  # while run_tests (or run_suite alone) runs
    kept_lock: KeptDatabasesLock | None = None  # held from setup_databases (--keepdb)
    template_restore: list | None = None  # names to restore when templates are kept
    ran_on_templates: bool = False  # a sequential run wrote to the kept templates
    run_timed_out: bool = False  # the pool hit --run-timeout
    reports_written: bool = False
    not_run_reported: bool = False
    settings_carry: SettingsCarry | None = None  # taken before Django's test environment
    red_first: frozenset = frozenset()  # --failed-first: ids of the red tests moved first
    timings_recorded: bool = False  # the store has this run's durations, to be written
    impact: ImpactRecording | None = None  # --record-impact, from run_tests to its end
    contexts_in_process: bool = False  # a recording sequential run: a context per test

    @property
    def concurrent(self) -> bool:
        """Whether the plan made in setup_databases runs in workers."""
        return self.plan is not None and not self.plan.fallback_reason


class ConcurrentTestRunner(DiscoverRunner):
    """A drop-in ``TEST_RUNNER`` that runs test classes in parallel spawn workers."""

    pool_class = WorkerPool
    clone_set_class = CloneSet

    def __init__(self, **kwargs) -> None:
        explicit = {name: kwargs.pop(name, None) for name in config_module.OPTIONS_BY_NAME}
        # Django's "--parallel N" (also under "manage.py test") is our worker count: never
        # ignored. Django resolves "--parallel auto" to a number before it gets here.
        if explicit["workers"] is None and kwargs.get("parallel") not in (None, 0):
            explicit["workers"] = kwargs["parallel"]
        self.config = config_module.resolve(explicit)
        check_before_databases(self.config, os.environ)
        super().__init__(**kwargs)
        # Django's own --parallel machinery must stay off: the workers are ours.
        self.parallel = 1
        # Created now so that an unwritable report path fails before any database exists.
        self.reporting = ReportSession(self.config, verbosity=self.verbosity)
        self.state = RunState()
        self.interrupted_status: int | None = None
        self.flaky: list[str] = []
        remember_configured_debug()  # before Django's test set-up forces DEBUG = False
        for warning in check_app_installed():  # the app's own checks cannot run without it
            self.announce(f"Warning ({warning.id}): {warning.msg} {warning.hint}")

    @classmethod
    def add_arguments(cls, parser) -> None:
        """Django's options plus one flag per option of the configuration table."""
        super().add_arguments(parser)
        group = parser.add_argument_group("django-concurrent-test")
        for option in config_module.OPTIONS:
            boolean = option.parse is config_module.parse_bool
            optional = {"nargs": "?", "const": option.const} if option.const else {}
            group.add_argument(
                option.flag,
                dest=option.name,
                default=None,
                action=argparse.BooleanOptionalAction if boolean else "store",
                **optional,
                help=f"{option.help} (env {option.env}; default: {option.default})".replace(
                    "%", "%%"
                ),
            )

    # -- Django's hooks, in the order run_tests calls them: one phase each ----------------

    def run_tests(self, test_labels, **kwargs):
        """Django's run_tests (the hooks below), guarded; after a signal, exit 128 + signum."""
        exit_if_importing_main()  # a spawn worker importing an unguarded script
        recording = self._start_recording()
        try:
            return self._guarded_run(partial(super().run_tests, test_labels, **kwargs))
        finally:
            if recording is not None:
                self._finish_recording(recording)

    def _start_recording(self) -> ImpactRecording | None:
        """``--record-impact``: measure this process, and tell the workers where to save."""
        if not self.config.record_impact:
            return None
        recording = ImpactRecording(self.template_cache.directory, project_root(Path.cwd()))
        try:
            recording.start()
        except OSError as error:
            self.warn(f"Warning: --record-impact records nothing: {error}")
            return None
        self.state.impact = recording
        return recording

    def _finish_recording(self, recording: ImpactRecording) -> None:
        """Combine what every process measured into the record (also after a failure)."""
        self.state.impact = None
        try:
            new, merged = recording.finish(self.outcome_context, self._output_paths())
        except Exception as error:  # noqa: BLE001 - the run's verdict stands without it
            self.warn(f"Warning: the impact record was not written: {error}")
            return
        self.announce(
            f"--record-impact: recorded what {len(new.tests):,} tests executed "
            f"({len(merged.tests):,} in {os.path.relpath(recording.path)})"
        )

    def setup_test_environment(self, **kwargs):
        """Django's test environment; workers start booting now, during discovery.

        The workers' settings are taken first: as the project made them, before the
        test environment changes some (each worker makes those changes itself).
        """
        self.state.settings_carry = carry_settings(self.parallel_test_suite)
        super().setup_test_environment(**kwargs)
        self._boot_workers()

    def build_suite(self, *args, **kwargs):
        """Django's discovery, the last failures selected, cut to this shard; kept so
        workers start before migrations."""
        suite = self._select_changed(super().build_suite(*args, **kwargs))
        suite = self._select_last_failures(suite)
        return self._select_shard(suite)

    def setup_databases(self, **kwargs):
        """Plan the run and start the workers, then Django's set-up while they boot."""
        self._plan_run(kwargs.get("aliases"))
        return self._create_test_databases(**kwargs)

    def run_checks(self, databases):
        """Django's system checks; then every worker runs them too, before its first test.

        A sequential process runs them here, and later tests see what they left (the
        root URLconf built with this moment's settings). The workers are sent what the
        checks imported with the instruction; a subclass that skips the checks skips
        them in the workers as well.
        """
        super().run_checks(databases)
        self._preload(self.state.plan, checks=tuple(sorted(databases or ())))

    def run_suite(self, suite, **kwargs):
        """Run the suite in workers, or sequentially when concurrency is impossible.

        Reports are written in ``finally``, so an interrupted run still leaves them.
        """
        return self._run_planned(suite)

    def teardown_databases(self, old_config, **kwargs):
        """Make sure no worker outlives the run, then Django's teardown (or keep templates)."""
        return self._stop_and_tear_down(old_config, **kwargs)

    def teardown_test_environment(self, **kwargs):
        """Django's; then the next ``--keepdb`` run may have the kept databases."""
        try:
            super().teardown_test_environment(**kwargs)
        finally:
            self._release_kept_databases()

    # -- the phases ---------------------------------------------------------------------

    def _guarded_run(self, run_django_phases):
        """One InterruptGuard around every phase, from discovery to teardown.

        See ``interrupts``: a signal while setting up stops at once, and what was made
        so far is removed by the ``except``/``finally`` blocks on the way out.
        """
        self.interrupted_status = None
        self.flaky = []
        self._warned = set()  # warn_once: each run says each warning once
        self.state.reports_written = self.state.not_run_reported = False
        with InterruptGuard(on_first=self._stop_on_interrupt, phase=SETTING_UP) as guard:
            self.state.guard = guard
            try:
                failures = run_django_phases()
            except KeyboardInterrupt:
                if guard.signum is None:
                    raise  # not a signal of ours: someone raised it
                self._set_phase(STOPPING)
                self._close_pool(grace=0)
                self._finish_reports()
                failures = 0
            finally:
                # Whatever ended the run (a PermissionException in set-up, say), no worker
                # may outlive it: they let SIGTERM pass, so multiprocessing's exit hook,
                # which terminates daemons and then joins them, would wait forever.
                self._close_pool(grace=0)
                self.state.guard = None
        if guard.exit_status is not None and self.interrupted_status is None:
            self.interrupted_status = guard.exit_status
        if self.interrupted_status is not None:
            suite = self.state.suite
            total = None if suite is None else suite.countTestCases()
            self._report_not_run(total, self.reporting.recorder.done)
            sys.exit(self.interrupted_status)
        if self.config.fail_on_flaky:
            failures += len(self.flaky)
        # A report CI waits for is missing: the run must not look green.
        return failures + len(self.reporting.unwritten)

    def _boot_workers(self) -> None:
        """Spawn the workers now, unless a reason known before discovery says no.

        Units and databases are not known yet; ``_plan_run`` closes the pool if a later
        reason appears, and shrinks it to the units.
        """
        guard = self.state.guard
        if guard is not None:
            guard.reinstall()  # Django's unittest.installHandler() would swallow a Ctrl-C
        # The whole stored suite smaller than the workers' start-up: so is any part of it.
        whole = self._stored_test_seconds(self.timing_store.test_estimates())
        if self.fallback_reason(unit_count=2, groups=(), test_seconds=whole) is not None:
            return
        if self.start_method == "forkserver":
            # It sets Django up now; its workers are forked once the plan says what to import.
            self.state.forkserver = self._start_forkserver()
        else:
            self._spawn_pool(self.worker_count)

    def _select_shard(self, suite):
        """Cut the discovered suite to this shard; remember it for the plan."""
        shard = self.shard
        if shard is not None:
            suite = self._cut_to_shard(suite, shard)
        self.state.suite = suite
        return suite

    def _select_changed(self, suite):
        """``--changed``: only the tests a change can affect (all, with the reason, if unsure).

        Before the other cuts, like ``--last-failed``: shards split the same selection.
        """
        if not self.config.changed:
            return suite
        path = self.template_cache.directory / RECORD_NAME
        selection = changed_selection(
            list(iter_test_cases(suite)),
            self.config.changed,
            path,
            self.outcome_context,
            self._output_paths(),
        )
        self.announce(selection.message)
        return self.test_suite(selection.tests)

    def _output_paths(self) -> list[Path]:
        """The files this run writes besides the cache folder: reports, the timing store."""
        names = (*REPORT_OPTIONS, "timings_file")
        return [Path(value) for value in (getattr(self.config, n) for n in names) if value]

    def _select_last_failures(self, suite):
        """``--last-failed``/``--failed-first``: cut or reorder the suite by the last outcomes.

        Before the shard cut and the gate, so every shard splits the same selection and
        a sequential fallback runs it too; whole units move, so any planner composes.
        """
        config = self.config
        if not (config.last_failed or config.failed_first):
            return suite
        flag = "--last-failed" if config.last_failed else "--failed-first"
        last = self.timing_store.last_outcomes(self.outcome_context)
        selection = select(
            list(iter_test_cases(suite)),
            last,
            only_failed=config.last_failed,
            units_of=plan_units,
            exists=recorded_test_exists,
            flag=flag,
        )
        if selection.missing:
            count = len(selection.missing)
            self.announce(f"{flag}: {count} recorded failures no longer exist; left out")
            self.timing_store.forget_outcomes(self.outcome_context, selection.missing)
        self.announce(selection.message)
        self.state.red_first = frozenset(test.id() for test in selection.tests[: selection.first])
        return self.test_suite(selection.tests)

    @cached_property
    def outcome_context(self) -> str:
        """Which table of last outcomes this run reads and writes: settings and vendors."""
        vendors = {connections[alias].vendor for alias in settings.DATABASES}
        return run_context(os.environ.get("DJANGO_SETTINGS_MODULE"), vendors)

    def _save_outcomes(self) -> None:
        """Store each test's outcome (every kind of run), with this run's timings if any."""
        outcomes = outcomes_of(self.reporting.recorder.records)
        if outcomes:
            self.timing_store.record_outcomes(self.outcome_context, outcomes)
        if outcomes or self.state.timings_recorded:
            self._write_timings()

    def _plan_run(self, selected_aliases) -> None:
        """Find the test databases, plan the units, and start the workers or close them."""
        state = self.state
        self._find_database_groups(selected_aliases)
        if self.keepdb:  # kept databases have fixed names: one run at a time uses them
            state.kept_lock = KeptDatabasesLock(
                state.groups, self.template_cache.directory, self.announce
            )
            state.kept_lock.acquire()
        if state.suite is not None:
            state.plan = self.plan(state.suite)
        if checks_permissions(state.concurrent, self.keepdb):
            self.check_permissions()
        if state.concurrent:
            self._start_pool(state.plan.workers)
            self._preload(state.plan)
        else:
            self._close_pool(grace=0)  # booted early for nothing: this run is sequential

    def _find_database_groups(self, selected_aliases) -> None:
        """This run's test databases, each with its aliases; refuse a configured NAME."""
        state = self.state
        state.protected_names = {
            str(db["NAME"]) for db in settings.DATABASES.values() if db.get("NAME")
        }
        self.__dict__.pop("project_names", None)  # read afresh, while every alias has its NAME
        _ = self.project_names
        test_databases, mirrors = get_unique_databases_and_mirrors(selected_aliases)
        state.groups = []
        test_names = {}
        for _name, aliases in test_databases.values():
            mirrored = sorted(alias for alias, target in mirrors.items() if target in aliases)
            primary = min(aliases)
            test_names[primary] = connections[primary].creation._get_test_db_name()
            group = DatabaseGroup(tuple(sorted(aliases)) + tuple(mirrored), test_names[primary])
            state.groups.append(group)
        refuse_real_names(test_names, state.protected_names)

    def _create_test_databases(self, **kwargs):
        """Keep or build the templates (concurrent), or Django's set-up; stop workers on error."""
        state = self.state
        try:
            if state.concurrent and self.config.template_cache and not self.keepdb:
                # Workers only ever see clones, so the migrated database can stay as a
                # template for the next run instead of being migrated again.
                state.template_restore = self._set_up_templates(kwargs)
                if state.template_restore is not None:
                    return None
                return self._set_up_after_the_cache(**kwargs)
            return self._setup_test_databases(**kwargs)
        except BaseException:
            self._close_pool()
            raise

    def _set_up_after_the_cache(self, **kwargs):
        """Django's set-up once the cache is left out; a connection limit is retried.

        When the cache hit a server's connection limit, the connections it closed may
        still count for a moment (a server backend exits after its client has gone), so
        Django's set-up, which needs fewer, is tried again after a pause.
        """
        connections.close_all()
        return with_connect_retries(
            partial(self._setup_test_databases, **kwargs),
            retries=3,
            delay=0.5,
            transient=lambda error: connection_limit(error) is not None,
        )

    def _set_up_templates(self, kwargs) -> list | None:
        """The templates; None (one line) when the cache folder cannot hold them.

        A read-only or full cache folder, a lock file that cannot be used or a server's
        connection limit must not cost the run: Django's own set-up (migrations) takes
        over, as without the cache.
        """
        state = self.state
        names = {alias: connections[alias].settings_dict["NAME"] for alias in connections}
        try:
            return self.template_cache.setup(
                state.groups, kwargs.get("serialized_aliases") or set(), state.protected_names
            )
        except Exception as error:
            # The template lock holds a connection of its own: a tight connection limit
            # leaves the cache out, as Django's set-up needs fewer.
            trouble = cache_trouble(error) or connection_limit(error)
            if trouble is None:
                raise
        self.warn(
            f"Warning: the template cache is unavailable ({trouble}); "
            "setting up the test databases as Django does"
        )
        restore_names([(connections[alias], name) for alias, name in names.items()])
        return None

    def _run_planned(self, suite):
        """The plan's run, concurrent or sequential, under a guard; reports in ``finally``."""
        plan = self.state.plan
        if plan is None or plan.suite is not suite:
            plan = self.plan(suite)
        with ExitStack() as stack:
            guard = self.state.guard
            if guard is None:  # called on its own, not from run_tests
                guard = self.state.guard = stack.enter_context(
                    InterruptGuard(on_first=self._stop_on_interrupt)
                )
                stack.callback(setattr, self.state, "guard", None)
            try:
                if plan.fallback_reason:
                    result = self.run_sequentially(suite, plan.fallback_reason)
                else:
                    result = self._run_concurrently(plan)
                self._set_phase(STOPPING)
                if guard.exit_status is not None or self.state.run_timed_out:
                    # 124 is what timeout(1) returns when its command ran out of time.
                    self.interrupted_status = guard.exit_status or RUN_TIMEOUT_STATUS
                    self._report_not_run(len(plan.tests), result.testsRun)
                return result
            finally:
                self._set_phase(STOPPING)
                self._close_pool()
                self._save_outcomes()
                self._finish_reports()

    def _stop_and_tear_down(self, old_config, **kwargs):
        """Stop the workers, then Django's teardown, or give the templates their names back."""
        self._set_phase(STOPPING)  # a signal now must not cut the cleanup short
        self._close_pool()
        restore = self.state.template_restore
        if restore is None:
            return super().teardown_databases(old_config, **kwargs)
        self.state.template_restore = None
        # Names first: a server template's name is derived from the configured NAME,
        # and while the aliases point at the templates it would name another database.
        restore_names(restore)
        if self.state.ran_on_templates:
            self.template_cache.invalidate(self.state.groups)
        return None

    def _release_kept_databases(self) -> None:
        """Release the ``--keepdb`` lock, if this run holds it."""
        lock, self.state.kept_lock = self.state.kept_lock, None
        if lock is not None:
            lock.release()

    # -- helpers of the phases ----------------------------------------------------------

    @property
    def _groups(self) -> list[DatabaseGroup]:
        """This run's test databases (``state.groups``), as the vendor methods read them."""
        return self.state.groups

    @property
    def prometheus_metrics(self):
        """The run's metrics; ``get_metrics_summary()`` returns them as a dict."""
        return self.reporting.metrics

    def get_resultclass(self):
        """Django's result class with the reporting mixins in front of it."""
        base = super().get_resultclass() or unittest.TextTestResult
        mixins = tuple(m for m in self.reporting.result_mixins() if not issubclass(base, m))
        if self.state.contexts_in_process:
            mixins = (TestContexts, *mixins)
        return type(base.__name__, (*mixins, base), {}) if mixins else base

    @cached_property
    def worker_count(self) -> int:
        """Requested workers; ``auto`` is the usable CPUs, or more where tests wait.

        See ``cpus.auto_workers``: the last run's machine load, corrected for the time
        its workers waited for a CPU, says how many CPUs one worker needs, and the
        timing store how many workers the longest unit leaves useful.
        """
        workers = self.config.workers
        if workers != "auto":
            return int(workers)
        estimates = self.timing_store.unit_estimates().values()
        longest = max(estimates, default=0.0)
        useful = math.ceil(sum(estimates) / longest) if longest > 0 else None
        return auto_workers(self.cpus, self.timing_store.demand_per_worker(), useful)

    @cached_property
    def cpus(self) -> int:
        """The CPUs this process may use (affinity and cgroup quota)."""
        return available_cpus()

    def announce(self, message: str) -> None:
        """Print one ``[CONCURRENT]`` line, flushed so it is seen while tests run."""
        CONSOLE.before_line(sys.stdout)  # on a line of its own, never after the dots
        self.log(f"{PREFIX} {message}")
        sys.stdout.flush()

    @cached_property
    def shard(self) -> Shard | None:
        """``--shard``/DJANGO_TEST_SHARD, else what the CI system's variables say."""
        if self.config.shard is not None:
            return self.config.shard
        try:
            found = shard_from_ci(os.environ)
        except ValueError as error:
            raise ConfigurationException(f"CI shard variables: {error}: expected I/N") from None
        return found[0] if found else None

    def _cut_to_shard(self, suite, shard: Shard):
        tests, units, estimates = self._units_of(suite)
        chosen = select_shard(units, estimates, shard)
        indices = sorted(index for unit in chosen for index in unit.indices)
        self.announce(f"Shard {shard}: {len(chosen)} of {len(units)} units, {len(indices)} tests")
        return self.test_suite([tests[index] for index in indices])

    def _setup_test_databases(self, **kwargs):
        """Django's set-up; after Ctrl-C, the test databases it made so far are destroyed."""
        before = {alias: connections[alias].settings_dict["NAME"] for alias in connections}
        try:
            return super().setup_databases(**kwargs)
        except KeyboardInterrupt:
            for alias, name in before.items():
                connection = connections[alias]
                # Django points an alias at its test database only once it created it.
                made = connection.settings_dict["NAME"] != name
                if made and not self.keepdb and not connection.settings_dict["TEST"].get("MIRROR"):
                    connection.creation.destroy_test_db(name, self.verbosity, keepdb=False)
            raise

    def _preload(self, plan: RunPlan | None, checks: tuple[str, ...] | None = None) -> None:
        """Send each worker the modules to import while its databases are being cloned.

        ``checks``: the database aliases of the system checks the parent has just run.
        """
        pool = self.state.pool
        if pool is None or plan is None or not self.state.concurrent:
            return
        pool.preload(*preload_modules(list(sys.modules), plan.tests, __package__), checks)

    @cached_property
    def template_cache(self) -> TemplateCache:
        """Where migrated templates are kept between runs (beside the timing store)."""
        directory = Path(self.config.timings_file or default_path()).parent
        return TemplateCache(
            directory,
            self.verbosity,
            self.announce,
            self.ledger,
            self.warn_once,
            snapshots=self.config.template_snapshots,
            tools=self.config.snapshot_tools,
            names=self.project_names,
        )

    @cached_property
    def project_names(self) -> ProjectNames:
        """The configured test databases, read before any alias points at a template."""
        return ProjectNames.configured()

    @cached_property
    def ledger(self) -> Ledger:
        """This run's intent ledger (beside the timing store): what it creates, written first."""
        return Ledger(Path(self.config.timings_file or default_path()).parent, self.warn)

    def warn(self, message: str) -> None:
        """One ``[CONCURRENT]`` warning line on stderr."""
        CONSOLE.before_line(sys.stderr)
        sys.stderr.write(f"{PREFIX} {message}\n")
        sys.stderr.flush()

    def warn_once(self, message: str) -> None:
        """``warn``, saying each message once per run (each alias sweeps the same folder)."""
        said = self.__dict__.setdefault("_warned", set())
        if message not in said:
            said.add(message)
            self.warn(message)

    # -- planning, workers, clones and running ----------------------------------------

    def plan(self, suite) -> RunPlan:
        """Units in Django's order, each worker's share, or the reason to run sequentially.

        Each worker's share is one contiguous segment of Django's order (discovery, or
        what --reverse/--shuffle made of it), balanced by estimated seconds, or by test
        count on a first run (``plan_segments``): inside a segment every test follows
        the tests it follows sequentially (issue #25).
        """
        tests, units, estimates = self._units_of(suite)
        splits = []
        if not (self.reverse or self.shuffle):
            tested = self.timing_store.test_estimates()
            units, estimates, splits = split_long_units(
                units, tests, estimates, tested, self.worker_count
            )
        workers = min(self.worker_count, len(units))  # pieces of split classes count
        # Test durations, not unit spans: a span measured in a worker also holds what
        # the worker adds around a class, which a sequential run does not pay.
        seconds = self.timing_store.test_estimates()
        mine = {test.id(): seconds.get(test.id()) for test in tests}
        reason = self.fallback_reason(len(units), test_seconds=self._stored_test_seconds(mine))
        shares = self._segments(tests, units, estimates, workers)
        return RunPlan(suite, tests, units, workers, reason, estimates, shares, splits)

    def _segments(
        self, tests: list, units: list, estimates: dict[str, float], workers: int
    ) -> list:
        """``plan_segments``; with ``--failed-first``, the red units lead every share."""
        red = self.state.red_first
        leading = 0
        for unit in units:  # the red units lead (outcomes.select put them there)
            if not any(tests[index].id() in red for index in unit.indices):
                break
            leading += 1
        return plan_segments(units, estimates, workers, leading=leading)

    def _stored_test_seconds(self, estimates: dict[str, float | None]) -> float | None:
        """With ``--workers auto``, these tests' seconds when the store knows every one."""
        if self.config.workers != "auto" or not estimates or None in estimates.values():
            return None
        return sum(estimates.values())

    def _units_of(self, suite) -> tuple[list, list, dict[str, float]]:
        """The suite's tests, its units and their estimated seconds (timing store).

        Every worker imports every test module before its first test (``_preload``),
        so a module slow to import costs no unit its import.
        """
        tests = list(iter_test_cases(suite))
        units = plan_units(tests)
        return tests, units, estimate_units(units, self.timing_store.unit_estimates())

    @cached_property
    def timing_store(self) -> TimingStore:
        """Durations of earlier runs (empty when there are none or the file is unusable)."""
        path = self.config.timings_file or default_path()
        return TimingStore.load(path, self.warn)

    def _finish_reports(self) -> None:
        if not self.state.reports_written:
            self.state.reports_written = True
            self.reporting.finish()

    def _report_not_run(self, total: int | None, ran: int) -> None:
        """Print the INTERRUPTED line (once), to standard error."""
        if self.state.not_run_reported:
            return
        self.state.not_run_reported = True
        CONSOLE.before_line(sys.stderr)
        if total is None:
            sys.stderr.write("INTERRUPTED: during test discovery; no test was run\n")
        else:
            sys.stderr.write(f"INTERRUPTED: {total - ran} of {total} tests not run\n")
        sys.stderr.flush()

    def _stop_on_interrupt(self) -> None:
        stop_registered_results()
        pool = self.state.pool
        if pool is not None:
            pool.abort()
            # Workers are stopped at once: a second signal has nothing left to hurry.
            self._set_phase(STOPPING)

    def _set_phase(self, phase: str) -> None:
        """Tell the run's InterruptGuard what a signal would interrupt now."""
        guard = self.state.guard
        if guard is not None and guard.phase != STOPPING:  # stopping is for good
            guard.phase = phase

    def _deferring_interrupts(self):
        guard = self.state.guard
        return guard.deferring() if guard is not None else nullcontext()

    def _spawn_pool(self, workers: int) -> None:
        context = self._forkserver_context()
        self.state.pool = self.pool_class(
            [self.worker_spec(worker_id) for worker_id in range(1, workers + 1)],
            log=self.announce,
            test_timeout=self.config.timeout,
            run_timeout=self.config.run_timeout,
            **({"context": context} if context is not None else {}),
        )
        if context is None:
            self.state.pool.start()
        else:  # the forkserver is importing: the parent makes the databases meanwhile
            self.state.pool.start(in_background=True)

    def _start_forkserver(self) -> ForkServer:
        carried = self.settings_carry.carried
        return ForkServer(
            os.environ.get("DJANGO_SETTINGS_MODULE"),
            self.debug_mode,
            pickle.dumps(carried, protocol=4) if carried is not None else b"",
        )

    @property
    def settings_carry(self) -> SettingsCarry:
        """The settings the workers rebuild (``settings_carry``), taken once per run."""
        if self.state.settings_carry is None:  # run_suite called without run_tests
            self.state.settings_carry = carry_settings(self.parallel_test_suite)
        return self.state.settings_carry

    @property
    def start_method(self) -> str:
        """The configured start method; spawn where Django's ``process_setup`` is set.

        A forkserver imports only our module, not the script that defines the hook
        (Django's own ``runtests.py`` defines it in ``__main__``), so it could not call it.
        """
        carried = self.settings_carry.carried
        if carried is not None and carried.process_setup is not None:
            return "spawn"
        if self.config.record_impact:  # a forked worker's start-up would go unmeasured
            return "spawn"
        return self.config.start_method

    def _forkserver_context(self):
        """With --start-method forkserver: its context, the server told what to import.

        That is what a spawn worker imports before its first test (``_preload``): the
        parent's modules after discovery, in order. None for spawn (the pool's default).
        """
        if self.start_method == "spawn":
            return None
        if self.state.forkserver is None:  # not started before discovery
            self.state.forkserver = self._start_forkserver()
        plan = self.state.plan
        tests = plan.tests if plan is not None else []
        self.state.forkserver.release(*preload_modules(list(sys.modules), tests, __package__))
        return self.state.forkserver.context

    def _start_pool(self, workers: int) -> None:
        if self.config.workers == "auto" and workers > self.cpus:
            demand = self.timing_store.demand_per_worker() or 0.0
            self.announce(
                f"auto: {workers} workers for {self.cpus} CPUs ({demand:.2f} CPUs per worker)"
            )
        self.announce(f"Starting production-grade concurrent test run with {workers} workers")
        if self.state.pool is None:
            self._spawn_pool(workers)
        else:
            self.state.pool.shrink(workers)  # fewer units than workers started early

    def _close_pool(self, grace: float = 5.0) -> None:
        guard = self.state.guard
        if guard is not None and guard.signum is not None:
            grace = 0  # interrupted: what the workers would finish is not wanted
        pool, self.state.pool = self.state.pool, None
        if pool is not None:
            self.state.run_timed_out = self.state.run_timed_out or pool.run_timed_out
            pool.close(grace)
        server, self.state.forkserver = self.state.forkserver, None
        if server is not None:
            server.stop()  # its workers are gone; the next run's imports differ

    def _run_concurrently(self, plan: RunPlan):
        """Clones, workers verified on them, units dispatched; clones dropped in ``finally``.

        A worker that cannot start sends the run to the gate, which makes it sequential.
        """
        if self.state.pool is None:
            self._start_pool(plan.workers)
        self.reporting.run_started(RunInfo("concurrent", plan.workers, len(plan.tests)))
        clone_set = self.clone_set_class(
            self.state.groups,
            range(1, plan.workers + 1),
            self.state.protected_names,
            keepdb=self.keepdb,
            max_retries=self.config.max_retries,
            retry_delay=self.config.retry_delay,
            log=self.announce if self.verbosity >= 2 else None,
            ledger=self.ledger,
            warn=self.warn,
        )
        try:
            # From databases ready to workers ready: what a sequential run would not wait.
            waiting = time.monotonic()
            limited = self._create_clones_within_limits(clone_set, plan.workers)
            if limited is not None:
                self._close_pool()
                clone_set.drop()
                return self.run_sequentially(plan.suite, limited)
            pool = self.state.pool
            try:
                self._verify_workers(pool, clone_set, plan.workers)
                self.timing_store.record_startup(time.monotonic() - waiting)
            except WorkerStartException as error:
                self._close_pool()
                clone_set.drop()
                message = str(error)
                if connection_limit(message) is not None:
                    message += f" ({needed(plan.workers, self._alias_count)})"
                reason = self.fallback_reason(len(plan.units), worker_start_error=message)
                return self.run_sequentially(plan.suite, reason)
            self._announce_plan(plan)
            return self._run_in_pool(pool, plan)
        finally:
            # Cleanup from here on: a second Ctrl-C must not cut the drops short.
            self._set_phase(STOPPING)
            self._close_pool()
            clone_set.drop()

    def _create_clones_within_limits(self, clone_set: CloneSet, workers: int) -> str | None:
        """Make the clones; the reason to run sequentially if the server's limit stops it."""
        try:
            self._create_clones(clone_set)
        except Exception as error:
            words = connection_limit(error)
            if words is None:
                raise
            return (
                f"the database server refused a connection while cloning: {words} "
                f"({needed(workers, self._alias_count)})"
            )
        return None

    @property
    def _alias_count(self) -> int:
        """How many database aliases each worker connects (mirrors included)."""
        return sum(len(group.aliases) for group in self._groups)

    def _create_clones(self, clone_set: CloneSet) -> None:
        """Sweep what killed runs left, then make every worker's clones."""
        caching = " with template caching" if self.state.template_restore else ""
        # Labels that need no database (SimpleTestCase only) have nothing to set up.
        if clone_set.clones:
            self.announce(f"Setting up {len(clone_set.clones)} test databases{caching}")
        started = time.time()
        with self._deferring_interrupts():  # clones made in threads must all be dropped
            self.sweep_leftovers()
            clone_set.create()
        self.reporting.phase("database setup", started, time.time())
        if clone_set.clones:
            self.announce(f"Successfully setup {len(clone_set.clones)} databases")

    def _verify_workers(self, pool, clone_set: CloneSet, workers: int) -> None:
        """Bind each worker to its clones and wait until it has checked them."""
        self.announce("Verifying database isolation")
        orders = {w: self.worker_order(clone_set, w) for w in range(1, workers + 1)}
        if self.verbosity >= 2 and orders:
            compared = next(iter(orders.values())).settings
            blind = sorted(
                name for name, digest in compared.items() if digest.startswith(UNCOMPARABLE)
            )
            self.announce(
                f"Workers prove {len(compared) - len(blind)} settings equal to this process's"
                + (f"; not comparable (unpicklable): {', '.join(blind)}" if blind else "")
            )
        pool.reset_databases = clone_set.recreate
        pool.verify(orders)
        for worker_id, (spawned, ready) in pool.startup_spans.items():
            self.reporting.phase("worker start", spawned, ready, worker_id)
        if self.verbosity >= 2 and any(pool.checks_seconds.values()):
            self.announce(
                f"Workers ran Django's system checks in {max(pool.checks_seconds.values()):.2f}s at most"
            )

    def _announce_plan(self, plan: RunPlan) -> None:
        """The split classes and each worker's planned share, before the first test."""
        for s in plan.splits:
            self.announce(
                f"Split {s.key} into {s.pieces} units: {s.seconds:.2f}s, fixtures {s.fixture_seconds:.2f}s"
            )
        # Numbered from 1, as the workers are: chunk k is worker k's share.
        shares = summarize_shares(plan.shares, plan.estimates)
        for number, share in enumerate(shares, start=1):
            self.announce(
                f"Chunk {number}: {share.tests} tests, estimated time: {share.seconds:.2f}s"
            )

    def _run_in_pool(self, pool, plan: RunPlan):
        kwargs = self.get_test_runner_kwargs()
        kwargs["resultclass"] = with_replay_formatting(kwargs.get("resultclass"))
        runner = self.test_runner(**kwargs)
        suite = ConcurrentSuite(
            pool,
            plan.tests,
            plan.units,
            reruns=self.config.rerun_failures,
            shares=plan.shares,
            estimates=plan.estimates,
            order_checks=self.order_checks(pool, plan),
        )
        busy_before, started = busy_cpu_seconds(), time.monotonic()
        self._set_phase(TESTS)
        try:
            result = runner.run(suite)
            seconds = time.monotonic() - started
            self._record_load(len(pool.specs), busy_before, seconds, pool.run_queue_fraction())
        finally:
            self.save_timings(suite)
            upkeep = pool.connection_upkeep.values()
            self.reporting.connection_upkeep(sum(r for r, _ in upkeep), sum(b for _, b in upkeep))
            self.reporting.memory(max(pool.peak_rss_mb.values(), default=0.0), peak_rss_mb())
            self.reporting.scheduling(pool.scheduling_efficiency())
            shuffler = self._shuffler  # Django's, set by build_suite when --shuffle
            if shuffler is not None:
                self.log(f"Used shuffle seed: {shuffler.seed_display}")
        self.flaky = suite.flaky
        if suite.flaky:
            sys.stderr.write(f"Flaky: {len(suite.flaky)}\n")
            for test_id in suite.flaky:
                sys.stderr.write(f"  {test_id} (failed, then passed on a rerun)\n")
        return result

    def order_checks(self, pool, plan: RunPlan) -> OrderChecks | None:
        """What checks failed tests for order dependence after the run (None: off)."""
        if not self.config.order_check_limit:
            return None
        return OrderChecks(
            pool,
            plan.tests,
            limit=self.config.order_check_limit,
            budget=self.config.order_check_budget,
            strict=self.config.strict_order,
            log=self.announce,
            report=self.reporting.order_check,
            units=[tuple(unit.indices) for unit in plan.units],  # Django's order
            on_span=self.reporting.order_job,
        )

    def _record_load(
        self, workers: int, busy_before: float | None, seconds: float, run_queue: float
    ) -> None:
        """Remember how many CPUs the machine kept busy while the tests ran (for auto).

        ``run_queue``: the share of the workers' unit time spent waiting for a CPU.
        """
        busy_after = busy_cpu_seconds()
        # A very short run says little about the suite; keep the earlier figure.
        if busy_before is not None and busy_after is not None and seconds >= MIN_LOAD_SECONDS:
            busy = (busy_after - busy_before) / seconds
            self.timing_store.record_load(workers, busy, run_queue)

    def save_timings(self, suite: ConcurrentSuite) -> None:
        """Keep this run's durations for the next plan; written with the outcomes at the end.

        A failure to write only warns. A shard writes them (and its load figure) to its own file beside the store, so
        that the store every shard splits from stays as it was (see ``shard_path``).
        """
        self.timing_store.record(
            suite.unit_durations(), suite.test_durations, suite.module_import_seconds()
        )
        self.state.timings_recorded = True  # written with the outcomes (_save_outcomes)

    def _save_sequential_timings(self) -> None:
        """A run kept in-process for being small still refreshes (and shards) its timings."""
        units: dict[str, float] = {}
        tests: dict[str, float] = {}
        for record in self.reporting.recorder.tests():
            units[record.unit] = units.get(record.unit, 0.0) + record.duration
            tests[f"{record.classname}.{record.name}"] = record.duration
        self.timing_store.record(units, tests)
        self.state.timings_recorded = True

    def _write_timings(self) -> None:
        store = self.timing_store
        if not store.writable:  # a newer runner's store, or one we cannot read: left as it is
            return
        shard = self.shard
        target = store.path if shard is None else shard_path(store.path, shard.index, shard.total)
        try:
            store.save(target)
        except OSError as error:
            self.warn(f"Warning: could not save the timing store {target}: {error}")
            return
        if shard is not None:
            main = store.path  # left as it was: the next shard must split from it too
            self.announce(
                f"Shard {shard}: timings saved to {target}; --merge-timings adds them to {main}"
            )

    def sweep_leftovers(self) -> None:
        """Remove clones that killed runs of ours left behind (never anyone else's)."""
        for group in self._groups:  # what dead runs' ledgers name, marked or not
            sweep_ledgers(
                self.ledger.folder.parent,
                connections[group.primary],
                self.announce,
                self.warn_once,
                self.project_names,
            )
        # Each backend once, through its first group: one query sees every database on
        # the server, one look sees every folder of ours.
        first = {backend_for(group.vendor): group for group in reversed(self._groups)}
        for backend in BACKENDS.values():
            if backend in first:
                backend.sweep_leftovers(first[backend].primary, self.announce)

    def check_permissions(self) -> None:
        """Fail before anything is created if the database user cannot create databases."""
        for group in self._groups:
            backend = backend_for(group.vendor)
            if backend is not None:
                backend.check_permissions(group.primary, group.test_name)

    def fallback_reason(
        self,
        unit_count: int,
        groups=None,
        worker_start_error: str | None = None,
        test_seconds: float | None = None,
    ) -> str | None:
        """Why this run cannot be concurrent, or None when it can (asks ``gate``).

        ``groups`` are the test databases to clone (default: this run's);
        ``test_seconds`` what the run's tests take by the timing store, if known.
        """
        production = production_reason(settings, allow=self.config.allow_production)
        return sequential_reason(
            GateInputs(
                production=production,
                pdb=bool(self.pdb),
                workers=self.worker_count,
                units=unit_count,
                settings_problem=self.settings_carry.problem,
                groups=tuple(self.state.groups if groups is None else groups),
                worker_start_error=worker_start_error,
                test_seconds=test_seconds,
                startup_seconds=self.timing_store.startup_seconds(),
            )
        )

    def run_sequentially(self, suite, reason: str):
        """Django's own in-process run, after the worker hook, with the reason printed."""
        # Tests running here write to the templates: they must be rebuilt next time.
        self.state.ran_on_templates = self.state.template_restore is not None
        if reason.startswith(SECURITY_FAILURE):
            self.announce(f"Security check failed: {SECURITY_FAILURE}")
        self.announce(f"Falling back to sequential testing: {reason}")
        self.reporting.run_started(
            RunInfo("sequential", 1, suite.countTestCases(), fallback_reason=reason)
        )
        self.call_worker_setup(0)
        self._set_phase(TESTS)
        if self.state.impact is not None:  # contexts per test and per module, as in workers
            suite = suite_of(list(iter_test_cases(suite)))
            self.state.contexts_in_process = True
        try:
            return super().run_suite(suite)
        finally:
            # No workers: the runner's own peak is the run's (README "Peak runner memory").
            self.reporting.memory(0.0, peak_rss_mb())
            if reason.startswith(SMALL_SUITE):  # could have been concurrent: keep timings
                self._save_sequential_timings()

    def call_worker_setup(self, worker_id: int) -> None:
        """Run the project's worker hook (workers call it themselves after spawn)."""
        if self.config.worker_setup:
            import_string(self.config.worker_setup)(worker_id)

    def worker_spec(self, worker_id: int) -> WorkerSpec:
        """What worker ``worker_id`` needs to boot (its databases come later)."""
        return WorkerSpec(
            worker_id=worker_id,
            settings_module=os.environ.get("DJANGO_SETTINGS_MODULE"),
            debug_mode=self.debug_mode,
            failfast=self.failfast,
            buffer=self.buffer,
            debug_sql=self.debug_sql,
            worker_setup=self.config.worker_setup,
            max_operations=self.config.max_operations,
            health_check_interval=self.config.health_check_interval,
            max_retries=self.config.max_retries,
            retry_delay=self.config.retry_delay,
            verbosity=self.verbosity,
            start_method=self.start_method,
            parent_settings=self.settings_carry.carried,
            impact=self.state.impact.spec if self.state.impact is not None else None,
        )

    def worker_order(self, clone_set: CloneSet, worker_id: int) -> Verify:
        """The message binding every alias of worker ``worker_id`` to its own clones."""
        bindings = []
        serialized = {}
        for clone in clone_set.for_worker(worker_id):
            backend = backend_for(clone.group.vendor)
            settings_dict = backend.worker_settings(clone)
            for alias in clone.group.aliases:
                bindings.append(
                    AliasBinding(
                        alias,
                        settings_dict,
                        clone.identity,
                        backend.worker.identity_sql,
                        backend.worker.identity_is_path,
                        backend.worker.setup_statements,
                    )
                )
                contents = getattr(connections[alias], "_test_serialized_contents", None)
                if contents is not None:
                    serialized[alias] = contents
        masked = {binding.alias: frozenset(binding.settings) for binding in bindings}
        return Verify(tuple(bindings), serialized, worker_id, fingerprints(masked))
