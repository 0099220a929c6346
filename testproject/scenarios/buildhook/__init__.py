"""An app whose migration a scenario can pause: the moment a template is being built.

Installed only by ``testproject.variants.build_hook``. With ``BUILD_HOOK_DIR`` set, its
migration writes ``<dir>/migrating`` (the pid that runs it) and waits until
``<dir>/release`` exists, so a test can interrupt the run exactly mid-migration.
"""
