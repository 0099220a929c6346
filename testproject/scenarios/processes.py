"""Tests that start processes of their own with ``multiprocessing``, as some projects' do.

They pass under Django's sequential runner; in a worker they need the worker to allow
children (a daemonic process may not have any). ``LeakedProcessTests`` leaves a
non-daemon process running, which its worker must stop when it exits; it writes its
pid to the file named by LEAKED_PROCESS_FILE.
"""

from __future__ import annotations

import multiprocessing
import os
import time

from django.test import SimpleTestCase


def square(number: int) -> int:
    """Module level, so that a spawned process can import it."""
    return number * number


def sleep_long() -> None:
    time.sleep(600)


class PoolTests(SimpleTestCase):
    def test_pool_map(self):
        with multiprocessing.Pool(2) as pool:
            self.assertEqual(pool.map(square, range(5)), [0, 1, 4, 9, 16])


class SpawnedProcessTests(SimpleTestCase):
    def test_spawned_process_runs(self):
        process = multiprocessing.get_context("spawn").Process(target=square, args=(3,))
        process.start()
        process.join(60)
        self.assertEqual(process.exitcode, 0)


class LeakedProcessTests(SimpleTestCase):
    def test_leaves_a_process_running(self):
        process = multiprocessing.Process(target=sleep_long, name="leaked-sleeper")
        process.start()
        with open(os.environ["LEAKED_PROCESS_FILE"], "w") as note:
            note.write(str(process.pid))
