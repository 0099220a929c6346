from decimal import Decimal

from django.db import migrations


def backfill_totals(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    for order in Order.objects.prefetch_related("lines"):
        order.total = sum(
            (line.unit_price * line.quantity for line in order.lines.all()), Decimal(0)
        )
        order.save(update_fields=["total"])


class Migration(migrations.Migration):
    dependencies = [("orders", "0007_order_status_index")]

    operations = [migrations.RunPython(backfill_totals, migrations.RunPython.noop)]
