from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("orders", "0006_order_shipped_at")]

    operations = [
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["status", "created_at"], name="order_status_created"),
        ),
    ]
