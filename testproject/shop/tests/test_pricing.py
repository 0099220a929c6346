"""Pure-logic tests of money rounding, discounts, VAT and totals."""

from __future__ import annotations

from decimal import Decimal

from django.test import SimpleTestCase

from shop import pricing


class MoneyRoundingTests(SimpleTestCase):
    def test_rounds_half_up(self):
        self.assertEqual(pricing.round_money(Decimal("2.345")), Decimal("2.35"))

    def test_not_bankers_rounding(self):
        self.assertEqual(pricing.round_money(Decimal("2.125")), Decimal("2.13"))

    def test_rounds_down_below_half(self):
        self.assertEqual(pricing.round_money(Decimal("2.344")), Decimal("2.34"))

    def test_negative_half_away_from_zero(self):
        self.assertEqual(pricing.round_money(Decimal("-2.345")), Decimal("-2.35"))

    def test_pads_to_cents(self):
        self.assertEqual(str(pricing.round_money(Decimal(3))), "3.00")

    def test_line_total(self):
        self.assertEqual(pricing.line_total(Decimal("0.333"), 3), Decimal("1.00"))

    def test_line_total_rejects_negative_quantity(self):
        with self.assertRaises(ValueError):
            pricing.line_total(Decimal(1), -1)

    def test_order_total_rounds_each_line(self):
        lines = [(Decimal("0.005"), 1), (Decimal("0.005"), 1)]
        self.assertEqual(pricing.order_total(lines), Decimal("0.02"))

    def test_empty_order_total(self):
        self.assertEqual(pricing.order_total([]), Decimal("0.00"))


class DiscountTests(SimpleTestCase):
    def test_no_discount(self):
        self.assertEqual(pricing.apply_discount(Decimal("10.00"), 0), Decimal("10.00"))

    def test_full_discount(self):
        self.assertEqual(pricing.apply_discount(Decimal("10.00"), 100), Decimal("0.00"))

    def test_ten_percent(self):
        self.assertEqual(pricing.apply_discount(Decimal("19.99"), 10), Decimal("17.99"))

    def test_fractional_percent(self):
        self.assertEqual(pricing.apply_discount(Decimal(100), Decimal("12.5")), Decimal("87.50"))

    def test_third_off_rounds(self):
        self.assertEqual(
            pricing.apply_discount(Decimal("1.00"), Decimal("33.333")), Decimal("0.67")
        )

    def test_negative_percent_rejected(self):
        with self.assertRaisesMessage(ValueError, "between 0 and 100"):
            pricing.apply_discount(Decimal(1), -5)

    def test_over_hundred_rejected(self):
        with self.assertRaisesMessage(ValueError, "between 0 and 100"):
            pricing.apply_discount(Decimal(1), 101)

    def test_result_is_decimal(self):
        self.assertIsInstance(pricing.apply_discount(Decimal(5), 50), Decimal)


class VatTests(SimpleTestCase):
    def test_standard_rate(self):
        self.assertEqual(pricing.add_vat(Decimal("100.00"), 20), Decimal("120.00"))

    def test_zero_rate(self):
        self.assertEqual(pricing.add_vat(Decimal("9.99"), 0), Decimal("9.99"))

    def test_reduced_rate_rounds(self):
        self.assertEqual(pricing.add_vat(Decimal("0.99"), 7), Decimal("1.06"))

    def test_decimal_rate(self):
        self.assertEqual(pricing.add_vat(Decimal("10.00"), Decimal("5.5")), Decimal("10.55"))

    def test_negative_rate_rejected(self):
        with self.assertRaisesMessage(ValueError, "cannot be negative"):
            pricing.add_vat(Decimal(1), -1)

    def test_discount_then_vat(self):
        net = pricing.apply_discount(Decimal("50.00"), 10)
        self.assertEqual(pricing.add_vat(net, 20), Decimal("54.00"))
