"""Django's system checks in a worker, as a sequential process runs them before its tests.

Django's ``run_tests`` runs the checks after setting the databases up and before the
first test, and they leave state behind that tests see: the root URLconf imported and
its resolver built with the settings of that moment, template engines, model checks.
A spawned worker would otherwise build these lazily, in whichever test first needs them,
possibly under a test's ``override_settings``.

Two steps, so that the expensive one overlaps the parent's cloning: every check without
databases while the worker preloads (the database-tagged ones do nothing then), and the
database-tagged checks once the worker's aliases point at its clones. What the second
step leaves out (the database-specific parts of the model checks) reads only the
backends' cached features, which hold the same values whenever they are first read; an
error there would already have stopped the parent's identical checks.
"""

from __future__ import annotations

import io

FAILED_HERE = "Django's system checks failed in this worker although they passed in the parent"


def run_checks_without_databases() -> str | None:
    """Every system check as ``check`` runs it without databases; a failure's message or None."""
    return _check(databases=None, tags=None)


def run_database_checks(databases: tuple[str, ...]) -> str | None:
    """The database-tagged checks for ``databases``; a failure's message or None."""
    if not databases:
        return None
    return _check(databases=list(databases), tags=["database"])


def _check(databases: list[str] | None, tags: list[str] | None) -> str | None:
    # Through the check command, as DiscoverRunner.run_checks does, so that what the
    # command loads on the way (the command registry, its module) is loaded here too.
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    output = io.StringIO()  # the parent printed its own results already
    options = {"databases": databases, "stdout": output, "stderr": output, "verbosity": 0}
    if tags:
        options["tags"] = tags
    try:
        call_command("check", **options)
    except SystemCheckError as error:
        return f"{FAILED_HERE}: {str(error).strip()}"
    except Exception as error:  # noqa: BLE001 - a check that raises is a failed start too
        import traceback

        formatted = "".join(traceback.format_exception(error)).strip()
        return f"{FAILED_HERE}: {type(error).__name__}: {error}\n{formatted}"
    return None
