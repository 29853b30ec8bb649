"""The sync screens' steps, free of Textual: read and vet a bundle, preview, import, export, folder sync.

Each step is a plain function the screens run in a thread worker; none
touches a widget. The rules are the sync verbs' (commands/sync.py): the
import contract keeps ``ui`` and ``commands`` apart, so the trust check and
the report lines are written here again with the same messages. Keep the two
in step (or move both below, to one module they share).

What the database keeps for the app, beside what the verbs keep (see
commands/devices.py): ``shared_folder`` on this device's own entry in the
registry's "devices" table. Kept in the database, not in the user's settings
file: the folder is where *this database* meets the others, so a demo or a
scratch database opened on the same laptop never syncs with the county's
folder; and it is keyed by this device's id, so a database folder copied to
another laptop does not bring the setting along.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import device
from ..core import ids, labels
from ..core.errors import UserError
from ..core.sync import SUPERVISOR_MOVES, MergeReport, Roster, RosterEntry
from ..i18n import t
from ..wiring import BUNDLE_SUFFIX, BundleError, export_bundle, import_bundle, read_bundle

KINDS = ("villages", "inspections", "answers", "observations", "findings", "events")


class SyncRefused(Exception):
    """A step that cannot go on: ``line`` says why, in the interface language; nothing was changed."""

    def __init__(self, line: str) -> None:
        super().__init__(line)
        self.line = line


@dataclass(frozen=True)
class Incoming:
    """A bundle file read and its signature checked."""

    path: Path
    bundle: Any  # wiring.Bundle
    sha256: str

    @property
    def who(self) -> dict[str, str]:
        """Its device as people see it: name, short id, key fingerprint."""
        b = self.bundle
        return {"name": b.name or ids.short(b.device), "id": ids.short(b.device), "fingerprint": device.fingerprint(b.public_key)}


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


# ── reading and vetting ──────────────────────────────────────────────────────


def load(path: Path) -> Incoming:
    """The bundle in ``path``; SyncRefused with one line otherwise."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SyncRefused(t("sync.cannot_read", path=path, reason=_reason(exc))) from None
    try:
        bundle = read_bundle(data)
    except BundleError as exc:
        raise SyncRefused(t("sync.refused_file", path=path.name, reason=exc.message())) from None
    return Incoming(path, bundle, hashlib.sha256(data).hexdigest())


def roster_of(doc: dict | None) -> Roster | None:
    """core's Roster from the document stored in the database (as commands/sync.roster_of)."""
    if not doc:
        return None
    entries = tuple(RosterEntry(device=str(e["device"]), name=str(e.get("name", "")), role=str(e.get("role", "")),
                                public_key=str(e.get("public_key", "")), revoked=bool(e.get("revoked", False)))
                    for e in doc.get("entries", []))
    return Roster(county=str(doc.get("county", "")), entries=entries,
                  supervisor_moves=tuple(doc.get("supervisor_moves") or SUPERVISOR_MOVES))


def needs_trust(db: Any, incoming: Incoming) -> bool:
    """Refuse a bundle this database must not take (SyncRefused); True when its device is not trusted yet.

    The rules of commands/sync.vet: this device's own bundle signed with
    another key, a device revoked on the roster, a key other than the one
    trusted before (or the roster's): refused whole, whatever the user says.
    """
    bundle, path = incoming.bundle, incoming.path.name
    key = base64.b64encode(bundle.public_key).decode()
    who = dict(path=path, **incoming.who)
    me = device.this_device()
    if bundle.device == me.id:
        if bundle.public_key != me.public_key:
            raise SyncRefused(t("sync.impostor", **who))
        return False
    roster = roster_of(db.roster())
    if roster is not None and bundle.county and bundle.county != roster.county:
        raise SyncRefused(t("sync.bad_bundle.other_county", path=path, county=bundle.county, ours=roster.county))
    entry = roster.entry(bundle.device) if roster is not None else None
    if entry is not None and entry.revoked:
        raise SyncRefused(t("sync.revoked_device", **who))
    if entry is not None and entry.public_key and entry.public_key != key:
        raise SyncRefused(t("sync.impostor", **who))
    known = db.known_devices().get(bundle.device, {})
    if known.get("trusted") and known.get("public_key") and known["public_key"] != key:
        raise SyncRefused(t("sync.impostor", **who))
    return not (known.get("trusted") or (entry is not None and entry.public_key == key))


def read_and_vet(db: Any, path: Path) -> tuple[Incoming, bool]:
    """(the bundle, whether its device must be trusted first), or SyncRefused."""
    incoming = load(path)
    return incoming, needs_trust(db, incoming)


# ── preview and import ───────────────────────────────────────────────────────


def preview(db: Any, incoming: Incoming) -> MergeReport:
    """What importing would do; nothing is changed."""
    try:
        return import_bundle(db, incoming.bundle, roster=roster_of(db.roster()), dry_run=True)
    except BundleError as exc:
        raise SyncRefused(t("sync.refused_file", path=incoming.path.name, reason=exc.message())) from None


