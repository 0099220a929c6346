"""A dangerous mistake: alias ``other``'s test database is ``default``'s real database."""

from testproject.settings import *
from testproject.settings import DATABASES

DATABASES["other"]["TEST"] = {"NAME": str(DATABASES["default"]["NAME"])}
