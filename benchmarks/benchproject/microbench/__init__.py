"""Micro-benchmark suites of run.py, named so that default discovery (test*.py) never finds them.

Run them by label: ``manage.py test microbench.trivial`` or ``microbench.probe``.
"""
