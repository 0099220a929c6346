"""The demo plus ``scenarios.setup_gate``, whose migration can hold set-up open.

Server test databases get names of their own (``test_<name>_gate``), so an interrupted
build here never costs the other tests their cached template.
"""

import copy

from testproject.settings import *
from testproject.settings import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "scenarios.setup_gate"]

DATABASES = copy.deepcopy(DATABASES)
for _database in DATABASES.values():
    if not _database["ENGINE"].endswith("sqlite3"):
        _database["TEST"] = {**_database.get("TEST", {}), "NAME": f"test_{_database['NAME']}_gate"}
