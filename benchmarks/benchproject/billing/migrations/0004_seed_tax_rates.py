from decimal import Decimal

from django.db import migrations

# Countries no test creates itself, so seeded rows never collide with test data.
SEEDED_RATES = {"DE": Decimal("0.19"), "FR": Decimal("0.20"), "NL": Decimal("0.21")}


def seed(apps, schema_editor):
    TaxRate = apps.get_model("billing", "TaxRate")
    TaxRate.objects.bulk_create([TaxRate(country=c, rate=r) for c, r in SEEDED_RATES.items()])


def unseed(apps, schema_editor):
    apps.get_model("billing", "TaxRate").objects.filter(country__in=SEEDED_RATES).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_taxrate")]

    operations = [migrations.RunPython(seed, unseed)]
