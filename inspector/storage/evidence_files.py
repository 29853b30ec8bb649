"""The evidence folder: photos, scans and documents kept by the hash of their content.

    <db>/evidence/                          one folder for the whole database
    <db>/evidence/ab/cdef0123…89.jpg        a kept file: ``<sha256[:2]>/<sha256[2:]><suffix>``
    <db>/evidence/.x.<pid>-<n>.inspector-tmp  a copy in progress (removed by the next keep)

What the records hold (``records.EvidenceFile``: hash, name, size, suffix,
who, when) says which file is meant; the folder holds each content once,
whatever its name or how often it was attached. Why content-addressed: the
same photo attached to two findings is stored once, a changed or damaged file
is found by hashing it again (``verify``), and a sync bundle can carry a file
by its hash and know whether the other laptop already has it (the name is
the content, so two laptops never hold different files under one name).

A file is copied into a temp file in this folder while it is hashed, fsynced,
then renamed into place (atomic): a kill mid-copy leaves no half file under a
final name, only a temp file the next ``keep`` removes. Kept files are never
changed or removed by the program.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import BinaryIO, Callable, Iterable

from ..core import evidence as rules
from ..core.records import EvidenceFile
from .atomic import write_atomic, fsync_dir, is_temp, temp_path
from .store_errors import write_error

FOLDER = "evidence"
CHUNK = 1024 * 1024


class EvidenceFiles:
    """The evidence folder of one database (``Database.evidence``): core's ``EvidenceStore``."""

    def __init__(self, root: Path, *, check_writable: Callable[[], None] = lambda: None):
        self.folder = Path(root) / FOLDER
        self._check_writable = check_writable  # raises the database's ReadOnly on a read-only copy

    # -- reading -------------------------------------------------------------------------

    def path_of(self, file: EvidenceFile) -> Path:
        return self.folder / file.sha256[:2] / f"{file.sha256[2:]}{file.suffix}"

    def relative_path(self, file: EvidenceFile) -> str:
        """The kept file's path from the database folder, with ``/`` (for report links)."""
        return f"{FOLDER}/{file.sha256[:2]}/{file.sha256[2:]}{file.suffix}"

    def size_of(self, path: Path) -> int:
        with _open_source(path) as fh:
            st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise rules.not_a_file(str(path))
        return st.st_size

    def verify(self, files: Iterable[EvidenceFile]) -> list[rules.EvidenceProblem]:
        """Each file (once per hash) that is missing or altered, in the order given."""
        problems = []
        checked: dict[tuple[str, str], str | None] = {}
        for file in files:
            key = (file.sha256, file.suffix)
            if key not in checked:
                checked[key] = self._problem(file)
            kind = checked[key]
            if kind:
                problems.append(rules.EvidenceProblem(file, kind, self.path_of(file)))
        return problems

    def _problem(self, file: EvidenceFile) -> str | None:
        path = self.path_of(file)
        try:
            digest = _hash_file(path)
        except FileNotFoundError:
            return "missing"
        except OSError:
            return "missing"  # a folder in its place, no permission: the file cannot be had
        return None if digest == file.sha256 else "altered"

    # -- keeping ----------------------------------------------------------------------------

    def keep(self, path: Path, *, by: str, at: str) -> EvidenceFile:
        """Copy ``path`` in under its hash; the same content is stored once (an altered copy is repaired).

        Read failures of ``path`` are EvidenceErrors naming it; write failures
        DiskFull / NotWritable naming the evidence file; ReadOnly on a read-only copy.
        """
        self._check_writable()
        path = Path(path)
        _mkdir(self.folder)
        self._remove_temp_files(self.folder)
        tmp = temp_path(self.folder / "keep")
        digest, size = self._copy(path, tmp)
        file = EvidenceFile(sha256=digest, name=path.name, size=size, suffix=rules.suffix_of(path.name), by=by, at=at)
        final = self.path_of(file)
        try:
            if _hash_or_none(final) == digest:
                os.unlink(tmp)  # stored already: once is enough
                return file
            _mkdir(final.parent)
            os.replace(tmp, final)
        except OSError as exc:
            _unlink(tmp)
            raise write_error(final, exc) from exc
        except BaseException:
            _unlink(tmp)
            raise
        for folder in (final.parent, self.folder):
            try:
                fsync_dir(folder)
            except OSError:
                pass  # the rename is done; nothing more to save
        return file

    def content(self, sha256: str, suffix: str) -> bytes | None:
        """The bytes kept under ``sha256`` (for a sync bundle); None when missing or altered."""
        path = self.folder / sha256[:2] / f"{sha256[2:]}{suffix}"
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == sha256 else None

    def keep_content(self, sha256: str, suffix: str, data: bytes) -> bool:
        """Keep bytes that came in a sync bundle under their hash; False when they are not what the hash says."""
        if hashlib.sha256(data).hexdigest() != sha256 or not rules.suffix_of(f"x{suffix}") == suffix:
            return False
        self._check_writable()
        final = self.folder / sha256[:2] / f"{sha256[2:]}{suffix}"
        if _hash_or_none(final) == sha256:
            return True
        _mkdir(self.folder)
        _mkdir(final.parent)
        write_atomic(final, data)
        return True

    def _copy(self, source: Path, tmp: Path) -> tuple[str, int]:
        """Copy ``source`` to ``tmp`` (fsynced), hashing as it goes: (sha256, size)."""
        digest = hashlib.sha256()
        size = 0
        src = _open_source(source)
        fd = -1
        try:
            with src:
                try:
                    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                except OSError as exc:
                    raise write_error(tmp, exc) from exc
                while True:
                    try:
                        chunk = src.read(CHUNK)
                    except OSError:
                        raise rules.unreadable(str(source)) from None
                    if not chunk:
                        break
                    digest.update(chunk)
                    size += len(chunk)
                    try:
                        _write_all(fd, chunk)
                    except OSError as exc:
                        raise write_error(tmp, exc) from exc
                try:
                    os.fsync(fd)
                except OSError as exc:
                    raise write_error(tmp, exc) from exc
        except BaseException:
            if fd >= 0:
                os.close(fd)
            _unlink(tmp)
            raise
        os.close(fd)
        return digest.hexdigest(), size

    def _remove_temp_files(self, folder: Path) -> None:
        """Copies left by a killed keep (only the writer keeps, so none is in flight)."""
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if is_temp(entry.name) and entry.is_file(follow_symlinks=False):
                _unlink(Path(entry.path))


def _open_source(path: Path) -> BinaryIO:
    """The file a user named, open for reading; an EvidenceError naming it when it cannot be."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise rules.missing(str(path)) from None
    except IsADirectoryError:
        raise rules.not_a_file(str(path)) from None
    except OSError:
        raise rules.unreadable(str(path)) from None


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _hash_or_none(path: Path) -> str | None:
    try:
        return _hash_file(path)
    except OSError:
        return None


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(folder, exc) from exc


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


__all__ = ["EvidenceFiles", "FOLDER"]
