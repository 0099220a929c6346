"""The real open-source suites the comparison knows: where they come from and how each is run.

A suite is an sdist from PyPI (its tests ship in it), a few test requirements, the folder
inside the unpacked sdist to run from, and one command line per way of running it. The
command is built from three parts that differ per suite: the Django runner, our runner,
and the worker count (``--parallel N`` everywhere: Django's own option, which our runner
takes as its worker count).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DJANGO_RUNNER = "django.test.runner.DiscoverRunner"
OUR_RUNNER = "concurrent_test_app.runner.ConcurrentTestRunner"
HERE = Path(__file__).resolve().parent
CONFIGURED_DRIVER = HERE / "drive_configured.py"
DJANGO_SETTINGS_MODULE_NAME = "concurrent_settings"

# Django's own suite: apps with many tests but a modest run time (counted on 5.2: 4,6xx tests).
DJANGO_APPS = (
    "template_tests",
    "forms_tests",
    "utils_tests",
    "queries",
    "model_fields",
    "expressions",
    "model_forms",
    "aggregation",
    "urlpatterns_reverse",
    "lookup",
)


@dataclass(frozen=True)
class Run:
    """How a suite is asked to run: which runner and how many processes."""

    runner: str
    parallel: int


@dataclass(frozen=True)
class Suite:
    """One real suite: its sdist, test requirements, folder to run in and command line."""

    name: str
    sdist: str  # "NAME==VERSION"; "{django}" is replaced by the Django version in use
    requirements: tuple[str, ...]
    run_folder: str  # relative to the unpacked sdist
    kind: str  # "manage" | "configured" | "django"
    script: str  # the suite's own script, relative to run_folder
    note: str
    install_source: bool = False  # pip install -e the unpacked sdist (its tests need its metadata)

    def command(self, run: Run) -> list[str]:
        """The argv after the interpreter for one run."""
        if self.kind == "manage":
            runner = ["--testrunner", run.runner, "--parallel", str(run.parallel)]
            return [self.script, *self._manage_prefix(), "--noinput", "-v", "1", *runner]
        if self.kind == "configured":
            # The suite's runtests.py configures settings in code and builds Django's
            # DiscoverRunner itself; the driver swaps the class it builds.
            runner = ["--runner", run.runner, "--parallel", str(run.parallel)]
            return [str(CONFIGURED_DRIVER), self.script, *runner]
        settings = "test_sqlite" if run.runner == DJANGO_RUNNER else DJANGO_SETTINGS_MODULE_NAME
        options = ["--settings", settings, "--parallel", str(run.parallel), "--noinput"]
        return [self.script, *options, "-v", "1", *DJANGO_APPS]

    def _manage_prefix(self) -> list[str]:
        # manage.py needs the "test" subcommand; a runtests.py that wraps it adds it itself.
        return ["test"] if self.script == "manage.py" else []


SUITES = {
    suite.name: suite
    for suite in (
        Suite(
            name="django-filter",
            sdist="django-filter==26.2",
            requirements=("djangorestframework", "django-crispy-forms", "pytz"),
            run_folder=".",
            kind="manage",
            script="runtests.py",
            note="settings module (tests.settings); views, URLconf, DRF integration",
        ),
        Suite(
            name="django-tables2",
            sdist="django-tables2==3.0.1",
            requirements=(
                "django-filter",
                "tablib[xls,yaml]",
                "openpyxl",
                "lxml",
                "pytz",
                "psycopg2-binary",
            ),
            run_folder=".",
            kind="manage",
            script="manage.py",
            note="settings module (tests.app.settings); views and the test client",
        ),
        Suite(
            name="django-axes",
            sdist="django-axes==8.3.1",
            requirements=("django-ipware", "pytest"),  # test_handlers imports pytest.mark
            run_folder=".",
            kind="manage",
            script="manage.py",
            note="settings module (tests.settings); login views, middleware, admin, locmem cache",
            install_source=True,
        ),
        Suite(
            name="django-simple-history",
            sdist="django-simple-history==3.13.0",
            requirements=(),
            run_folder=".",
            kind="configured",
            script="runtests.py",
            note="runtests.py calls settings.configure(...) and runs DiscoverRunner twice",
            install_source=True,
        ),
        Suite(
            name="django",
            sdist="Django=={django}",
            requirements=("jinja2",),
            run_folder="tests",
            kind="django",
            script="runtests.py",
            note=f"Django's own tests/runtests.py on {len(DJANGO_APPS)} apps",
        ),
    )
}


def django_settings_module(python_settings_dir: Path) -> Path:
    """Write Django's-suite settings for our runner beside test_sqlite.py; return its path."""
    path = python_settings_dir / f"{DJANGO_SETTINGS_MODULE_NAME}.py"
    path.write_text(
        '"""test_sqlite with our runner plugged in (benchmarks/realsuites)."""\n\n'
        "from test_sqlite import *  # noqa: F403\n\n"
        f'TEST_RUNNER = "{OUR_RUNNER}"\n'
    )
    return path
