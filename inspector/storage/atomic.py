"""A TinyDB storage whose every write is atomic and durable.

TinyDB's default JSONStorage rewrites its file in place: a kill during the
write leaves a truncated file that no longer opens. Here each write goes to a
temporary file in the same folder, is fsynced, and replaces the old file with
``os.replace`` (atomic on POSIX and Windows); the folder is fsynced too so the
rename itself survives a power cut. A reader therefore sees either the old or
the new file, never a mix.

The data is kept in memory between writes, so reads cost nothing and a write
costs one serialisation of this one file (orjson: a few hundred KB in ~1 ms).
"""

from __future__ import annotations

import itertools
import os
import re
import stat
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from .store_errors import CorruptFile, NotReadable, NotWritable, write_error

_DUMP = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS

# Our temp files are hidden and end in ".inspector-tmp", so a clean-up can
# never take a file of the user's; the second pattern is the older naming.
TMP_SUFFIX = ".inspector-tmp"
_LEGACY_TMP = re.compile(r"^\..+\.json\.\d+\.tmp$")
_counter = itertools.count(1)


def dumps(data: Any) -> bytes:
    """Human-readable JSON: indented, Chinese as Chinese (UTF-8), not \\uXXXX."""
    return orjson.dumps(data, option=_DUMP) + b"\n"


def load_json(path: Path) -> Any:
    """Parse a JSON file, raising CorruptFile (naming it) when it does not parse."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError as exc:
        raise CorruptFile(path, "is_directory") from exc
    except PermissionError as exc:
        raise NotReadable(path) from exc
    except OSError as exc:
        raise CorruptFile(path, "cannot_read", detail=exc.strerror or str(exc)) from exc
    if not raw.strip():
        raise CorruptFile(path, "empty")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise CorruptFile(path, "not_json", detail=str(exc)) from exc
    except RecursionError as exc:  # nested too deep to be one of ours
        raise CorruptFile(path, "not_json", detail="nesting") from exc


def fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def is_temp(name: str) -> bool:
    return name.endswith(TMP_SUFFIX) or bool(_LEGACY_TMP.match(name))


def temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}-{next(_counter)}{TMP_SUFFIX}")


def check_replaceable(path: Path) -> os.stat_result | None:
    """Refuse (NotWritable) a target that is a folder or that the user made read-only.

    A rename needs only the folder's permission, so without this check a
    read-only file would be silently replaced (and its mode reset), even by root.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise write_error(path, exc) from exc
    if stat.S_ISDIR(st.st_mode):
        raise NotWritable(path, "is_directory")
    if not st.st_mode & stat.S_IWUSR:
        raise NotWritable(path, "read_only_file")
    if not os.access(path, os.W_OK):
        raise NotWritable(path, "denied")
    return st


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]


def write_atomic(path: Path, payload: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``payload`` so that a crash leaves old or new, never half.

    Any failure raises a WriteFailed (DiskFull, NotWritable) naming ``path``,
    leaves ``path`` as it was and removes the temp file.
    """
    old = check_replaceable(path)
    tmp = temp_path(path)
    fd = -1
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        if old is not None and hasattr(os, "fchmod"):
            os.fchmod(fd, stat.S_IMODE(old.st_mode))  # keep the mode the user gave the file
        _write_all(fd, payload)
        if durable:
            os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, path)
    except BaseException as exc:
        if fd >= 0:
            os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise write_error(path, exc) from exc
        raise
    if durable:
        try:
            fsync_dir(path.parent)
        except OSError:
            pass  # the rename is done; a folder that cannot be fsynced loses nothing we can save


def remove_temp_files(root: Path) -> int:
    """Remove our leftover temp files (from killed processes) under ``root``.

    Only called by the writer (it holds the lock, so no other writer's temp
    file can be in flight). Returns how many were removed.
    """
    removed = 0
    folders = [root, root / "villages"]
    backups = root / "backups"
    if backups.is_dir():
        for day in backups.iterdir():
            if day.is_dir():
                folders += [day, day / "villages"]
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if is_temp(entry.name) and entry.is_file(follow_symlinks=False):
                try:
                    os.unlink(entry.path)
                    removed += 1
                except OSError:
                    pass
    return removed


class AtomicJSONStorage(Storage):
    """TinyDB storage: cached in memory, written atomically and durably.

    ``generation`` changes whenever the data may have changed (a write, a
    rollback), so callers can keep indexes of it and know when to rebuild.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, durable: bool = True):
        self.path = Path(path)
        self.read_only = read_only
        self.durable = durable
        self.generation = 0
        self._data: dict[str, dict[str, Any]] | None = None
        self._batch_depth = 0
        self._pending = False
        if self.path.exists():
            self._data = _tables(self.path, load_json(self.path))

    def read(self) -> dict[str, dict[str, Any]] | None:
        return self._data

    def begin(self) -> None:
        """Hold writes until ``commit``: several table changes become one atomic write."""
        self._batch_depth += 1

    def commit(self) -> None:
        self._batch_depth -= 1
        if self._batch_depth == 0 and self._pending:
            self._pending = False
            self.write(self._data)  # type: ignore[arg-type]

    def rollback(self) -> None:
        """Forget everything since ``begin``: memory goes back to what is on disk."""
        self._batch_depth = 0
        self._pending = False
        self._reload()

    def _reload(self) -> None:
        self.generation += 1
        self._data = _tables(self.path, load_json(self.path)) if self.path.exists() else None

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.read_only:
            from .store_errors import ReadOnly

            raise ReadOnly(self.path)
        self.generation += 1
        if self._batch_depth:
            self._data = data
            self._pending = True
            return
        try:
            write_atomic(self.path, dumps(data), durable=self.durable)
        except BaseException:
            # TinyDB already changed the dict we handed out; put the memory
            # back to what is on disk so nothing unacknowledged is visible.
            self._reload()
            raise
        self._data = data


def _tables(path: Path, data: Any) -> dict[str, dict[str, Any]]:
    """The outer shape every TinyDB file has: tables of numbered documents."""
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise CorruptFile(path, "not_tables")
    return data
