"""Settings package of the django-concurrent-test demo project."""
