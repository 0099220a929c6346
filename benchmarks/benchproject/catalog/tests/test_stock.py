"""Stock bookkeeping under real transactions (commits, rollbacks, on_commit hooks)."""

from __future__ import annotations

from django.db import transaction
from django.test import TransactionTestCase

from catalog.models import Product
from catalog.services import OutOfStock, restock, take_stock

from .factories import make_category, make_products


class StockTransactionTests(TransactionTestCase):
    def setUp(self):
        category = make_category("stock-tx")
        self.products = make_products("STK", category, 10, stock=5)

    def test_take_stock_commits(self):
        take_stock(self.products[0].pk, 2)
        self.assertEqual(Product.objects.get(pk=self.products[0].pk).stock, 3)

    def test_out_of_stock_changes_nothing(self):
        with self.assertRaises(OutOfStock):
            take_stock(self.products[1].pk, 6)
        self.assertEqual(Product.objects.get(pk=self.products[1].pk).stock, 5)

    def test_outer_rollback_undoes_take(self):
        try:
            with transaction.atomic():
                take_stock(self.products[2].pk, 5)
                raise RuntimeError("payment failed")
        except RuntimeError:
            pass
        self.assertEqual(Product.objects.get(pk=self.products[2].pk).stock, 5)

    def test_on_commit_runs_after_commit(self):
        events = []
        with transaction.atomic():
            take_stock(self.products[3].pk, 1)
            transaction.on_commit(lambda: events.append("reserved"))
            self.assertEqual(events, [])
        self.assertEqual(events, ["reserved"])

    def test_restock(self):
        restock(self.products[4].pk, 20)
        self.assertEqual(Product.objects.get(pk=self.products[4].pk).stock, 25)

    def test_sell_out_everything(self):
        for product in self.products:
            take_stock(product.pk, 5)
        self.assertEqual(Product.objects.filter(stock=0).count(), 10)

    def test_table_starts_empty_of_other_tests_rows(self):
        self.assertEqual(Product.objects.count(), 10)
