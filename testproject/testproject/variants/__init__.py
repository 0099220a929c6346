"""Settings variants the project's own tests run the demo under (``--settings``)."""
