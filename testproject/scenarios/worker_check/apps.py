"""Registers the check that only a child process fails."""

from __future__ import annotations

import multiprocessing

from django.apps import AppConfig
from django.core import checks


def fails_in_a_child_process(app_configs=None, **kwargs):
    """scenario.E001 in any process that multiprocessing started; nothing in manage.py."""
    if multiprocessing.parent_process() is None:
        return []
    return [checks.Error("only a worker fails this check", id="scenario.E001")]


class WorkerCheckConfig(AppConfig):
    """The scenario app; its check is registered when the app is ready."""

    name = "scenarios.worker_check"
    label = "scenario_worker_check"

    def ready(self):
        checks.register(fails_in_a_child_process)
