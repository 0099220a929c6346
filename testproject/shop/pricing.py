"""Money arithmetic on Decimals: rounding, discounts, VAT and totals."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_money(amount: Decimal) -> Decimal:
    """Round to cents, halves away from zero as shop tills do (not banker's rounding)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def apply_discount(amount: Decimal, percent: Decimal | int) -> Decimal:
    """``amount`` reduced by ``percent`` (0-100), rounded to cents."""
    percent = Decimal(percent)
    if not 0 <= percent <= 100:
        raise ValueError(f"discount must be between 0 and 100 percent, got {percent}")
    return round_money(amount * (100 - percent) / 100)


def add_vat(net: Decimal, rate: Decimal | int) -> Decimal:
    """Gross price for a net price and a VAT rate in percent."""
    rate = Decimal(rate)
    if rate < 0:
        raise ValueError(f"VAT rate cannot be negative, got {rate}")
    return round_money(net * (100 + rate) / 100)


def line_total(unit_price: Decimal, quantity: int) -> Decimal:
    if quantity < 0:
        raise ValueError(f"quantity cannot be negative, got {quantity}")
    return round_money(unit_price * quantity)


def order_total(lines: Iterable[tuple[Decimal, int]]) -> Decimal:
    """Sum of (unit price, quantity) lines, each rounded before adding."""
    return sum((line_total(price, quantity) for price, quantity in lines), Decimal("0.00"))
