"""Receiving, shipping and moving stock; levels, reports, reorders, imports and counts."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce

from warehouse.models import Item, Movement, StockCount, Warehouse


class InsufficientStock(Exception):
    """A shipment or transfer asks for more than the warehouse holds."""


def stock_level(item: Item, warehouse: Warehouse | None = None, at: datetime | None = None) -> int:
    """Units of ``item`` on hand (in ``warehouse``, or everywhere), now or at ``at``."""
    movements = item.movements.all()
    if warehouse is not None:
        movements = movements.filter(warehouse=warehouse)
    if at is not None:
        movements = movements.filter(moved_at__lte=at)
    return movements.aggregate(total=Coalesce(Sum("quantity"), 0))["total"]


def receive(warehouse: Warehouse, item: Item, quantity: int, reference: str = "") -> Movement:
    """Book ``quantity`` units arriving in ``warehouse``."""
    if quantity <= 0:
        raise ValueError(f"a receipt needs a positive quantity, not {quantity}")
    return Movement.objects.create(
        item=item,
        warehouse=warehouse,
        quantity=quantity,
        kind=Movement.Kind.RECEIPT,
        reference=reference,
    )


def ship(warehouse: Warehouse, item: Item, quantity: int, reference: str = "") -> Movement:
    """Book ``quantity`` units leaving ``warehouse``; refuse more than it holds."""
    with transaction.atomic():
        # Lock the item row so two shipments cannot both take the last units.
        Item.objects.select_for_update().get(pk=item.pk)
        if stock_level(item, warehouse) < quantity:
            raise InsufficientStock(f"{item.sku}: fewer than {quantity} in {warehouse.code}")
        return Movement.objects.create(
            item=item,
            warehouse=warehouse,
            quantity=-quantity,
            kind=Movement.Kind.SHIPMENT,
            reference=reference,
        )


def transfer(item: Item, source: Warehouse, target: Warehouse, quantity: int) -> None:
    """Move units between warehouses: both movements or neither."""
    reference = f"transfer {source.code}->{target.code}"
    with transaction.atomic():
        Item.objects.select_for_update().get(pk=item.pk)
        if stock_level(item, source) < quantity:
            raise InsufficientStock(f"{item.sku}: fewer than {quantity} in {source.code}")
        Movement.objects.create(
            item=item,
            warehouse=source,
            quantity=-quantity,
            kind=Movement.Kind.TRANSFER,
            reference=reference,
        )
        Movement.objects.create(
            item=item,
            warehouse=target,
            quantity=quantity,
            kind=Movement.Kind.TRANSFER,
            reference=reference,
        )


@dataclass(frozen=True)
class ReportRow:
    """One line of a stock report."""

    sku: str
    on_hand: int
    value: Decimal


def stock_report(warehouse: Warehouse) -> list[ReportRow]:
    """Every item held in ``warehouse`` with its units and their value, by SKU."""
    value = ExpressionWrapper(
        F("on_hand") * F("unit_cost"), output_field=DecimalField(max_digits=14, decimal_places=2)
    )
    items = (
        Item.objects.annotate(
            on_hand=Coalesce(
                Sum("movements__quantity", filter=Q(movements__warehouse=warehouse)), 0
            )
        )
        .filter(on_hand__gt=0)
        .annotate(value=value)
        .order_by("sku")
    )
    return [ReportRow(item.sku, item.on_hand, item.value) for item in items]


def reorder_suggestions() -> list[tuple[str, int]]:
    """(SKU, units to order) for every item whose total stock is below its reorder level."""
    items = Item.objects.annotate(on_hand=Coalesce(Sum("movements__quantity"), 0)).filter(
        on_hand__lt=F("reorder_level")
    )
    return [(item.sku, 2 * item.reorder_level - item.on_hand) for item in items.order_by("sku")]


@dataclass
class ImportResult:
    """What an import created, and the rows it refused with why."""

    created: int = 0
    errors: list[str] = field(default_factory=list)


IMPORT_COLUMNS = ("warehouse", "sku", "quantity", "kind", "reference")


def import_movements(text: str) -> ImportResult:
    """Book the movements of a CSV export; a bad row is reported, the others are kept."""
    result = ImportResult()
    warehouses = {w.code: w for w in Warehouse.objects.all()}
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != IMPORT_COLUMNS:
        raise ValueError(f"expected the columns {', '.join(IMPORT_COLUMNS)}")
    for line, row in enumerate(reader, start=2):
        try:
            with transaction.atomic():
                _import_row(row, warehouses)
        except (ValueError, Item.DoesNotExist, InsufficientStock) as error:
            result.errors.append(f"line {line}: {error}")
        else:
            result.created += 1
    return result


def _import_row(row: dict[str, str], warehouses: dict[str, Warehouse]) -> None:
    warehouse = warehouses.get(row["warehouse"])
    if warehouse is None:
        raise ValueError(f"unknown warehouse {row['warehouse']!r}")
    item = Item.objects.get(sku=row["sku"])
    quantity = int(row["quantity"])
    if row["kind"] == Movement.Kind.RECEIPT:
        receive(warehouse, item, quantity, row["reference"])
    elif row["kind"] == Movement.Kind.SHIPMENT:
        ship(warehouse, item, quantity, row["reference"])
    else:
        raise ValueError(f"unknown kind {row['kind']!r}")


def reconcile(warehouse: Warehouse) -> list[Movement]:
    """Adjust the stock to the latest count of each counted item; the adjustments made."""
    adjustments = []
    latest: dict[int, StockCount] = {}
    for count in warehouse.counts.order_by("counted_at", "pk"):
        latest[count.item_id] = count
    with transaction.atomic():
        for count in latest.values():
            difference = count.counted - stock_level(count.item, warehouse)
            if difference:
                adjustments.append(
                    Movement.objects.create(
                        item=count.item,
                        warehouse=warehouse,
                        quantity=difference,
                        kind=Movement.Kind.ADJUSTMENT,
                        reference=f"count {count.pk}",
                    )
                )
    return adjustments
