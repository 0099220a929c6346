"""Tests that misbehave when MISBEHAVE=1: segfault, exit with last words, leak a thread, flood."""

from __future__ import annotations

import ctypes
import os
import threading
import time

from django.test import SimpleTestCase

ON = os.environ.get("MISBEHAVE") == "1"


class SegfaultTests(SimpleTestCase):
    def test_segfault(self):
        if ON:
            ctypes.string_at(0)  # reads address 0: SIGSEGV

    def test_after_segfault(self):
        pass


class LastWordsTests(SimpleTestCase):
    def test_prints_then_exits(self):
        print("LAST-WORDS-BEFORE-EXIT")
        if ON:
            os._exit(3)

    def test_after_exit(self):
        pass


class ThreadLeakTests(SimpleTestCase):
    def test_leaks_a_thread(self):
        if ON:
            # A non-daemon thread that never ends keeps a process from exiting by itself.
            threading.Thread(target=time.sleep, args=(3600,), daemon=False).start()


class FloodTests(SimpleTestCase):
    def test_prints_megabytes(self):
        if ON:
            line = "x" * 99
            for _ in range(50_000):  # about 5 MB
                print(line)
