"""Data migration: depots created before capacity existed get one from their lanes."""

from __future__ import annotations

from django.db import migrations


def backfill(apps, schema_editor):
    Depot = apps.get_model("routing", "Depot")
    for depot in Depot.objects.filter(capacity=100).iterator():
        depot.capacity = 50 + 25 * depot.lanes_out.count()
        depot.save(update_fields=["capacity"])


class Migration(migrations.Migration):
    dependencies = [("routing", "0010_seed_regions")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
