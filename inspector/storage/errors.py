"""Errors the store raises; each carries the file it is about."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class: something is wrong with the database on disk."""


class NotADatabase(StoreError):
    """``reason`` is a message key under ``store.reason`` (the CLI and app translate it)."""

    def __init__(self, path: Path, reason: str, **params: object):
        self.path = path
        self.reason = reason
        self.params = params
        super().__init__(f"{path}: {reason} {params or ''}".strip())


class CorruptFile(StoreError):
    """A file of the database does not parse. It is left untouched."""

    def __init__(self, path: Path, reason: str, backup: Path | None = None):
        self.path = path
        self.reason = reason
        self.backup = backup
        super().__init__(f"{path}: {reason}")


class ReadOnly(StoreError):
    """A write was attempted on a database opened read-only."""

    def __init__(self, path: Path, holder: str = ""):
        self.path = path
        self.holder = holder
        super().__init__(f"{path}: opened read-only ({holder})")


class NewerSchema(StoreError):
    def __init__(self, path: Path, found: int, supported: int):
        self.path = path
        self.found = found
        self.supported = supported
        super().__init__(f"{path}: schema {found} is newer than this version supports ({supported})")


class NotFound(StoreError):
    def __init__(self, what: str, key: str):
        self.what = what
        self.key = key
        super().__init__(f"{what} not found: {key}")
