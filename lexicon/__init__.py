"""Data only: the criteria catalog, term files and cue lists (read with importlib.resources)."""
