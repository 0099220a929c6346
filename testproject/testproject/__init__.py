"""Settings package of the django-concurrent-runner demo project."""
