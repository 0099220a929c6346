"""CSV imports of movements: row by row, each in its own transaction, bad rows reported."""

from __future__ import annotations

from django.test import TransactionTestCase

from warehouse.models import Movement, StockCount
from warehouse.services import import_movements, reconcile, stock_level
from warehouse.tests import seed

HEADER = "warehouse,sku,quantity,kind,reference\n"


class ImportTests(TransactionTestCase):
    def setUp(self):
        self.north, self.south = seed.warehouses("NORTH", "SOUTH")
        self.items = seed.items(80)

    def export(self, lines: list[str]) -> str:
        return HEADER + "".join(line + "\n" for line in lines)

    def test_imports_every_good_row(self):
        lines = [f"NORTH,{item.sku},7,receipt,PO-{n}" for n, item in enumerate(self.items)]
        lines += [f"NORTH,{item.sku},3,shipment,SO-{n}" for n, item in enumerate(self.items)]
        result = import_movements(self.export(lines))
        self.assertEqual((result.created, result.errors), (2 * len(self.items), []))
        for item in self.items:
            self.assertEqual(stock_level(item, self.north), 4)

    def test_reports_bad_rows_and_keeps_the_others(self):
        lines = [f"SOUTH,{item.sku},2,receipt," for item in self.items]
        lines.insert(1, "WEST,ITM-00000,1,receipt,")
        lines.insert(3, "SOUTH,NOPE-1,1,receipt,")
        lines.insert(5, f"SOUTH,{self.items[0].sku},5,shipment,")
        result = import_movements(self.export(lines))
        self.assertEqual(result.created, len(self.items))
        self.assertEqual(len(result.errors), 3)
        self.assertIn("line 3: unknown warehouse 'WEST'", result.errors)
        self.assertTrue(result.errors[2].startswith("line 7: ITM-00000: fewer than 5"))

    def test_refuses_other_columns(self):
        with self.assertRaisesMessage(ValueError, "expected the columns"):
            import_movements("sku,quantity\nITM-00000,1\n")
        self.assertFalse(Movement.objects.exists())

    def test_reimport_doubles_the_stock(self):
        text = self.export([f"SOUTH,{item.sku},4,receipt,R" for item in self.items])
        import_movements(text)
        import_movements(text)
        for item in self.items:
            self.assertEqual(stock_level(item, self.south), 8)


class ReconcileTests(TransactionTestCase):
    def setUp(self):
        (self.north,) = seed.warehouses("NORTH")
        self.items = seed.items(80)
        for number, item in enumerate(self.items):
            seed.daily_movements(item, self.north, 60, seed=number)

    def test_counts_become_the_stock(self):
        for number, item in enumerate(self.items):
            StockCount.objects.create(warehouse=self.north, item=item, counted=number % 9)
        reconcile(self.north)
        for number, item in enumerate(self.items):
            self.assertEqual(stock_level(item, self.north), number % 9)

    def test_matching_counts_adjust_nothing(self):
        for item in self.items:
            StockCount.objects.create(
                warehouse=self.north, item=item, counted=stock_level(item, self.north)
            )
        self.assertEqual(reconcile(self.north), [])

    def test_latest_count_wins(self):
        for item in self.items:
            StockCount.objects.create(warehouse=self.north, item=item, counted=50)
            StockCount.objects.create(warehouse=self.north, item=item, counted=3)
        reconcile(self.north)
        for item in self.items:
            self.assertEqual(stock_level(item, self.north), 3)
