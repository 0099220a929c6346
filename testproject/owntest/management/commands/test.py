"""A project's own ``test`` command: it must keep winning over concurrent_test_app's."""

from django.core.management.commands.test import Command as DjangoTestCommand


class Command(DjangoTestCommand):
    def handle(self, *test_labels, **options):
        self.stdout.write("OWN-TEST-COMMAND ran")
