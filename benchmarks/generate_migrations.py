"""Write benchmarks/migrationheavy/: four apps with hundreds of migrations, like an old project.

    python benchmarks/generate_migrations.py [--per-app 180]

The output is deterministic and committed; rerun this script after changing it. Every app
starts with a few models, then evolves one migration at a time through the operations a
long-lived project accumulates: new fields, altered fields, renames, removals, indexes,
new models with foreign keys, and RunPython data migrations that load and rewrite rows
through the historical models. Each app's ``models.py`` is written from the final state,
so ``manage.py makemigrations --check`` finds nothing to do.
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import dataclass, field
from pathlib import Path

OUTPUT_DIR = Path(__file__).resolve().parent / "migrationheavy"
HEAVY_APPS = {
    # app: initial models; every app also depends on the standard suite's last migrations.
    "ledger": ["Account", "Journal", "Entry"],
    "warehouse": ["Site", "Bin", "Movement"],
    "crm": ["Contact", "Campaign", "Touchpoint"],
    "audit": ["Actor", "Event", "Snapshot"],
}
# What the heavy apps' first migrations depend on: the standard apps' latest migrations.
STANDARD_DEPENDENCIES = [
    ("catalog", "0011_product_timestamps"),
    ("orders", "0009_orderline_unique_product"),
    ("billing", "0006_invoice_amount_non_negative"),
]
# The operation each migration number performs, in a repeating cycle.
CYCLE = [
    "add_char",
    "add_int",
    "data",
    "alter_char",
    "add_index",
    "add_decimal",
    "data",
    "rename",
    "add_bool",
    "remove",
    "data",
    "create_model",
]
# Every this many migrations, an app also depends on the previous app's same-numbered one,
# so the graph interleaves the apps as real projects' graphs do.
CROSS_APP_EVERY = 10
ROWS_PER_DATA_MIGRATION = 30


@dataclass
class Field:
    kind: str  # char, int, decimal, bool, fk
    options: dict = field(default_factory=dict)
    indexed: bool = False

    def expression(self) -> str:
        if self.kind == "char":
            return (
                f'models.CharField(default="", max_length={self.options["max_length"]}'
                + (", db_index=True" if self.options.get("db_index") else "")
                + ")"
            )
        if self.kind == "int":
            return "models.IntegerField(default=0)"
        if self.kind == "decimal":
            return 'models.DecimalField(decimal_places=2, default="0.00", max_digits=12)'
        if self.kind == "bool":
            return "models.BooleanField(default=False)"
        if self.kind == "fk":
            return (
                f'models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", '
                f'to="{self.options["to"]}")'
            )
        raise ValueError(self.kind)


@dataclass
class Model:
    name: str
    fields: dict[str, Field] = field(default_factory=dict)
    indexes: list[tuple[str, str]] = field(default_factory=list)  # (index name, field)


@dataclass
class Migration:
    name: str
    dependencies: list[tuple[str, str]]
    operations: list[str]
    functions: list[str] = field(default_factory=list)


@dataclass
class AppState:
    label: str
    models: dict[str, Model] = field(default_factory=dict)
    migrations: list[Migration] = field(default_factory=list)
    counter: int = 0

    def next_field(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}_{self.counter}"


def create_model_operation(model: Model) -> str:
    fields = [
        (
            '("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, '
            'verbose_name="ID"))'
        )
    ]
    fields += [f'("{name}", {f.expression()})' for name, f in model.fields.items()]
    body = ",\n                ".join(fields)
    return (
        f'migrations.CreateModel(\n            name="{model.name}",\n            fields=[\n'
        f"                {body},\n            ],\n        )"
    )


def initial_migration(app: AppState, model_names: list[str]) -> Migration:
    operations = []
    previous = None
    for name in model_names:
        model = Model(name)
        model.fields["label"] = Field("char", {"max_length": 60})
        model.fields["weight"] = Field("int")
        if previous is not None:
            model.fields["parent"] = Field("fk", {"to": f"{app.label}.{previous.lower()}"})
        app.models[name] = model
        operations.append(create_model_operation(model))
        previous = name
    return Migration("0001_initial", list(STANDARD_DEPENDENCIES), operations)


def data_function(app: AppState, number: int) -> tuple[str, str]:
    """A RunPython forward function that inserts rows and rewrites them in bulk."""
    model = app.models[sorted(app.models)[number % len(app.models)]]
    name = f"forwards_{number:04d}"
    fks = [n for n, f in model.fields.items() if f.kind == "fk"]
    chars = [n for n, f in model.fields.items() if f.kind == "char"]
    ints = [n for n, f in model.fields.items() if f.kind == "int"]
    lines = [
        f"def {name}(apps, schema_editor):",
        f'    """Backfill {model.name}: insert a batch of rows, then rewrite them."""',
        f'    Model = apps.get_model("{app.label}", "{model.name}")',
    ]
    if fks:
        target = model.fields[fks[0]].options["to"]
        lines.append(f'    parent = first_row(apps, "{target}")')
        row = f"{fks[0]}=parent"
    else:
        row = ""
    text_field = chars[0]
    lines += [
        "    Model.objects.bulk_create(",
        f'        Model({row}{", " if row else ""}{text_field}=f"m{number:04d}-{{i}}")',
        f"        for i in range({ROWS_PER_DATA_MIGRATION})",
        "    )",
    ]
    if ints:
        lines += [
            "    for row in Model.objects.filter(",
            f'        {text_field}__startswith="m{number:04d}-"',
            "    ):",
            f"        row.{ints[0]} = len(row.{text_field})",
            f'        row.save(update_fields=["{ints[0]}"])',
        ]
    return name, "\n".join(lines)


def evolve(app: AppState, number: int, kind: str) -> tuple[list[str], list[str]]:
    """One migration's operations and RunPython functions for operation ``kind``."""
    names = sorted(app.models)
    model = app.models[names[number % len(names)]]
    model_ref = model.name.lower()
    if kind in ("add_char", "add_int", "add_decimal", "add_bool"):
        new = Field(kind.removeprefix("add_"), {"max_length": 40} if kind == "add_char" else {})
        field_name = app.next_field(kind.removeprefix("add_"))
        model.fields[field_name] = new
        return [
            (
                f'migrations.AddField(\n            model_name="{model_ref}",\n'
                f'            name="{field_name}",\n            field={new.expression()},\n        )'
            )
        ], []
    if kind == "alter_char":
        field_name = next(
            (n for n, f in reversed(model.fields.items()) if f.kind == "char" and not f.indexed),
            None,
        )
        if field_name is None:
            return evolve(app, number, "add_char")
        altered = model.fields[field_name]
        altered.options["max_length"] += 20
        altered.options["db_index"] = not altered.options.get("db_index", False)
        return [
            (
                f'migrations.AlterField(\n            model_name="{model_ref}",\n'
                f'            name="{field_name}",\n            field={altered.expression()},\n        )'
            )
        ], []
    if kind == "add_index":
        candidates = [
            n for n, f in model.fields.items() if f.kind in ("int", "decimal") and not f.indexed
        ]
        if not candidates:
            return evolve(app, number, "add_int")
        field_name = candidates[0]
        model.fields[field_name].indexed = True
        index_name = f"{app.label[:4]}_{number:04d}_idx"
        model.indexes.append((index_name, field_name))
        return [
            (
                f'migrations.AddIndex(\n            model_name="{model_ref}",\n'
                f'            index=models.Index(fields=["{field_name}"], name="{index_name}"),\n'
                "        )"
            )
        ], []
    if kind in ("rename", "remove"):
        candidates = [
            n
            for n, f in model.fields.items()
            if f.kind in ("int", "bool", "decimal") and not f.indexed and "_" in n
        ]
        if not candidates:
            return evolve(app, number, "add_bool")
        field_name = candidates[0]
        if kind == "remove":
            del model.fields[field_name]
            return [
                (
                    f'migrations.RemoveField(\n            model_name="{model_ref}",\n'
                    f'            name="{field_name}",\n        )'
                )
            ], []
        new_name = f"{field_name.split('_')[0]}_r{app.next_field('x').split('_')[1]}"
        model.fields = {(new_name if n == field_name else n): f for n, f in model.fields.items()}
        return [
            (
                f'migrations.RenameField(\n            model_name="{model_ref}",\n'
                f'            old_name="{field_name}",\n            new_name="{new_name}",\n        )'
            )
        ], []
    if kind == "create_model":
        new = Model(f"Record{number:04d}")
        new.fields["label"] = Field("char", {"max_length": 80})
        new.fields["weight"] = Field("int")
        new.fields["owner"] = Field("fk", {"to": f"{app.label}.{model_ref}"})
        app.models[new.name] = new
        return [create_model_operation(new)], []
    if kind == "data":
        function_name, source = data_function(app, number)
        return [
            f"migrations.RunPython({function_name}, migrations.RunPython.noop, elidable=False)"
        ], [source]
    raise ValueError(kind)


