"""A TransactionTestCase commits a row and then its worker dies (CRASH_SCENARIO=1).

The rest of the class runs in a replacement worker, which must get fresh databases:
the committed row must not be there.
"""

from __future__ import annotations

import os

from django.test import SimpleTestCase, TransactionTestCase
from library.models import Genre


class DirtyCrashTests(TransactionTestCase):
    def test_a_commits_then_crashes(self):
        Genre.objects.create(name="LEFT-BY-A-CRASH")
        if os.environ.get("CRASH_SCENARIO") == "1":
            os._exit(13)

    def test_b_starts_from_a_clean_database(self):
        self.assertFalse(Genre.objects.filter(name="LEFT-BY-A-CRASH").exists())


class BystanderTests(SimpleTestCase):
    def test_nothing(self):
        pass
