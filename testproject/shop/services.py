"""Placing and cancelling orders with stock kept consistent inside one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from shop.models import Customer, Order, OrderLine, Product


class OutOfStock(Exception):
    """A product has fewer items in stock than ordered."""


def place_order(customer: Customer, items: Iterable[tuple[Product, int]]) -> Order:
    """Create the order and take its items from stock, all or nothing."""
    with transaction.atomic():
        order = Order.objects.create(customer=customer)
        for product, quantity in items:
            # A conditional UPDATE instead of read-then-write: two concurrent orders
            # cannot both take the last item.
            taken = Product.objects.filter(pk=product.pk, stock__gte=quantity).update(
                stock=F("stock") - quantity
            )
            if not taken:
                raise OutOfStock(f"not enough {product.sku} in stock for {quantity}")
            OrderLine.objects.create(
                order=order, product=product, quantity=quantity, unit_price=product.price
            )
    return order


def cancel_order(order: Order) -> None:
    """Put the items back in stock and mark the order cancelled."""
    with transaction.atomic():
        for line in order.lines.all():
            Product.objects.filter(pk=line.product_id).update(stock=F("stock") + line.quantity)
        order.status = Order.Status.CANCELLED
        order.save(update_fields=["status"])
