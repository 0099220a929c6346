from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("orders", "0008_backfill_order_totals")]

    operations = [
        migrations.AddConstraint(
            model_name="orderline",
            constraint=models.UniqueConstraint(
                fields=["order", "product"], name="orderline_unique_product"
            ),
        ),
    ]
