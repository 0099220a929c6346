from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_product_description")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="weight_kg",
            field=models.DecimalField(blank=True, decimal_places=3, max_digits=7, null=True),
        ),
    ]
