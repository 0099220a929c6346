"""Tokenising, counting and comparing documents: tf-idf, cosine, edit distance, shingles."""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections import Counter

WORD = re.compile(r"[a-z]+")
SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "qui", "dor", "len", "mar")


def vocabulary(size: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(size)})


def text(words: list[str], length: int, seed: int) -> str:
    """A document of ``length`` words drawn with a Zipf-like skew, reproducible from ``seed``."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    chosen = rng.choices(words, weights=weights, k=length)
    sentences = [" ".join(chosen[i : i + 12]).capitalize() + "." for i in range(0, length, 12)]
    return " ".join(sentences)


def tokens(body: str, stop_words: frozenset[str] = frozenset()) -> list[str]:
    return [t for t in WORD.findall(body.lower()) if t not in stop_words]


def term_frequencies(body: str, stop_words: frozenset[str] = frozenset()) -> Counter:
    return Counter(tokens(body, stop_words))


def tf_idf(documents: dict[int, Counter]) -> dict[int, dict[str, float]]:
    count = len(documents)
    document_frequency = Counter(term for counts in documents.values() for term in counts)
    vectors = {}
    for key, counts in documents.items():
        total = sum(counts.values())
        vectors[key] = {
            term: (n / total) * math.log((1 + count) / (1 + document_frequency[term]))
            for term, n in counts.items()
        }
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(weight * b.get(term, 0.0) for term, weight in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def shingles(body: str, size: int = 4) -> set[int]:
    words = tokens(body)
    return {hash(" ".join(words[i : i + size])) for i in range(len(words) - size + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def checksum(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def make_corpus(name: str, documents: int, length: int, seed: int):
    """A corpus of generated documents, their words counted and their terms stored."""
    from .models import Corpus, Document, Term

    corpus = Corpus.objects.create(name=name)
    words = vocabulary(300, seed)
    bodies = [text(words, length, seed * 1000 + i) for i in range(documents)]
    created = Document.objects.bulk_create(
        Document(
            corpus=corpus,
            title=f"{name} #{i}",
            body=body,
            words=len(tokens(body)),
            checksum=checksum(body),
        )
        for i, body in enumerate(bodies)
    )
    Term.objects.bulk_create(
        Term(document=document, token=token, count=count)
        for document in created
        for token, count in term_frequencies(document.body).most_common(25)
    )
    return corpus
