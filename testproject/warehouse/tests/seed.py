"""Realistic stock data for the warehouse tests: items, warehouses and a year of movements."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from warehouse.models import Item, Movement, Warehouse

YEAR_START = datetime(2025, 1, 1, tzinfo=timezone.utc)


def warehouses(*codes: str) -> list[Warehouse]:
    """One warehouse per code."""
    return [Warehouse.objects.create(code=code, name=f"Warehouse {code}") for code in codes]


def items(count: int, prefix: str = "ITM") -> list[Item]:
    """``count`` items, saved one by one as an admin or a form would."""
    made = []
    for number in range(count):
        item = Item(
            sku=f"{prefix}-{number:05d}",
            name=f"Item {number}",
            unit_cost=Decimal(number % 50 + 1) / 4,
            reorder_level=number % 7 * 5,
        )
        item.full_clean()
        item.save()
        made.append(item)
    return made


def daily_movements(item: Item, warehouse: Warehouse, days: int, seed: int) -> list[Movement]:
    """A receipt every week and a small shipment most days, from YEAR_START on."""
    chance = random.Random(seed)
    movements = []
    for day in range(days):
        moved_at = YEAR_START + timedelta(days=day, hours=9)
        if day % 7 == 0:
            quantity, kind = chance.randint(20, 40), Movement.Kind.RECEIPT
        else:
            quantity, kind = -chance.randint(0, 4), Movement.Kind.SHIPMENT
        if quantity:
            movements.append(
                Movement(
                    item=item, warehouse=warehouse, quantity=quantity, kind=kind, moved_at=moved_at
                )
            )
    return Movement.objects.bulk_create(movements)
