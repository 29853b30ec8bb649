"""Where the repository is chosen: the one module above core that opens storage.

Core defines the repository it needs (core/repository.py); storage implements
it with TinyDB files. The command line, the verbs and the tests get a
database from here, so swapping the implementation changes this file only
(import-linter forbids ui, commands and report to import storage: see
pyproject.toml and ARCHITECTURE.md).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from .core.demo_records import write_demo
from .core.repository import Clock, Progress, Repository
from .device import this_device
from .storage import bulk
from .storage.database import REGISTRY, Database, check_location

__all__ = ["REGISTRY", "build_demo", "check_location", "is_database", "open_database"]


def open_database(path: Path | str, *, clock: Clock, read_only: bool = False, progress: Progress | None = None,
                  defer_index: bool = False) -> Repository:
    """Open (or create) the database at ``path`` (see storage.database.Database.open)."""
    return Database.open(path, clock=clock, read_only=read_only, progress=progress, defer_index=defer_index,
                         device=this_device().id)


def is_database(root: Path) -> bool:
    """Whether the folder ``root`` holds a database (its registry is there)."""
    return (Path(root) / REGISTRY).exists()


def build_demo(root: Path, *, villages: int, years: int, seed: int, today: date, catalog_dir: Path | None = None) -> dict:
    """Write a demo database at ``root`` (core generates it, storage's bulk writer stores it).

    Opening it once builds the summaries index, so the first start is fast.
    """
    stats = write_demo(bulk.write_database, root, villages=villages, years=years, seed=seed, today=today,
                       catalog_dir=catalog_dir)
    Database.open(Path(root), clock=lambda: datetime.combine(today, datetime.min.time())).close()
    return stats
