"""Currency conversion with rates fetched from a slow remote service."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.test import SimpleTestCase

from billing.exchange import RateService, convert


class ExchangeRateTests(SimpleTestCase):
    def setUp(self):
        self.service = RateService()
        self.today = date.today()

    def test_eur_to_usd(self):
        self.assertEqual(
            convert(Decimal(100), "EUR", "USD", self.service.rates_on(self.today)),
            Decimal("108.50"),
        )

    def test_usd_to_eur(self):
        self.assertEqual(
            convert(Decimal("108.50"), "USD", "EUR", self.service.rates_on(self.today)),
            Decimal("100.00"),
        )

    def test_cross_rate(self):
        self.assertEqual(
            convert(Decimal(10), "GBP", "SEK", self.service.rates_on(self.today)),
            Decimal("131.19"),
        )

    def test_same_currency(self):
        self.assertEqual(
            convert(Decimal("3.33"), "SEK", "SEK", self.service.rates_on(self.today)),
            Decimal("3.33"),
        )

    def test_future_date_has_no_rates(self):
        with self.assertRaises(LookupError):
            self.service.rates_on(self.today + timedelta(days=2))

    def test_unknown_currency(self):
        with self.assertRaises(KeyError):
            convert(Decimal(1), "XYZ", "EUR", self.service.rates_on(self.today))

    def test_week_of_rates(self):
        for offset in range(5):
            self.service.rates_on(self.today - timedelta(days=offset))
        self.assertEqual(self.service.calls, 5)

    def test_slow_service(self):
        self.assertIn("USD", RateService(latency=0.2).rates_on(self.today))

    def test_round_trip_within_a_cent(self):
        rates = self.service.rates_on(self.today)
        back = convert(convert(Decimal("77.77"), "EUR", "SEK", rates), "SEK", "EUR", rates)
        self.assertLessEqual(abs(back - Decimal("77.77")), Decimal("0.01"))

    def test_rates_are_copied(self):
        rates = self.service.rates_on(self.today)
        rates["USD"] = Decimal(0)
        self.assertNotEqual(self.service.rates_on(self.today)["USD"], Decimal(0))
