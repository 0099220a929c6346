"""First-test probes: each appends time.time() to $BENCH_PROBE_FILE when its test starts.

The earliest line, minus the time the harness started the command, is the fixed cost:
interpreter start, set-up, test database creation, worker start, up to the first test.
They are TestCases so that the runner creates the test database as for the real suite.
"""

from __future__ import annotations

import os
import time

from django.test import TestCase


def record_start() -> None:
    path = os.environ.get("BENCH_PROBE_FILE")
    if path:
        # O_APPEND: workers write whole short lines to the same file without interleaving.
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, f"{time.time():.6f}\n".encode())
        finally:
            os.close(descriptor)


class ProbeA(TestCase):
    def test_start(self):
        record_start()


class ProbeB(TestCase):
    def test_start(self):
        record_start()


class ProbeC(TestCase):
    def test_start(self):
        record_start()


class ProbeD(TestCase):
    def test_start(self):
        record_start()
