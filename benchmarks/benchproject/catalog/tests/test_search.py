"""Search ranking and catalogue fingerprints: pure-Python work, about 50 ms a test."""

from __future__ import annotations

import random

from django.test import SimpleTestCase

from catalog.search import fingerprint, rank, similarity

WORDS = [
    "oak",
    "steel",
    "linen",
    "cotton",
    "lamp",
    "chair",
    "table",
    "shelf",
    "mirror",
    "vase",
    "rug",
    "desk",
    "stool",
    "bench",
    "clock",
]


def catalogue_names(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(3)) + f" {i}" for i in range(count)]


class SearchRankingTests(SimpleTestCase):
    names = catalogue_names(1, 3500)

    def test_exact_name_ranks_first(self):
        target = self.names[1234]
        self.assertEqual(rank(target, self.names, limit=1)[0][0], target)

    def test_scores_are_descending(self):
        scores = [score for _, score in rank("oak table", self.names, limit=50)]
        self.assertEqual(scores, sorted(scores, reverse=True))

    def test_limit(self):
        self.assertEqual(len(rank("lamp", self.names, limit=7)), 7)

    def test_typo_still_matches(self):
        best, score = rank("steal chiar", self.names, limit=1)[0]
        self.assertIn("steel", best)
        self.assertGreater(score, 0.25)

    def test_case_insensitive(self):
        self.assertEqual(
            rank("OAK LAMP", self.names, limit=5), rank("oak lamp", self.names, limit=5)
        )

    def test_unrelated_query_scores_low(self):
        self.assertLess(rank("zzzz qqqq", self.names, limit=1)[0][1], 0.2)

    def test_similarity_symmetric(self):
        pairs = zip(self.names[:2000], self.names[1500:3500], strict=True)
        self.assertTrue(all(abs(similarity(a, b) - similarity(b, a)) < 1e-12 for a, b in pairs))

    def test_similarity_identity(self):
        self.assertTrue(all(similarity(name, name) == 1.0 for name in self.names))

    def test_ranking_is_deterministic(self):
        self.assertEqual(
            rank("rug bench", self.names), rank("rug bench", list(reversed(self.names)))
        )

    def test_larger_catalogue(self):
        names = catalogue_names(2, 5000)
        self.assertEqual(rank(names[0], names, limit=1)[0][0], names[0])


class CatalogFingerprintTests(SimpleTestCase):
    rows = [(f"SKU-{i:05d}", i * 3 % 997, i % 13) for i in range(5000)]

    def test_fingerprint_is_stable(self):
        self.assertEqual(
            fingerprint(self.rows, rounds=90_000), fingerprint(self.rows, rounds=90_000)
        )

    def test_fingerprint_ignores_row_order(self):
        shuffled = self.rows[:]
        random.Random(3).shuffle(shuffled)
        self.assertEqual(
            fingerprint(shuffled, rounds=90_000), fingerprint(self.rows, rounds=90_000)
        )

    def test_fingerprint_changes_with_stock(self):
        changed = self.rows[:-1] + [(self.rows[-1][0], self.rows[-1][1], 99)]
        self.assertNotEqual(
            fingerprint(changed, rounds=90_000), fingerprint(self.rows, rounds=90_000)
        )

    def test_rounds_change_digest(self):
        self.assertNotEqual(
            fingerprint(self.rows, rounds=150_000), fingerprint(self.rows, rounds=150_001)
        )

    def test_digest_is_hex(self):
        self.assertEqual(len(fingerprint(self.rows, rounds=200_000)), 64)

    def test_sorted_rows_sum(self):
        rng = random.Random(4)
        values = [rng.random() for _ in range(150_000)]
        self.assertAlmostEqual(sum(sorted(values)), sum(values), places=6)
