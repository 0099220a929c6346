"""TransactionTestCase on both aliases: commits and rollbacks on ``other`` stay there."""

from __future__ import annotations

from decimal import Decimal

from django.db import connections, transaction
from django.test import TransactionTestCase

from shop.models import Customer, Order, Product

OTHER = "other"


class ReplicaOrderTests(TransactionTestCase):
    databases = {"default", OTHER}

    def setUp(self):
        self.customer = Customer.objects.using(OTHER).create(
            name="Remote", email="remote@example.com"
        )
        self.product = Product.objects.using(OTHER).create(
            sku="RMT-0001", name="Remote widget", price=Decimal("9.99"), stock=2
        )

    def test_rows_committed_on_other_only(self):
        Order.objects.using(OTHER).create(customer=self.customer)
        self.assertEqual(Order.objects.using(OTHER).count(), 1)
        self.assertFalse(Order.objects.exists())

    def test_setup_rows_invisible_on_default(self):
        self.assertFalse(Customer.objects.filter(email="remote@example.com").exists())
        self.assertFalse(Product.objects.filter(sku="RMT-0001").exists())

    def test_rollback_on_other_keeps_default_commit(self):
        Customer.objects.create(name="Local", email="local@example.com")
        with self.assertRaises(RuntimeError), transaction.atomic(using=OTHER):
            Customer.objects.using(OTHER).create(name="Doomed", email="doomed@example.com")
            raise RuntimeError("roll back other only")
        self.assertTrue(Customer.objects.filter(name="Local").exists())
        self.assertFalse(Customer.objects.using(OTHER).filter(name="Doomed").exists())

    def test_same_primary_key_in_both_databases(self):
        local = Product.objects.create(
            pk=self.product.pk, sku="LCL-0001", name="Local widget", price=Decimal("1.00")
        )
        self.assertEqual(Product.objects.get(pk=local.pk).sku, "LCL-0001")
        self.assertEqual(Product.objects.using(OTHER).get(pk=local.pk).sku, "RMT-0001")

    def test_aliases_point_at_different_databases(self):
        default_name = connections["default"].settings_dict["NAME"]
        self.assertNotEqual(default_name, connections[OTHER].settings_dict["NAME"])

    def test_other_flushed_between_tests(self):
        # Only setUp's rows: every test's commits on ``other`` were flushed too.
        self.assertEqual(Customer.objects.using(OTHER).count(), 1)
        self.assertFalse(Order.objects.using(OTHER).exists())
