"""The single edits of the mutation check (benchmarks/mutations.py), one frozen record each.

Every edit is real code the suites run: a changed constant or default argument, a flipped
comparison, a deleted line, an edited test, model method, test helper or settings, a
changed template or static file, a new migration. Many change some test's verdict (else
the check proves nothing); some change none (a comment, a dead function, a lock whose
absence no test sees). Paths are relative to the project's directory; an edit whose
``old`` is empty creates the file. ``SMOKE`` is the five-edit check the test suite runs.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = (
    "constant",
    "comparison",
    "deleted-line",
    "template",
    "static",
    "migration",
    "test",
    "test-helper",
    "default-argument",
    "model-method",
    "model-meta",
    "settings",
    "comment",
    "new-function",
)


@dataclass(frozen=True)
class Edit:
    """One edit: in ``project``'s ``path``, ``old`` (exactly once) becomes ``new``."""

    project: str  # a name of mutations.PROJECTS
    path: str
    old: str  # empty: the file is new
    new: str
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"edit kind {self.kind!r}: expected one of {', '.join(KINDS)}")

    @property
    def label(self) -> str:
        return f"{self.project}:{self.path} ({self.kind})"


TEMPLATE = """\
{% extends "base.html" %}
{% block content %}<p>Thank you for your order, {{ order.customer.name }}.</p>{% endblock %}
"""

SCHEMA_MIGRATION = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("{app}", "{previous}")]

    operations = [
        migrations.AddIndex(
            model_name="{model}", index=models.Index(fields=["{field}"], name="{name}")
        )
    ]
"""

DATA_MIGRATION = """\
from django.db import migrations


def seed(apps, schema_editor):
    model = apps.get_model("{app}", "{model}")
    model.objects.using(schema_editor.connection.alias).create({values})


