"""Evidence: photos, scans and documents kept with a finding or an item's answer.

The rules live here (which files, how large, all or nothing, one ``attach``
event per attachment, "a closure needs evidence"); the files themselves are
kept by an ``EvidenceStore`` (storage/evidence_files.py: a content-addressed
folder beside the database). Core touches no file: it asks the store for a
file's size, to keep it, where a kept file is and whether kept files are intact.

    attach_to_finding(db, vid, fid, paths, by)       -> Attached  (one attach event)
    attach_to_answer(visit, item, paths, by, kept_in=db.evidence) -> Attached  (Answer.files)
    closure_needs_evidence(view_or_events, required) -> UserError | None
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePath
from typing import Any, Iterable, Protocol, Sequence

from .errors import UserError
from .moves import FindingEvents, Move, make_move
from .records import Answer, Event, EvidenceFile, replace

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".webp")
# Scans and office documents as townships send them: PDF, Word/Excel, WPS (.wps, .et), OFD (the national e-document format).
DOCUMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".ofd", ".txt")
SUPPORTED_SUFFIXES = PHOTO_SUFFIXES + DOCUMENT_SUFFIXES
DEFAULT_MAX_MB = 20
MB = 1024 * 1024


def max_bytes(max_mb: float) -> int:
    return int(max_mb * MB)


DEFAULT_LIMIT = max_bytes(DEFAULT_MAX_MB)


def megabytes(size: int) -> str:
    """A size as people read it on a refusal: ``25.3`` (MB, one decimal)."""
    return f"{size / MB:.1f}"


def size_parts(size: int) -> tuple[str, str]:
    """(number, unit) of a size as a list shows it: "350", "KB" below 1 MB, else "2.4", "MB"."""
    if size < MB:
        return str(max(1, round(size / 1024))) if size else "0", "KB"
    return megabytes(size), "MB"


def suffix_of(name: str) -> str:
    return PurePath(name).suffix.lower()


def is_photo(file: EvidenceFile) -> bool:
    """A photo (the Word report embeds these; the others are listed)."""
    return file.suffix in PHOTO_SUFFIXES


# -- the refusals ----------------------------------------------------------------------


class EvidenceError(UserError):
    """A file that cannot be kept as evidence: its key names why (every one names the file)."""


def too_large(name: str, size: int, limit: int) -> EvidenceError:
    return EvidenceError("evidence.too_large", name=name, size=megabytes(size), limit=megabytes(limit))


def unsupported(name: str, suffix: str) -> EvidenceError:
    return EvidenceError("evidence.unsupported", name=name, suffix=suffix or "-",
                         supported=" ".join(SUPPORTED_SUFFIXES))


def missing(name: str) -> EvidenceError:
    return EvidenceError("evidence.missing", name=name)


def unreadable(name: str) -> EvidenceError:
    return EvidenceError("evidence.unreadable", name=name)


def not_a_file(name: str) -> EvidenceError:
    return EvidenceError("evidence.not_a_file", name=name)


def empty(name: str) -> EvidenceError:
    return EvidenceError("evidence.empty", name=name)


def check_file(name: str, size: int, limit: int = DEFAULT_LIMIT) -> EvidenceError | None:
    """Why a file of this name and size cannot be kept; None when it may be."""
    suffix = suffix_of(name)
    if suffix not in SUPPORTED_SUFFIXES:
        return unsupported(name, suffix)
    if size <= 0:
        return empty(name)
    if size > limit:
        return too_large(name, size, limit)
    return None


# -- what core needs of storage ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvidenceProblem:
    """A kept file that is not as it was attached: ``missing`` or ``altered`` (its hash differs)."""

    file: EvidenceFile
    kind: str  # missing | altered
    path: Path


class EvidenceStore(Protocol):
    """Where evidence is kept (storage/evidence_files.py)."""

    def size_of(self, path: Path) -> int:
        """The size of the file at ``path``; EvidenceError (missing, unreadable, not a file) otherwise."""
        ...

    def keep(self, path: Path, *, by: str, at: str) -> EvidenceFile:
        """Copy the file in under its content hash (once however often it is kept); ReadOnly on a read-only copy."""
        ...

    def path_of(self, file: EvidenceFile) -> Path:
        """Where the kept file is (it may be missing: see ``verify``)."""
        ...

    def relative_path(self, file: EvidenceFile) -> str:
        """The kept file's path from the database folder, with ``/`` (``evidence/ab/cdef….jpg``: a report's link)."""
        ...

    def verify(self, files: Iterable[EvidenceFile]) -> list[EvidenceProblem]:
        """Every file that is missing or whose content no longer has its hash."""
        ...


class EvidenceDatabase(Protocol):
    """What ``attach_to_finding`` needs of the repository: the village's records and the evidence folder."""

    @property
    def evidence(self) -> EvidenceStore: ...

    def store(self, vid: str) -> Any: ...  # core.repository.VillageRecords (events, new_event, append_event, now_iso, today)


