"""Point a worker's aliases at its own clones and prove what each alias is connected to."""

from __future__ import annotations

import os

from ..events import Verify


def bind_databases(order: Verify) -> None:
    """Make this worker what Django's spawn worker is once bound: its clones, marks, checks.

    Django's ``_init_worker`` (README "What a worker does before its first test"), after
    ``django.setup()`` and ``setup_test_environment``: the worker's number, each alias's
    settings and serialized contents, ``setup_worker_connection`` (here: our own clone),
    the backend's marks and, as Django 6 does, the system checks.
    """
    if order.worker_id:
        import django.test.runner

        # Django's _init_worker sets it; projects read it to give each worker its own
        # resources (ports, folders, cache keys).
        django.test.runner._worker_id = order.worker_id
    _point_at_clones(order)
    aliases = list(dict.fromkeys(binding.alias for binding in order.bindings))
    mark_backend_skips(aliases)


def _point_at_clones(order: Verify) -> None:
    """Point every alias at this worker's clone before anything connects.

    In place, as ``setup_worker_connection`` does: a thread a test starts (a live
    server's) makes its own connection from these settings.
    """
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
    statements = {b.alias: b.setup_statements for b in order.bindings if b.setup_statements}
    if statements:
        from django.db.backends.signals import connection_created

        connection_created.connect(_set_up_connection(statements), weak=False)


def mark_backend_skips(aliases) -> None:
    """Skip, or expect to fail, the tests each alias's backend names, as Django does.

    Django does it only while it runs its own test suite (``RUNNING_DJANGOS_TEST_SUITE``
    is "true"), from ``connection.features.django_test_skips`` and
    ``django_test_expected_failures``: in ``create_test_db`` in the parent, and in each
    spawn worker for every alias the run uses (Django 6; 4.2 and 5.2 only on SQLite, in
    ``setup_worker_connection``, so their spawn workers miss the marks of the others).
    A backend whose features ask its server (MySQL's) connects here, to the clone.
    """
    if os.environ.get("RUNNING_DJANGOS_TEST_SUITE") != "true":
        return
    from django.db import connections

    for alias in aliases:
        connections[alias].creation.mark_expected_failures_and_skips()


def _set_up_connection(statements: dict[str, tuple[str, ...]]):
    """A receiver that runs each alias's set-up statements on its every new connection.

    The parent's backend chooses them (SQLite clones: no fsync, no on-disk journal, as
    durability buys nothing for a clone that lives as long as the run).
    """

    def receiver(sender, connection, **kwargs):
        # On the raw connection: these are not the tests' queries, so not counted.
        cursor = connection.connection.cursor()
        try:
            for statement in statements.get(connection.alias, ()):
                cursor.execute(statement)
        finally:
            cursor.close()

    return receiver


def verify_bindings(bindings) -> tuple[str | None, dict[str, str]]:
    """Connect every alias and compare what it sees with the clone it was given."""
    from django.db import connections

    identities = {}
    for binding in bindings:
        identity = database_identity(connections[binding.alias], binding)
        identities[binding.alias] = identity
        if identity != binding.expected_identity:
            return (
                f"alias {binding.alias!r} is connected to {identity!r}, "
                f"not to its own clone {binding.expected_identity!r}"
            ), identities
    return None, identities


def database_identity(connection, binding) -> str:
    """What a connection is really attached to: a database name or a file path."""
    with connection.cursor() as cursor:
        cursor.execute(binding.identity_sql)
        identity = cursor.fetchone()[0]
    if binding.identity_is_path:
        return os.path.realpath(identity or ":memory:")
    return identity
