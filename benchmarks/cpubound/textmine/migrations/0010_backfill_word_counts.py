"""Data migration: word counts and checksums of documents stored before they existed."""

from __future__ import annotations

import hashlib

from django.db import migrations


def backfill(apps, schema_editor):
    Document = apps.get_model("textmine", "Document")
    for document in Document.objects.filter(words=0).iterator():
        document.words = len(document.body.split())
        document.checksum = hashlib.sha256(document.body.encode()).hexdigest()
        document.save(update_fields=["words", "checksum"])


class Migration(migrations.Migration):
    dependencies = [("textmine", "0009_seed_stop_words")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
