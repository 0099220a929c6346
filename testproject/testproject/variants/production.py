"""The demo with a production signature: DEBUG = False and SECURE_SSL_REDIRECT."""

from testproject.settings import *

SECURE_SSL_REDIRECT = True
