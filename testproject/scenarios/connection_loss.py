"""Each class ends by killing its own PostgreSQL session, as a server restart would.

The next unit in the same worker only passes if the runner replaces the dead
connection between units (DJANGO_TEST_HEALTH_CHECK_INTERVAL).
"""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.test import TransactionTestCase
from library.models import Genre


class _LosesItsConnection(TransactionTestCase):
    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        except DatabaseError:
            pass  # the session is gone, which is the point

    def test_query_works(self):
        Genre.objects.create(name=f"{type(self).__name__}")
        self.assertEqual(Genre.objects.filter(name=type(self).__name__).count(), 1)


class FirstLoss(_LosesItsConnection):
    pass


class SecondLoss(_LosesItsConnection):
    pass


class ThirdLoss(_LosesItsConnection):
    pass


class FourthLoss(_LosesItsConnection):
    pass
