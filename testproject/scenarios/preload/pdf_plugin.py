"""A plugin that registers itself on import; only one test module imports it."""

from scenarios.preload.plugins import register

register("pdf")
