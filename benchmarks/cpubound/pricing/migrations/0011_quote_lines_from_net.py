"""Data migration: quotes made before line counts existed count one line per 100 of net."""

from __future__ import annotations

from django.db import migrations


def backfill(apps, schema_editor):
    Quote = apps.get_model("pricing", "Quote")
    for quote in Quote.objects.filter(lines=0).iterator():
        quote.lines = max(1, int(quote.net // 100))
        quote.save(update_fields=["lines"])


class Migration(migrations.Migration):
    dependencies = [("pricing", "0010_seed_reference_list")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