def build(per_app: int) -> dict[str, AppState]:
    apps = {label: AppState(label) for label in HEAVY_APPS}
    for label, model_names in HEAVY_APPS.items():
        apps[label].migrations.append(initial_migration(apps[label], model_names))
    labels = list(HEAVY_APPS)
    for number in range(2, per_app + 1):
        for position, label in enumerate(labels):
            app = apps[label]
            kind = CYCLE[(number + position * 3) % len(CYCLE)]
            operations, functions = evolve(app, number, kind)
            dependencies = [(label, app.migrations[-1].name)]
            if number % CROSS_APP_EVERY == 0 and position > 0:
                other = apps[labels[position - 1]]
                dependencies.append((other.label, other.migrations[-1].name))
            name = f"{number:04d}_{kind}"
            app.migrations.append(Migration(name, dependencies, operations, functions))
    return apps


FIRST_ROW_HELPER = '''def first_row(apps, label):
    """The first row of model ``label``, created with its own parents when there is none."""
    Model = apps.get_model(label)
    row = Model.objects.order_by("pk").first()
    if row is None:
        parents = {
            f.name: first_row(apps, f.related_model._meta.label)
            for f in Model._meta.concrete_fields
            if f.many_to_one
        }
        row = Model.objects.create(**parents)
    return row
'''


