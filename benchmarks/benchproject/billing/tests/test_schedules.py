"""Instalment plans and ledger checksums: pure-Python work, about 50 ms a test."""

from __future__ import annotations

import random
from decimal import Decimal

from django.test import SimpleTestCase

from billing.schedules import instalments, ledger_checksum, simulate_portfolio


def portfolio(seed: int, size: int) -> list[tuple[Decimal, Decimal, int]]:
    rng = random.Random(seed)
    return [
        (
            Decimal(rng.randrange(1_000, 50_000)),
            Decimal(rng.randrange(0, 900)) / 10_000,
            rng.choice((120, 240, 360)),
        )
        for _ in range(size)
    ]


class InstalmentScheduleTests(SimpleTestCase):
    def test_month_count(self):
        self.assertEqual(len(instalments(Decimal(10000), Decimal("0.05"), 360)), 360)

    def test_interest_free_plan_sums_to_principal(self):
        self.assertEqual(sum(instalments(Decimal(1200), Decimal(0), 12)), Decimal("1200.00"))

    def test_payments_are_equal_but_last(self):
        plan = instalments(Decimal(25000), Decimal("0.04"), 240)
        self.assertEqual(len(set(plan[:-1])), 1)

    def test_last_payment_close_to_others(self):
        plan = instalments(Decimal(25000), Decimal("0.04"), 240)
        self.assertLess(abs(plan[-1] - plan[0]), Decimal("5.00"))

    def test_interest_costs_money(self):
        self.assertGreater(sum(instalments(Decimal(10000), Decimal("0.06"), 120)), Decimal(10000))

    def test_portfolio_small(self):
        self.assertGreater(simulate_portfolio(portfolio(1, 600)), 0)

    def test_portfolio_is_deterministic(self):
        self.assertEqual(
            simulate_portfolio(portfolio(2, 300)), simulate_portfolio(portfolio(2, 300))
        )

    def test_portfolio_grows_with_size(self):
        self.assertLess(
            simulate_portfolio(portfolio(3, 250)), simulate_portfolio(portfolio(3, 500))
        )

    def test_portfolio_at_least_principal(self):
        loans = portfolio(4, 700)
        self.assertGreaterEqual(
            simulate_portfolio(loans), sum(principal for principal, _, _ in loans)
        )

    def test_higher_rate_costs_more(self):
        cheap = sum(sum(instalments(Decimal(9000), Decimal("0.02"), 360)) for _ in range(150))
        dear = sum(sum(instalments(Decimal(9000), Decimal("0.08"), 360)) for _ in range(150))
        self.assertLess(cheap, dear)


class LedgerChecksumTests(SimpleTestCase):
    entries = [(random.Random(i).randrange(1000), i * 7919 % 100_000) for i in range(120_000)]

    def test_order_independent(self):
        shuffled = self.entries[:]
        random.Random(5).shuffle(shuffled)
        self.assertEqual(ledger_checksum(shuffled), ledger_checksum(self.entries))

    def test_changes_with_amount(self):
        changed = self.entries[:-1] + [(self.entries[-1][0], self.entries[-1][1] + 1)]
        self.assertNotEqual(ledger_checksum(changed), ledger_checksum(self.entries))

    def test_in_range(self):
        self.assertTrue(0 <= ledger_checksum(self.entries) < 1_000_000_007)

    def test_empty_ledger(self):
        self.assertEqual(ledger_checksum([]), 0)
        self.assertGreater(ledger_checksum(self.entries[:60_000]), -1)

    def test_duplicate_entries_count(self):
        doubled = self.entries[:60_000] * 2
        self.assertNotEqual(ledger_checksum(doubled), ledger_checksum(self.entries[:60_000]))

    def test_balances_per_account(self):
        balances: dict[int, int] = {}
        for account, cents in sorted(self.entries):
            balances[account] = balances.get(account, 0) + cents
        self.assertEqual(sum(balances.values()), sum(cents for _, cents in self.entries))
