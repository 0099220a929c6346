"""ConcurrentTestRunner: Django's DiscoverRunner, with run_suite spread over spawn workers.

Discovery, database set-up, system checks and teardown stay Django's own; only running
the suite changes. The phases of a concurrent run:

    plan units ── fallback? ── plan clones ── spawn workers ── create clones
        ── workers verify their databases ── dispatch units, replay events
        ── stop workers ── drop clones (always, in ``finally``)
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
import unittest
import warnings
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.test.runner import DiscoverRunner
from django.test.utils import get_unique_databases_and_mirrors, iter_test_cases
from django.utils.module_loading import import_string

from . import config as config_module
from .checks import check_app_installed
from .cpus import auto_workers, available_cpus, busy_cpu_seconds
from .databases import (
    CLONABLE_VENDORS,
    CloneSet,
    DatabaseGroup,
    check_postgres_permissions,
    sweep_postgres_leftovers,
    sweep_sqlite_leftovers,
)
from .events import AliasBinding, Verify
from .exceptions import ConfigurationException, WorkerStartException
from .interrupts import SETTING_UP, STOPPING, TESTS, InterruptGuard, stop_registered_results
from .keepdb_lock import KeptDatabasesLock
from .ledger import Ledger
from .leftovers import sweep_ledgers
from .mysql_clones import check_mysql_permissions, sweep_mysql_leftovers
from .orderchecks import OrderChecks
from .planning import (
    Shard,
    assign_units,
    estimate_units,
    plan_shares,
    plan_units,
    preload_modules,
    select_shard,
    shard_from_ci,
    split_long_units,
    summarize_shares,
)
from .pool import WorkerPool
from .preflight import check_before_databases
from .reports import ReportSession, RunInfo
from .safety import production_reason, refuse_real_names, remember_configured_debug
from .suite import ConcurrentSuite, with_replay_formatting
from .templates import TemplateCache, restore_names
from .timings import TimingStore, default_path, shard_path
from .worker import WorkerSpec, peak_rss_mb

PREFIX = "[CONCURRENT]"
SECURITY_FAILURE = "Concurrent testing not allowed in production"
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
    shares: list = field(default_factory=list)  # each worker's expected units
    splits: list = field(default_factory=list)  # long classes cut into pieces (Split)
    dispatch_shares: bool = False  # the shares are the dispatch plan (else: dealt in order)


class ConcurrentTestRunner(DiscoverRunner):
    """A drop-in ``TEST_RUNNER`` that runs test classes in parallel spawn workers."""

    pool_class = WorkerPool
    clone_set_class = CloneSet

    def __init__(self, **kwargs) -> None:
        explicit = {name: kwargs.pop(name, None) for name in config_module.OPTIONS_BY_NAME}
        self.config = config_module.resolve(explicit)
        check_before_databases(self.config, os.environ)
        super().__init__(**kwargs)
        # Django's own --parallel machinery must stay off: the workers are ours.
        self.parallel = 1
        # Created now so that an unwritable report path fails before any database exists.
        self.reporting = ReportSession(self.config, verbosity=self.verbosity)
        self._groups: list[DatabaseGroup] = []
        self._protected_names: set[str] = set()
        self._run_timed_out = False
        self._reports_written = self._not_run_reported = False
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
            group.add_argument(
                option.flag,
                dest=option.name,
                default=None,
                action=argparse.BooleanOptionalAction if boolean else "store",
                help=f"{option.help} (env {option.env}; default: {option.default})".replace(
                    "%", "%%"
                ),
            )

    @property
    def prometheus_metrics(self):
        """The run's metrics; ``get_metrics_summary()`` returns them as a dict."""
        return self.reporting.metrics

    def get_resultclass(self):
        """Django's result class with the reporting mixins in front of it."""
        base = super().get_resultclass() or unittest.TextTestResult
        mixins = tuple(m for m in self.reporting.result_mixins() if not issubclass(base, m))
        return type(base.__name__, (*mixins, base), {}) if mixins else base

    @cached_property
    def worker_count(self) -> int:
        """Requested workers; ``auto`` is the usable CPUs, or more where tests wait.

        See ``cpus.auto_workers``: the last run's machine load says how many CPUs one
        worker keeps busy, and the timing store how many workers the longest unit
        leaves useful.
        """
        workers = self.config.workers
        if workers != "auto":
            return int(workers)
        estimates = self.timing_store.unit_estimates().values()
        longest = max(estimates, default=0.0)
        useful = math.ceil(sum(estimates) / longest) if longest > 0 else None
        return auto_workers(self.cpus, self.timing_store.busy_per_worker(), useful)

    @cached_property
    def cpus(self) -> int:
        """The CPUs this process may use (affinity and cgroup quota)."""
        return available_cpus()

    def announce(self, message: str) -> None:
        """Print one ``[CONCURRENT]`` line, flushed so it is seen while tests run."""
        self.log(f"{PREFIX} {message}")
        sys.stdout.flush()

    # -- databases ----------------------------------------------------------------------

    def build_suite(self, *args, **kwargs):
        """Django's discovery, cut to this shard; kept so workers start before migrations."""
        suite = super().build_suite(*args, **kwargs)
        shard = self.shard
        if shard is not None:
            suite = self._cut_to_shard(suite, shard)
        self._suite = suite
        return suite

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

    def setup_databases(self, **kwargs):
        """Start the workers, then run Django's set-up (migrations) while they boot."""
        self._protected_names = {
            str(db["NAME"]) for db in settings.DATABASES.values() if db.get("NAME")
        }
        test_databases, mirrors = get_unique_databases_and_mirrors(kwargs.get("aliases"))
        self._groups = []
        test_names = {}
        for _name, aliases in test_databases.values():
            mirrored = sorted(alias for alias, target in mirrors.items() if target in aliases)
            primary = min(aliases)
            test_names[primary] = connections[primary].creation._get_test_db_name()
            group = DatabaseGroup(tuple(sorted(aliases)) + tuple(mirrored), test_names[primary])
            self._groups.append(group)
        refuse_real_names(test_names, self._protected_names)
        if self.keepdb:  # kept databases have fixed names: one run at a time uses them
            self._kept_lock = KeptDatabasesLock(
                self._groups, self.template_cache.directory, self.announce
            )
            self._kept_lock.acquire()
        if getattr(self, "_suite", None) is not None:
            self._plan = self.plan(self._suite)
        concurrent = getattr(self, "_plan", None) and not self._plan.fallback_reason
        if concurrent or not self.keepdb:
            self.check_permissions()
        if concurrent:
            self._start_pool(self._plan.workers)
            self._preload(self._plan)
        else:
            self._close_pool(grace=0)  # booted early for nothing: this run is sequential
        try:
            if concurrent and self.config.template_cache and not self.keepdb:
                # Workers only ever see clones, so the migrated database can stay as a
                # template for the next run instead of being migrated again.
                self._template_restore = self.template_cache.setup(
                    self._groups, kwargs.get("serialized_aliases") or set(), self._protected_names
                )
                return None
            return self._setup_test_databases(**kwargs)
        except BaseException:
            self._close_pool()
            raise

    def teardown_test_environment(self, **kwargs):
        """Django's; then the next ``--keepdb`` run may have the kept databases."""
        try:
            super().teardown_test_environment(**kwargs)
        finally:
            lock, self._kept_lock = getattr(self, "_kept_lock", None), None
            if lock is not None:
                lock.release()

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

    def _preload(self, plan: RunPlan) -> None:
        """Send each worker the modules to import while its databases are being cloned."""
        self._pool.preload(*preload_modules(list(sys.modules), plan.tests, __package__))

    @cached_property
    def template_cache(self) -> TemplateCache:
        """Where migrated templates are kept between runs (beside the timing store)."""
        directory = Path(self.config.timings_file or default_path()).parent
        return TemplateCache(directory, self.verbosity, self.announce, self.ledger, self.warn)

    @cached_property
    def ledger(self) -> Ledger:
        """This run's intent ledger (beside the timing store): what it creates, written first."""
        return Ledger(Path(self.config.timings_file or default_path()).parent, self.warn)

    def warn(self, message: str) -> None:
        """One ``[CONCURRENT]`` warning line on stderr."""
        sys.stderr.write(f"{PREFIX} {message}\n")
        sys.stderr.flush()

    def teardown_databases(self, old_config, **kwargs):
        """Make sure no worker outlives the run, then Django's teardown (or keep templates)."""
        self._set_phase(STOPPING)  # a signal now must not cut the cleanup short
        self._close_pool()
        restore = getattr(self, "_template_restore", None)
        if restore is None:
            return super().teardown_databases(old_config, **kwargs)
        self._template_restore = None
        if getattr(self, "_ran_on_templates", False):
            self.template_cache.invalidate(self._groups)
        restore_names(restore)
        return None

    # -- running ------------------------------------------------------------------------

    def plan(self, suite) -> RunPlan:
        """Units in Django's order, each worker's share, or the reason to run sequentially.

        With timings, shares are balanced longest-first and each runs in Django's order
        (``plan_shares``); without them, or with --reverse/--shuffle, units are dealt in
        Django's order to whichever worker is free, as Django's ``--parallel`` does.
        """
        tests, units, estimates = self._units_of(suite)
        splits = []
        timed = False
        if not (self.reverse or getattr(self, "shuffle", False)):
            known = self.timing_store.unit_estimates()
            timed = any(unit.timing_key in known for unit in units)
            tested = self.timing_store.test_estimates()
            units, estimates, splits = split_long_units(
                units, tests, estimates, tested, self.worker_count
            )
        workers = min(self.worker_count, len(units))  # pieces of split classes count
        reason = self.fallback_reason(len(units))
        planner = plan_shares if timed else assign_units
        shares = planner(units, estimates, workers) if workers > 0 else []
        return RunPlan(suite, tests, units, workers, reason, estimates, shares, splits, timed)

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
        return TimingStore.load(path)

    def run_suite(self, suite, **kwargs):
        """Run the suite in workers, or sequentially when concurrency is impossible.

        Reports are written in ``finally``, so an interrupted run still leaves them.
        """
        plan = getattr(self, "_plan", None)
        if plan is None or plan.suite is not suite:
            plan = self.plan(suite)
        with ExitStack() as stack:
            guard = getattr(self, "_guard", None)
            if guard is None:  # called on its own, not from run_tests
                guard = self._guard = stack.enter_context(
                    InterruptGuard(on_first=self._stop_on_interrupt)
                )
                stack.callback(setattr, self, "_guard", None)
            try:
                if plan.fallback_reason:
                    result = self.run_sequentially(suite, plan.fallback_reason)
                else:
                    result = self._run_concurrently(plan)
                self._set_phase(STOPPING)
                if guard.exit_status is not None or self._run_timed_out:
                    # 124 is what timeout(1) returns when its command ran out of time.
                    self.interrupted_status = guard.exit_status or RUN_TIMEOUT_STATUS
                    self._report_not_run(len(plan.tests), result.testsRun)
                return result
            finally:
                self._set_phase(STOPPING)
                self._close_pool()
                self._finish_reports()

    def _finish_reports(self) -> None:
        if not self._reports_written:
            self._reports_written = True
            self.reporting.finish()

    def _report_not_run(self, total: int | None, ran: int) -> None:
        """Print the INTERRUPTED line (once), to standard error."""
        if self._not_run_reported:
            return
        self._not_run_reported = True
        if total is None:
            sys.stderr.write("INTERRUPTED: during test discovery; no test was run\n")
        else:
            sys.stderr.write(f"INTERRUPTED: {total - ran} of {total} tests not run\n")
        sys.stderr.flush()

    def run_tests(self, test_labels, **kwargs):
        """Django's run_tests; after an interrupt, exit with 128 + the signal number.

        One InterruptGuard covers every phase, from discovery to teardown (see
        ``interrupts``): a signal while setting up stops at once, and what was made
        so far is removed by the ``except``/``finally`` blocks on the way out.
        """
        self.interrupted_status = None
        self.flaky = []
        self._reports_written = self._not_run_reported = False
        with InterruptGuard(on_first=self._stop_on_interrupt, phase=SETTING_UP) as guard:
            self._guard = guard
            try:
                failures = super().run_tests(test_labels, **kwargs)
            except KeyboardInterrupt:
                if guard.signum is None:
                    raise  # not a signal of ours: someone raised it
                self._set_phase(STOPPING)
                self._close_pool(grace=0)
                self._finish_reports()
                failures = 0
            finally:
                self._guard = None
        if guard.exit_status is not None and self.interrupted_status is None:
            self.interrupted_status = guard.exit_status
        if self.interrupted_status is not None:
            suite = getattr(self, "_suite", None)
            total = None if suite is None else suite.countTestCases()
            self._report_not_run(total, self.reporting.recorder.done)
            sys.exit(self.interrupted_status)
        if self.config.fail_on_flaky:
            failures += len(self.flaky)
        # A report CI waits for is missing: the run must not look green.
        return failures + len(self.reporting.unwritten)

    def _stop_on_interrupt(self) -> None:
        stop_registered_results()
        pool = getattr(self, "_pool", None)
        if pool is not None:
            pool.abort()
            # Workers are stopped at once: a second signal has nothing left to hurry.
            self._set_phase(STOPPING)

    def _set_phase(self, phase: str) -> None:
        """Tell the run's InterruptGuard what a signal would interrupt now."""
        guard = getattr(self, "_guard", None)
        if guard is not None and guard.phase != STOPPING:  # stopping is for good
            guard.phase = phase

    def _deferring_interrupts(self):
        guard = getattr(self, "_guard", None)
        return guard.deferring() if guard is not None else nullcontext()

    def setup_test_environment(self, **kwargs):
        """Django's test environment; workers start booting now, during discovery."""
        super().setup_test_environment(**kwargs)
        guard = getattr(self, "_guard", None)
        if guard is not None:
            guard.reinstall()  # Django's unittest.installHandler() would swallow a Ctrl-C
        if self._may_run_concurrently():
            self._spawn_pool(self.worker_count)

    def _may_run_concurrently(self) -> bool:
        # Only the reasons known before discovery (units and databases are not yet);
        # setup_databases closes the pool if a later reason appears.
        return self.fallback_reason(unit_count=2, groups=()) is None

    def _spawn_pool(self, workers: int) -> None:
        self._pool = self.pool_class(
            [self.worker_spec(worker_id) for worker_id in range(1, workers + 1)],
            log=self.announce,
            test_timeout=self.config.timeout,
            run_timeout=self.config.run_timeout,
        )
        self._pool.start()

    def _start_pool(self, workers: int) -> None:
        if self.config.workers == "auto" and workers > self.cpus:
            busy = self.timing_store.busy_per_worker() or 0.0
            self.announce(
                f"auto: {workers} workers for {self.cpus} CPUs ({busy:.2f} busy per worker)"
            )
        self.announce(f"Starting production-grade concurrent test run with {workers} workers")
        if getattr(self, "_pool", None) is None:
            self._spawn_pool(workers)
        else:
            self._pool.shrink(workers)  # fewer units than workers started early

    def _close_pool(self, grace: float = 5.0) -> None:
        guard = getattr(self, "_guard", None)
        if guard is not None and guard.signum is not None:
            grace = 0  # interrupted: what the workers would finish is not wanted
        pool, self._pool = getattr(self, "_pool", None), None
        if pool is not None:
            self._run_timed_out = self._run_timed_out or pool.run_timed_out
            pool.close(grace)

    def _run_concurrently(self, plan: RunPlan):
        if getattr(self, "_pool", None) is None:
            self._start_pool(plan.workers)
        self.reporting.run_started(RunInfo("concurrent", plan.workers, len(plan.tests)))
        clone_set = self.clone_set_class(
            self._groups,
            range(1, plan.workers + 1),
            self._protected_names,
            keepdb=self.keepdb,
            max_retries=self.config.max_retries,
            retry_delay=self.config.retry_delay,
            log=self.announce if self.verbosity >= 2 else None,
            ledger=self.ledger,
            warn=self.warn,
        )
        try:
            caching = " with template caching" if getattr(self, "_template_restore", None) else ""
            self.announce(f"Setting up {len(clone_set.clones)} test databases{caching}")
            started = time.time()
            with self._deferring_interrupts():  # clones made in threads must all be dropped
                self.sweep_leftovers()
                clone_set.create()
            self.reporting.phase("database setup", started, time.time())
            self.announce(f"Successfully setup {len(clone_set.clones)} databases")
            self.announce("Verifying database isolation")
            orders = {w: self.worker_order(clone_set, w) for w in range(1, plan.workers + 1)}
            self._pool.reset_databases = clone_set.recreate
            try:
                self._pool.verify(orders)
            except WorkerStartException as error:
                self._close_pool()
                clone_set.drop()
                return self.run_sequentially(plan.suite, f"a worker could not start: {error}")
            for worker_id, (spawned, ready) in self._pool.startup_spans.items():
                self.reporting.phase("worker start", spawned, ready, worker_id)
            for s in plan.splits:
                self.announce(
                    f"Split {s.key} into {s.pieces} units: {s.seconds:.2f}s, fixtures {s.fixture_seconds:.2f}s"
                )
            for number, share in enumerate(summarize_shares(plan.shares, plan.estimates)):
                self.announce(
                    f"Chunk {number}: {share.tests} tests, estimated time: {share.seconds:.2f}s"
                )
            return self._run_in_pool(self._pool, plan)
        finally:
            self._close_pool()
            clone_set.drop()

    def _run_in_pool(self, pool, plan: RunPlan):
        kwargs = self.get_test_runner_kwargs()
        kwargs["resultclass"] = with_replay_formatting(kwargs.get("resultclass"))
        runner = self.test_runner(**kwargs)
        suite = ConcurrentSuite(
            pool,
            plan.tests,
            plan.units,
            reruns=self.config.rerun_failures,
            shares=plan.shares if plan.dispatch_shares else None,
            estimates=plan.estimates,
            order_checks=self.order_checks(pool, plan.tests),
        )
        busy_before, started = busy_cpu_seconds(), time.monotonic()
        self._set_phase(TESTS)
        try:
            result = runner.run(suite)
            self._record_load(len(pool.specs), busy_before, time.monotonic() - started)
        finally:
            self.save_timings(suite)
            upkeep = pool.connection_upkeep.values()
            self.reporting.connection_upkeep(sum(r for r, _ in upkeep), sum(b for _, b in upkeep))
            self.reporting.memory(max(pool.peak_rss_mb.values(), default=0.0), peak_rss_mb())
            self.reporting.scheduling(pool.scheduling_efficiency())
            shuffler = getattr(self, "_shuffler", None)
            if shuffler is not None:
                self.log(f"Used shuffle seed: {shuffler.seed_display}")
        self.flaky = suite.flaky
        if suite.flaky:
            sys.stderr.write(f"Flaky: {len(suite.flaky)}\n")
            for test_id in suite.flaky:
                sys.stderr.write(f"  {test_id} (failed, then passed on a rerun)\n")
        return result

    def order_checks(self, pool, tests) -> OrderChecks | None:
        """What checks failed tests for order dependence after the run (None: off)."""
        if not self.config.order_check_limit:
            return None
        return OrderChecks(
            pool,
            tests,
            limit=self.config.order_check_limit,
            budget=self.config.order_check_budget,
            strict=self.config.strict_order,
            log=self.announce,
            report=self.reporting.order_check,
        )

    def _record_load(self, workers: int, busy_before: float | None, seconds: float) -> None:
        """Remember how many CPUs the machine kept busy while the tests ran (for auto)."""
        busy_after = busy_cpu_seconds()
        # A very short run says little about the suite; keep the earlier figure.
        if busy_before is not None and busy_after is not None and seconds >= MIN_LOAD_SECONDS:
            self.timing_store.record_load(workers, (busy_after - busy_before) / seconds)

    def save_timings(self, suite: ConcurrentSuite) -> None:
        """Store this run's durations for the next plan; a failure to write only warns.

        A shard writes them (and its load figure) to its own file beside the store, so
        that the store every shard splits from stays as it was (see ``shard_path``).
        """
        store = self.timing_store
        store.record(suite.unit_durations(), suite.test_durations, suite.module_import_seconds())
        shard = self.shard
        target = store.path if shard is None else shard_path(store.path, shard.index, shard.total)
        try:
            store.save(target)
        except OSError as error:
            warnings.warn(f"Could not save the timing store {target}: {error}", stacklevel=2)
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
                self.ledger.folder.parent, connections[group.primary], self.announce, self.warn
            )
        vendors = {group.vendor for group in self._groups}
        if "sqlite" in vendors:
            sweep_sqlite_leftovers(self.announce)
        for group in self._groups:
            if group.vendor == "postgresql":
                sweep_postgres_leftovers(group.primary, self.announce)
                break  # one query sees every database on the server
        for group in self._groups:
            if group.vendor == "mysql":
                sweep_mysql_leftovers(group.primary, self.announce)
                break

    def check_permissions(self) -> None:
        """Fail before anything is created if the database user cannot create databases."""
        for group in self._groups:
            if group.vendor == "postgresql":
                check_postgres_permissions(group.primary)
            elif group.vendor == "mysql":
                check_mysql_permissions(group.primary, group.test_name)

    def fallback_reason(self, unit_count: int, groups=None) -> str | None:
        """Why this run cannot be concurrent, or None when it can.

        ``groups`` are the test databases to clone (default: this run's).
        """
        production = production_reason(settings, allow=self.config.allow_production)
        if production:
            return f"{SECURITY_FAILURE}; the environment looks like production ({production})"
        if getattr(self, "pdb", False):
            return "--pdb needs the tests in this process"
        if self.worker_count < 2:
            return "1 worker requested"
        if unit_count < 2:
            return f"{unit_count} test class(es) to run, nothing to distribute"
        if not os.environ.get("DJANGO_SETTINGS_MODULE"):
            return "settings were configured in code; spawn workers need DJANGO_SETTINGS_MODULE"
        for group in self._groups if groups is None else groups:
            if group.vendor not in CLONABLE_VENDORS:
                return (
                    f"database backend {group.vendor!r} (alias {group.primary!r}) cannot be "
                    f"cloned; supported: {', '.join(CLONABLE_VENDORS)}"
                )
        return None

    def run_sequentially(self, suite, reason: str):
        """Django's own in-process run, after the worker hook, with the reason printed."""
        # Tests running here write to the templates: they must be rebuilt next time.
        self._ran_on_templates = getattr(self, "_template_restore", None) is not None
        if reason.startswith(SECURITY_FAILURE):
            self.announce(f"Security check failed: {SECURITY_FAILURE}")
        self.announce(f"Falling back to sequential testing: {reason}")
        self.reporting.run_started(
            RunInfo("sequential", 1, suite.countTestCases(), fallback_reason=reason)
        )
        self.call_worker_setup(0)
        self._set_phase(TESTS)
        return super().run_suite(suite)

    def call_worker_setup(self, worker_id: int) -> None:
        """Run the project's worker hook (workers call it themselves after spawn)."""
        if self.config.worker_setup:
            import_string(self.config.worker_setup)(worker_id)

    def worker_spec(self, worker_id: int) -> WorkerSpec:
        """What worker ``worker_id`` needs to boot (its databases come later)."""
        return WorkerSpec(
            worker_id=worker_id,
            settings_module=os.environ["DJANGO_SETTINGS_MODULE"],
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
        )

    def worker_order(self, clone_set: CloneSet, worker_id: int) -> Verify:
        """The message binding every alias of worker ``worker_id`` to its own clones."""
        bindings = []
        serialized = {}
        for clone in clone_set.for_worker(worker_id):
            source = connections[clone.group.primary].settings_dict
            test_settings = {**source.get("TEST", {}), "NAME": clone.name}
            for alias in clone.group.aliases:
                bindings.append(
                    AliasBinding(
                        alias,
                        clone.group.vendor,
                        {**source, "NAME": clone.name, "TEST": test_settings},
                        clone.identity,
                    )
                )
                contents = getattr(connections[alias], "_test_serialized_contents", None)
                if contents is not None:
                    serialized[alias] = contents
        return Verify(tuple(bindings), serialized)
