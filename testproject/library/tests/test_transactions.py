"""TransactionTestCase tests: real commits, rollbacks and seed data restored by serialized_rollback."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.test import TransactionTestCase

from library.models import Author, Book, Genre, Loan, Member
from library.services import BookUnavailable, checkout, return_book

SEED_GENRES = {"Maps", "Periodicals", "Reference"}
MONDAY = datetime.date(2024, 3, 4)


def make_book_and_member() -> tuple[Book, Member]:
    author = Author.objects.create(name="Octavia E. Butler")
    book = Book.objects.create(
        title="Kindred",
        author=author,
        isbn="9780807083697",
        published=datetime.date(1979, 6, 1),
        pages=264,
    )
    member = Member.objects.create(name="Cleo", email="cleo@example.com")
    return book, member


class CheckoutTransactionTests(TransactionTestCase):
    def setUp(self):
        self.book, self.member = make_book_and_member()

    def test_checkout_commits_a_loan(self):
        loan = checkout(self.book, self.member, MONDAY)
        self.assertTrue(Loan.objects.filter(pk=loan.pk, returned_on=None).exists())

    def test_second_checkout_refused(self):
        checkout(self.book, self.member, MONDAY)
        with self.assertRaises(BookUnavailable):
            checkout(self.book, self.member, MONDAY)
        self.assertEqual(Loan.objects.count(), 1)

    def test_checkout_after_return_allowed(self):
        loan = checkout(self.book, self.member, MONDAY)
        return_book(loan, MONDAY + datetime.timedelta(days=2))
        checkout(self.book, self.member, MONDAY + datetime.timedelta(days=3))
        self.assertEqual(Loan.objects.count(), 2)

    def test_return_on_time_costs_nothing(self):
        loan = checkout(self.book, self.member, MONDAY)
        self.assertEqual(return_book(loan, MONDAY + datetime.timedelta(days=10)), Decimal(0))

    def test_return_late_costs_a_fee(self):
        loan = checkout(self.book, self.member, MONDAY)
        fee = return_book(loan, loan.due_on + datetime.timedelta(days=2))
        self.assertEqual(fee, Decimal("0.50"))

    def test_failed_block_rolls_back(self):
        with self.assertRaises(RuntimeError), transaction.atomic():
            Member.objects.create(name="Ghost", email="ghost@example.com")
            raise RuntimeError("abort")
        self.assertFalse(Member.objects.filter(name="Ghost").exists())

    def test_tables_start_empty_apart_from_setup(self):
        # TransactionTestCase flushes after each test, so only setUp's rows are here.
        self.assertEqual(Author.objects.count(), 1)
        self.assertEqual(Loan.objects.count(), 0)


class SerializedCatalogueTests(TransactionTestCase):
    """The seed genres come from a data migration; flushes must not lose them here."""

    serialized_rollback = True

    def test_seed_genres_present(self):
        self.assertTrue(SEED_GENRES <= set(Genre.objects.values_list("name", flat=True)))

    def test_deleting_seed_genres(self):
        Genre.objects.filter(name__in=SEED_GENRES).delete()
        self.assertFalse(Genre.objects.filter(name__in=SEED_GENRES).exists())

    def test_seed_genres_back_after_deletion(self):
        # Whichever order these tests run in, each starts from the serialized state.
        self.assertEqual(Genre.objects.filter(name__in=SEED_GENRES).count(), len(SEED_GENRES))

    def test_new_genre_is_committed(self):
        with transaction.atomic():
            Genre.objects.create(name="Atlases")
        self.assertTrue(Genre.objects.filter(name="Atlases").exists())

    def test_new_genre_gone_in_next_test(self):
        self.assertFalse(Genre.objects.filter(name="Atlases").exists())