def render_migration(migration: Migration) -> str:
    dependencies = "".join(f'        ("{a}", "{n}"),\n' for a, n in migration.dependencies)
    operations = "".join(f"        {op},\n" for op in migration.operations)
    sources = [FIRST_ROW_HELPER, *migration.functions] if migration.functions else []
    functions = "".join(f"\n\n{source}\n" for source in sources)
    return (
        '"""Generated by benchmarks/generate_migrations.py; do not edit."""\n\n'
        "import django.db.models.deletion\n"
        "from django.db import migrations, models\n"
        f"{functions}\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [\n{dependencies}    ]\n\n"
        f"    operations = [\n{operations}    ]\n"
    )


def render_models(app: AppState) -> str:
    blocks = []
    for model in app.models.values():
        lines = [f"class {model.name}(models.Model):"]
        lines += [f"    {name} = {f.expression()}" for name, f in model.fields.items()]
        if model.indexes:
            lines.append("")
            lines.append("    class Meta:")
            lines.append("        indexes = [")
            lines += [
                f'            models.Index(fields=["{f}"], name="{n}"),' for n, f in model.indexes
            ]
            lines.append("        ]")
        blocks.append("\n".join(lines))
    return (
        f'"""Models of {app.label}: generated from its migrations\' final state; do not edit."""\n\n'
        "import django.db.models.deletion\n"
        "from django.db import models\n\n\n" + "\n\n\n".join(blocks) + "\n"
    )


def write(apps: dict[str, AppState]) -> int:
    count = 0
    for app in apps.values():
        directory = OUTPUT_DIR / app.label
        if directory.exists():
            shutil.rmtree(directory)
        (directory / "migrations").mkdir(parents=True)
        (directory / "__init__.py").write_text("")
        (directory / "migrations" / "__init__.py").write_text("")
        (directory / "models.py").write_text(render_models(app))
        for migration in app.migrations:
            path = directory / "migrations" / f"{migration.name}.py"
            path.write_text(render_migration(migration))
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-app", type=int, default=180, help="migrations per app (default 180)")
    args = parser.parse_args()
    count = write(build(args.per_app))
    print(f"Wrote {count} migrations in {len(HEAVY_APPS)} apps under {OUTPUT_DIR}")


if __name__ == "__main__":
    main()
