"""The demo with a ``replica`` alias that mirrors ``default`` and explicit TEST DEPENDENCIES.

``default`` is created after ``other`` (``DEPENDENCIES``), the reverse of Django's
implicit order; ``replica`` gets no test database of its own (``MIRROR``).
"""

import copy

from testproject.settings import *
from testproject.settings import DATABASES

DATABASES = copy.deepcopy(DATABASES)
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASES["default"]["TEST"] = {"DEPENDENCIES": ["other"]}
DATABASES["other"]["TEST"] = {"DEPENDENCIES": []}
