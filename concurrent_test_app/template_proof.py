"""Proof that a cached or restored template is what its fingerprint says, before cloning.

A marker (the SQLite sidecar file, PostgreSQL's comment) or a snapshot's description
only says what a template should be; the cache folder may have carried anything under
that name. Before a template is used it must open, pass a quick integrity check
(SQLite's ``PRAGMA quick_check``), and hold exactly the migrations the project's
current migration graph applies (its ``django_migrations`` rows). Otherwise the
caller discards it (it is ours: it carries our marker or was just restored by us)
and builds it again.
"""

from __future__ import annotations

from django.db import DatabaseError
from django.db.migrations.loader import MigrationLoader


def template_problem(connection, name: str) -> str | None:
    """Why the template ``name`` is not a sound template of ``connection``, or None."""
    configured = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        return _problem(connection)
    except DatabaseError as error:
        return f"it cannot be read ({_first_line(error)})"
    finally:
        connection.close()  # a PostgreSQL template cannot be copied while anyone is connected
        connection.settings_dict["NAME"] = configured


def _problem(connection) -> str | None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA quick_check")
            verdict = [str(row[0]) for row in cursor.fetchall()]
            if verdict != ["ok"]:
                return f"its integrity check failed ({'; '.join(verdict)[:200]})"
        if connection.settings_dict.get("TEST", {}).get("MIGRATE", True) is False:
            return None  # built without migrations: there is no history to compare
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return "it has no django_migrations table (not a migrated Django database)"
    return migrations_problem(MigrationLoader(connection))


def migrations_problem(loader) -> str | None:
    """How a database's applied migrations differ from the migration graph on disk, or None.

    ``loader``: Django's ``MigrationLoader`` on that database (or a fake with its
    ``graph.nodes``, ``applied_migrations`` and ``disk_migrations``). Squashed
    migrations count as Django counts them: the rows of the migrations they replace.
    """
    applied = set(loader.applied_migrations)
    missing = sorted(set(loader.graph.nodes) - applied)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(getattr(migration, "replaces", None) or ())
    unknown = sorted(applied - known)
    if not missing and not unknown:
        return None
    parts = []
    if missing:
        parts.append(f"{len(missing)} not applied, e.g. {'.'.join(missing[0])}")
    if unknown:
        parts.append(f"{len(unknown)} not in the project, e.g. {'.'.join(unknown[0])}")
    return "its applied migrations differ from the project's (" + "; ".join(parts) + ")"


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:200] if lines else type(error).__name__
