"""The one configuration: an option table and a resolver with a single precedence order.

Each option resolves, first match wins:
    1. an explicit value (command-line flag or ``ConcurrentTestRunner(...)`` keyword),
    2. its ``DJANGO_TEST_*`` environment variable,
    3. its key in ``settings.CONCURRENT_TEST``,
    4. its default.
A bad value anywhere raises ConfigurationException naming the source, the value and what is
accepted, before any database is touched.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .exceptions import ConfigurationException

if TYPE_CHECKING:
    from .planning import Shard

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class _Invalid(ValueError):
    """Raised by a parser; the resolver adds the source and the accepted values."""


def parse_workers(value: Any) -> int | str:
    """A positive integer, or ``"auto"`` (the CPUs this process may use)."""
    if isinstance(value, str) and value.strip().lower() == "auto":
        return "auto"
    number = _integer(value)
    if number < 1:
        raise _Invalid
    return number


def parse_positive_float(value: Any) -> float:
    """A number greater than zero."""
    number = _number(value)
    if number <= 0:
        raise _Invalid
    return number


def parse_optional_positive_float(value: Any) -> float | None:
    """A number greater than zero, or None/empty for no limit."""
    if value is None or str(value).strip() == "":
        return None
    return parse_positive_float(value)


def parse_non_negative_float(value: Any) -> float:
    """A number of zero or more."""
    number = _number(value)
    if number < 0:
        raise _Invalid
    return number


def parse_positive_int(value: Any) -> int:
    """An integer of one or more."""
    number = _integer(value)
    if number < 1:
        raise _Invalid
    return number


def parse_non_negative_int(value: Any) -> int:
    """An integer of zero or more."""
    number = _integer(value)
    if number < 0:
        raise _Invalid
    return number


def parse_bool(value: Any) -> bool:
    """true/false/1/0/yes/no/on/off in any case, or a real bool."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Invalid


def parse_dotted_path(value: Any) -> str | None:
    """A dotted import path such as ``myproject.testing.configure_worker``, or empty."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if "." not in text or not all(part.isidentifier() for part in text.split(".")):
        raise _Invalid
    return text


def parse_path(value: Any) -> str | None:
    """A file path (not checked here: reports check writability before the run)."""
    if value is None or str(value).strip() == "":
        return None
    return str(value)


def parse_folder(value: Any) -> str | None:
    """An existing folder, or empty for none."""
    if value is None or str(value).strip() == "":
        return None
    if not os.path.isdir(str(value)):
        raise _Invalid
    return str(value)


def parse_git_ref(value: Any) -> str | None:
    """A git ref (commit, branch, tag, ``HEAD~2``), or empty for none; checked in git later."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if text.startswith("-") or any(char.isspace() or ord(char) < 32 for char in text):
        raise _Invalid
    return text


def parse_shard_option(value: Any):
    """``I/N`` with 1 ≤ I ≤ N (run shard I of N), or empty for no sharding."""
    from .planning import parse_shard

    if value is None or str(value).strip() == "":
        return None
    try:
        return parse_shard(str(value).strip())
    except ValueError:
        raise _Invalid from None


def parse_start_method(value: Any) -> str:
    """``spawn`` or ``forkserver`` (where the platform has it), in any case."""
    from .startmethods import available_start_methods

    text = str(value).strip().lower()
    if text not in available_start_methods():
        raise _Invalid
    return text


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise _Invalid
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise _Invalid from None


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise _Invalid
    try:
        number = float(str(value).strip()) if not isinstance(value, (int, float)) else float(value)
    except (ValueError, OverflowError):
        raise _Invalid from None
    # float() reads "nan" and "inf": a nan timeout compares false with everything, so
    # it would never stop a hang.
    if not math.isfinite(number):
        raise _Invalid
    return number


