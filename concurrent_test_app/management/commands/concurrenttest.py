"""``manage.py concurrenttest [labels]``: Django's test command, always on our runner."""

from __future__ import annotations

import os

from django.core.management.base import CommandError
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
        parser.add_argument(
            "--merge-junit",
            nargs="+",
            metavar=("OUT", "IN"),
            help="Merge shard JUnit files: OUT IN1 IN2 ...; then exit.",
        )
        parser.add_argument(
            "--merge-timings",
            nargs="+",
            metavar=("OUT", "IN"),
            help="Merge shard timing stores: OUT IN1 IN2 ...; then exit.",
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
        junit, timings = options.pop("merge_junit", None), options.pop("merge_timings", None)
        if junit or timings:
            self.merge(junit, timings)
            return
        return super().handle(*test_labels, **options)

    def merge(self, junit: list[str] | None, timings: list[str] | None) -> None:
        """Merge the reports of CI shards (see README, "CI shards")."""
        from ...reports.merge import merge_junit, merge_timings

        for name, paths, merge in (
            ("junit", junit, merge_junit),
            ("timings", timings, merge_timings),
        ):
            if not paths:
                continue
            if len(paths) < 2:
                raise CommandError(f"--merge-{name} OUT IN1 [IN2 ...]: give an output and inputs")
            missing = [path for path in paths[1:] if not os.path.isfile(path)]
            if missing:
                # An unmatched shell glob arrives as literal text: merging nothing would
                # write (and a CI cache would keep) an empty report.
                raise CommandError(f"--merge-{name}: no such input file: {', '.join(missing)}")
            count = merge(paths[0], paths[1:])
            self.stdout.write(f"Merged {len(paths) - 1} files into {paths[0]} ({count} entries)")

    def show_config(self, options) -> None:
        """Write every option's resolved value and where it came from."""
        explicit = {name: options.get(name) for name in config_module.OPTIONS_BY_NAME}
        config = config_module.resolve(explicit)
        width = max(len(name) for name in config.sources)
        for name in config.sources:  # the option table's order
            value = getattr(config, name)
            self.stdout.write(f"{name:<{width}}  {value!r:<12}  ({config.sources[name]})")
