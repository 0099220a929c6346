"""An app with its own ``test`` command, listed before concurrent_test_app in a variant."""

from django.apps import AppConfig


class OwnTestConfig(AppConfig):
    name = "owntest"
