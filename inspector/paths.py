"""Where things live by default: the platform's data folder, the exports folder."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path


def default_db() -> Path:
    """The user's database: e.g. ~/.local/share/inspector/db on Linux."""
    return user_data_path("inspector", appauthor=False) / "db"


def default_exports() -> Path:
    """Reports go to ./exports when run from the project, else to the data folder."""
    here = Path.cwd() / "exports"
    return here if here.is_dir() else user_data_path("inspector", appauthor=False) / "exports"
