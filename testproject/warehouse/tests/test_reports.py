"""Stock reports, history and reorders over a year of daily movements."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.test import TestCase

from warehouse.models import Item, Movement
from warehouse.services import reorder_suggestions, stock_level, stock_report
from warehouse.tests import seed


class YearOfMovements(TestCase):
    """A year of movements of many items in two warehouses, made once per class."""

    item_count = 60

    @classmethod
    def setUpTestData(cls):
        cls.north, cls.south = seed.warehouses("NORTH", "SOUTH")
        cls.items = seed.items(cls.item_count)
        for number, item in enumerate(cls.items):
            seed.daily_movements(item, cls.north, 365, seed=number)
            seed.daily_movements(item, cls.south, 120, seed=-number)


class StockReportTests(YearOfMovements):
    def test_report_matches_levels(self):
        report = {row.sku: row for row in stock_report(self.north)}
        for item in self.items:
            level = stock_level(item, self.north)
            if level > 0:
                self.assertEqual(report[item.sku].on_hand, level)
            else:
                self.assertNotIn(item.sku, report)

    def test_report_values_stock_at_cost(self):
        for row in stock_report(self.south):
            item = Item.objects.get(sku=row.sku)
            self.assertEqual(row.value, Decimal(row.on_hand) * item.unit_cost)

    def test_report_is_sorted_by_sku(self):
        skus = [row.sku for row in stock_report(self.north)]
        self.assertEqual(skus, sorted(skus))

    def test_warehouses_add_up_to_the_total(self):
        for item in self.items:
            both = stock_level(item, self.north) + stock_level(item, self.south)
            self.assertEqual(stock_level(item), both)


class HistoryTests(YearOfMovements):
    item_count = 30

    def test_level_at_each_month_end_is_the_running_sum(self):
        for item in self.items:
            running = 0
            movements = list(item.movements.filter(warehouse=self.north).order_by("moved_at"))
            for month in range(1, 13):
                month_end = seed.YEAR_START + timedelta(days=30 * month)
                running = sum(m.quantity for m in movements if m.moved_at <= month_end)
                self.assertEqual(stock_level(item, self.north, at=month_end), running)

    def test_nothing_before_the_first_movement(self):
        before = seed.YEAR_START - timedelta(days=1)
        for item in self.items:
            self.assertEqual(stock_level(item, at=before), 0)

    def test_weekly_receipts(self):
        for item in self.items:
            receipts = item.movements.filter(
                warehouse=self.north, kind=Movement.Kind.RECEIPT
            ).count()
            self.assertEqual(receipts, 53)  # day 0, 7, ..., 364


class ReorderTests(YearOfMovements):
    item_count = 40

    def test_suggests_items_below_their_level(self):
        suggested = dict(reorder_suggestions())
        for item in self.items:
            level = stock_level(item)
            if level < item.reorder_level:
                self.assertEqual(suggested[item.sku], 2 * item.reorder_level - level)
            else:
                self.assertNotIn(item.sku, suggested)

    def test_emptied_items_are_suggested(self):
        for item in self.items[:5]:
            item.reorder_level = 10
            item.save()
            Movement.objects.create(
                item=item,
                warehouse=self.north,
                quantity=-stock_level(item),
                kind=Movement.Kind.ADJUSTMENT,
            )
        suggested = dict(reorder_suggestions())
        for item in self.items[:5]:
            self.assertEqual(suggested[item.sku], 20)

    def test_restocking_removes_a_suggestion(self):
        for sku, quantity in reorder_suggestions():
            item = Item.objects.get(sku=sku)
            Movement.objects.create(
                item=item, warehouse=self.south, quantity=quantity, kind=Movement.Kind.RECEIPT
            )
        self.assertEqual(reorder_suggestions(), [])
