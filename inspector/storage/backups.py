"""Automatic backups: a copy of each file before its first change of the day.

Backups live in ``<db>/backups/<YYYY-MM-DD>/<same relative path>``. Only the
files that change are copied, so a day's backup costs what the day touched.
The newest few days are kept.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

KEEP_DAYS = 14
FOLDER = "backups"


class Backups:
    def __init__(self, root: Path):
        self.root = root
        self.folder = root / FOLDER
        self._done: set[tuple[str, Path]] = set()

    def before_change(self, path: Path, day: date, tag: str | None = None) -> Path | None:
        """Copy ``path`` into today's backup folder once per day (or once per ``tag``)."""
        if not path.exists():
            return None
        name = tag or day.isoformat()
        key = (name, path)
        if key in self._done:
            return None
        dest = self.folder / name / path.relative_to(self.root)
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
        self._done.add(key)
        if tag is None:
            self.prune()
        return dest

    def newest(self, path: Path) -> Path | None:
        """The newest backup of ``path``, if any."""
        rel = path.relative_to(self.root)
        if not self.folder.is_dir():
            return None
        for folder in sorted(self.folder.iterdir(), reverse=True):
            candidate = folder / rel
            if candidate.is_file():
                return candidate
        return None

    def prune(self) -> None:
        days = sorted(p for p in self.folder.iterdir() if p.is_dir() and p.name[:4].isdigit())
        for old in days[:-KEEP_DAYS]:
            shutil.rmtree(old, ignore_errors=True)
