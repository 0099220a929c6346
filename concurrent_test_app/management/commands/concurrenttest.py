"""``manage.py concurrenttest [labels]``: Django's test command, always on our runner."""

from __future__ import annotations

from django.core.management.commands.test import Command as TestCommand
from django.core.management.utils import get_command_line_option

RUNNER_PATH = "concurrent_test_app.runner.ConcurrentTestRunner"


class Command(TestCommand):
    """Runs the test suite concurrently; subclass it to write a project's own command."""

    help = "Discover and run tests concurrently in spawn workers, each on its own database."
    test_runner = RUNNER_PATH

    def run_from_argv(self, argv):
        """Use our runner unless ``--testrunner`` names another (e.g. a subclass)."""
        self.test_runner = get_command_line_option(argv, "--testrunner") or RUNNER_PATH
        super(TestCommand, self).run_from_argv(argv)

    def handle(self, *test_labels, **options):
        """Django's handle, with ``--parallel N`` read as ``--workers N``."""
        options["testrunner"] = options.get("testrunner") or RUNNER_PATH
        parallel = options.get("parallel")
        if not options.get("workers") and parallel not in (None, 0, 1):
            options["workers"] = parallel
        return super().handle(*test_labels, **options)
