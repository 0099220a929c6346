"""Sets SCENARIO_IN_A_CHILD when ready: True only in a process multiprocessing started."""

from __future__ import annotations

import multiprocessing

from django.apps import AppConfig
from django.conf import settings


class WorkerSettingConfig(AppConfig):
    """The scenario app."""

    name = "scenarios.worker_setting"
    label = "scenario_worker_setting"

    def ready(self):
        settings.SCENARIO_IN_A_CHILD = multiprocessing.parent_process() is not None
