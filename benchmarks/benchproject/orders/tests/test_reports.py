"""Sales reports over a realistic order history (the heaviest setUpTestData)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db.models import Avg, Count, Max, Sum
from django.db.models.functions import TruncMonth
from django.test import TestCase
from django.utils import timezone

from catalog.tests.factories import make_category, make_products
from orders.models import Customer, Order, OrderLine

from .factories import make_customers

CUSTOMERS = 80
ORDERS = 1200
LINES_PER_ORDER = 3


class OrderReportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        rng = random.Random(42)
        products = make_products("RPT", make_category("reports"), 60)
        customers = make_customers("report", CUSTOMERS)
        statuses = [Order.Status.PAID] * 6 + [Order.Status.SHIPPED] * 3 + [Order.Status.CANCELLED]
        orders = Order.objects.bulk_create(
            Order(customer=rng.choice(customers), status=rng.choice(statuses))
            for _ in range(ORDERS)
        )
        lines = []
        for order in orders:
            for product in rng.sample(products, LINES_PER_ORDER):
                quantity = rng.randint(1, 4)
                lines.append(
                    OrderLine(
                        order=order, product=product, quantity=quantity, unit_price=product.price
                    )
                )
                order.total += product.price * quantity
        OrderLine.objects.bulk_create(lines, batch_size=500)
        # created_at is auto_now_add, so the history is spread over a year afterwards.
        start = timezone.now() - timedelta(days=365)
        for index, order in enumerate(orders):
            order.created_at = start + timedelta(days=31 * (index % 12), minutes=index)
        Order.objects.bulk_update(orders, ["total", "created_at"], batch_size=500)
        cls.orders = Order.objects.filter(customer__in=customers)
        cls.lines = OrderLine.objects.filter(order__customer__in=customers)

    def test_order_count(self):
        self.assertEqual(self.orders.count(), ORDERS)

    def test_every_order_has_lines(self):
        self.assertFalse(self.orders.filter(lines__isnull=True).exists())

    def test_line_count(self):
        self.assertEqual(self.lines.count(), ORDERS * LINES_PER_ORDER)

    def test_revenue_equals_sum_of_lines(self):
        revenue = self.orders.aggregate(total=Sum("total"))["total"]
        self.assertEqual(revenue, sum(line.unit_price * line.quantity for line in self.lines))

    def test_revenue_by_month(self):
        months = (
            self.orders.annotate(month=TruncMonth("created_at"))
            .values("month")
            .annotate(n=Count("pk"))
        )
        self.assertEqual(sum(row["n"] for row in months), ORDERS)
        self.assertGreaterEqual(len(months), 10)

    def test_status_breakdown(self):
        counts = dict(self.orders.values_list("status").annotate(n=Count("pk")))
        self.assertEqual(sum(counts.values()), ORDERS)
        self.assertGreater(counts["paid"], counts["cancelled"])

    def test_top_customers(self):
        top = (
            Customer.objects.filter(orders__in=self.orders)
            .annotate(spent=Sum("orders__total"))
            .order_by("-spent")[:5]
        )
        spent = [c.spent for c in top]
        self.assertEqual(spent, sorted(spent, reverse=True))

    def test_average_order_value(self):
        average = self.orders.aggregate(avg=Avg("total"))["avg"]
        self.assertGreater(average, Decimal(30))

    def test_best_selling_products(self):
        best = (
            self.lines.values("product__sku")
            .annotate(units=Sum("quantity"))
            .order_by("-units", "product__sku")[:10]
        )
        self.assertEqual(len(best), 10)

    def test_cancelled_orders_excluded_from_revenue(self):
        all_revenue = self.orders.aggregate(v=Sum("total"))["v"]
        kept = self.orders.exclude(status=Order.Status.CANCELLED).aggregate(v=Sum("total"))["v"]
        self.assertLess(kept, all_revenue)

    def test_largest_order(self):
        largest = self.orders.aggregate(m=Max("total"))["m"]
        self.assertEqual(self.orders.order_by("-total").first().total, largest)

    def test_archive_old_orders(self):
        cutoff = self.orders.order_by("created_at").values_list("created_at", flat=True)[
            ORDERS // 2
        ]
        archived = self.orders.filter(created_at__lt=cutoff).update(note="archived")
        self.assertEqual(self.orders.filter(note="archived").count(), archived)
