from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_seed_tax_rates")]

    operations = [
        migrations.AddField(
            model_name="invoice",
            name="tax",
            field=models.DecimalField(decimal_places=2, default=0, max_digits=12),
        ),
    ]
