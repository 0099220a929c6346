"""An app that changes a setting when it is ready, differently in a spawned process.

Run with the settings ``testproject.variants.worker_setting``: the workers' settings then
differ from the parent's after set-up, and the run must go sequential naming the setting
(issue #26).
"""
