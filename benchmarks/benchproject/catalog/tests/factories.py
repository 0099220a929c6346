"""Builders of catalogue rows for tests; every name is unique to the caller's prefix."""

from __future__ import annotations

from decimal import Decimal

from catalog.models import Category, Product, Tag


def make_category(slug: str, parent: Category | None = None) -> Category:
    return Category.objects.create(name=slug.replace("-", " ").title(), slug=slug, parent=parent)


def make_products(prefix: str, category: Category, count: int, **fields) -> list[Product]:
    """Bulk-create `count` products with prices 1.00 .. count.00 and stock 10 each."""
    defaults = {"stock": 10, "is_active": True}
    defaults.update(fields)
    return Product.objects.bulk_create(
        Product(
            sku=f"{prefix}-{index:05d}",
            name=f"{prefix} product {index}",
            category=category,
            price=Decimal(index),
            **defaults,
        )
        for index in range(1, count + 1)
    )


def make_tags(*names: str) -> list[Tag]:
    return [Tag.objects.create(name=name) for name in names]
