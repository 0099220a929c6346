"""Checks of the resolved configuration that need more than parsing, made before any database.

The option table parses each value on its own; here are the checks that look further:
the worker set-up hook must import, report and timing paths must be writable, and the
CI system's shard variables must make a shard. Each problem is one line naming where
the value came from, the value and what is accepted; all of them raise together.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .exceptions import ConfigurationException
from .reports.session import ReportSession, unwritable_reason

REPORT_OPTIONS = tuple(writer.option for writer in ReportSession.writers)
# The variable pairs shard_from_ci reads, in its order.
SHARD_VARIABLES = (
    ("DJANGO_TEST_SHARD_INDEX", "DJANGO_TEST_SHARD_TOTAL"),
    ("CI_NODE_INDEX", "CI_NODE_TOTAL"),
)


def check_before_databases(config, environ: Mapping[str, str]) -> None:
    """Raise ConfigurationException (exit 2) listing every problem found; no database is touched."""
    problems = [
        *worker_setup_problems(config),
        *path_problems(config),
        *shard_variable_problems(environ, explicit=config.shard is not None),
        *impact_problems(config),
    ]
    if problems:
        raise ConfigurationException("\n".join(problems))


def worker_setup_problems(config) -> list[str]:
    """The worker set-up hook imports and is callable (else every worker would fail to boot)."""
    path = config.worker_setup
    if not path:
        return []
    source = config.sources.get("worker_setup", "worker_setup")
    from django.utils.module_loading import import_string

    try:
        hook = import_string(path)
    except ImportError as error:
        return [f"{source}={path!r}: cannot import it: {error}"]
    except Exception as error:  # noqa: BLE001 - the project's module failed while importing
        return [f"{source}={path!r}: importing it raised {type(error).__name__}: {error}"]
    if not callable(hook):
        return [f"{source}={path!r}: expected a callable taking the worker id, found {hook!r}"]
    return []


def impact_problems(config) -> list[str]:
    """``--record-impact`` has coverage.py to itself; ``--changed`` has git and its commit."""
    problems = []
    if config.record_impact:
        source = config.sources.get("record_impact", "record_impact")
        try:
            import coverage
        except ImportError:
            missing = "recording needs coverage.py, which is not installed"
            return [f"{source}=True: {missing} (pip install 'django-concurrent-runner[impact]')"]
        if coverage.Coverage.current() is not None:
            problems.append(
                f"{source}=True: this process is already measured by coverage.py "
                "(coverage run); record without it"
            )
    if config.changed:
        from .impact.changes import GitProblem, commit_of, work_tree

        source = config.sources.get("changed", "changed")
        try:
            commit_of(work_tree(Path.cwd()), config.changed)
        except GitProblem as problem:
            hint = ""
            if source == "--changed" and "." in config.changed:
                # argparse gives the flag the next word: a test label, after a bare --changed.
                hint = " (a test label right after --changed is read as the ref: "
                hint += "write --changed HEAD LABEL, or the labels first)"
            problems.append(
                f"{source}={config.changed!r}: expected a git ref of the work tree "
                f"holding {Path.cwd()}: {problem}{hint}"
            )
    return problems


def path_problems(config) -> list[str]:
    """Every report path and a timing store given by the user must be writable where it is.

    No folder is made for them; only the default store's folder, ``.concurrent_test/``,
    is ours to create.
    """
    problems = []
    for option in (*REPORT_OPTIONS, "timings_file"):
        path = getattr(config, option, None)
        reason = unwritable_reason(path) if path else None
        if reason:
            source = config.sources.get(option, option)
            problems.append(f"{source}={path!r}: cannot write there: {reason}")
    return problems


def shard_variable_problems(environ: Mapping[str, str], explicit: bool = False) -> list[str]:
    """The shard variables make a shard I of N; ours are checked even when --shard wins."""
    (index_name, total_name), (ci_index_name, ci_total_name) = SHARD_VARIABLES
    index, total = environ.get(index_name, ""), environ.get(total_name, "")
    if bool(index) != bool(total):
        given, missing = (index_name, total_name) if index else (total_name, index_name)
        return [f"{given}={environ[given]!r}: expected {missing} to be set too (shard I of N)"]
    if index:
        return _shard_pair_problems(index_name, index, total_name, total)
    ci_index, ci_total = environ.get(ci_index_name, ""), environ.get(ci_total_name, "")
    if explicit or not (ci_index and ci_total):
        return []  # --shard wins over the CI system's pair, which is only read in full
    return _shard_pair_problems(ci_index_name, ci_index, ci_total_name, ci_total)


def _shard_pair_problems(index_name: str, index: str, total_name: str, total: str) -> list[str]:
    problems = [
        f"{name}={value!r}: expected a positive integer"
        for name, value in ((index_name, index), (total_name, total))
        if not _positive_integer(value)
    ]
    if not problems and int(index) > int(total):
        problems.append(f"{index_name}={index!r}: expected 1 to {total_name}={total!r}")
    return problems


def _positive_integer(text: str) -> bool:
    try:
        return int(text.strip()) >= 1
    except ValueError:
        return False
