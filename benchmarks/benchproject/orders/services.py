"""Placing, cancelling and shipping orders."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog.models import Product
from catalog.services import restock, take_stock

from .models import Customer, Order, OrderLine
from .shipping import CarrierClient

LOYALTY_POINTS_PER_EURO = 1


class OrderError(Exception):
    """Raised when an order cannot move to the requested state."""


@transaction.atomic
def place_order(customer: Customer, items: dict[int, int], note: str = "") -> Order:
    """Create an order from {product_id: quantity}, taking the units from stock."""
    if not items:
        raise OrderError("an order needs at least one line")
    order = Order.objects.create(customer=customer, note=note)
    total = Decimal(0)
    for product_id, quantity in sorted(items.items()):
        product = take_stock(product_id, quantity)
        OrderLine.objects.create(
            order=order, product=product, quantity=quantity, unit_price=product.price
        )
        total += product.price * quantity
    order.total = total
    order.save(update_fields=["total"])
    return order


@transaction.atomic
def mark_paid(order: Order) -> Order:
    if order.status != Order.Status.PENDING:
        raise OrderError(f"order {order.pk} is {order.status}, not pending")
    order.status = Order.Status.PAID
    order.save(update_fields=["status"])
    points = int(order.total) * LOYALTY_POINTS_PER_EURO
    Customer.objects.filter(pk=order.customer_id).update(
        loyalty_points=F("loyalty_points") + points
    )
    return order


@transaction.atomic
def cancel_order(order: Order) -> Order:
    if order.status in (Order.Status.SHIPPED, Order.Status.CANCELLED):
        raise OrderError(f"order {order.pk} is {order.status} and cannot be cancelled")
    for line in order.lines.all():
        restock(line.product_id, line.quantity)
    order.status = Order.Status.CANCELLED
    order.save(update_fields=["status"])
    return order


def ship_order(order: Order, country: str, carrier: CarrierClient | None = None) -> str:
    """Book the parcel with the carrier (a network call), then record the shipment."""
    if order.status != Order.Status.PAID:
        raise OrderError(f"order {order.pk} is {order.status}, only paid orders ship")
    weight = sum(
        (line.quantity * (weight or Decimal("0.5")) for line, weight in _line_weights(order)),
        Decimal(0),
    )
    tracking = (carrier or CarrierClient()).book(order.pk, weight, country)
    order.status = Order.Status.SHIPPED
    order.shipped_at = timezone.now()
    order.save(update_fields=["status", "shipped_at"])
    return tracking


def _line_weights(order: Order):
    weights = dict(
        Product.objects.filter(pk__in=order.lines.values("product_id")).values_list(
            "pk", "weight_kg"
        )
    )
    return [(line, weights[line.product_id]) for line in order.lines.all()]
