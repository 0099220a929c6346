"""Django's postgresql backend with the scenario's marks (see the package)."""
