"""Term statistics, similarity and near-duplicate detection over corpora of several sizes."""

from __future__ import annotations

import time
from collections import Counter

from django.db.models import Count, Sum
from django.test import TestCase

from textmine.models import Corpus, Document, Similarity, StopWord, Term
from textmine.services import (
    checksum,
    cosine,
    jaccard,
    levenshtein,
    make_corpus,
    shingles,
    term_frequencies,
    tf_idf,
    tokens,
)


class CorpusChecks:
    """The checks every corpus must pass; subclasses choose its size, length and seed."""

    documents = 20
    length = 300
    seed = 1

    @classmethod
    def setUpTestData(cls):
        cls.corpus = make_corpus(cls.__name__, cls.documents, cls.length, cls.seed)

    def stop_words(self) -> frozenset[str]:
        return frozenset(StopWord.objects.values_list("word", flat=True))

    def vectors(self):
        stop = self.stop_words()
        documents = self.corpus.documents.order_by("id")
        return tf_idf({d.pk: term_frequencies(d.body, stop) for d in documents})

    def test_stored_word_counts_match_the_bodies(self):
        for document in self.corpus.documents.all():
            self.assertEqual(document.words, len(tokens(document.body)))

    def test_stored_checksums_match_the_bodies(self):
        for document in self.corpus.documents.all():
            self.assertEqual(document.checksum, checksum(document.body))

    def test_stored_terms_are_the_most_common(self):
        for document in self.corpus.documents.prefetch_related("terms"):
            counts = term_frequencies(document.body)
            for term in document.terms.all():
                self.assertEqual(counts[term.token], term.count)

    def test_every_document_is_most_similar_to_itself(self):
        vectors = self.vectors()
        for key, vector in vectors.items():
            best = max(vectors, key=lambda other: cosine(vector, vectors[other]))
            self.assertEqual(best, key)

    def test_similarities_are_symmetric(self):
        vectors = self.vectors()
        keys = list(vectors)[:16]
        for a in keys:
            for b in keys:
                self.assertAlmostEqual(
                    cosine(vectors[a], vectors[b]), cosine(vectors[b], vectors[a])
                )

    def test_similar_pairs_are_stored(self):
        vectors = self.vectors()
        keys = list(vectors)
        pairs = [
            Similarity(left_id=a, right_id=b, score=cosine(vectors[a], vectors[b]))
            for i, a in enumerate(keys)
            for b in keys[i + 1 :]
        ]
        Similarity.objects.bulk_create(pairs)
        stored = Similarity.objects.filter(left__corpus=self.corpus)
        self.assertEqual(stored.count(), len(keys) * (len(keys) - 1) // 2)
        self.assertLessEqual(stored.order_by("-score").first().score, 1.0 + 1e-9)

    def test_near_duplicates_are_found(self):
        original = self.corpus.documents.order_by("id").first()
        words = original.body.split()
        copy = " ".join(words[:-3] + ["zzz", "yyy", "xxx"])
        score = jaccard(shingles(original.body), shingles(copy))
        others = [
            jaccard(shingles(original.body), shingles(d.body))
            for d in self.corpus.documents.exclude(pk=original.pk)
        ]
        self.assertGreater(score, max(others))

    def test_titles_within_edit_distance(self):
        # Openings compared pairwise, as a plagiarism check would.
        openings = list(self.corpus.documents.order_by("id").values_list("body", flat=True))
        openings = [body[:120] for body in openings[:16]]
        for a in openings:
            distances = [levenshtein(a, b) for b in openings]
            self.assertEqual(min(distances), 0)

    def test_corpus_term_totals(self):
        totals = (
            Term.objects.filter(document__corpus=self.corpus)
            .values("token")
            .annotate(total=Sum("count"), documents=Count("document"))
            .order_by("-total")
        )
        counted = Counter()
        for document in self.corpus.documents.all():
            counted.update(dict(term_frequencies(document.body).most_common(25)))
        top = totals.first()
        self.assertEqual(top["total"], counted[top["token"]])

    def test_index_service_accepts_the_corpus(self):
        # The search index answers in about 20 ms.
        time.sleep(0.02)
        self.assertEqual(Document.objects.filter(corpus=self.corpus).count(), self.documents)


class NewsCorpusTests(CorpusChecks, TestCase):
    documents, length, seed = 24, 260, 201


class LegalCorpusTests(CorpusChecks, TestCase):
    documents, length, seed = 18, 520, 202


class SupportCorpusTests(CorpusChecks, TestCase):
    documents, length, seed = 30, 180, 203


class ReviewsCorpusTests(CorpusChecks, TestCase):
    documents, length, seed = 40, 120, 204


class ManualsCorpusTests(CorpusChecks, TestCase):
    documents, length, seed = 16, 700, 205


class EmailCorpusTests(CorpusChecks, TestCase):
    documents, length, seed = 36, 150, 206


class PatentCorpusTests(CorpusChecks, TestCase):
    documents, length, seed = 20, 600, 207


class ForumCorpusTests(CorpusChecks, TestCase):
    documents, length, seed = 28, 220, 208


class StopWordTests(TestCase):
    def test_stop_words_are_seeded(self):
        self.assertTrue(StopWord.objects.filter(word="the").exists())

    def test_stop_words_leave_the_tokens(self):
        corpus = Corpus.objects.create(name="stop")
        document = Document.objects.create(corpus=corpus, title="t", body="The cat and the hat")
        stop = frozenset(StopWord.objects.values_list("word", flat=True))
        self.assertEqual(tokens(document.body, stop), ["cat", "hat"])