class Migration(migrations.Migration):
    dependencies = [("{app}", "{previous}")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
"""


def schema_migration(project, app, number, previous, model, field) -> Edit:
    """A new migration that adds an index: the schema changes, no test's verdict does."""
    name = f"{app[:4]}_{field[:8]}_mut_idx"
    text = SCHEMA_MIGRATION.format(app=app, previous=previous, model=model, field=field, name=name)
    return Edit(project, f"{app}/migrations/{number}_mutation_index.py", "", text, "migration")


def data_migration(project, app, number, previous, model, values) -> Edit:
    """A new migration that inserts a row every test database then holds."""
    text = DATA_MIGRATION.format(app=app, previous=previous, model=model, values=values)
    return Edit(project, f"{app}/migrations/{number}_mutation_seed.py", "", text, "migration")


# The edits of the test suite's smoke check (SMOKE, below), named.
LOAN_PERIOD = Edit("demo", "library/loans.py", "LOAN_DAYS = 21", "LOAN_DAYS = 14", "constant")
SKU_LENGTH = Edit(
    "demo",
    "shop/sku.py",
    'if len(sku) == 7 and "-" not in sku:',
    'if len(sku) == 8 and "-" not in sku:',
    "comparison",
)
CHECKOUT_LOCK = Edit(
    "demo",
    "library/services.py",
    "        Book.objects.select_for_update().get(pk=book.pk)\n",
    "",
    "deleted-line",
)
RECEIPT_TEMPLATE = Edit("demo", "shop/templates/shop/receipt.html", "", TEMPLATE, "template")
SHOP_INDEX = schema_migration("demo", "shop", "0002", "0001_initial", "product", "name")

# -- the demo project (testproject/) -----------------------------------------------------------

DEMO = (
    Edit("demo", "shop/pricing.py", 'CENT = Decimal("0.01")', 'CENT = Decimal("0.1")', "constant"),
    LOAN_PERIOD,
    Edit(
        "demo",
        "library/loans.py",
        'FEE_CAP = Decimal("10.00")',
        'FEE_CAP = Decimal("12.00")',
        "constant",
    ),
    Edit("demo", "library/isbn.py", 'SEPARATORS = " -"', 'SEPARATORS = " "', "constant"),
    Edit("demo", "shop/sku.py", 'r"[A-Z]{3}-[0-9]{4}"', 'r"[A-Z]{3}-[0-9]{4,5}"', "constant"),
    Edit(
        "demo",
        "library/loans.py",
        "daily: Decimal = DAILY_FEE,",
        'daily: Decimal = Decimal("0.30"),',
        "default-argument",
    ),
    Edit(
        "demo",
        "shop/pricing.py",
        "if not 0 <= percent <= 100:",
        "if not 0 < percent <= 100:",
        "comparison",
    ),
    Edit(
        "demo",
        "library/loans.py",
        "if due.weekday() >= SATURDAY:",
        "if due.weekday() > SATURDAY:",
        "comparison",
    ),
    SKU_LENGTH,
    Edit(
        "demo",
        "library/isbn.py",
        'return "X" if check == 10 else str(check)',
        'return "X" if check >= 10 else str(check)',
        "comparison",
    ),
    Edit("demo", "shop/pricing.py", "    rate = Decimal(rate)\n", "", "deleted-line"),
    Edit(
        "demo",
        "shop/services.py",
        '        order.save(update_fields=["status"])\n',
        "",
        "deleted-line",
    ),
    CHECKOUT_LOCK,
    Edit(
        "demo",
        "shop/models.py",
        'return f"{self.sku} {self.name}"',
        'return f"{self.sku}: {self.name}"',
        "model-method",
    ),
    Edit(
        "demo",
        "library/models.py",
        "return loans.due_date(self.borrowed_on)",
        "return loans.due_date(self.borrowed_on, days=14)",
        "model-method",
    ),
    Edit(
        "demo",
        "shop/models.py",
        'ordering = ["name", "pk"]',
        'ordering = ["-name", "pk"]',
        "model-meta",
    ),
    Edit(
        "demo",
        "shop/tests/test_sku.py",
        'self.assertEqual(normalize_sku("ab12"), "AB12")',
        'self.assertEqual(normalize_sku("ab12"), "AB-12")',
        "test",
    ),
    Edit(
        "demo",
        "library/tests/test_loans.py",
        "class LateFeeTests(SimpleTestCase):\n",
        "class LateFeeTests(SimpleTestCase):\n    # Fees are in euros.\n",
        "test",
    ),
    Edit(
        "demo",
        "shop/pricing.py",
        '"""Gross price for a net price and a VAT rate in percent."""',
        '"""The gross price of ``net`` at a VAT ``rate`` in percent."""',
        "comment",
    ),
    Edit(
        "demo",
        "library/isbn.py",
        "def is_valid(value: str) -> bool:",
        "def is_isbn_like(value: str) -> bool:\n    return normalize(value).isdigit()\n\n\n"
        "def is_valid(value: str) -> bool:",
        "new-function",
    ),
    RECEIPT_TEMPLATE,
    Edit(
        "demo",
        "library/static/library/kinds-marker.txt",
        "STATIC-LIVE-SERVER-MARKER\n",
        "STATIC-LIVE-SERVER-MARKER, edited\n",
        "static",
    ),
    SHOP_INDEX,
    # The tests create a genre "Fantasy" too: unique names collide, verdicts change.
    data_migration("demo", "library", "0003", "0002_seed_genres", "Genre", 'name="Fantasy"'),
    Edit(
        "demo",
        "library/migrations/0002_seed_genres.py",
        'SEED_GENRES = ["Maps", "Periodicals", "Reference"]',
        'SEED_GENRES = ["Atlases", "Maps", "Periodicals", "Reference"]',
        "migration",
    ),
    Edit(
        "demo",
        "testproject/worker_setup.py",
        'FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]',
        'FAST_HASHERS = ["django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher"]',
        "settings",
    ),
    Edit(
        "demo",
        "testproject/database_url.py",
        'OTHER_SUFFIX = "_other"',
        'OTHER_SUFFIX = "_second"',
        "constant",
    ),
    Edit(
        "demo",
        "testproject/settings.py",
        'TIME_ZONE = "UTC"',
        'TIME_ZONE = "Europe/Paris"',
        "settings",
    ),
    # The warehouse app (DEMO_WAREHOUSE=on, the demo's default).
    Edit(
        "demo",
        "warehouse/services.py",
        "    if quantity <= 0:\n",
        "    if quantity < 0:\n",
        "comparison",
    ),
    Edit(
        "demo",
        "warehouse/services.py",
        "2 * item.reorder_level - item.on_hand",
        "3 * item.reorder_level - item.on_hand",
        "constant",
    ),
    Edit(
        "demo",
        "warehouse/tests/seed.py",
        "reorder_level=number % 7 * 5,",
        "reorder_level=number % 7 * 4,",
        "test-helper",
    ),
    Edit("demo", "warehouse/tests/seed.py", "if day % 7 == 0:", "if day % 8 == 0:", "test-helper"),
)

# -- the standard benchmark suite (benchmarks/benchproject/) ----------------------------------

STANDARD = (
    Edit(
        "standard",
        "orders/services.py",
        "LOYALTY_POINTS_PER_EURO = 1",
        "LOYALTY_POINTS_PER_EURO = 2",
        "constant",
    ),
    Edit("standard", "orders/shipping.py", '"FR": 2,', '"FR": 3,', "constant"),
    Edit(
        "standard",
        "billing/exchange.py",
        '"USD": Decimal("1.0850"),',
        '"USD": Decimal("1.0860"),',
        "constant",
    ),
    Edit(
        "standard",
        "catalog/feeds.py",
        "DEFAULT_LATENCY = 0.1",
        "DEFAULT_LATENCY = 0.05",
        "constant",
    ),
    Edit(
        "standard",
        "catalog/services.py",
        "if product.stock < quantity:",
        "if product.stock <= quantity:",
        "comparison",
    ),
    Edit(
        "standard",
        "billing/services.py",
        "invoice.paid = amount_paid(invoice) >= invoice.gross",
        "invoice.paid = amount_paid(invoice) > invoice.gross",
        "comparison",
    ),
    Edit(
        "standard",
        "orders/services.py",
        "if order.status != Order.Status.PENDING:",
        "if order.status == Order.Status.PENDING:",
        "comparison",
    ),
    Edit("standard", "billing/schedules.py", "if monthly == 0:", "if monthly <= 0:", "comparison"),
    Edit(
        "standard",
        "orders/services.py",
        '    order.save(update_fields=["total"])\n',
        "",
        "deleted-line",
    ),
    Edit("standard", "catalog/services.py", "    product.refresh_from_db()\n", "", "deleted-line"),
    Edit(
        "standard",
        "billing/services.py",
        '    invoice.save(update_fields=["paid"])\n',
        "",
        "deleted-line",
    ),
    Edit("standard", "catalog/search.py", "limit: int = 10", "limit: int = 5", "default-argument"),
    Edit(
        "standard",
        "orders/fraud.py",
        "samples: int = 90_000",
        "samples: int = 60_000",
        "default-argument",
    ),
    Edit(
        "standard",
        "billing/models.py",
        "return self.amount + self.tax",
        "return self.amount",
        "model-method",
    ),
    Edit("standard", "catalog/views.py", '"limit", 50)), 200)', '"limit", 50)), 100)', "constant"),
    Edit(
        "standard",
        "catalog/tests/factories.py",
        'defaults = {"stock": 10, "is_active": True}',
        'defaults = {"stock": 12, "is_active": True}',
        "test-helper",
    ),
    Edit(
        "standard",
        "orders/tests/test_fraud.py",
        "self.assertGreater(risk_score(1, HISTORY + [500.0]), 0.99)",
        "self.assertGreater(risk_score(1, HISTORY + [30.0]), 0.99)",
        "test",
    ),
    Edit(
        "standard",
        "billing/migrations/0004_seed_tax_rates.py",
        '"DE": Decimal("0.19")',
        '"DE": Decimal("0.16")',
        "migration",
    ),
    schema_migration("standard", "catalog", "0012", "0011_product_timestamps", "product", "sku"),
    Edit("standard", "catalog/templates/catalog/product.html", "", TEMPLATE, "template"),
    Edit(
        "standard",
        "benchsite/settings.py",
        'LANGUAGE_CODE = "en-us"',
        'LANGUAGE_CODE = "de"',
        "settings",
    ),
    Edit(
        "standard",
        "catalog/services.py",
        '"""Ids of a category and every category below it, breadth first."""',
        '"""The ids of ``category`` and of all its descendants."""',
        "comment",
    ),
)

# -- the CPU-bound suite (benchmarks/cpubound/) ----------------------------------------------
# make_network, make_price_list and make_corpus run in setUpTestData only: outside any test.

CPU_BOUND = (
    Edit("cpu-bound", "routing/services.py", "EARTH_KM = 6371.0", "EARTH_KM = 6378.0", "constant"),
    Edit(
        "cpu-bound",
        "pricing/services.py",
        '(50, "5.00"), (200, "7.50")',
        '(50, "5.00"), (200, "8.00")',
        "constant",
    ),
    Edit(
        "cpu-bound",
        "textmine/services.py",
        'WORD = re.compile(r"[a-z]+")',
        'WORD = re.compile(r"[a-z]{2,}")',
        "constant",
    ),
    Edit(
        "cpu-bound",
        "pricing/services.py",
        'r.min_quantity <= quantity and r.category in ("", category)',
        'r.min_quantity < quantity and r.category in ("", category)',
        "comparison",
    ),
    Edit(
        "cpu-bound",
        "routing/services.py",
        "if candidate < distances.get(neighbour, math.inf):",
        "if candidate <= distances.get(neighbour, math.inf):",
        "comparison",
    ),
    Edit(
        "cpu-bound",
        "textmine/services.py",
        "words=len(tokens(body)),",
        "words=len(tokens(body)) + 1,",
        "test-helper",
    ),
    Edit(
        "cpu-bound",
        "routing/services.py",
        "key=lambda j: haversine(points[i], points[j]))[1:5]",
        "key=lambda j: haversine(points[i], points[j]))[1:4]",
        "test-helper",
    ),
    Edit("cpu-bound", "textmine/services.py", "        previous = current\n", "", "deleted-line"),
    Edit(
        "cpu-bound",
        "forecast/services.py",
        "def flag_outliers(values: list[float], threshold: float = 3.0)",
        "def flag_outliers(values: list[float], threshold: float = 2.0)",
        "default-argument",
    ),
    Edit(
        "cpu-bound",
        "forecast/services.py",
        "    alpha: float = 0.3,",
        "    alpha: float = 0.9,",
        "default-argument",
    ),
    Edit(
        "cpu-bound",
        "forecast/migrations/0008_flag_outliers.py",
        "/ mad) > 5]",
        "/ mad) > 2]",
        "migration",
    ),
    schema_migration(
        "cpu-bound", "routing", "0012", "0011_backfill_depot_capacity", "depot", "name"
    ),
    Edit(
        "cpu-bound",
        "pricing/tests/test_quotes.py",
        "    order_lines = 80\n",
        "    order_lines = 60\n",
        "test",
    ),
    Edit("cpu-bound", "textmine/templates/textmine/document.html", "", TEMPLATE, "template"),
)

# -- the migration-heavy suite (benchmarks/migrationheavy/) -----------------------------------
# Its catalog, orders and billing apps are benchproject's (symlinks, copied as files).

MIGRATION_HEAVY = (
    schema_migration("migration-heavy", "ledger", "0181", "0180_add_char", "account", "char_5"),
    data_migration("migration-heavy", "audit", "0181", "0180_remove", "Actor", 'label="mutant"'),
    Edit(
        "migration-heavy",
        "ledger/models.py",
        '    char_5 = models.CharField(default="", max_length=40)',
        '    char_5 = models.CharField(default="", max_length=30)',
        "model-meta",
    ),
    Edit(
        "migration-heavy",
        "billing/exchange.py",
        '"GBP": Decimal("0.8560"),',
        '"GBP": Decimal("0.8650"),',
        "constant",
    ),
    Edit(
        "migration-heavy",
        "billing/schedules.py",
        "(checksum * 31 + account * 7",
        "(checksum * 37 + account * 7",
        "constant",
    ),
    Edit(
        "migration-heavy",
        "catalog/search.py",
        "shared = sum((a & b).values())",
        "shared = sum((a | b).values())",
        "comparison",
    ),
    Edit(
        "migration-heavy",
        "orders/services.py",
        '(line.quantity * (weight or Decimal("0.5"))',
        '(line.quantity * (weight or Decimal("1.5"))',
        "constant",
    ),
    Edit(
        "migration-heavy",
        "orders/shipping.py",
        "class CarrierClient:\n    latency = 0.1\n",
        "class CarrierClient:\n    latency = 0.05\n",
        "constant",
    ),
)

CATALOG = DEMO + STANDARD + CPU_BOUND + MIGRATION_HEAVY

# The test suite's five edits (tests/test_changed_mutations.py), on the demo without its
# warehouse app: a verdict-changing constant, a comparison, a deleted line that changes no
# verdict, a template and a migration.
SMOKE = (LOAN_PERIOD, SKU_LENGTH, CHECKOUT_LOCK, RECEIPT_TEMPLATE, SHOP_INDEX)
