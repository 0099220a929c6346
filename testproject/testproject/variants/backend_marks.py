"""The demo on backends that mark tests of ``scenarios.backend_marks`` (issue #26).

``scenarios`` is installed because Django applies a backend's marks only to tests of
installed apps (the first part of the test's dotted name). Server test databases get
names of their own (``test_<name>_marks``): the other tests keep their cached template.
"""

import copy

from testproject.settings import *
from testproject.settings import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "scenarios"]

DATABASES = copy.deepcopy(DATABASES)
for _database in DATABASES.values():
    _engine = _database["ENGINE"].rsplit(".", 1)[-1]
    if _engine in {"sqlite3", "postgresql"}:
        _database["ENGINE"] = f"scenarios.marked_backend.{_engine}"
    if _engine != "sqlite3":
        _database["TEST"] = {**_database.get("TEST", {}), "NAME": f"test_{_database['NAME']}_marks"}
