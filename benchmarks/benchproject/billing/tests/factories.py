"""Builders of invoiced orders for billing tests."""

from __future__ import annotations

from billing.models import Invoice
from billing.services import issue_invoice
from catalog.tests.factories import make_category, make_products
from orders.tests.factories import make_customer, make_order


def make_invoices(prefix: str, count: int, country: str = "XX") -> list[Invoice]:
    """One customer, `count` products priced 1..count, one single-line invoiced order each."""
    products = make_products(prefix, make_category(prefix.lower()), count)
    customer = make_customer(prefix.lower())
    return [issue_invoice(make_order(customer, [(product, 1)]), country) for product in products]
