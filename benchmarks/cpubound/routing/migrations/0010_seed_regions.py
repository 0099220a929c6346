"""Data migration: the regions every installation starts with."""

from __future__ import annotations

from django.db import migrations

REGIONS = [
    ("NORTH", "North", "1.710"),
    ("SOUTH", "South", "1.590"),
    ("EAST", "East", "1.640"),
    ("WEST", "West", "1.680"),
    ("ALPS", "Alps", "1.790"),
    ("COAST", "Coast", "1.620"),
]


def seed(apps, schema_editor):
    Region = apps.get_model("routing", "Region")
    for code, name, fuel in REGIONS:
        Region.objects.update_or_create(code=code, defaults={"name": name, "fuel_price": fuel})


class Migration(migrations.Migration):
    dependencies = [("routing", "0009_vehicle")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
