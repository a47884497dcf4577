"""Pipeline: CLI, orchestration, workers, writers and eval."""

__version__ = "0.1.0"
