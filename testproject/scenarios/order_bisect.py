"""One order-dependent failure that takes many bisection steps to explain (a benchmark).

Thirty-two small classes (``B00Tests`` .. ``B31Tests``) run before the victim
(``CVictimTests``); one test of ``B13Tests`` leaves a flag set, so the victim fails in
Django's order too. ``ZSlowNeighbourTests`` comes last and takes ORDER_SLEEP seconds
(default 2): with estimates that give it a share of its own, the other worker runs every
``B`` class and then the victim. Used to time the order checks, not in CI.
"""

from __future__ import annotations

import os
import time

from django.test import SimpleTestCase


class Flag:
    set = False


def _classes(count: int, polluter: int) -> dict[str, type]:
    """``B00Tests``..: each with two quick tests; one test of ``polluter``'s sets the flag."""

    def quick(self):
        self.assertIsInstance(Flag.set, bool)

    def pollutes(self):
        Flag.set = True

    made = {}
    for number in range(count):
        name = f"B{number:02d}Tests"
        body = {"__module__": __name__, "__qualname__": name, "concurrent_split": False}
        body["test_one"] = quick
        body["test_two"] = pollutes if number == polluter else quick
        made[name] = type(name, (SimpleTestCase,), body)
    return made


globals().update(_classes(32, polluter=13))


class CVictimTests(SimpleTestCase):
    def test_expects_the_flag_unset(self):
        self.assertFalse(Flag.set, "ORDER-VICTIM: an earlier test set the flag")


class ZSlowNeighbourTests(SimpleTestCase):
    def test_takes_a_while(self):
        time.sleep(float(os.environ.get("ORDER_SLEEP", "2")))