@dataclass(frozen=True)
class Option:
    """One knob: its name, flag, variable, settings key, parser, default and meaning."""

    name: str
    env: str
    parse: Callable[[Any], Any]
    default: Any
    accepted: str
    help: str
    const: Any = None  # the value of the flag given alone (``--changed``), if it may be

    @property
    def setting(self) -> str:
        """The key of this option in ``settings.CONCURRENT_TEST``."""
        return self.name.upper()

    @property
    def flag(self) -> str:
        """The command-line flag of this option."""
        return "--" + self.name.replace("_", "-")


OPTIONS: tuple[Option, ...] = (
    Option(
        "workers",
        "DJANGO_TEST_WORKERS",
        parse_workers,
        "auto",
        "a positive integer or 'auto'",
        "worker processes; 'auto' = CPUs this process may use",
    ),
    Option(
        "timeout",
        "DJANGO_TEST_TIMEOUT",
        parse_positive_float,
        300.0,
        "a number of seconds greater than 0",
        "seconds a single test may take",
    ),
    Option(
        "benchmark",
        "DJANGO_TEST_BENCHMARK",
        parse_bool,
        False,
        "true/false, 1/0, yes/no or on/off",
        "print the benchmark report",
    ),
    Option(
        "benchmark_json",
        "DJANGO_TEST_BENCHMARK_JSON",
        parse_path,
        None,
        "a file path",
        "write the benchmark figures as JSON to this file",
    ),
    Option(
        "junitxml",
        "DJANGO_TEST_JUNITXML",
        parse_path,
        None,
        "a file path",
        "write a JUnit XML report to this file",
    ),
    Option(
        "junit_annotate",
        "DJANGO_TEST_JUNIT_ANNOTATE",
        parse_bool,
        False,
        "true/false, 1/0, yes/no or on/off",
        "add file/line attributes to <testcase> for CI annotators",
    ),
    Option(
        "metrics_file",
        "DJANGO_TEST_METRICS_FILE",
        parse_path,
        None,
        "a file path",
        "write metrics in Prometheus text format to this file",
    ),
    Option(
        "timeline",
        "DJANGO_TEST_TIMELINE",
        parse_path,
        None,
        "a file path",
        "write an HTML timeline of the workers to this file",
    ),
    Option(
        "run_timeout",
        "DJANGO_TEST_RUN_TIMEOUT",
        parse_optional_positive_float,
        None,
        "a number of seconds greater than 0, or empty for no limit",
        "seconds the whole test phase may take; then the run stops like on Ctrl-C",
    ),
    Option(
        "max_operations",
        "DJANGO_TEST_MAX_OPERATIONS",
        parse_positive_int,
        1000,
        "a positive integer",
        "queries a worker connection serves before it is recycled",
    ),
    Option(
        "health_check_interval",
        "DJANGO_TEST_HEALTH_CHECK_INTERVAL",
        parse_positive_float,
        60.0,
        "a number of seconds greater than 0",
        "seconds a connection may idle before it is checked",
    ),
    Option(
        "max_retries",
        "DJANGO_TEST_MAX_RETRIES",
        parse_non_negative_int,
        3,
        "an integer of 0 or more",
        "retries of a transient database operation",
    ),
    Option(
        "retry_delay",
        "DJANGO_TEST_RETRY_DELAY",
        parse_non_negative_float,
        1.0,
        "a number of seconds of 0 or more",
        "seconds before the first retry, doubling after",
    ),
    Option(
        "template_cache",
        "DJANGO_TEST_TEMPLATE_CACHE",
        parse_bool,
        True,
        "true/false, 1/0, yes/no or on/off",
        "reuse the migrated template database",
    ),
    Option(
        "template_snapshots",
        "DJANGO_TEST_TEMPLATE_SNAPSHOTS",
        parse_bool,
        True,
        "true/false, 1/0, yes/no or on/off",
        "dump each new template into the cache folder and restore it where none exists",
    ),
    Option(
        "snapshot_tools",
        "DJANGO_TEST_SNAPSHOT_TOOLS",
        parse_folder,
        None,
        "an existing folder holding pg_dump and pg_restore (or mysqldump and mysql)",
        "the folder of the programs that dump and restore snapshots (default: searched)",
    ),
    Option(
        "timings_file",
        "DJANGO_TEST_TIMINGS_FILE",
        parse_path,
        None,
        "a file path",
        "timing store (default: .concurrent_test/timings.json beside manage.py)",
    ),
    Option(
        "rerun_failures",
        "DJANGO_TEST_RERUN_FAILURES",
        parse_non_negative_int,
        0,
        "an integer of 0 or more",
        "rerun a failing test up to N times; one that then passes is reported as flaky",
    ),
    Option(
        "fail_on_flaky",
        "DJANGO_TEST_FAIL_ON_FLAKY",
        parse_bool,
        False,
        "true/false, 1/0, yes/no or on/off",
        "make a flaky test (failed, then passed on a rerun) fail the run",
    ),
    Option(
        "order_check_limit",
        "DJANGO_TEST_ORDER_CHECK_LIMIT",
        parse_non_negative_int,
        20,
        "an integer of 0 or more",
        "rerun the failed tests of at most N units alone and search their polluters; 0: off",
    ),
    Option(
        "order_check_budget",
        "DJANGO_TEST_ORDER_CHECK_BUDGET",
        parse_positive_float,
        300.0,
        "a number of seconds greater than 0",
        "seconds the order checks of failed tests may take after the run",
    ),
    Option(
        "strict_order",
        "DJANGO_TEST_STRICT_ORDER",
        parse_bool,
        False,
        "true/false, 1/0, yes/no or on/off",
        "make every order-dependent test fail the run, whatever Django's order",
    ),
    Option(
        "shard",
        "DJANGO_TEST_SHARD",
        parse_shard_option,
        None,
        "I/N with 1 <= I <= N, e.g. 2/4",
        "run only shard I of N (balanced by the timing store); CI variables are read too",
    ),
    Option(
        "failed_first",
        "DJANGO_TEST_FAILED_FIRST",
        parse_bool,
        False,
        "true/false, 1/0, yes/no or on/off",
        "run the tests that failed or errored last time first, then the rest",
    ),
    Option(
        "last_failed",
        "DJANGO_TEST_LAST_FAILED",
        parse_bool,
        False,
        "true/false, 1/0, yes/no or on/off",
        "run only the tests that failed or errored last time (all, if none did)",
    ),
    Option(
        "record_impact",
        "DJANGO_TEST_RECORD_IMPACT",
        parse_bool,
        False,
        "true/false, 1/0, yes/no or on/off",
        "record which code each test executes, for --changed (needs coverage.py)",
    ),
    Option(
        "changed",
        "DJANGO_TEST_CHANGED",
        parse_git_ref,
        None,
        "a git ref, e.g. HEAD or main",
        "run only the tests a change since this git ref can affect (the flag alone: HEAD)",
        const="HEAD",
    ),
    Option(
        "allow_production",
        "DJANGO_TEST_ALLOW_PRODUCTION",
        parse_bool,
        False,
        "true/false, 1/0, yes/no or on/off",
        "run concurrently even where the environment looks like production",
    ),
    Option(
        "worker_setup",
        "DJANGO_TEST_WORKER_SETUP",
        parse_dotted_path,
        None,
        "a dotted path to a callable taking the worker id",
        "callable run in every worker after django.setup()",
    ),
    Option(
        "start_method",
        "DJANGO_TEST_START_METHOD",
        parse_start_method,
        "spawn",
        "'spawn' or 'forkserver'",
        "how workers start: spawn, or forked from one server that imported the tests once",
    ),
)
OPTIONS_BY_NAME = {option.name: option for option in OPTIONS}


