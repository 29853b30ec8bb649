"""Open one TinyDB file of the database: parse, check, migrate, back up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tinydb import TinyDB

from .atomic import AtomicJSONStorage
from .backups import Backups
from .errors import CorruptFile, NewerSchema
from .migrations import SCHEMA_VERSION, migrate, schema_of


def open_tinydb(
    path: Path, kind: str, backups: Backups, today: date, *, read_only: bool, create: bool
) -> TinyDB:
    """A TinyDB on ``path`` through the atomic storage, at the current schema."""
    try:
        db = TinyDB(path, storage=AtomicJSONStorage, read_only=read_only)
    except CorruptFile as exc:
        exc.backup = backups.newest(path)
        raise
    storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]
    data = storage.read()
    if data is None:
        if not create:
            raise CorruptFile(path, "empty file", backups.newest(path))
        if not read_only:
            storage.write({"meta": {"1": {"schema": SCHEMA_VERSION, "kind": kind}}})
        return db
    found = schema_of(data)
    if found > SCHEMA_VERSION:
        raise NewerSchema(path, found, SCHEMA_VERSION)
    if found < SCHEMA_VERSION:
        if read_only:
            migrate(kind, data)  # in memory only: a read-only copy never writes
        else:
            backups.before_change(path, today, tag=f"before-schema-{SCHEMA_VERSION}")
            migrate(kind, data)
            storage.write(data)
    return db
