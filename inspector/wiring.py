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


# ── sync (issue 11): the verbs' way to bundles and merges (block kept by the sync CLI helper) ──────────────

from . import device as _device  # noqa: E402
from .core.sync import MergeReport, Roster  # noqa: E402
from .storage import bundles as _bundles  # noqa: E402
from .storage import merge as _merge  # noqa: E402

BundleError = _bundles.BundleError
Bundle = _bundles.Bundle
BUNDLE_SUFFIX = _bundles.SUFFIX


def export_bundle(db: Repository, *, village_ids: list[str] | None = None, since: str = "", county: str = ""
                  ) -> tuple[bytes, int, int]:
    """(bytes, villages, records) of this device's signed bundle of ``db``'s records (``since``: ISO, "" all)."""
    me = _device.this_device()
    villages, tables = db.sync_documents(village_ids, since)  # type: ignore[attr-defined]
    data = _bundles.write_bundle(device=me.id, name=me.name, public_key=me.public_key, created_at=db.now_iso(),  # type: ignore[attr-defined]
                                 since=since, villages=villages, tables=tables, sign=_device.sign,
                                 evidence=db.sync_evidence(tables), county=county)  # type: ignore[attr-defined]
    records = sum(len(docs) for t in tables.values() for docs in t.values())
    return data, len(villages), records


def read_bundle(data: bytes) -> Bundle:
    """The bundle in ``data``, its signature checked (BundleError saying why not)."""
    return _bundles.read_bundle(data, _device.verify)


def import_bundle(db: Repository, bundle: Bundle, *, roster: Roster | None = None, dry_run: bool = False) -> MergeReport:
    """Merge ``bundle`` into ``db`` at once (or, ``dry_run``, only say what it would do)."""
    return _merge.merge(db, bundle, roster=roster, dry_run=dry_run)  # type: ignore[arg-type]