@dataclass(frozen=True, slots=True)
class Attached:
    """What an attachment did: the files it added, and those the finding or answer already had (same hash)."""

    added: tuple[EvidenceFile, ...]
    already: tuple[EvidenceFile, ...]


# -- attaching ---------------------------------------------------------------------------


def check_paths(kept_in: EvidenceStore, paths: Sequence[Path | str], limit: int = DEFAULT_LIMIT) -> list[Path]:
    """Every file checked before any is kept (all or nothing); the first refusal is raised."""
    if not paths:
        raise EvidenceError("evidence.no_files")
    out = []
    for raw in paths:
        path = Path(raw)
        size = kept_in.size_of(path)
        refusal = check_file(path.name, size, limit)
        if refusal is not None:
            raise refusal
        out.append(path)
    return out


def _keep_all(kept_in: EvidenceStore, paths: Sequence[Path | str], by: str, at: str, limit: int,
              have: Iterable[EvidenceFile]) -> Attached:
    checked = check_paths(kept_in, paths, limit)
    known = {f.sha256 for f in have}
    added: list[EvidenceFile] = []
    already: list[EvidenceFile] = []
    for path in checked:
        kept = kept_in.keep(path, by=by, at=at)
        if kept.sha256 in known:
            already.append(kept)
        else:
            known.add(kept.sha256)
            added.append(kept)
    return Attached(tuple(added), tuple(already))


def finding_files(events: Iterable[Event]) -> list[EvidenceFile]:
    """The evidence kept with a finding, in the order it was attached (each file once)."""
    from .workflow import in_order

    seen: set[str] = set()
    out = []
    for event in in_order(events):
        for file in event.files:
            if file.sha256 not in seen:
                seen.add(file.sha256)
                out.append(file)
    return out


def attach_to_finding(db: EvidenceDatabase, vid: str, fid: str, paths: Sequence[Path | str], by: str, *,
                      limit: int = DEFAULT_LIMIT, on: date | None = None) -> Attached:
    """Keep ``paths`` with finding ``fid`` of village ``vid``: one ``attach`` event carrying the new files.

    Every file is checked first (type, size, readable): one refusal and
    nothing is kept or recorded. Files the finding already has (same hash)
    are not recorded again; when every file is one of them no event is made.
    Allowed in every state, a closed finding too (the workflow's ``attach``).
    """
    store = db.store(vid)
    store.finding(fid)  # NotFound for an unknown finding, before any file is copied
    history = store.events(fid)
    attached = _keep_all(db.evidence, paths, by, store.now_iso(), limit, finding_files(history))
    if attached.added:
        repo: FindingEvents = store
        make_move(repo, fid, Move("attach", on=on or store.today, by=by, files=attached.added))
    return attached


def attach_to_answer(visit: Any, item: Any, paths: Sequence[Path | str], by: str, *, kept_in: EvidenceStore,
                     limit: int = DEFAULT_LIMIT) -> Attached:
    """Keep ``paths`` with the answer to ``item`` (a CheckItem or its id) of the visit's inspection.

    The answer's files are merged (each hash once); the answer's value is
    untouched, so an unanswered item stays unanswered. A completed inspection
    takes evidence too: it changes no judgement, and each file says who and when.
    """
    item_id = item if isinstance(item, str) else item.id
    store = visit.store
    iid = visit.inspection_id
    current: Answer = store.answers(iid).get(item_id) or Answer(inspection=iid, item=item_id)
    attached = _keep_all(kept_in, paths, by, store.now_iso(), limit, current.files)
    if attached.added:
        store.put_answer(replace(current, files=(*current.files, *attached.added)))
    return attached


# -- the county rule: a closure needs evidence ----------------------------------------------


def closure_needs_evidence(view_or_events: Any, required: bool) -> UserError | None:
    """Why a close is refused for want of evidence; None when it may go ahead.

    ``view_or_events`` is a FindingView (its events up to its as-of date) or
    the finding's events before the close. With ``required`` (the county's
    ``[closure] needs_evidence``), a close needs an ``attach`` event with files
    before it.
    """
    if not required:
        return None
    events = getattr(view_or_events, "events", view_or_events)
    if any(e.type == "attach" and e.files for e in events):
        return None
    return EvidenceError("evidence.closure_needs_evidence")


__all__ = [
    "Attached", "DEFAULT_LIMIT", "DEFAULT_MAX_MB", "DOCUMENT_SUFFIXES", "EvidenceDatabase", "EvidenceError",
    "EvidenceProblem", "EvidenceStore", "PHOTO_SUFFIXES", "SUPPORTED_SUFFIXES", "attach_to_answer",
    "attach_to_finding", "check_file", "check_paths", "closure_needs_evidence", "finding_files", "is_photo",
    "max_bytes", "megabytes", "size_parts", "suffix_of",
]
