"""Automatic backups: a copy of each file before its first change of the day.

Backups live in ``<db>/backups/<YYYY-MM-DD>/<same relative path>``. Only the
files that change are copied, so a day's backup costs what the day touched.
The newest few days are kept.

A backup is written like any other file of the database (temp file, fsync,
rename), so a kill or a full disk never leaves a half or empty copy in
place; a copy that is there but does not open (left by an older version)
is made again. Only a backup that opens and fits is ever offered.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from .atomic import load_json, write_atomic
from .store_errors import StoreError, write_error

KEEP_DAYS = 14
FOLDER = "backups"


def usable(path: Path, kind: str | None = None) -> bool:
    """Does this copy open, and (when ``kind`` is given) fit a file of that kind?"""
    from .shapes import CHECKS, check_meta

    try:
        data = load_json(path)
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            return False
        check_meta(path, data)
        if kind is not None and _schema(data) is not None:
            CHECKS[kind](path, data)
    except StoreError:
        return False
    return True


def _schema(data: dict) -> int | None:
    from .migrations import SCHEMA_VERSION, schema_of

    # Older schemas are checked after migration, when opened; here only the current one.
    return SCHEMA_VERSION if schema_of(data) == SCHEMA_VERSION else None


class Backups:
    def __init__(self, root: Path):
        self.root = root
        self.folder = root / FOLDER
        self._done: set[tuple[str, Path]] = set()

    def before_change(self, path: Path, day: date, tag: str | None = None) -> Path | None:
        """Copy ``path`` into today's backup folder once per day (or once per ``tag``).

        Raises WriteFailed (DiskFull, NotWritable) naming the backup when it
        cannot be written: the change it protects is then not made either.
        """
        if not path.exists():
            return None
        name = tag or day.isoformat()
        key = (name, path)
        if key in self._done:
            return None
        dest = self.folder / name / path.relative_to(self.root)
        if not (dest.is_file() and usable(dest)):
            try:
                dest.parent.mkdir(parents=True, exist_ok=True)
                payload = path.read_bytes()
            except OSError as exc:
                raise write_error(dest, exc) from exc
            write_atomic(dest, payload)
        self._done.add(key)
        if tag is None:
            self.prune()
        return dest

    def newest(self, path: Path, kind: str | None = None) -> Path | None:
        """The newest backup of ``path`` that opens (and fits ``kind``), if any."""
        rel = path.relative_to(self.root)
        if not self.folder.is_dir():
            return None
        for folder in sorted(self.folder.iterdir(), reverse=True):
            candidate = folder / rel
            if candidate.is_file() and usable(candidate, kind):
                return candidate
        return None

    def prune(self) -> None:
        days = sorted(p for p in self.folder.iterdir() if p.is_dir() and p.name[:4].isdigit())
        for old in days[:-KEEP_DAYS]:
            shutil.rmtree(old, ignore_errors=True)