@dataclass(frozen=True)
class Config:
    """The resolved configuration: one typed field per option; ``sources`` says where from.

    The fields are the option table's names in its order, with no defaults of their own:
    the table holds the defaults, and ``resolve()`` is the way to build one.
    """

    workers: int | str
    timeout: float
    benchmark: bool
    benchmark_json: str | None
    junitxml: str | None
    junit_annotate: bool
    metrics_file: str | None
    timeline: str | None
    run_timeout: float | None
    max_operations: int
    health_check_interval: float
    max_retries: int
    retry_delay: float
    template_cache: bool
    template_snapshots: bool
    snapshot_tools: str | None
    timings_file: str | None
    rerun_failures: int
    fail_on_flaky: bool
    order_check_limit: int
    order_check_budget: float
    strict_order: bool
    shard: Shard | None
    failed_first: bool
    last_failed: bool
    record_impact: bool
    changed: str | None
    allow_production: bool
    worker_setup: str | None
    start_method: str
    # Where each option's value came from: a flag, a variable, a settings key, "default".
    sources: Mapping[str, str]


def resolve(
    explicit: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    settings_dict: Mapping[str, Any] | None = None,
) -> Config:
    """Resolve every option by the module's precedence; raise ConfigurationException on bad input.

    Every source is checked, also a value another one overrides: a bad variable hidden
    by a flag would break the next run without the flag (and fail the system check).
    """
    explicit = explicit or {}
    environ = os.environ if environ is None else environ
    settings_dict = _settings_dict() if settings_dict is None else settings_dict
    problems = problems_in_sources(explicit, environ, settings_dict)
    if problems:
        raise ConfigurationException("\n".join(problems))
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for option in OPTIONS:
        raw, source = _pick(option, explicit, environ, settings_dict)
        values[option.name] = option.default if source == "default" else _parse(option, raw, source)
        sources[option.name] = source
    return Config(**values, sources=MappingProxyType(sources))


