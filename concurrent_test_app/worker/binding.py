"""Point a worker's aliases at its own clones and prove what each alias is connected to."""

from __future__ import annotations

import os

from ..events import Verify


def bind_databases(order: Verify) -> None:
    """Point every alias at this worker's clone before anything connects."""
    from django.conf import settings
    from django.db import connections

    for binding in order.bindings:
        connection = connections[binding.alias]
        connection.close()
        connection.settings_dict.update(binding.settings)
        settings.DATABASES[binding.alias].update(binding.settings)
        contents = order.serialized_contents.get(binding.alias)
        if contents is not None:
            connection._test_serialized_contents = contents
    clone_aliases = {b.alias for b in order.bindings if b.vendor == "sqlite"}
    if clone_aliases:
        from django.db.backends.signals import connection_created

        connection_created.connect(_fast_sqlite(clone_aliases), weak=False)


def _fast_sqlite(aliases: set[str]):
    """A receiver that turns off fsync and the on-disk journal for our SQLite clones.

    A clone lives as long as the run and is rebuilt if its worker dies, so durability
    buys nothing; without it a file clone is about as fast as Django's in-memory test
    database (TransactionTestCase commits after every statement).
    """

    def receiver(sender, connection, **kwargs):
        if connection.alias in aliases and connection.vendor == "sqlite":
            # On the raw connection: these are not the tests' queries, so not counted.
            connection.connection.execute("PRAGMA synchronous = OFF")
            connection.connection.execute("PRAGMA journal_mode = MEMORY")

    return receiver


def verify_bindings(bindings) -> tuple[str | None, dict[str, str]]:
    """Connect every alias and compare what it sees with the clone it was given."""
    from django.db import connections

    identities = {}
    for binding in bindings:
        identity = database_identity(connections[binding.alias], binding.vendor)
        identities[binding.alias] = identity
        if identity != binding.expected_identity:
            return (
                f"alias {binding.alias!r} is connected to {identity!r}, "
                f"not to its own clone {binding.expected_identity!r}"
            ), identities
    return None, identities


def database_identity(connection, vendor: str) -> str:
    """What a connection is really attached to: a database name or a file path."""
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SELECT current_database()")
            return cursor.fetchone()[0]
        if vendor == "mysql":
            cursor.execute("SELECT DATABASE()")
            return cursor.fetchone()[0]
        if vendor == "sqlite":
            cursor.execute("PRAGMA database_list")
            files = {row[1]: row[2] for row in cursor.fetchall()}
            return os.path.realpath(files.get("main") or ":memory:")
    raise ValueError(f"no identity check for backend {vendor!r}")
