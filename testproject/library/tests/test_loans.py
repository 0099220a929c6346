"""Pure-logic tests of due dates and late fees."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.test import SimpleTestCase

from library import loans

MONDAY = datetime.date(2024, 3, 4)


class DueDateTests(SimpleTestCase):
    def test_default_period_is_three_weeks(self):
        self.assertEqual(loans.due_date(MONDAY), datetime.date(2024, 3, 25))

    def test_custom_period(self):
        self.assertEqual(loans.due_date(MONDAY, days=7), datetime.date(2024, 3, 11))

    def test_saturday_moves_to_monday(self):
        self.assertEqual(loans.due_date(MONDAY, days=5), datetime.date(2024, 3, 11))

    def test_sunday_moves_to_monday(self):
        self.assertEqual(loans.due_date(MONDAY, days=6), datetime.date(2024, 3, 11))

    def test_friday_stays(self):
        self.assertEqual(loans.due_date(MONDAY, days=4), datetime.date(2024, 3, 8))

    def test_crosses_leap_day(self):
        self.assertEqual(
            loans.due_date(datetime.date(2024, 2, 26), days=3), datetime.date(2024, 2, 29)
        )

    def test_zero_days_rejected(self):
        with self.assertRaisesMessage(ValueError, "at least one day"):
            loans.due_date(MONDAY, days=0)


class LateFeeTests(SimpleTestCase):
    def test_returned_early_is_not_overdue(self):
        self.assertEqual(loans.days_overdue(MONDAY, MONDAY - datetime.timedelta(days=3)), 0)

    def test_returned_on_due_date_is_not_overdue(self):
        self.assertEqual(loans.days_overdue(MONDAY, MONDAY), 0)

    def test_days_overdue_counts_days(self):
        self.assertEqual(loans.days_overdue(MONDAY, datetime.date(2024, 3, 9)), 5)

    def test_no_fee_when_on_time(self):
        self.assertEqual(loans.late_fee(0), Decimal("0.00"))

    def test_fee_per_day(self):
        self.assertEqual(loans.late_fee(4), Decimal("1.00"))

    def test_fee_is_capped(self):
        self.assertEqual(loans.late_fee(365), loans.FEE_CAP)

    def test_custom_rate_and_cap(self):
        self.assertEqual(loans.late_fee(3, daily=Decimal(2), cap=Decimal(5)), Decimal(5))

    def test_negative_days_rejected(self):
        with self.assertRaises(ValueError):
            loans.late_fee(-1)
