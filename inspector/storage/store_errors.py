"""Errors the store raises; each carries the file it is about.

Every error can say itself in the interface language (``message()``) and
knows the exit status a command should end with (``exit_status``: 2 when a
file is broken or not ours, 1 when a write was refused). The text comes
from the message catalog at the moment it is asked for, so the language
is the one in force when it is shown.
"""

from __future__ import annotations

import errno
from pathlib import Path

from ..core.repository import NotFound, RepositoryError


def _t(key: str, **params: object) -> str:
    from ..i18n import t  # the catalog is pure Python; imported late to keep the store light

    return t(key, **params)


class StoreError(RepositoryError):
    """Base class: something is wrong with the database on disk."""


class NotADatabase(StoreError):
    """``reason`` is a message key under ``store.reason`` (the CLI and app translate it)."""

    def __init__(self, path: Path, reason: str, **params: object):
        self.path = path
        self.reason = reason
        self.params = params
        super().__init__(f"{path}: {reason} {params or ''}".strip())

    def message(self) -> str:
        return _t("store.not_a_database", path=self.path, reason=_t(f"store.reason.{self.reason}", **self.params))


_WORDS = {"table": "store.table", "problem": "store.problem", "expected": "store.type"}  # parameter -> its words' section


class CorruptFile(StoreError):
    """A file of the database does not parse, or holds records of the wrong shape.

    It is left untouched. ``reason_key`` is a key under ``store.corrupt_reason``;
    ``record`` and ``field`` say where, for a file that parses but does not fit.
    ``backup`` is the newest backup that opens and fits, if any.
    """

    def __init__(
        self,
        path: Path,
        reason_key: str,
        backup: Path | None = None,
        *,
        record: str | None = None,
        field: str | None = None,
        **params: object,
    ):
        self.path = path
        self.reason_key = reason_key
        self.record = record
        self.field = field
        self.params = params
        self.backup = backup
        where = f" [{record}.{field}]" if record else ""
        super().__init__(f"{path}: {reason_key}{where} {params or ''}".strip())

    @property
    def reason(self) -> str:
        """The reason in the interface language (with the record and field when known)."""
        # Words that are themselves keys (which table, what is wrong, what type) are translated too.
        params = {k: (_t(f"{_WORDS[k]}.{v}") if k in _WORDS else v) for k, v in self.params.items()}
        params.setdefault("expected", "")
        return _t(f"store.corrupt_reason.{self.reason_key}", record=self.record, field=self.field, **params)

    def message(self) -> str:
        text = _t("store.corrupt", path=self.path, reason=self.reason)
        if self.backup:
            text += "\n" + _t("store.backup_offer", backup=self.backup, path=self.path)
        return text


class NotReadable(CorruptFile):
    """A file of the database we may not read (its mode, its owner). Not damaged: left as it is.

    A CorruptFile for those who catch that, but it says what it is.
    """

    def __init__(self, path: Path):
        super().__init__(path, "no_permission")

    def message(self) -> str:
        return _t("store.not_readable", path=self.path)


class ReadOnly(StoreError):
    """A write was attempted on a database opened read-only."""

    exit_status = 1

    def __init__(self, path: Path, holder: str = ""):
        self.path = path
        self.holder = holder
        super().__init__(f"{path}: opened read-only ({holder})")

    def message(self) -> str:
        return _t("store.read_only_refused", path=self.path, holder=self.holder)


class NewerSchema(StoreError):
    def __init__(self, path: Path, found: int, supported: int):
        self.path = path
        self.found = found
        self.supported = supported
        super().__init__(f"{path}: schema {found} is newer than this version supports ({supported})")

    def message(self) -> str:
        return _t("store.newer_schema", path=self.path, found=self.found, supported=self.supported)


class WriteFailed(StoreError):
    """A file could not be written. The database is as it was before; no temp file is left."""

    exit_status = 1

    def __init__(self, path: Path, reason: str = ""):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: write failed ({reason})")

    def message(self) -> str:
        return _t("store.write_failed", path=self.path, reason=self.reason)


class DiskFull(WriteFailed):
    """No space left (or the quota is used up) while writing ``path``."""

    def __init__(self, path: Path):
        super().__init__(path, "disk full")

    def message(self) -> str:
        return _t("store.disk_full", path=self.path)


class NotWritable(WriteFailed):
    """``path`` cannot be written: ``why`` is denied, read_only_file, is_directory or read_only_fs."""

    def __init__(self, path: Path, why: str):
        self.why = why
        super().__init__(path, why)

    def message(self) -> str:
        return _t("store.not_writable", path=self.path, reason=_t(f"store.unwritable.{self.why}"))


def write_error(path: Path, exc: OSError) -> WriteFailed:
    """The typed error for an OSError met while writing ``path``."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return DiskFull(path)
    if code == errno.EROFS:
        return NotWritable(path, "read_only_fs")
    if code in (errno.EACCES, errno.EPERM):
        return NotWritable(path, "denied")
    if code in (errno.EISDIR, errno.ENOTDIR):
        return NotWritable(path, "is_directory")
    from ..oserrors import os_reason  # the one errno → message table (strerror is always English)

    return WriteFailed(path, os_reason(exc))


__all__ = [
    "CorruptFile", "DiskFull", "NewerSchema", "NotADatabase", "NotFound", "NotReadable", "NotWritable", "ReadOnly",
    "StoreError", "WriteFailed", "write_error",
]  # NotFound is the repository's (core.repository), named here for the code that catches it from storage


class UpgradeNeedsWriter(StoreError):
    """An older database opened read-only (another window holds it): it can only be upgraded by a writer."""

    exit_status = 1

    def __init__(self, path: Path, holder: str = ""):
        self.path = path
        self.holder = holder
        super().__init__(f"{path}: older database, opened read-only ({holder})")

    def message(self) -> str:
        return _t("store.upgrade_needs_writer", path=self.path, holder=self.holder)
