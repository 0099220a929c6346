"""A root URLconf whose included app builds its routes from a setting at import time.

``cases`` opens with a class that overrides that setting and makes the first request of
its process; sequentially, Django's system checks have built the URLconf before it with
the default routes, so its siblings can ``reverse()`` them. Run with the settings
``testproject.variants.urlconf_setting`` (issue #25).
"""
