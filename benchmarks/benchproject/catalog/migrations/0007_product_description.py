from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_tag")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="description",
            field=models.TextField(blank=True),
        ),
    ]
