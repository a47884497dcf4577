"""Format extractors: one module per file type, each returning a :class:`Document`."""