def problems_in_sources(explicit, environ, settings_dict) -> list[str]:
    """One line per bad value in any source (flag/keyword, environment, settings)."""
    try:
        _reject_unknown_keys(settings_dict)
    except ConfigurationException as error:
        return [str(error)]
    problems = []
    for option in OPTIONS:
        sources = []
        if explicit.get(option.name) is not None:
            sources.append((explicit[option.name], option.flag))
        if environ.get(option.env, "") != "":
            sources.append((environ[option.env], option.env))
        if option.setting in settings_dict:
            setting = f"settings.CONCURRENT_TEST[{option.setting!r}]"
            sources.append((settings_dict[option.setting], setting))
        for raw, source in sources:
            try:
                _parse(option, raw, source)
            except ConfigurationException as error:
                problems.append(str(error))
    return problems


def _pick(option: Option, explicit, environ, settings_dict) -> tuple[Any, str]:
    if explicit.get(option.name) is not None:
        return explicit[option.name], option.flag
    if environ.get(option.env, "") != "":
        return environ[option.env], option.env
    if option.setting in settings_dict:
        return settings_dict[option.setting], f"settings.CONCURRENT_TEST[{option.setting!r}]"
    return option.default, "default"


def _parse(option: Option, raw: Any, source: str) -> Any:
    try:
        return option.parse(raw)
    except _Invalid:
        raise ConfigurationException(f"{source}={raw!r}: expected {option.accepted}") from None


def _reject_unknown_keys(settings_dict: Mapping[str, Any]) -> None:
    if not isinstance(settings_dict, Mapping):
        raise ConfigurationException(f"settings.CONCURRENT_TEST={settings_dict!r}: expected a dict")
    known = {option.setting for option in OPTIONS}
    unknown = sorted(set(settings_dict) - known)
    if unknown:
        raise ConfigurationException(
            f"settings.CONCURRENT_TEST has unknown key {unknown[0]!r}: "
            f"expected one of {', '.join(sorted(known))}"
        )


def _settings_dict() -> Mapping[str, Any]:
    from django.conf import settings

    return getattr(settings, "CONCURRENT_TEST", None) or {}
