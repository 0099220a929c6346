"""``manage.py test`` that also accepts ``--runner`` as an alias of Django's ``--testrunner``.

The transition guide's CI command is ``manage.py test --runner=… --junitxml=…``; Django
itself only knows ``--testrunner``. Django picks a command from the first installed
app that ships it, so a project's own ``test`` command in an app listed before
``concurrent_test_app`` still wins over this one.
"""

from __future__ import annotations

from django.core.management.commands.test import Command as DjangoTestCommand
from django.core.management.utils import get_command_line_option


class Command(DjangoTestCommand):
    """Django's test command; ``--runner PATH`` means ``--testrunner PATH``."""

    def run_from_argv(self, argv):
        """Read the runner early, as Django does, so its own options are known."""
        self.test_runner = get_command_line_option(argv, "--testrunner") or get_command_line_option(
            argv, "--runner"
        )
        super(DjangoTestCommand, self).run_from_argv(argv)

    def add_arguments(self, parser):
        """Django's test options, the runner's, and ``--runner``."""
        super().add_arguments(parser)
        parser.add_argument(
            "--runner",
            dest="testrunner",
            help="Alias of --testrunner (as written in django-concurrent-test's guide).",
        )
