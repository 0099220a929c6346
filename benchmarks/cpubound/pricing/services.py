"""Quoting: discount rules, VAT and rounding in Decimal, as invoices need."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
CATEGORIES = ("general", "tools", "garden", "kitchen", "toys")


def make_price_list(name: str, items: int, seed: int, vat_rate: str = "0.2000"):
    """A price list with ``items`` items and a rule ladder per category."""
    from .models import Item, PriceList, Rule

    rng = random.Random(seed)
    price_list = PriceList.objects.create(name=name, vat_rate=Decimal(vat_rate))
    Item.objects.bulk_create(
        Item(
            price_list=price_list,
            sku=f"{name[:6].upper()}-{i:05d}",
            unit_price=Decimal(rng.randint(99, 99999)) / 100,
            weight_g=rng.randint(10, 20000),
            category=CATEGORIES[i % len(CATEGORIES)],
        )
        for i in range(items)
    )
    Rule.objects.bulk_create(
        Rule(
            price_list=price_list,
            min_quantity=quantity,
            percent_off=Decimal(percent),
            category=category,
            priority=priority,
        )
        for priority, (quantity, percent) in enumerate(((10, "2.50"), (50, "5.00"), (200, "7.50")))
        for category in ("", *CATEGORIES[:3])
    )
    return price_list


def best_discount(rules, category: str, quantity: int) -> Decimal:
    """The largest percent off among the rules that apply to ``quantity`` of ``category``."""
    applicable = [
        r.percent_off for r in rules if r.min_quantity <= quantity and r.category in ("", category)
    ]
    return max(applicable, default=Decimal(0))


def line_total(unit_price: Decimal, quantity: int, percent_off: Decimal) -> Decimal:
    gross = unit_price * quantity
    return (gross - gross * percent_off / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def quote(price_list, order: list[tuple[str, int]]) -> tuple[Decimal, Decimal, int]:
    """(net, gross with VAT, lines) of an order of (sku, quantity) pairs."""
    items = {i.sku: i for i in price_list.items.filter(sku__in=[sku for sku, _ in order])}
    rules = list(price_list.rules.all())
    net = Decimal(0)
    for sku, quantity in order:
        item = items[sku]
        net += line_total(item.unit_price, quantity, best_discount(rules, item.category, quantity))
    gross = (net * (1 + price_list.vat_rate)).quantize(CENT, rounding=ROUND_HALF_EVEN)
    return net, gross, len(order)


def random_order(price_list, lines: int, seed: int) -> list[tuple[str, int]]:
    rng = random.Random(seed)
    skus = list(price_list.items.values_list("sku", flat=True))
    return [(rng.choice(skus), rng.choice((1, 2, 5, 12, 60, 250))) for _ in range(lines)]


def amortize(
    principal: Decimal, annual_rate: Decimal, months: int
) -> list[tuple[Decimal, Decimal]]:
    """(interest, principal) per month of an annuity loan, rounded to the cent."""
    rate = annual_rate / 12
    payment = (principal * rate / (1 - (1 + rate) ** -months)).quantize(CENT)
    schedule, balance = [], principal
    for month in range(months):
        interest = (balance * rate).quantize(CENT)
        repaid = balance if month == months - 1 else payment - interest
        schedule.append((interest, repaid))
        balance -= repaid
    return schedule


def allocate(total: Decimal, weights: list[int]) -> list[Decimal]:
    """Split ``total`` by ``weights`` to the cent, largest remainders first, summing exactly."""
    cents = int((total / CENT).to_integral_value())
    whole = sum(weights)
    shares = [cents * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: -(cents * weights[i] % whole))
    for i in remainders[: cents - sum(shares)]:
        shares[i] += 1
    return [Decimal(s) * CENT for s in shares]


def price_elasticity(prices: list[Decimal], base_demand: int, elasticity: float) -> Decimal:
    """The revenue-maximising price among ``prices`` under constant elasticity demand."""
    reference = prices[len(prices) // 2]
    best = max(
        prices,
        key=lambda p: p * Decimal(base_demand * (float(p / reference) ** elasticity)),
    )
    return best
