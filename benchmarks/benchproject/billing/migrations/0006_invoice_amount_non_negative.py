from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("billing", "0005_invoice_tax")]

    operations = [
        migrations.AddConstraint(
            model_name="invoice",
            constraint=models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="invoice_amount_non_negative"
            ),
        ),
    ]
