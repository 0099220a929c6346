"""Two TransactionTestCase classes writing the same row; they pass only on separate databases.

With ISOLATION_DIR set, each class waits (up to 10 s) for the other to have
written its row, so a shared database shows up as IntegrityError or a wrong name.
Each class also records its pid and database name in ISOLATION_DIR/<class>.json.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from django.db import connection
from django.test import TransactionTestCase
from library.models import Author

ROW_PK = 1
RENDEZVOUS_TIMEOUT = 10.0
POLL_INTERVAL = 0.05


def isolation_dir() -> Path | None:
    value = os.environ.get("ISOLATION_DIR")
    return Path(value) if value else None


def rendezvous(own: str, other: str) -> bool:
    """Announce ``own`` and wait for ``other``; True if they met, False without ISOLATION_DIR or on timeout."""
    directory = isolation_dir()
    if directory is None:
        return False
    (directory / f"{own}.ready").touch()
    deadline = time.monotonic() + RENDEZVOUS_TIMEOUT
    while time.monotonic() < deadline:
        if (directory / f"{other}.ready").exists():
            return True
        time.sleep(POLL_INTERVAL)
    return False


class IsolationMixin:
    own: str
    other: str

    def test_same_row_stays_own(self):
        Author.objects.create(pk=ROW_PK, name=self.own)
        rendezvous(self.own, self.other)
        self.assertEqual(Author.objects.get(pk=ROW_PK).name, self.own)
        self.assertEqual(Author.objects.count(), 1)

    def test_record_process_and_database(self):
        record = {
            "class": type(self).__name__,
            "pid": os.getpid(),
            "database": connection.settings_dict["NAME"],
        }
        directory = isolation_dir()
        if directory is not None:
            (directory / f"{type(self).__name__}.json").write_text(json.dumps(record, default=str))
        self.assertTrue(record["database"])


class IsolationA(IsolationMixin, TransactionTestCase):
    own = "A"
    other = "B"


class IsolationB(IsolationMixin, TransactionTestCase):
    own = "B"
    other = "A"
