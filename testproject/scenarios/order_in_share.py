"""A class-level flag that the first use of a shared object sets (order-dependent on purpose).

A sequential run executes ``AFirstUserTests`` before ``BLaterUserTests``: the first one
finds the connection pool unused. Run the other way round in one process, it fails.
``CLongTests`` is the longest class, so that longest-first dispatch puts the two users in
one worker, the longer one first.
"""

import time

from django.test import SimpleTestCase


class SharedPool:
    used_by = None

    @classmethod
    def take(cls, user):
        first = cls.used_by is None
        cls.used_by = user
        return first


class AFirstUserTests(SimpleTestCase):
    def test_finds_the_pool_unused(self):
        time.sleep(0.3)
        self.assertTrue(SharedPool.take("first"))


class BLaterUserTests(SimpleTestCase):
    def test_takes_the_pool(self):
        time.sleep(0.6)
        SharedPool.take("later")


class CLongTests(SimpleTestCase):
    def test_long(self):
        time.sleep(1.0)
