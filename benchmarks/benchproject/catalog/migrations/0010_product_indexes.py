from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_pricechange")]

    operations = [
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["category", "is_active"], name="product_category_active"),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["name"], name="product_name"),
        ),
    ]
