"""Tests that write to the ``other`` alias and check ``default`` never sees the rows."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.test import TestCase

from library.models import Author, Book, Genre

OTHER = "other"


class ArchiveDatabaseTests(TestCase):
    databases = {"default", OTHER}

    @classmethod
    def setUpTestData(cls):
        cls.local = Author.objects.create(name="Local Author", birth_year=1950)
        cls.archived = Author.objects.using(OTHER).create(name="Archived Author", birth_year=1850)
        cls.archived_book = Book.objects.using(OTHER).create(
            title="Archived Book",
            author=cls.archived,
            isbn="9780306406157",
            published=datetime.date(1890, 1, 1),
            pages=100,
        )
        cls.archived_genre = Genre.objects.using(OTHER).create(name="Archive-only genre")
        cls.archived_book.genres.add(cls.archived_genre)

    def test_other_rows_not_on_default(self):
        self.assertFalse(Author.objects.filter(name="Archived Author").exists())

    def test_default_rows_not_on_other(self):
        self.assertFalse(Author.objects.using(OTHER).filter(name="Local Author").exists())

    def test_instance_remembers_its_database(self):
        self.assertEqual(self.archived._state.db, OTHER)
        self.assertEqual(self.local._state.db, "default")

    def test_related_manager_follows_instance_database(self):
        self.assertEqual(
            list(self.archived.books.values_list("title", flat=True)), ["Archived Book"]
        )

    def test_m2m_on_other(self):
        self.assertEqual(self.archived_genre.books.get(), self.archived_book)
        self.assertFalse(Genre.objects.filter(name="Archive-only genre").exists())

    def test_same_isbn_allowed_in_each_database(self):
        # The unique constraint is per database: default has no such ISBN yet.
        Book.objects.create(
            title="Reprint",
            author=self.local,
            isbn=self.archived_book.isbn,
            published=datetime.date(2001, 1, 1),
            pages=100,
        )
        self.assertEqual(Book.objects.filter(isbn=self.archived_book.isbn).count(), 1)
        self.assertEqual(Book.objects.using(OTHER).filter(isbn=self.archived_book.isbn).count(), 1)

    def test_cross_database_relation_refused(self):
        book = Book.objects.create(
            title="Local Book",
            author=self.local,
            isbn="9780547773742",
            published=datetime.date(2001, 1, 1),
            pages=1,
        )
        with self.assertRaisesMessage(ValueError, "router prevents this relation"):
            book.author = self.archived

    def test_aggregate_on_other(self):
        counts = dict(
            Author.objects.using(OTHER).annotate(n=Count("books")).values_list("name", "n")
        )
        self.assertEqual(counts, {"Archived Author": 1})

    def test_save_using_other(self):
        copy = Author(name=self.local.name, birth_year=self.local.birth_year)
        copy.save(using=OTHER)
        self.assertEqual(Author.objects.using(OTHER).filter(name="Local Author").count(), 1)
        self.assertEqual(Author.objects.filter(name="Local Author").count(), 1)
