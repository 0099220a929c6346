"""An app whose system check fails only in a spawned process, never in ``manage.py`` itself.

Run with the settings ``testproject.variants.worker_check``: a worker must refuse to start
with the check's message, and the run go sequential (issue #25).
"""
