"""One class of each test kind a project may have, all passing under a sequential run.

LiveServerTestCase and StaticLiveServerTestCase (two classes each, so both workers
serve), TransactionTestCase with
``serialized_rollback``, ``databases = "__all__"``, setUpTestData with mutable class
attributes, async test methods and plain ``unittest.TestCase`` classes.
"""

from __future__ import annotations

import asyncio
import unittest
import urllib.error
import urllib.request

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.test import LiveServerTestCase, SimpleTestCase, TestCase, TransactionTestCase
from library.models import Author, Genre

SEED_GENRES = {"Maps", "Periodicals", "Reference"}


class LiveServerMixin:
    def test_live_server_answers(self):
        # The demo project has no pages (nor templates): any HTTP error status from
        # Django's server proves this test's own server is there and answers.
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(self.live_server_url + "/nowhere/", timeout=10)
        self.assertIn(caught.exception.code, {404, 500})
        self.assertIn("WSGIServer", caught.exception.headers.get("Server", ""))

    def test_live_server_sees_the_test_database(self):
        Author.objects.create(name="LIVE-AUTHOR")
        self.assertTrue(Author.objects.filter(name="LIVE-AUTHOR").exists())


class FirstLiveServerTests(LiveServerMixin, LiveServerTestCase):
    pass


class SecondLiveServerTests(LiveServerMixin, LiveServerTestCase):
    pass


class StaticLiveServerMixin(LiveServerMixin):
    def test_static_file_is_served(self):
        # Served from library/static/ by the staticfiles finders, not from STATIC_ROOT:
        # what StaticLiveServerTestCase adds to LiveServerTestCase.
        url = f"{self.live_server_url}/static/library/kinds-marker.txt"
        with urllib.request.urlopen(url, timeout=10) as response:
            self.assertEqual(response.read().decode().strip(), "STATIC-LIVE-SERVER-MARKER")


class FirstStaticLiveServerTests(StaticLiveServerMixin, StaticLiveServerTestCase):
    pass


class SecondStaticLiveServerTests(StaticLiveServerMixin, StaticLiveServerTestCase):
    pass


class FlushingTests(TransactionTestCase):
    """A plain TransactionTestCase: its flush removes the migrated seed genres."""

    def test_delete_seed_genres(self):
        Genre.objects.filter(name__in=SEED_GENRES).delete()
        self.assertFalse(Genre.objects.filter(name__in=SEED_GENRES).exists())


class SerializedRollbackTests(TransactionTestCase):
    serialized_rollback = True

    def test_seed_genres_restored(self):
        self.assertEqual(
            set(Genre.objects.values_list("name", flat=True)) & SEED_GENRES, SEED_GENRES
        )

    def test_deleting_them_does_not_last(self):
        Genre.objects.all().delete()
        self.assertEqual(Genre.objects.count(), 0)


class AllDatabasesTests(TestCase):
    databases = "__all__"

    def test_writes_to_every_alias(self):
        Author.objects.using("default").create(name="ALL-DEFAULT")
        Author.objects.using("other").create(name="ALL-OTHER")
        self.assertEqual(Author.objects.using("default").filter(name="ALL-OTHER").count(), 0)
        self.assertEqual(Author.objects.using("other").filter(name="ALL-OTHER").count(), 1)

    def test_each_test_starts_clean(self):
        self.assertFalse(Author.objects.using("other").filter(name="ALL-OTHER").exists())


class MutableTestDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.author = Author.objects.create(name="MUTABLE")
        cls.names = ["first"]

    def test_mutate_list(self):
        self.names.append("changed")
        self.author.name = "CHANGED"
        self.assertEqual(self.names, ["first", "changed"])

    def test_list_is_fresh(self):
        # Django deep-copies class-level test data for each test.
        self.assertEqual(self.names, ["first"])
        self.assertEqual(self.author.name, "MUTABLE")


class AsyncSimpleTests(SimpleTestCase):
    async def test_await(self):
        await asyncio.sleep(0)
        self.assertTrue(True)

    async def test_async_failure_is_reported(self):
        await asyncio.sleep(0)
        self.assertEqual(await _answer(), 42)


class AsyncDatabaseTests(TestCase):
    async def test_async_orm(self):
        await Author.objects.acreate(name="ASYNC")
        self.assertEqual(await Author.objects.filter(name="ASYNC").acount(), 1)


async def _answer() -> int:
    return 42


class PlainUnittestTests(unittest.TestCase):
    def test_plain(self):
        self.assertEqual(sum([1, 2]), 3)

    @unittest.skip("PLAIN-SKIP-MARKER")
    def test_plain_skip(self):
        raise AssertionError("not run")


class OtherPlainUnittestTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.shared = []

    def test_one(self):
        self.shared.append(1)

    def test_two(self):
        self.assertIsInstance(self.shared, list)
