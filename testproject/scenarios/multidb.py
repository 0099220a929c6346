"""Tests of a mirrored alias; run with ``--settings testproject.variants.multidb``."""

from __future__ import annotations

from django.db import connections
from django.test import TestCase, TransactionTestCase
from library.models import Author


class MirrorTests(TransactionTestCase):
    databases = {"default", "replica", "other"}

    def test_replica_sees_what_default_wrote(self):
        Author.objects.using("default").create(name="MIRRORED")
        self.assertTrue(Author.objects.using("replica").filter(name="MIRRORED").exists())
        self.assertFalse(Author.objects.using("other").filter(name="MIRRORED").exists())

    def test_replica_is_the_same_database(self):
        self.assertEqual(
            connections["replica"].settings_dict["NAME"],
            connections["default"].settings_dict["NAME"],
        )


class AllAliasesTests(TestCase):
    databases = "__all__"

    def test_every_alias_answers(self):
        for alias in ("default", "other", "replica"):
            self.assertGreaterEqual(Author.objects.using(alias).count(), 0)

    def test_other_is_separate(self):
        Author.objects.using("other").create(name="ONLY-OTHER")
        self.assertFalse(Author.objects.using("default").filter(name="ONLY-OTHER").exists())
