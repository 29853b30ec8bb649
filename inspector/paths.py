"""Where things live by default: the platform's data folder, the exports folder."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path


def data_folder() -> Path:
    """The user's data folder: e.g. ~/.local/share/inspector on Linux."""
    return user_data_path("inspector", appauthor=False)


def default_db() -> Path:
    """The user's database: e.g. ~/.local/share/inspector/db on Linux."""
    return data_folder() / "db"


def demo_db() -> Path:
    """The user's one demo database (`inspector --demo`), beside the real one and never it."""
    return data_folder() / "demo"


def default_exports() -> Path:
    """Reports go to ./exports when run from the project, else to the data folder."""
    here = Path.cwd() / "exports"
    return here if here.is_dir() else data_folder() / "exports"
