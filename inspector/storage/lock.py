"""One writer per database: a second copy of the app opens it read-only.

The lock is an OS file lock (``filelock``), so it disappears with the process
that held it, even after ``kill -9``. Who holds it is written beside it, so the
second copy can say so.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

from filelock import FileLock, Timeout

from .atomic import write_atomic
from .store_errors import NotWritable, StoreError, write_error

LOCK_NAME = ".lock"
INFO_NAME = ".lock.json"


class WriterLock:
    def __init__(self, root: Path):
        self.root = root
        self._lock = FileLock(str(root / LOCK_NAME), timeout=0)
        self.held = False

    def try_acquire(self, started: str) -> bool:
        """True when this process is now the writer; False when another one is.

        Raises NotWritable (naming the lock file) when no lock can be taken
        at all: a folder we may not write in, a ``.lock`` that is a folder.
        """
        path = self.root / LOCK_NAME
        if path.is_dir():
            raise NotWritable(path, "is_directory")
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        except OSError as exc:
            raise write_error(path, exc) from exc
        self.held = True
        info = {"pid": os.getpid(), "host": socket.gethostname(), "started": started}
        try:
            write_atomic(self.root / INFO_NAME, json.dumps(info).encode("utf-8"), durable=False)
        except StoreError:
            pass  # only says who holds the lock; the lock itself is taken
        return True

    def holder(self) -> str:
        """Who holds the lock, as 'pid N on HOST since T' (best effort)."""
        try:
            info = json.loads((self.root / INFO_NAME).read_text(encoding="utf-8"))
            return f"pid {info['pid']} @ {info['host']} ({info['started']})"
        except (OSError, ValueError, KeyError):
            return "?"

    def release(self) -> None:
        if self.held:
            self._lock.release()
            self.held = False
