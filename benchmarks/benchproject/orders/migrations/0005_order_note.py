from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("orders", "0004_customer_loyalty_points")]

    operations = [
        migrations.AddField(
            model_name="order",
            name="note",
            field=models.TextField(blank=True),
        ),
    ]
