"""A migration that waits at the gate (SETUP_GATE_PHASE=migrate) while a test signals."""

from __future__ import annotations

from django.db import migrations

from scenarios.setup_gate import wait_at


def hold(apps, schema_editor) -> None:
    wait_at("migrate")


class Migration(migrations.Migration):
    dependencies: list = []
    operations = [migrations.RunPython(hold, migrations.RunPython.noop)]
