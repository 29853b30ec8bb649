"""Where things live by default: the platform's data folder, the exports folder."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path, user_documents_path

EXPORTS = "exports"


def data_folder() -> Path:
    """The user's data folder: e.g. ~/.local/share/inspector on Linux."""
    return user_data_path("inspector", appauthor=False)


def default_db() -> Path:
    """The user's database: e.g. ~/.local/share/inspector/db on Linux."""
    return data_folder() / "db"


def demo_db() -> Path:
    """The user's one demo database (`inspector --demo`), beside the real one and never it."""
    return data_folder() / "demo"


def default_exports(db_root: Path | None = None) -> Path:
    """Where reports go unless ``--out`` says otherwise: ``<db>/exports/`` (README).

    The one function every report writer uses (app, `report`, `overdue --format xlsx`).

    A database kept in the hidden user data folder (the default one, the demo)
    would put its reports where a township office never looks, so those go to
    the user's documents folder instead (e.g. ~/Documents/inspector/exports).
    The folder never depends on the current directory: the same database
    always writes to the same place.
    """
    if db_root is None:
        return documents_exports()
    root = Path(db_root).absolute()
    try:
        root.relative_to(data_folder().absolute())
    except ValueError:
        return root / EXPORTS  # inside the database folder: never "exports" of wherever the user stands
    return documents_exports()


def documents_exports() -> Path:
    return user_documents_path() / "inspector" / EXPORTS
