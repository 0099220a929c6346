"""Per-process state the scenario's hook leaves, for the tests to read."""

HOOK_CALLS: list = []  # (arguments, whether Django's apps were ready) per process_setup call
