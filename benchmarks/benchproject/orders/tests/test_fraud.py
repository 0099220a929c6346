"""The fraud model: Monte Carlo scoring, about 50 ms a test."""

from __future__ import annotations

from django.test import SimpleTestCase

from orders.fraud import risk_score

HISTORY = [20.0, 25.0, 22.5, 30.0, 18.0, 27.5, 24.0, 21.0]


class FraudScoreTests(SimpleTestCase):
    def test_typical_amount_scores_middle(self):
        self.assertTrue(0.3 < risk_score(1, HISTORY + [23.0]) < 0.7)

    def test_huge_amount_scores_high(self):
        self.assertGreater(risk_score(1, HISTORY + [500.0]), 0.99)

    def test_tiny_amount_scores_low(self):
        self.assertLess(risk_score(1, HISTORY + [1.0]), 0.01)

    def test_deterministic_per_customer(self):
        self.assertEqual(risk_score(7, HISTORY + [26.0]), risk_score(7, HISTORY + [26.0]))

    def test_single_purchase_is_neutral(self):
        self.assertEqual(risk_score(1, [99.0]), 0.5)

    def test_flat_history(self):
        self.assertGreater(risk_score(2, [10.0, 10.0, 10.0, 11.0]), 0.5)

    def test_monotonic_in_amount(self):
        scores = [
            risk_score(3, HISTORY + [amount], samples=30_000) for amount in (15.0, 25.0, 35.0)
        ]
        self.assertEqual(scores, sorted(scores))

    def test_more_samples_agree(self):
        coarse = risk_score(4, HISTORY + [28.0], samples=40_000)
        fine = risk_score(4, HISTORY + [28.0], samples=120_000)
        self.assertAlmostEqual(coarse, fine, delta=0.02)
