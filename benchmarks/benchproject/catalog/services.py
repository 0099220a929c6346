"""Catalog operations the rest of the shop relies on."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F

from .models import Category, PriceChange, Product


class OutOfStock(Exception):
    """Raised when a product has fewer units than requested."""


def descendant_ids(category: Category) -> list[int]:
    """Ids of a category and every category below it, breadth first."""
    found = [category.pk]
    frontier = [category.pk]
    while frontier:
        frontier = list(
            Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        found.extend(frontier)
    return found


def active_products_in(category: Category):
    return Product.objects.filter(category_id__in=descendant_ids(category), is_active=True)


@transaction.atomic
def change_price(product: Product, new_price: Decimal) -> PriceChange:
    change = PriceChange.objects.create(
        product=product, old_price=product.price, new_price=new_price
    )
    product.price = new_price
    product.save(update_fields=["price", "updated_at"])
    return change


@transaction.atomic
def take_stock(product_id: int, quantity: int) -> Product:
    """Remove units from stock; the row lock keeps two checkouts from overselling."""
    product = Product.objects.select_for_update().get(pk=product_id)
    if product.stock < quantity:
        raise OutOfStock(f"{product.sku}: {product.stock} in stock, {quantity} requested")
    Product.objects.filter(pk=product_id).update(stock=F("stock") - quantity)
    product.refresh_from_db()
    return product


def restock(product_id: int, quantity: int) -> None:
    Product.objects.filter(pk=product_id).update(stock=F("stock") + quantity)
