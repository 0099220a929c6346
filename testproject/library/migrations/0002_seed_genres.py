"""Seed the genres every library starts with (data that serialized_rollback must restore)."""

from __future__ import annotations

from django.db import migrations

SEED_GENRES = ["Maps", "Periodicals", "Reference"]


def add_genres(apps, schema_editor):
    Genre = apps.get_model("library", "Genre")
    alias = schema_editor.connection.alias
    Genre.objects.using(alias).bulk_create([Genre(name=name) for name in SEED_GENRES])


def remove_genres(apps, schema_editor):
    Genre = apps.get_model("library", "Genre")
    alias = schema_editor.connection.alias
    Genre.objects.using(alias).filter(name__in=SEED_GENRES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_genres, remove_genres),
    ]
