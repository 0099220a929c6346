"""Run a suite's ``runtests.py`` that calls ``settings.configure()`` with a chosen runner.

    python drive_configured.py runtests.py --runner DOTTED.PATH --parallel N

Such scripts build ``django.test.runner.DiscoverRunner`` themselves instead of asking
``get_runner(settings)``, so neither ``TEST_RUNNER`` nor ``--testrunner`` reaches them. This
driver loads the script as a module, replaces the ``DiscoverRunner`` name it imported with
the chosen class (given ``parallel=N``), and calls its ``main()`` with no arguments. Nothing
else changes: the settings are configured in code, exactly as the project does it.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import sys
from pathlib import Path

from django.utils.module_loading import import_string


def main() -> None:
    """Load the script, swap its runner class, run its main()."""
    parser = argparse.ArgumentParser()
    parser.add_argument("script")
    parser.add_argument("--runner", required=True)
    parser.add_argument("--parallel", type=int, required=True)
    options = parser.parse_args()
    script = Path(options.script).resolve()
    sys.argv = [str(script)]
    spec = importlib.util.spec_from_file_location("runtests", script)
    module = importlib.util.module_from_spec(spec)
    sys.modules["runtests"] = module
    spec.loader.exec_module(module)
    runner = import_string(options.runner)
    module.DiscoverRunner = functools.partial(runner, parallel=options.parallel)
    module.main()


# Spawned workers import this file again as __mp_main__: they must not run the suite.
if __name__ == "__main__":
    main()
