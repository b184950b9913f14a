"""Registry mapping profiles shipped with the program (TOML, read with importlib.resources)."""
