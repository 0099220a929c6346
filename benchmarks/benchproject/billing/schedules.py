"""Instalment plans and ledger checks, computed in Python (CPU-bound)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def instalments(principal: Decimal, yearly_rate: Decimal, months: int) -> list[Decimal]:
    """Equal monthly payments of an annuity loan; the last one absorbs rounding."""
    monthly = yearly_rate / 12
    if monthly == 0:
        payment = principal / months
    else:
        factor = (1 + monthly) ** months
        payment = principal * monthly * factor / (factor - 1)
    payment = payment.quantize(CENT, rounding=ROUND_HALF_UP)
    balance, plan = principal, []
    for _ in range(months - 1):
        interest = (balance * monthly).quantize(CENT, rounding=ROUND_HALF_UP)
        balance = balance + interest - payment
        plan.append(payment)
    plan.append((balance * (1 + monthly)).quantize(CENT, rounding=ROUND_HALF_UP))
    return plan


def simulate_portfolio(loans: list[tuple[Decimal, Decimal, int]]) -> Decimal:
    return sum((sum(instalments(*loan), Decimal(0)) for loan in loans), Decimal(0))


def ledger_checksum(entries: list[tuple[int, int]]) -> int:
    """Order-independent checksum of (account, cents) entries, via a full sort."""
    checksum = 0
    for position, (account, cents) in enumerate(sorted(entries)):
        checksum = (checksum * 31 + account * 7 + cents + position) % 1_000_000_007
    return checksum
