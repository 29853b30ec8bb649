"""Open one TinyDB file of the database: parse, check, migrate, back up."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator

from tinydb import TinyDB

from .atomic import AtomicJSONStorage
from .backups import Backups
from .store_errors import CorruptFile, NewerSchema
from .migrations import SCHEMA_VERSION, migrate, schema_of
from .shapes import CHECKS, check_meta


def open_tinydb(
    path: Path, kind: str, backups: Backups, today: date, *, read_only: bool, create: bool
) -> TinyDB:
    """A TinyDB on ``path`` through the atomic storage, at the current schema.

    A file that does not parse or does not fit its kind raises CorruptFile,
    offering the newest backup that does (and never one that does not).
    """
    try:
        db = TinyDB(path, storage=AtomicJSONStorage, read_only=read_only)
        storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]
        data = storage.read()
        if data is None:
            if not create:
                raise CorruptFile(path, "missing")
            if not read_only:
                storage.write({"meta": {"1": {"schema": SCHEMA_VERSION, "kind": kind}}})
            return db
        check_meta(path, data)
        found = schema_of(data)
        if found > SCHEMA_VERSION:
            raise NewerSchema(path, found, SCHEMA_VERSION)
        if found < SCHEMA_VERSION:
            # Migrate in memory and check; only then back up the old file and write.
            migrate_checked(path, kind, data)
            if not read_only:  # a read-only copy migrates in memory only
                backups.before_change(path, today, tag=f"before-schema-{SCHEMA_VERSION}")
                storage.write(data)
        else:
            CHECKS[kind](path, data)
    except CorruptFile as exc:
        exc.backup = backups.newest(path, kind)
        raise
    return db


def migrate_checked(path: Path, kind: str, data: dict, **context: object) -> None:
    """Migrate a file's ``data`` in memory (migrations.migrate) and check the result fits its kind.

    A step that cannot read what it was given means the file is not what its
    schema number says: refused as CorruptFile naming the file, never written.
    """
    try:
        migrate(kind, data, **context)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CorruptFile(path, "cannot_migrate", detail=type(exc).__name__) from None
    CHECKS[kind](path, data)


@contextmanager
def one_write(tiny: TinyDB) -> Iterator[None]:
    """Everything done inside is one atomic write of this file, or nothing.

    On any failure (inside, or writing) memory goes back to what is on disk
    and TinyDB's query cache is dropped, so nothing unsaved stays visible.
    """
    storage: AtomicJSONStorage = tiny.storage  # type: ignore[assignment]
    storage.begin()
    try:
        yield
    except BaseException:
        storage.rollback()
        tiny.clear_cache()
        raise
    try:
        storage.commit()
    except BaseException:
        tiny.clear_cache()
        raise
