"""Reporting queries over a catalogue of a few hundred products."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Avg, Count, F, Max, Min, Q, Sum
from django.test import TestCase

from catalog.models import Category, Product

from .factories import make_category, make_products

CATEGORY_COUNT = 12
PRODUCTS_PER_CATEGORY = 50


class ProductQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.categories = [make_category(f"query-{i:02d}") for i in range(CATEGORY_COUNT)]
        for category in cls.categories:
            make_products(category.slug, category, PRODUCTS_PER_CATEGORY)
        # Every fifth product is retired, so filters have something to exclude.
        retired = Product.objects.filter(category__in=cls.categories).order_by("pk")[::5]
        Product.objects.filter(pk__in=[p.pk for p in retired]).update(is_active=False)
        cls.scope = Product.objects.filter(category__in=cls.categories)

    def test_total_count(self):
        self.assertEqual(self.scope.count(), CATEGORY_COUNT * PRODUCTS_PER_CATEGORY)

    def test_active_count(self):
        self.assertEqual(self.scope.filter(is_active=True).count(), 480)

    def test_price_bounds(self):
        bounds = self.scope.aggregate(low=Min("price"), high=Max("price"))
        self.assertEqual(bounds, {"low": Decimal("1.00"), "high": Decimal("50.00")})

    def test_average_price(self):
        self.assertEqual(self.scope.aggregate(avg=Avg("price"))["avg"], Decimal("25.5"))

    def test_stock_value(self):
        value = self.scope.aggregate(value=Sum(F("price") * F("stock")))["value"]
        self.assertEqual(value, Decimal(CATEGORY_COUNT * 10 * sum(range(1, 51))))

    def test_counts_per_category(self):
        counts = Category.objects.filter(pk__in=[c.pk for c in self.categories]).annotate(
            n=Count("products")
        )
        self.assertEqual({c.n for c in counts}, {PRODUCTS_PER_CATEGORY})

    def test_active_counts_per_category(self):
        counts = (
            Category.objects.filter(pk__in=[c.pk for c in self.categories])
            .annotate(n=Count("products", filter=Q(products__is_active=True)))
            .values_list("n", flat=True)
        )
        self.assertEqual(sum(counts), 480)

    def test_cheap_or_out_of_stock(self):
        self.scope.filter(price__gte=45).update(stock=0)
        matched = self.scope.filter(Q(price__lt=5) | Q(stock=0))
        self.assertEqual(matched.count(), CATEGORY_COUNT * 10)

    def test_bulk_price_increase(self):
        self.scope.update(price=F("price") * 2)
        self.assertEqual(self.scope.aggregate(high=Max("price"))["high"], Decimal("100.00"))

    def test_bulk_update_stock(self):
        products = list(self.scope.filter(category=self.categories[0]))
        for product in products:
            product.stock = 99
        Product.objects.bulk_update(products, ["stock"])
        self.assertEqual(self.scope.filter(stock=99).count(), PRODUCTS_PER_CATEGORY)

    def test_values_list_names(self):
        names = list(
            self.scope.filter(category=self.categories[1]).values_list("name", flat=True)[:3]
        )
        self.assertEqual(len(names), 3)
        self.assertTrue(all(name.startswith("query-01 product") for name in names))

    def test_select_related_avoids_queries(self):
        with self.assertNumQueries(1):
            slugs = {p.category.slug for p in self.scope.select_related("category")}
        self.assertEqual(len(slugs), CATEGORY_COUNT)

    def test_in_bulk_by_sku(self):
        found = Product.objects.in_bulk(["query-00-00001", "query-11-00050"], field_name="sku")
        self.assertEqual(set(found), {"query-00-00001", "query-11-00050"})

    def test_iterator_streams_everything(self):
        total = sum(1 for _ in self.scope.iterator(chunk_size=100))
        self.assertEqual(total, 600)

    def test_exists(self):
        self.assertTrue(self.scope.filter(price=Decimal(50)).exists())
        self.assertFalse(self.scope.filter(price__gt=Decimal(50)).exists())

    def test_delete_inactive(self):
        deleted, _ = self.scope.filter(is_active=False).delete()
        self.assertEqual(deleted, 120)
        self.assertEqual(self.scope.count(), 480)

    def test_distinct_prices(self):
        prices = self.scope.values("price").distinct().count()
        self.assertEqual(prices, PRODUCTS_PER_CATEGORY)


class CatalogAggregateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.books = make_category("agg-books")
        cls.games = make_category("agg-games")
        make_products("AGB", cls.books, 80, stock=3)
        make_products("AGG", cls.games, 40, stock=7)
        Product.objects.filter(category=cls.games, price__gt=30).update(is_active=False)

    def test_count_by_category(self):
        rows = dict(
            Product.objects.filter(category__slug__startswith="agg-")
            .values_list("category__slug")
            .annotate(n=Count("pk"))
        )
        self.assertEqual(rows, {"agg-books": 80, "agg-games": 40})

    def test_stock_by_category(self):
        rows = dict(
            Product.objects.filter(category__slug__startswith="agg-")
            .values_list("category__slug")
            .annotate(units=Sum("stock"))
        )
        self.assertEqual(rows, {"agg-books": 240, "agg-games": 280})

    def test_inactive_games(self):
        self.assertEqual(Product.objects.filter(category=self.games, is_active=False).count(), 10)

    def test_most_expensive_book(self):
        self.assertEqual(
            Product.objects.filter(category=self.books).order_by("-price").first().sku, "AGB-00080"
        )

    def test_price_buckets(self):
        scope = Product.objects.filter(category=self.books)
        buckets = [
            scope.filter(price__gte=low, price__lt=low + 20).count() for low in range(0, 100, 20)
        ]
        self.assertEqual(buckets, [19, 20, 20, 20, 1])

    def test_annotate_discounted_price(self):
        product = (
            Product.objects.filter(sku="AGB-00010")
            .annotate(discounted=F("price") * Decimal("0.9"))
            .get()
        )
        self.assertEqual(product.discounted.quantize(Decimal("0.01")), Decimal("9.00"))

    def test_update_returns_row_count(self):
        self.assertEqual(
            Product.objects.filter(category=self.books, price__lte=10).update(stock=0), 10
        )

    def test_get_or_create_existing(self):
        product, created = Product.objects.get_or_create(
            sku="AGG-00001", defaults={"name": "x", "category": self.games, "price": 1}
        )
        self.assertFalse(created)
        self.assertEqual(product.category, self.games)

    def test_update_or_create_new(self):
        _, created = Product.objects.update_or_create(
            sku="AGG-99999", defaults={"name": "late", "category": self.games, "price": 9}
        )
        self.assertTrue(created)
        self.assertEqual(Product.objects.filter(category=self.games).count(), 41)

    def test_subquery_of_categories(self):
        with_books = Category.objects.filter(
            products__in=Product.objects.filter(sku__startswith="AGB")
        ).distinct()
        self.assertEqual(list(with_books), [self.books])
