"""Projects whose settings a settings module alone does not give (issue #26).

Each ``run_*.py`` script here is a ``runtests.py`` as reusable apps write them: it makes
its settings in code, then runs Django's runner (ours, or Django's with
``SCENARIO_RUNNER=django.test.runner.DiscoverRunner``) on ``scenarios.settings_in_code.cases``.
Every test there checks, in the process that runs it, that the settings are the parent's.
"""
