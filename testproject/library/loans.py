"""Loan arithmetic: due dates that skip the closed weekend, overdue days, late fees."""

from __future__ import annotations

import datetime
from decimal import Decimal

LOAN_DAYS = 21
DAILY_FEE = Decimal("0.25")
FEE_CAP = Decimal("10.00")
SATURDAY = 5


def due_date(borrowed_on: datetime.date, days: int = LOAN_DAYS) -> datetime.date:
    """``days`` after borrowing, moved to Monday when that falls on a weekend."""
    if days < 1:
        raise ValueError(f"loan period must be at least one day, got {days}")
    due = borrowed_on + datetime.timedelta(days=days)
    # The library is closed at weekends, so nobody can return a book then.
    if due.weekday() >= SATURDAY:
        due += datetime.timedelta(days=7 - due.weekday())
    return due


def days_overdue(due: datetime.date, returned_on: datetime.date) -> int:
    """Whole days between ``due`` and ``returned_on``; 0 when returned in time."""
    return max(0, (returned_on - due).days)


def late_fee(overdue_days: int, daily: Decimal = DAILY_FEE, cap: Decimal = FEE_CAP) -> Decimal:
    """``daily`` per overdue day, never more than ``cap``."""
    if overdue_days < 0:
        raise ValueError(f"overdue days cannot be negative, got {overdue_days}")
    return min(daily * overdue_days, cap)
