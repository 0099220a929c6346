"""Two classes whose run ends while the database server is down (a restart during teardown).

With RESTART_DIR set, the class that uses the database closes its connection after its
last test, writes ``<dir>/done`` and waits (up to 120 s) for ``<dir>/stopped``: the test
driving the run stops the server then, so the runner finds it gone just when it drops
the clones. Without RESTART_DIR both classes simply pass.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.db import connection
from django.test import SimpleTestCase, TestCase
from library.models import Author

WAIT_SECONDS = 120.0


class UsesTheDatabase(TestCase):
    def test_writes_a_row(self):
        Author.objects.create(name="Restart")
        self.assertEqual(Author.objects.count(), 1)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        folder = os.environ.get("RESTART_DIR")
        if not folder:
            return
        connection.close()  # nothing of this worker is left on the server when it stops
        Path(folder, "done").write_text(str(os.getpid()))
        deadline = time.monotonic() + WAIT_SECONDS
        while not Path(folder, "stopped").exists() and time.monotonic() < deadline:
            time.sleep(0.05)


class NeedsNoDatabase(SimpleTestCase):
    def test_passes(self):
        self.assertTrue(True)
