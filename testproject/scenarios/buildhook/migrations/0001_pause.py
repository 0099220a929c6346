"""Creates one table, then pauses while BUILD_HOOK_DIR asks it to (see the app's docstring)."""

import os
import time
from pathlib import Path

from django.db import migrations, models

WAIT_SECONDS = 300  # a scenario that forgets to release or kill the run still ends


def pause(apps, schema_editor):
    folder = os.environ.get("BUILD_HOOK_DIR")
    if not folder:
        return
    Path(folder, "migrating").write_text(str(os.getpid()))
    deadline = time.monotonic() + WAIT_SECONDS
    while not Path(folder, "release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Built",
            fields=[("id", models.BigAutoField(primary_key=True, serialize=False))],
        ),
        migrations.RunPython(pause, migrations.RunPython.noop),
    ]
