"""Data migration: flag observations far from their series median (robust z-score over 5)."""

from __future__ import annotations

import statistics

from django.db import migrations


def flag(apps, schema_editor):
    Series = apps.get_model("forecast", "Series")
    Observation = apps.get_model("forecast", "Observation")
    for series in Series.objects.all():
        values = list(Observation.objects.filter(series=series).values_list("id", "value"))
        if len(values) < 3:
            continue
        median = statistics.median(v for _, v in values)
        mad = statistics.median(abs(v - median) for _, v in values) or 1e-9
        outliers = [i for i, v in values if abs(0.6745 * (v - median) / mad) > 5]
        Observation.objects.filter(id__in=outliers).update(is_outlier=True)


class Migration(migrations.Migration):
    dependencies = [("forecast", "0007_seed_calendar_series")]

    operations = [migrations.RunPython(flag, migrations.RunPython.noop)]
