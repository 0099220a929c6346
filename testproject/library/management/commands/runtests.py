"""``manage.py runtests [--smoke] [labels]``: the concurrent test command plus a smoke subset."""

from __future__ import annotations

from concurrent_test_app.management.commands.concurrenttest import Command as ConcurrentTestCommand

# Fast tests that tell within seconds whether the project works at all.
SMOKE_LABELS = ["library"]


class Command(ConcurrentTestCommand):
    """What a project's own test command looks like when built on concurrenttest."""

    help = ConcurrentTestCommand.help + " --smoke runs only the library app's tests."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--smoke",
            action="store_true",
            help=f"Without test labels, run only the smoke subset ({', '.join(SMOKE_LABELS)}).",
        )

    def handle(self, *test_labels, **options):
        # Pop it: the runner is built from the remaining options and knows no "smoke".
        smoke = options.pop("smoke", False)
        # Labels given on the command line are more specific, so they win over --smoke.
        if smoke and not test_labels:
            test_labels = tuple(SMOKE_LABELS)
        return super().handle(*test_labels, **options)
