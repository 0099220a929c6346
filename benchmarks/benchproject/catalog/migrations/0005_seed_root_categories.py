from django.db import migrations

# Slugs no test creates itself, so seeded rows never collide with test data.
ROOT_CATEGORIES = [("uncategorised", "Uncategorised"), ("gift-cards", "Gift cards")]


def seed(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    for slug, name in ROOT_CATEGORIES:
        Category.objects.get_or_create(slug=slug, defaults={"name": name})


def unseed(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    Category.objects.filter(slug__in=[slug for slug, _ in ROOT_CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_category_parent")]

    operations = [migrations.RunPython(seed, unseed)]
