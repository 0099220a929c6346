"""Errors raised after a test's own outcome: tearDown, Django's flush, tearDownClass.

A flush that fails runs in Django's ``_post_teardown``, after unittest's ``stopTest``:
the console prints ``ok`` and then ``ERROR`` for the same test and counts the error.
The flush is made to fail the way a lost connection makes it fail: on PostgreSQL the
test's tearDown terminates its own backend; on SQLite (whose in-memory test database
would vanish with its connection) a temporary trigger makes the flush's DELETE raise.
A test that loses its connection in its body errors twice, as after a server restart.
PostgreSQL and SQLite only.
"""

from __future__ import annotations

from django.db import Error, connection
from django.test import SimpleTestCase, TransactionTestCase
from library.models import Genre

FLUSH_TRIGGER = "concurrent_test_flush_fails"


class TearDownErrorTests(SimpleTestCase):
    def tearDown(self):
        super().tearDown()
        raise RuntimeError(f"TEARDOWN-MARKER after {self._testMethodName}")

    def test_passes_then_teardown_raises(self):
        self.assertTrue(True)

    def test_fails_then_teardown_raises(self):
        self.assertEqual(1, 2, "FAIL-BEFORE-TEARDOWN-MARKER")

    def test_errors_then_teardown_raises(self):
        raise ValueError("ERROR-BEFORE-TEARDOWN-MARKER")


class FlushFailsTests(TransactionTestCase):
    def tearDown(self):
        super().tearDown()
        _lose_connection()

    @classmethod
    def tearDownClass(cls):
        _restore_connection()
        super().tearDownClass()

    def test_passes_then_flush_fails(self):
        Genre.objects.create(name="FLUSH-FAILS")
        self.assertEqual(Genre.objects.filter(name="FLUSH-FAILS").count(), 1)


class ConnectionLostInTestTests(FlushFailsTests):
    """As after a server restart mid-test: the test errors, and so does its flush."""

    test_passes_then_flush_fails = None

    def test_loses_connection_then_flush_fails(self):
        Genre.objects.create(name="LOST")
        _lose_connection()
        Genre.objects.filter(name="LOST").delete()  # raises: the session is gone


class TearDownClassErrorTests(SimpleTestCase):
    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        raise RuntimeError("TEARDOWNCLASS-AFTER-PASS-MARKER")

    def test_passes(self):
        self.assertTrue(True)


class HealthyAfterwardsTests(TransactionTestCase):
    def test_database_still_works(self):
        Genre.objects.create(name="AFTERWARDS")
        self.assertEqual(Genre.objects.filter(name="AFTERWARDS").count(), 1)


def _lose_connection() -> None:
    """Make the coming flush fail as it does after the server dropped the session."""
    if connection.vendor == "postgresql":
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        except Error:
            pass  # the session is gone (or was already), which is the point
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TRIGGER IF NOT EXISTS {FLUSH_TRIGGER} BEFORE DELETE ON library_genre "
                "BEGIN SELECT RAISE(ABORT, 'FLUSH-FAILS-MARKER: connection lost'); END"
            )
    else:
        raise NotImplementedError(f"no way to lose a {connection.vendor} connection here")


def _restore_connection() -> None:
    """Leave a working connection to the tests that follow."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS temp.{FLUSH_TRIGGER}")
    else:
        connection.close()  # a dead session is replaced on the next query
