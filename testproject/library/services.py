"""Checking books out and in, each step in one transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from library import loans
from library.models import Book, Loan, Member


class BookUnavailable(Exception):
    """The book is already out on an open loan."""


def checkout(book: Book, member: Member, on: datetime.date) -> Loan:
    """Open a loan, refusing a book that is already out."""
    with transaction.atomic():
        # Lock the book row so two concurrent checkouts cannot both see it free.
        Book.objects.select_for_update().get(pk=book.pk)
        if Loan.objects.filter(book=book, returned_on__isnull=True).exists():
            raise BookUnavailable(f"{book} is already on loan")
        return Loan.objects.create(book=book, member=member, borrowed_on=on)


def return_book(loan: Loan, on: datetime.date) -> Decimal:
    """Close the loan and return the late fee owed."""
    with transaction.atomic():
        loan.returned_on = on
        loan.save(update_fields=["returned_on"])
    return loans.late_fee(loans.days_overdue(loan.due_on, on))
