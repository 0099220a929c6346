"""An app that only ``run_changed.py`` installs, at run time: its model must exist in workers."""
