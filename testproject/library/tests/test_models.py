"""ORM tests of the library models against data built once per class."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Max, Min, ProtectedError, Q, Sum
from django.test import TestCase

from library.models import Author, Book, Genre, Loan, Member


def make_catalogue(cls) -> None:
    """Two authors, three books and three genres, stored on the class."""
    cls.le_guin = Author.objects.create(name="Ursula K. Le Guin", birth_year=1929)
    cls.pratchett = Author.objects.create(name="Terry Pratchett", birth_year=1948)
    cls.fantasy = Genre.objects.create(name="Fantasy")
    cls.science_fiction = Genre.objects.create(name="Science fiction")
    cls.humour = Genre.objects.create(name="Humour")
    cls.earthsea = Book.objects.create(
        title="A Wizard of Earthsea",
        author=cls.le_guin,
        isbn="9780547773742",
        published=datetime.date(1968, 11, 1),
        pages=183,
    )
    cls.dispossessed = Book.objects.create(
        title="The Dispossessed",
        author=cls.le_guin,
        isbn="9780061054884",
        published=datetime.date(1974, 5, 1),
        pages=387,
    )
    cls.colour = Book.objects.create(
        title="The Colour of Magic",
        author=cls.pratchett,
        isbn="9780552166591",
        published=datetime.date(1983, 11, 24),
        pages=288,
    )
    cls.earthsea.genres.add(cls.fantasy)
    cls.dispossessed.genres.add(cls.science_fiction)
    cls.colour.genres.add(cls.fantasy, cls.humour)


class AuthorQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_catalogue(cls)

    def test_filter_by_birth_year(self):
        self.assertQuerySetEqual(Author.objects.filter(birth_year__lt=1940), [self.le_guin])

    def test_books_per_author(self):
        counts = dict(Author.objects.annotate(n=Count("books")).values_list("name", "n"))
        self.assertEqual(counts, {"Ursula K. Le Guin": 2, "Terry Pratchett": 1})

    def test_total_pages_per_author(self):
        author = Author.objects.annotate(total=Sum("books__pages")).get(pk=self.le_guin.pk)
        self.assertEqual(author.total, 183 + 387)

    def test_reverse_relation_is_ordered_by_title(self):
        titles = list(self.le_guin.books.values_list("title", flat=True))
        self.assertEqual(titles, ["A Wizard of Earthsea", "The Dispossessed"])

    def test_update_changes_only_matching_rows(self):
        changed = Author.objects.filter(name__startswith="Terry").update(birth_year=1900)
        self.assertEqual(changed, 1)
        self.le_guin.refresh_from_db()
        self.assertEqual(self.le_guin.birth_year, 1929)

    def test_test_data_is_restored_after_update(self):
        # Runs in its own transaction: whatever another test updated is rolled back.
        self.assertEqual(Author.objects.get(pk=self.pratchett.pk).birth_year, 1948)

    def test_delete_cascades_to_books(self):
        self.pratchett.delete()
        self.assertFalse(Book.objects.filter(title="The Colour of Magic").exists())

    def test_aggregate_birth_years(self):
        result = Author.objects.aggregate(first=Min("birth_year"), last=Max("birth_year"))
        self.assertEqual(result, {"first": 1929, "last": 1948})

    def test_q_objects(self):
        found = Author.objects.filter(Q(name__icontains="guin") | Q(birth_year=1948))
        self.assertEqual(found.count(), 2)


class BookGenreTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_catalogue(cls)

    def test_books_in_genre(self):
        self.assertQuerySetEqual(
            self.fantasy.books.all(), [self.earthsea, self.colour], ordered=False
        )

    def test_genre_count_per_book(self):
        book = Book.objects.annotate(n=Count("genres")).get(pk=self.colour.pk)
        self.assertEqual(book.n, 2)

    def test_add_genre(self):
        self.dispossessed.genres.add(self.fantasy)
        self.assertEqual(self.fantasy.books.count(), 3)

    def test_remove_genre(self):
        self.colour.genres.remove(self.humour)
        self.assertFalse(self.humour.books.exists())

    def test_set_genres(self):
        self.earthsea.genres.set([self.science_fiction, self.humour])
        names = set(self.earthsea.genres.values_list("name", flat=True))
        self.assertEqual(names, {"Science fiction", "Humour"})

    def test_distinct_authors_in_genre(self):
        authors = Author.objects.filter(books__genres=self.fantasy).distinct()
        self.assertEqual(authors.count(), 2)

    def test_prefetch_genres(self):
        with self.assertNumQueries(2):
            books = list(Book.objects.prefetch_related("genres"))
            names = {book.title: {genre.name for genre in book.genres.all()} for book in books}
        self.assertEqual(names["The Colour of Magic"], {"Fantasy", "Humour"})

    def test_average_pages_in_genre(self):
        average = Book.objects.filter(genres=self.fantasy).aggregate(avg=Avg("pages"))["avg"]
        self.assertAlmostEqual(average, (183 + 288) / 2)

    def test_duplicate_isbn_rejected(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Book.objects.create(
                title="Copy",
                author=self.le_guin,
                isbn=self.earthsea.isbn,
                published=datetime.date(2000, 1, 1),
                pages=1,
            )

    def test_full_clean_rejects_bad_isbn(self):
        book = Book(
            title="Bad",
            author=self.le_guin,
            isbn="12345",
            published=datetime.date(2000, 1, 1),
            pages=1,
        )
        with self.assertRaises(ValidationError) as caught:
            book.full_clean()
        self.assertIn("isbn", caught.exception.message_dict)


class LoanQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_catalogue(cls)
        cls.ada = Member.objects.create(name="Ada", email="ada@example.com")
        cls.bob = Member.objects.create(name="Bob", email="bob@example.com")
        cls.open_loan = Loan.objects.create(
            book=cls.earthsea, member=cls.ada, borrowed_on=datetime.date(2024, 3, 4)
        )
        Loan.objects.create(
            book=cls.colour,
            member=cls.ada,
            borrowed_on=datetime.date(2024, 1, 8),
            returned_on=datetime.date(2024, 1, 20),
        )
        Loan.objects.create(
            book=cls.colour,
            member=cls.bob,
            borrowed_on=datetime.date(2024, 2, 5),
            returned_on=datetime.date(2024, 3, 1),
        )

    def test_open_loans(self):
        self.assertQuerySetEqual(Loan.objects.filter(returned_on__isnull=True), [self.open_loan])

    def test_loans_per_member(self):
        counts = dict(Member.objects.annotate(n=Count("loans")).values_list("name", "n"))
        self.assertEqual(counts, {"Ada": 2, "Bob": 1})

    def test_most_borrowed_book(self):
        book = Book.objects.annotate(n=Count("loans")).order_by("-n").first()
        self.assertEqual(book, self.colour)

    def test_never_borrowed_books(self):
        self.assertQuerySetEqual(Book.objects.filter(loans__isnull=True), [self.dispossessed])

    def test_due_on_uses_loan_rules(self):
        self.assertEqual(self.open_loan.due_on, datetime.date(2024, 3, 25))

    def test_returned_late(self):
        late = [
            loan
            for loan in Loan.objects.exclude(returned_on=None)
            if loan.returned_on > loan.due_on
        ]
        self.assertEqual([loan.member.name for loan in late], ["Bob"])

    def test_protected_book_cannot_be_deleted(self):
        with self.assertRaises(ProtectedError):
            self.colour.delete()

    def test_member_delete_cascades_to_loans(self):
        self.bob.delete()
        self.assertEqual(Loan.objects.count(), 2)

    def test_select_related_in_one_query(self):
        with self.assertNumQueries(1):
            pairs = [
                (loan.book.title, loan.member.name)
                for loan in Loan.objects.select_related("book", "member")
            ]
        self.assertEqual(len(pairs), 3)

    def test_mark_returned_with_update(self):
        Loan.objects.filter(returned_on=None).update(returned_on=datetime.date(2024, 3, 20))
        self.assertFalse(Loan.objects.filter(returned_on=None).exists())
