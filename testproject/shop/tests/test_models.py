"""ORM tests of the shop models against data built once per class."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, DecimalField, ExpressionWrapper, F, Sum
from django.test import TestCase

from shop.models import Customer, Order, OrderLine, Product, Tag


def make_products(cls) -> None:
    cls.kettle = Product.objects.create(
        sku="KTL-0001", name="Kettle", price=Decimal("24.99"), stock=10
    )
    cls.mug = Product.objects.create(sku="MUG-0002", name="Mug", price=Decimal("6.50"), stock=40)
    cls.teapot = Product.objects.create(
        sku="TPT-0003", name="Teapot", price=Decimal("31.00"), stock=0
    )


class ProductQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_products(cls)

    def test_in_stock(self):
        self.assertQuerySetEqual(Product.objects.filter(stock__gt=0), [self.kettle, self.mug])

    def test_cheaper_than(self):
        self.assertQuerySetEqual(Product.objects.filter(price__lt=Decimal(10)), [self.mug])

    def test_average_price(self):
        average = Product.objects.aggregate(avg=Avg("price"))["avg"]
        self.assertAlmostEqual(float(average), (24.99 + 6.50 + 31.00) / 3, places=2)

    def test_stock_value(self):
        value = ExpressionWrapper(
            F("price") * F("stock"), output_field=DecimalField(max_digits=12, decimal_places=2)
        )
        total = Product.objects.aggregate(total=Sum(value))["total"]
        self.assertEqual(Decimal(total).quantize(Decimal("0.01")), Decimal("509.90"))

    def test_price_increase_with_f(self):
        Product.objects.update(price=F("price") + 1)
        self.kettle.refresh_from_db()
        self.assertEqual(self.kettle.price, Decimal("25.99"))

    def test_price_restored_between_tests(self):
        self.assertEqual(Product.objects.get(pk=self.kettle.pk).price, Decimal("24.99"))

    def test_get_or_create_existing(self):
        product, created = Product.objects.get_or_create(sku="MUG-0002", defaults={"price": 1})
        self.assertFalse(created)
        self.assertEqual(product, self.mug)

    def test_full_clean_rejects_bad_sku(self):
        with self.assertRaises(ValidationError) as caught:
            Product(sku="bad", name="Bad", price=Decimal(1)).full_clean()
        self.assertIn("sku", caught.exception.message_dict)

    def test_values_list_ordered_by_sku(self):
        self.assertEqual(
            list(Product.objects.values_list("sku", flat=True)),
            ["KTL-0001", "MUG-0002", "TPT-0003"],
        )


class OrderAggregateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_products(cls)
        cls.alice = Customer.objects.create(name="Alice", email="alice@example.com")
        cls.bruno = Customer.objects.create(name="Bruno", email="bruno@example.com")
        cls.first = Order.objects.create(
            customer=cls.alice,
            created=datetime.datetime(2024, 1, 5, 10, tzinfo=datetime.timezone.utc),
        )
        OrderLine.objects.create(
            order=cls.first, product=cls.kettle, quantity=1, unit_price=Decimal("24.99")
        )
        OrderLine.objects.create(
            order=cls.first, product=cls.mug, quantity=4, unit_price=Decimal("6.50")
        )
        cls.second = Order.objects.create(
            customer=cls.alice,
            status=Order.Status.SHIPPED,
            created=datetime.datetime(2024, 2, 5, 10, tzinfo=datetime.timezone.utc),
        )
        OrderLine.objects.create(
            order=cls.second, product=cls.mug, quantity=2, unit_price=Decimal("6.00")
        )
        cls.third = Order.objects.create(
            customer=cls.bruno,
            status=Order.Status.CANCELLED,
            created=datetime.datetime(2024, 3, 5, 10, tzinfo=datetime.timezone.utc),
        )

    def test_order_total(self):
        self.assertEqual(self.first.total(), Decimal("50.99"))

    def test_empty_order_total(self):
        self.assertEqual(self.third.total(), Decimal("0.00"))

    def test_orders_per_customer(self):
        counts = dict(Customer.objects.annotate(n=Count("orders")).values_list("name", "n"))
        self.assertEqual(counts, {"Alice": 2, "Bruno": 1})

    def test_quantity_sold_per_product(self):
        sold = dict(
            Product.objects.annotate(n=Sum("order_lines__quantity")).values_list("sku", "n")
        )
        self.assertEqual(sold, {"KTL-0001": 1, "MUG-0002": 6, "TPT-0003": None})

    def test_filter_by_status(self):
        self.assertQuerySetEqual(Order.objects.filter(status=Order.Status.SHIPPED), [self.second])

    def test_filter_by_month(self):
        self.assertQuerySetEqual(Order.objects.filter(created__month=2), [self.second])

    def test_ship_all_placed(self):
        shipped = Order.objects.filter(status=Order.Status.PLACED).update(
            status=Order.Status.SHIPPED
        )
        self.assertEqual(shipped, 1)
        self.assertEqual(Order.objects.filter(status=Order.Status.SHIPPED).count(), 2)

    def test_customers_who_bought_mugs(self):
        buyers = Customer.objects.filter(orders__lines__product=self.mug).distinct()
        self.assertQuerySetEqual(buyers, [self.alice])

    def test_status_display(self):
        self.assertEqual(self.third.get_status_display(), "Cancelled")


class ProductTagTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_products(cls)
        cls.kitchen = Tag.objects.create(name="kitchen")
        cls.gift = Tag.objects.create(name="gift")
        cls.kettle.tags.add(cls.kitchen)
        cls.mug.tags.add(cls.kitchen, cls.gift)
        cls.teapot.tags.add(cls.gift)

    def test_products_with_tag(self):
        self.assertQuerySetEqual(self.kitchen.products.all(), [self.kettle, self.mug])

    def test_tags_of_product(self):
        self.assertEqual(list(self.mug.tags.values_list("name", flat=True)), ["gift", "kitchen"])

    def test_tag_counts(self):
        counts = dict(Tag.objects.annotate(n=Count("products")).values_list("name", "n"))
        self.assertEqual(counts, {"gift": 2, "kitchen": 2})

    def test_clear_tags(self):
        self.mug.tags.clear()
        self.assertEqual(self.gift.products.count(), 1)

    def test_through_table_rows(self):
        self.assertEqual(Product.tags.through.objects.count(), 4)

    def test_products_with_both_tags(self):
        both = Product.objects.filter(tags=self.kitchen).filter(tags=self.gift)
        self.assertQuerySetEqual(both, [self.mug])

    def test_untagged_after_delete(self):
        self.gift.delete()
        self.assertFalse(self.teapot.tags.exists())