def apply(db: Any, incoming: Incoming) -> MergeReport:
    """Import the bundle (all of it or nothing) and remember its device as trusted, with its key."""
    try:
        report = import_bundle(db, incoming.bundle, roster=roster_of(db.roster()))
    except BundleError as exc:
        raise SyncRefused(t("sync.refused_file", path=incoming.path.name, reason=exc.message())) from None
    note_import(db, incoming)
    return report


def note_import(db: Any, incoming: Incoming) -> None:
    bundle = incoming.bundle
    if bundle.device == device.this_device().id:
        return
    db.note_device(bundle.device, name=bundle.name, public_key=base64.b64encode(bundle.public_key).decode(),
                   trusted=True, last_import=db.now_iso(), last_bundle=incoming.sha256)


def report_lines(report: MergeReport, incoming: Incoming, db: Any) -> list[str]:
    """What an import did (or would do), one fact a line, every code as its label (as the verb prints it)."""
    bundle, roster, known = incoming.bundle, roster_of(db.roster()), db.known_devices()
    if report.nothing_new and not report.conflicts and not report.superseded:
        return [t("sync.report.nothing_new", path=incoming.path.name, **incoming.who)]
    lines = []
    sep = t("supervise.sep")
    if report.new_villages:
        names = sep.join(report.new_villages[:10]) + ("…" if len(report.new_villages) > 10 else "")
        lines.append(t("sync.report.new_villages", n=len(report.new_villages), names=names))
    if any(report.added.values()):
        lines.append(t("sync.report.added", counts=_counts(report.added)))
    if any(report.changed.values()):
        lines.append(t("sync.report.changed", counts=_counts(report.changed)))
    if report.removed:
        lines.append(t("sync.report.removed", n=report.removed))
    for village, title, move in report.conflicts:
        lines.append(t("sync.report.conflict", village=village, title=title, event=labels.event(move)))
    for village, title, move, did in report.quarantined:
        lines.append(t("sync.report.quarantined", village=village, title=title, event=labels.event(move),
                       device=_device_name(did, roster, known, bundle)))
    for lost in report.superseded:
        lines.append(t("sync.report.kept", what=_what(lost.kind, lost.key, dict(lost.doc))))
    for township, name in report.possible_duplicates:
        lines.append(t("sync.report.duplicate", township=township, name=name))
    return [line.strip() for line in lines]


def _counts(table: dict[str, int]) -> str:
    return t("supervise.sep").join(t(f"sync.count.{kind}", n=table[kind]) for kind in KINDS if table.get(kind))


def _device_name(did: str, roster: Roster | None, known: dict[str, dict], bundle: Any) -> str:
    entry = roster.entry(did) if roster is not None else None
    if entry is not None and entry.name:
        return entry.name
    if did == bundle.device and bundle.name:
        return bundle.name
    return str(known.get(did, {}).get("name") or ids.short(did))


def _what(kind: str, key: str, doc: dict) -> str:
    if kind == "villages":
        return t("sync.what.village", name=doc.get("name", ""), township=doc.get("township", ""))
    if kind == "findings":
        return t("sync.what.finding", title=doc.get("title", ""))
    if kind == "answers":
        return t("sync.what.answer", id=ids.short(str(doc.get("inspection", ""))))
    return t(f"sync.what.{kind.rstrip('s')}", id=ids.short(key))


# ── export ───────────────────────────────────────────────────────────────────


def write_atomic(path: Path, data: bytes) -> None:
    """Whole or not at all: a temp file beside it, then a rename (what Syncthing expects)."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as exc:
        raise SyncRefused(t("sync.cannot_write", path=path, reason=_reason(exc))) from None
    finally:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass


def export_to(db: Any, folder: Path) -> tuple[Path, int, int]:
    """Write this device's bundle of the whole database into ``folder``; (path, villages, records)."""
    if not folder.is_dir():
        raise SyncRefused(t("sync.no_folder", path=folder))
    me = device.this_device()
    roster = db.roster()
    try:
        data, villages, records = export_bundle(db, county=str(roster.get("county", "")) if roster else "")
    except UserError as exc:  # this device's key cannot be read: nothing can be signed
        raise SyncRefused(exc.message()) from None
    path = folder / f"{me.id}{BUNDLE_SUFFIX}"
    write_atomic(path, data)
    if not db.read_only:
        db.note_device(me.id, name=me.name, public_key=base64.b64encode(me.public_key).decode(), last_export=db.now_iso())
    return path, villages, records


# ── the shared folder ────────────────────────────────────────────────────────


def shared_folder(db: Any) -> Path | None:
    """The folder this database syncs with (see the module's docstring), if one is set."""
    value = db.known_devices().get(device.this_device().id, {}).get("shared_folder")
    return Path(value) if value else None


