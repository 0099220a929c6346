"""Data migration: the stop words tokenising leaves out."""

from __future__ import annotations

from django.db import migrations

STOP_WORDS = [
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "has",
    "he",
    "in",
    "is",
    "it",
    "its",
    "of",
    "on",
    "or",
    "that",
    "the",
    "to",
    "was",
    "were",
    "will",
    "with",
]


def seed(apps, schema_editor):
    StopWord = apps.get_model("textmine", "StopWord")
    StopWord.objects.bulk_create([StopWord(word=w) for w in STOP_WORDS], ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("textmine", "0008_similarity_method")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
