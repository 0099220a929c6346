"""Data migration: the calendar series every installation starts with (a year of weekdays)."""

from __future__ import annotations

from django.db import migrations


def seed(apps, schema_editor):
    Series = apps.get_model("forecast", "Series")
    Observation = apps.get_model("forecast", "Observation")
    calendar, _ = Series.objects.get_or_create(name="calendar", defaults={"seasonality": 7})
    Observation.objects.bulk_create(
        [Observation(series=calendar, period=p, value=float(p % 7 < 5)) for p in range(364)],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("forecast", "0006_forecast_created")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
