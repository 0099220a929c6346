"""Django's sqlite3 backend with the scenario's marks (see the package)."""
