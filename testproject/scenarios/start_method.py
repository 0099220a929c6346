"""Where this module was imported and which database its tests use, per start method.

With PROBE_DIR set, each class writes PROBE_DIR/<class>.json: the process that imported
this module, the process running the test and its parent, and the database the test's
connection is really on. Under ``--start-method forkserver`` the module is imported once,
in the server, and the workers are its children; on a server backend the module also
queries at import, as some projects' modules do, and the server must not hand that
connection on: every test must still be on its own clone.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.db import connection
from django.test import TestCase

IMPORTED_BY = os.getpid()
CURRENT_DATABASE = {
    "postgresql": "SELECT current_database()",
    "mysql": "SELECT DATABASE()",
}
if connection.vendor in CURRENT_DATABASE:  # SQLite would create the configured file here
    with connection.cursor() as cursor:
        cursor.execute(CURRENT_DATABASE[connection.vendor])


def record(name: str) -> None:
    directory = os.environ.get("PROBE_DIR")
    if not directory:
        return
    if connection.vendor in CURRENT_DATABASE:
        with connection.cursor() as cursor:
            cursor.execute(CURRENT_DATABASE[connection.vendor])
            database = cursor.fetchone()[0]
    else:
        database = str(connection.settings_dict["NAME"])
    facts = {
        "imported_by": IMPORTED_BY,
        "pid": os.getpid(),
        "parent": os.getppid(),
        "database": database,
    }
    (Path(directory) / f"{name}.json").write_text(json.dumps(facts))


class FirstProbe(TestCase):
    def test_record(self):
        record("first")


class SecondProbe(TestCase):
    def test_record(self):
        record("second")
