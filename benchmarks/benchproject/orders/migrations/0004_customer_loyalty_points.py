from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("orders", "0003_order_total")]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="loyalty_points",
            field=models.PositiveIntegerField(default=0),
        ),
    ]
