from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_payment")]

    operations = [
        migrations.CreateModel(
            name="TaxRate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("country", models.CharField(max_length=2, unique=True)),
                ("rate", models.DecimalField(decimal_places=4, max_digits=5)),
            ],
            options={"ordering": ["country"]},
        ),
    ]