def set_shared_folder(db: Any, folder: Path | None) -> None:
    db.note_device(device.this_device().id, shared_folder=str(folder) if folder else "")


@dataclass
class FolderResult:
    written: Path
    imported: list[str] = field(default_factory=list)  # device names
    lines: list[str] = field(default_factory=list)  # each import's report
    skipped: list[str] = field(default_factory=list)  # why each skipped file was skipped
    unchanged: int = 0
    conflicts: int = 0
    quarantined: int = 0
    added: dict[str, int] = field(default_factory=dict)

    @property
    def needs_attention(self) -> bool:
        return bool(self.skipped or self.conflicts or self.quarantined)

    def summary(self) -> str:
        return t("sync_ui.folder_done", imported=len(self.imported),
                 names=t("supervise.sep").join(self.imported) or "-", added=_counts(self.added) or t("sync.none"),
                 conflicts=self.conflicts, quarantined=self.quarantined, unchanged=self.unchanged,
                 skipped=len(self.skipped), path=self.written.name)


def sync_folder(db: Any, folder: Path) -> FolderResult:
    """``inspector sync folder``: import every other trusted device's bundle found there, then write ours.

    A device not trusted yet is skipped with a line saying how to trust it
    (import its file from the sync screen); no question is asked mid-way.
    """
    if not folder.is_dir():
        raise SyncRefused(t("sync.no_folder", path=folder))
    me = device.this_device()
    own = f"{me.id}{BUNDLE_SUFFIX}"
    result = FolderResult(written=folder / own)
    for path in sorted(folder.glob(f"*{BUNDLE_SUFFIX}")):
        if path.name == own or path.name.startswith("."):
            continue
        try:
            item = load(path)
            if item.bundle.device == me.id:
                continue
            if db.known_devices().get(item.bundle.device, {}).get("last_bundle") == item.sha256:
                result.unchanged += 1
                continue
            if needs_trust(db, item):
                result.skipped.append(t("sync_ui.folder_untrusted", path=path.name, **item.who))
                continue
            report = apply(db, item)
        except SyncRefused as exc:
            result.skipped.append(exc.line)
            continue
        result.imported.append(item.who["name"])
        for kind, n in report.added.items():
            result.added[kind] = result.added.get(kind, 0) + n
        result.conflicts += len(report.conflicts)
        result.quarantined += len(report.quarantined)
        result.lines += [t("sync.report.from", path=path.name, **item.who), *report_lines(report, item, db)]
    # Written after the imports: this device's file then carries what it merged too.
    result.written = export_to(db, folder)[0]
    return result


# ── what the screens list ────────────────────────────────────────────────────


@dataclass(frozen=True)
class KnownDevice:
    id: str
    name: str
    fingerprint: str
    this: bool
    trusted: bool
    revoked: bool
    last_import: str
    last_export: str


def known_devices(db: Any) -> list[KnownDevice]:
    """This device first, then every device the database has heard from or the roster lists, by name."""
    me = device.this_device()
    roster = db.roster() or {}
    rows: dict[str, dict[str, Any]] = {e["device"]: dict(e) for e in roster.get("entries", [])}
    for did, doc in db.known_devices().items():
        rows.setdefault(did, {}).update({k: v for k, v in doc.items() if v not in (None, "")})
    rows.setdefault(me.id, {}).update(name=me.name, public_key=base64.b64encode(me.public_key).decode())
    out = []
    for did, row in rows.items():
        try:
            key = base64.b64decode(str(row.get("public_key", "")), validate=True)
        except ValueError:
            key = b""
        entry = next((e for e in roster.get("entries", []) if e.get("device") == did), None)
        on_roster = entry is not None and not entry.get("revoked") and bool(entry.get("public_key"))
        out.append(KnownDevice(did, str(row.get("name") or ids.short(did)), device.fingerprint(key), did == me.id,
                               bool(did == me.id or row.get("trusted") or on_roster),
                               bool(entry and entry.get("revoked")),
                               str(row.get("last_import", "")), str(row.get("last_export", ""))))
    out.sort(key=lambda d: (not d.this, d.name, d.id))
    return out


def when(iso: str) -> str:
    """An ISO time as people read it (to the minute), or a dash."""
    return iso.replace("T", " ")[:16] if iso else "-"


def status_line(db: Any) -> str:
    """The main screen's line: when each other device last synced here, and this one last exported ("" if none)."""
    parts = []
    for d in known_devices(db):
        if d.this and d.last_export:
            parts.append(t("sync_ui.status_exported", name=t("sync.this_device"), when=when(d.last_export)))
        elif not d.this:
            parts.append(t("sync_ui.status_imported", name=d.name, when=when(d.last_import)) if d.last_import
                         else t("sync_ui.status_never", name=d.name))
    if not parts:
        return ""
    return t("sync_ui.status", devices=t("supervise.sep").join(parts))
