"""Builders of customers and orders for tests; usernames are unique to the caller's prefix."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User

from orders.models import Customer, Order, OrderLine


def make_customer(username: str, **fields) -> Customer:
    user = User.objects.create_user(username, f"{username}@example.com", "secret-password")
    return Customer.objects.create(user=user, **fields)


def make_customers(prefix: str, count: int) -> list[Customer]:
    """Bulk-create users and customers (no password hashing: they never log in)."""
    users = User.objects.bulk_create(User(username=f"{prefix}-{i:04d}") for i in range(count))
    if users and users[0].pk is None:  # backends that cannot return ids from bulk_create
        users = list(User.objects.filter(username__startswith=f"{prefix}-").order_by("username"))
    return Customer.objects.bulk_create(Customer(user=user) for user in users)


def make_order(customer: Customer, lines: list[tuple], status: str = Order.Status.PENDING) -> Order:
    """Create an order from [(product, quantity)], at the products' current prices."""
    order = Order.objects.create(customer=customer, status=status)
    OrderLine.objects.bulk_create(
        OrderLine(order=order, product=product, quantity=quantity, unit_price=product.price)
        for product, quantity in lines
    )
    order.total = sum((product.price * quantity for product, quantity in lines), Decimal(0))
    order.save(update_fields=["total"])
    return order
