"""Scenario tests for the runner's own test suite; kept out of default discovery.

No module here matches ``test*.py`` and the package is not an app, so
``manage.py test`` never finds them; run one by label, e.g. ``scenarios.outcomes``.
"""
