"""A typo in CONCURRENT_TEST."""

from testproject.settings import *

CONCURRENT_TEST = {"WORKRES": 2}
