"""``manage.py concurrenttest [labels]``: Django's test command, always on our runner."""

from __future__ import annotations

from django.core.management.commands.test import Command as TestCommand
from django.core.management.utils import get_command_line_option

from ... import config as config_module

RUNNER_PATH = "concurrent_test_app.runner.ConcurrentTestRunner"


class Command(TestCommand):
    """Runs the test suite concurrently; subclass it to write a project's own command."""

    help = "Discover and run tests concurrently in spawn workers, each on its own database."
    test_runner = RUNNER_PATH

    def run_from_argv(self, argv):
        """Use our runner unless ``--testrunner`` names another (e.g. a subclass)."""
        self.test_runner = get_command_line_option(argv, "--testrunner") or RUNNER_PATH
        super(TestCommand, self).run_from_argv(argv)

    def add_arguments(self, parser):
        """Django's test options, the runner's, and ``--show-config``."""
        super().add_arguments(parser)
        parser.add_argument(
            "--show-config",
            action="store_true",
            help="Print the resolved configuration with the source of each value, then exit.",
        )

    def handle(self, *test_labels, **options):
        """Django's handle, with ``--parallel N`` read as ``--workers N``."""
        options["testrunner"] = options.get("testrunner") or RUNNER_PATH
        parallel = options.get("parallel")
        if not options.get("workers") and parallel not in (None, 0, 1):
            options["workers"] = parallel
        if options.pop("show_config", False):
            self.show_config(options)
            return
        return super().handle(*test_labels, **options)

    def show_config(self, options) -> None:
        """Write every option's resolved value and where it came from."""
        explicit = {name: options.get(name) for name in config_module.OPTIONS_BY_NAME}
        config = config_module.resolve(explicit)
        width = max(len(name) for name in config.values)
        for name, value in config.values.items():
            self.stdout.write(f"{name:<{width}}  {value!r:<12}  ({config.sources[name]})")
