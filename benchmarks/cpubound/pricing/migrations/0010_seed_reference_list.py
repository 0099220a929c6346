"""Data migration: the reference price list, with the standard rule ladder."""

from __future__ import annotations

from django.db import migrations


def seed(apps, schema_editor):
    PriceList = apps.get_model("pricing", "PriceList")
    Rule = apps.get_model("pricing", "Rule")
    reference, _ = PriceList.objects.get_or_create(
        name="reference", defaults={"vat_rate": "0.2000"}
    )
    for priority, (quantity, percent) in enumerate(((10, "2.50"), (50, "5.00"), (200, "7.50"))):
        Rule.objects.get_or_create(
            price_list=reference,
            min_quantity=quantity,
            category="",
            defaults={"percent_off": percent, "priority": priority},
        )


class Migration(migrations.Migration):
    dependencies = [("pricing", "0009_quote_lines")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
