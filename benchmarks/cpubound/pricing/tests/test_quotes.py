"""Quotes, loan schedules and allocations over price lists of several sizes."""

from __future__ import annotations

import time
from decimal import Decimal

from django.db.models import Avg, Count, Max, Sum
from django.test import TestCase

from pricing.models import Item, PriceList, Quote, Rule
from pricing.services import (
    CATEGORIES,
    allocate,
    amortize,
    best_discount,
    line_total,
    make_price_list,
    price_elasticity,
    quote,
    random_order,
)


class PriceListChecks:
    """The checks every price list must pass; subclasses choose its size, seed and VAT."""

    items = 200
    seed = 1
    vat_rate = "0.2000"
    order_lines = 80

    @classmethod
    def setUpTestData(cls):
        cls.price_list = make_price_list(
            f"{cls.__name__[:40]}", cls.items, cls.seed, vat_rate=cls.vat_rate
        )

    def order(self, seed_offset: int = 0):
        return random_order(self.price_list, self.order_lines, self.seed + seed_offset)

    def test_gross_is_net_plus_vat(self):
        for offset in range(24):
            net, gross, _ = quote(self.price_list, self.order(offset))
            expected = (net * (1 + self.price_list.vat_rate)).quantize(Decimal("0.01"))
            self.assertEqual(gross, expected)

    def test_discounts_never_raise_a_line(self):
        rules = list(self.price_list.rules.all())
        for item in self.price_list.items.all():
            for quantity in range(1, 400, 7):
                discounted = line_total(
                    item.unit_price, quantity, best_discount(rules, item.category, quantity)
                )
                self.assertLessEqual(discounted, item.unit_price * quantity)

    def test_larger_quantities_earn_larger_discounts(self):
        rules = list(self.price_list.rules.all())
        for category in CATEGORIES:
            discounts = [best_discount(rules, category, q) for q in (1, 10, 50, 200)]
            self.assertEqual(discounts, sorted(discounts))

    def test_saved_quotes_add_up(self):
        for offset in range(5):
            net, gross, lines = quote(self.price_list, self.order(offset))
            Quote.objects.create(
                price_list=self.price_list,
                reference=f"{self.seed}-{offset}",
                net=net,
                gross=gross,
                lines=lines,
            )
        totals = self.price_list.quotes.aggregate(net=Sum("net"), lines=Sum("lines"))
        self.assertEqual(totals["lines"], 5 * self.order_lines)
        self.assertGreater(totals["net"], Decimal(0))

    def test_category_statistics(self):
        rows = (
            Item.objects.filter(price_list=self.price_list)
            .values("category")
            .annotate(n=Count("id"), mean=Avg("unit_price"), top=Max("unit_price"))
        )
        self.assertEqual(sum(row["n"] for row in rows), self.items)
        for row in rows:
            self.assertLessEqual(row["mean"], row["top"])

    def test_loan_schedule_repays_the_principal(self):
        for months in range(12, 361, 12):
            principal = Decimal(self.items * 100)
            schedule = amortize(principal, Decimal("0.049"), months)
            self.assertEqual(sum(repaid for _, repaid in schedule), principal)

    def test_allocation_sums_exactly(self):
        net, _, _ = quote(self.price_list, self.order(7))
        weights = list(self.price_list.items.values_list("weight_g", flat=True)[:60])
        shares = allocate(net, weights)
        self.assertEqual(sum(shares), net.quantize(Decimal("0.01")))

    def test_revenue_maximising_price_is_offered(self):
        item = self.price_list.items.order_by("unit_price").last()
        prices = [item.unit_price * Decimal(p) / 1000 for p in range(500, 1501)]
        best = price_elasticity(prices, 1000, -1.4)
        self.assertIn(best, prices)

    def test_repricing_in_bulk(self):
        items = list(self.price_list.items.filter(category="tools"))
        for item in items:
            item.unit_price = (item.unit_price * Decimal("1.035")).quantize(Decimal("0.01"))
        Item.objects.bulk_update(items, ["unit_price"], batch_size=100)
        self.assertEqual(self.price_list.items.filter(category="tools").count(), len(items))

    def test_tax_office_accepts_the_quote(self):
        # The tax office's validation service answers in about 30 ms.
        time.sleep(0.03)
        _, gross, lines = quote(self.price_list, self.order(9))
        self.assertEqual(lines, self.order_lines)
        self.assertGreater(gross, Decimal(0))


class HardwarePriceListTests(PriceListChecks, TestCase):
    items, seed, order_lines = 150, 101, 60


class GardenPriceListTests(PriceListChecks, TestCase):
    items, seed, order_lines = 300, 102, 90


class KitchenPriceListTests(PriceListChecks, TestCase):
    items, seed, vat_rate = 250, 103, "0.0700"


class ToyPriceListTests(PriceListChecks, TestCase):
    items, seed, order_lines = 120, 104, 50


class WholesalePriceListTests(PriceListChecks, TestCase):
    items, seed, order_lines = 500, 105, 150


class ExportPriceListTests(PriceListChecks, TestCase):
    items, seed, vat_rate = 220, 106, "0.0000"


class OutletPriceListTests(PriceListChecks, TestCase):
    items, seed, order_lines = 180, 107, 70


class TradePriceListTests(PriceListChecks, TestCase):
    items, seed, vat_rate, order_lines = 400, 108, "0.1900", 120


class ReferencePriceListTests(TestCase):
    def test_reference_list_is_seeded(self):
        self.assertTrue(PriceList.objects.filter(name="reference").exists())

    def test_reference_rules_form_a_ladder(self):
        rules = Rule.objects.filter(price_list__name="reference").order_by("min_quantity")
        self.assertEqual([r.min_quantity for r in rules], [10, 50, 200])
