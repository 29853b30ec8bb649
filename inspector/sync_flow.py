"""Sync, written once for the verbs (commands/sync.py) and the app (ui/sync_steps.py).

Read and vet a bundle file, preview it, import it and note the import, the
report's lines, this device's bundle written whole (export), the shared
folder loop, and the devices a database knows. Each step returns a typed
result or raises ``SyncRefused`` (one line in the interface language, and the
exit status the verbs give it); nothing here prints, asks or draws: the verbs
print and prompt, the screens show. The rule of trust is core's
(``core.sync.trust``); bundles and merges are reached through ``wiring``.

Messages name a file by its path (the verbs) or by its name (the screens,
whose dialogs are narrow): ``load(path, by_name=...)`` decides it once, and
every later line about that file says it the same way (``Incoming.shown``).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import device
from .atomic_file import write_file_atomic
from .core import ids, labels
from .core.records import replace
from .core.errors import UserError
from .core.sync import KnownDevice, MergeReport, Roster, foreign_county, trust
from .i18n import t
from .wiring import BUNDLE_SUFFIX, Bundle, BundleError, export_bundle, import_bundle, read_bundle

KINDS = ("villages", "inspections", "answers", "observations", "findings", "events")


class SyncRefused(Exception):
    """A step that cannot go on: ``line`` says why; ``status`` is the verbs' exit status (2: a bad file or argument)."""

    def __init__(self, line: str, status: int = 1) -> None:
        super().__init__(line)
        self.line = line
        self.status = status


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


# ── reading and vetting ──────────────────────────────────────────────────────


@dataclass(frozen=True)
class Incoming:
    """A bundle file read and its signature checked."""

    path: Path
    bundle: Bundle
    sha256: str
    shown: str  # the file as every line about it names it (its path, or its name on a screen)

    @property
    def who(self) -> dict[str, str]:
        """Its device as people see it: name, short id, key fingerprint."""
        b = self.bundle
        return {"name": b.name or ids.short(b.device), "id": ids.short(b.device), "fingerprint": device.fingerprint(b.public_key)}


def load(path: Path, *, by_name: bool = False) -> Incoming:
    """The bundle in ``path``; SyncRefused (1: cannot be read; 2: not a good bundle) otherwise."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SyncRefused(t("sync.cannot_read", path=path, reason=_reason(exc))) from None
    shown = path.name if by_name else str(path)
    try:
        bundle = read_bundle(data)
    except BundleError as exc:
        raise SyncRefused(t("sync.refused_file", path=shown, reason=exc.message()), 2) from None
    return Incoming(path, bundle, hashlib.sha256(data).hexdigest(), shown)


def vet(db: Any, incoming: Incoming, roster: Roster | None) -> bool:
    """Refuse a bundle this database must not take (SyncRefused); True when its device is not trusted yet.

    Refused whole, whatever the user says: another county's roster, this
    device's own id or a known device's with another key (an impostor), a
    device revoked on the roster (core.sync.trust decides).
    """
    bundle, me = incoming.bundle, device.this_device()
    who = dict(path=incoming.shown, **incoming.who)
    if bundle.device != me.id and foreign_county(roster, bundle.county):
        assert roster is not None
        raise SyncRefused(t("sync.bad_bundle.other_county", path=incoming.shown, county=bundle.county,
                            ours=roster.county), 2)
    verdict = trust(db.known_devices().get(bundle.device), roster, bundle.device, _b64(bundle.public_key),
                    this=(me.id, _b64(me.public_key)))
    if verdict == "impostor":
        # A device trusted here before (not this one, not one the roster names) may have a new key
        # for a good reason (a reinstall): the line says how to forget it, once its owner confirms.
        known_only = bundle.device != me.id and (roster is None or roster.entry(bundle.device) is None)
        raise SyncRefused(t("sync.impostor_known" if known_only else "sync.impostor", **who))
    if verdict == "revoked":
        raise SyncRefused(t("sync.revoked_device", **who))
    return verdict == "ask"


def forget(db: Any, text: str) -> KnownDevice:
    """Forget the known device ``text`` names (its short id, or any end of 4 or more characters of its id).

    Its next bundle is then asked about again, with its fingerprint, as a device
    never seen. SyncRefused: no such device, several, this device, or one the
    roster in force names (the roster decides its key, not this database).
    """
    me = device.this_device()
    if ids.matches(text, me.id):
        raise SyncRefused(t("sync.forget.this_device", name=me.name or ids.short(me.id), id=ids.short(me.id)))
    found = [d for d in db.known_devices().values() if ids.matches(text, d.id)]
    if not found:
        raise SyncRefused(t("sync.forget.unknown", id=text))
    if len(found) > 1:
        raise SyncRefused(t("sync.forget.ambiguous", id=text,
                            ids=t("sync.forget.separator").join(ids.short(d.id) for d in sorted(found, key=lambda d: d.id))))
    chosen = found[0]
    who = {"name": chosen.name or ids.short(chosen.id), "id": ids.short(chosen.id)}
    roster = db.roster()
    if roster is not None and roster.entry(chosen.id) is not None:
        raise SyncRefused(t("sync.forget.on_roster", **who))
    db.forget_device(chosen.id)
    return chosen


# ── preview and import ───────────────────────────────────────────────────────


def preview(db: Any, incoming: Incoming, roster: Roster | None) -> MergeReport:
    """What importing would do; nothing is changed."""
    try:
        return import_bundle(db, incoming.bundle, roster=roster, dry_run=True)
    except BundleError as exc:
        raise SyncRefused(t("sync.refused_file", path=incoming.shown, reason=exc.message()), 2) from None


def apply(db: Any, incoming: Incoming, roster: Roster | None) -> MergeReport:
    """Import the bundle (all of it or nothing) and remember its device as trusted, with its key."""
    try:
        report = import_bundle(db, incoming.bundle, roster=roster)
    except BundleError as exc:
        raise SyncRefused(t("sync.refused_file", path=incoming.shown, reason=exc.message()), 2) from None
    note_import(db, incoming)
    return report


def note_import(db: Any, incoming: Incoming) -> None:
    """Its device is trusted from now on, with this key; this file is the last one read from it."""
    bundle = incoming.bundle
    if bundle.device == device.this_device().id:
        return
    db.note_device(bundle.device, name=bundle.name, public_key=_b64(bundle.public_key), trusted=True,
                   last_import=db.now_iso(), last_bundle=incoming.sha256)


def nothing_to_ask(report: MergeReport) -> bool:
    """Nothing new, no conflict, no version kept: importing only notes that the file was seen."""
    return report.nothing_new and not report.conflicts and not report.superseded


# ── the report ───────────────────────────────────────────────────────────────


def counts(table: dict[str, int]) -> str:
    """"1 village, 3 events": the kinds with records, in the bundle's order."""
    return t("supervise.sep").join(t(f"sync.count.{kind}", n=table[kind]) for kind in KINDS if table.get(kind))


def _device_name(did: str, roster: Roster | None, known: dict[str, KnownDevice], bundle: Bundle) -> str:
    entry = roster.entry(did) if roster is not None else None
    if entry is not None and entry.name:
        return entry.name
    if did == bundle.device and bundle.name:
        return bundle.name
    seen = known.get(did)
    return seen.name if seen is not None and seen.name else ids.short(did)


def _what(kind: str, key: str, doc: Any) -> str:
    # ``doc`` is core's Superseded.doc: the losing version as the bundle carried it
    if kind == "villages":
        return t("sync.what.village", name=doc.get("name", ""), township=doc.get("township", ""))
    if kind == "findings":
        return t("sync.what.finding", title=doc.get("title", ""))
    if kind == "answers":
        return t("sync.what.answer", id=ids.short(str(doc.get("inspection", ""))))
    return t(f"sync.what.{kind.rstrip('s')}", id=ids.short(key))


def report_lines(report: MergeReport, incoming: Incoming, roster: Roster | None,
                 known: dict[str, KnownDevice]) -> list[str]:
    """What an import did (or would do): a heading naming the file and device, then one fact a line, every code as its label.

    The facts are indented under the heading (the messages carry the indent);
    with nothing to say, the heading alone says "nothing new".
    """
    head = dict(path=incoming.path.name, **incoming.who)
    if nothing_to_ask(report):
        return [t("sync.report.nothing_new", **head)]
    lines = [t("sync.report.from", **head)]
    sep = t("supervise.sep")
    if report.new_villages:
        names = sep.join(report.new_villages[:10]) + ("…" if len(report.new_villages) > 10 else "")
        lines.append(t("sync.report.new_villages", n=len(report.new_villages), names=names))
    if any(report.added.values()):
        lines.append(t("sync.report.added", counts=counts(report.added)))
    if any(report.changed.values()):
        lines.append(t("sync.report.changed", counts=counts(report.changed)))
    if report.removed:
        lines.append(t("sync.report.removed", n=report.removed))
    for village, title, move in report.conflicts:
        lines.append(t("sync.report.conflict", village=village, title=title, event=labels.event(move)))
    for village, title, move, did in report.quarantined:
        lines.append(t("sync.report.quarantined", village=village, title=title, event=labels.event(move),
                       device=_device_name(did, roster, known, incoming.bundle)))
    for lost in report.superseded:
        lines.append(t("sync.report.kept", what=_what(lost.kind, lost.key, lost.doc)))
    for township, name in report.possible_duplicates:
        lines.append(t("sync.report.duplicate", township=township, name=name))
    return lines


# ── export ───────────────────────────────────────────────────────────────────


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (a temp file beside it, then a rename: what Syncthing expects)."""
    try:
        write_file_atomic(path, data)
    except OSError as exc:
        raise SyncRefused(t("sync.cannot_write", path=path, reason=_reason(exc))) from None


def bundle_path(out: Path) -> Path:
    """``out`` itself, or inside a folder this device's file (named by its id)."""
    return out / f"{device.this_device().id}{BUNDLE_SUFFIX}" if out.is_dir() else out


def _carries_the_same(path: Path, data: bytes) -> bool:
    """Whether the bundle already at ``path`` carries what ``data`` does (only its time of writing differs)."""
    try:
        old = path.read_bytes()
    except OSError:
        return False
    if old == data:
        return True
    try:
        before, now = read_bundle(old), read_bundle(data)
    except BundleError:
        return False
    return replace(before, created_at=now.created_at) == now


@dataclass(frozen=True)
class Exported:
    path: Path
    villages: int
    records: int


def write_own(db: Any, out: Path, *, village_ids: list[str] | None = None, since: str = "",
              keep_same: bool = False) -> Exported:
    """Write this device's bundle of ``db`` to ``out`` (a file, or a folder: named by this device) and note the export.

    ``keep_same`` (the folder sync): a file there that already carries the same
    records is left as it is, so the other laptops, which skip a file they
    have read (by its hash), do not read it again, and Syncthing has nothing to send.
    """
    path = bundle_path(out)
    roster = db.roster()
    try:
        data, villages, records = export_bundle(db, village_ids=village_ids, since=since,
                                                county=roster.county if roster is not None else "")
    except UserError as exc:  # this device's key cannot be read: nothing can be signed
        raise SyncRefused(exc.message()) from None
    if not (keep_same and _carries_the_same(path, data)):
        write_atomic(path, data)
    if not db.read_only:
        me = device.this_device()
        db.note_device(me.id, name=me.name, public_key=_b64(me.public_key), last_export=db.now_iso())
    return Exported(path, villages, records)


def last_export(db: Any) -> str:
    """When this device last wrote its bundle from ``db`` (ISO; "" never)."""
    me = db.known_devices().get(device.this_device().id)
    return me.last_export if me is not None else ""


# ── the shared folder ────────────────────────────────────────────────────────


def shared_folder(db: Any) -> Path | None:
    """The folder this database syncs with, if one is set (kept on this device's entry: see KnownDevice)."""
    me = db.known_devices().get(device.this_device().id)
    return Path(me.shared_folder) if me is not None and me.shared_folder else None


def set_shared_folder(db: Any, folder: Path | None) -> None:
    db.note_device(device.this_device().id, shared_folder=str(folder) if folder else "")


@dataclass(frozen=True)
class Skipped:
    """A file the folder sync did not import: ``untrusted`` (its device must be trusted first) or ``line`` says why."""

    path: Path
    line: str = ""
    untrusted: Incoming | None = None


@dataclass
class FolderResult:
    """What a folder sync did: the front ends word the summary (and an untrusted device's advice) their way."""

    written: Exported | None = None
    imported: list[str] = field(default_factory=list)  # device names, in file order
    lines: list[str] = field(default_factory=list)  # "trusting ..." and each import's report, in file order
    skipped: list[Skipped] = field(default_factory=list)
    unchanged: int = 0
    added: dict[str, int] = field(default_factory=dict)
    conflicts: int = 0
    quarantined: int = 0

    @property
    def needs_attention(self) -> bool:
        return bool(self.skipped or self.conflicts or self.quarantined)


def sync_folder(db: Any, folder: Path, *, trust_new: bool = False, by_name: bool = False) -> FolderResult:
    """Import every other device's new bundle found in ``folder``, then write this device's own there.

    A device not trusted yet is skipped (``Skipped.untrusted``), unless
    ``trust_new`` (the verb's ``--trust``); a file read already (same hash) is
    counted unchanged; a bad or refused file is skipped with its line.
    """
    if not folder.is_dir():
        raise SyncRefused(t("sync.no_folder", path=folder), 2)
    me = device.this_device()
    own = f"{me.id}{BUNDLE_SUFFIX}"
    result = FolderResult()
    roster = db.roster()
    for path in sorted(folder.glob(f"*{BUNDLE_SUFFIX}")):
        if path.name == own or path.name.startswith("."):
            continue
        try:
            item = load(path, by_name=by_name)
            if item.bundle.device == me.id:
                continue
            seen = db.known_devices().get(item.bundle.device)
            if seen is not None and seen.last_bundle == item.sha256:
                result.unchanged += 1
                continue
            if vet(db, item, roster):
                if not trust_new:
                    result.skipped.append(Skipped(path, untrusted=item))
                    continue
                result.lines.append(t("sync.trusting", **item.who))
            report = apply(db, item, roster)
        except SyncRefused as exc:
            result.skipped.append(Skipped(path, line=exc.line))
            continue
        result.imported.append(item.who["name"])
        for kind, n in report.added.items():
            result.added[kind] = result.added.get(kind, 0) + n
        result.conflicts += len(report.conflicts)
        result.quarantined += len(report.quarantined)
        result.lines += report_lines(report, item, roster, db.known_devices())
    # Written after the imports: this device's file then carries what it merged too, for those who see only it.
    result.written = write_own(db, folder, keep_same=True)
    return result


# ── the devices a database knows ─────────────────────────────────────────────


@dataclass(frozen=True)
class DeviceRow:
    """A device as the lists show it (``inspector sync devices``, the sync screen)."""

    id: str
    name: str  # its name, or its short id when none is known
    fingerprint: str
    this: bool
    trusted: bool
    role: str | None  # on the roster in force (inspector | supervisor), None when not listed
    revoked: bool
    last_import: str
    last_export: str


def device_rows(db: Any) -> list[DeviceRow]:
    """This device first, then every device the database has heard from or the roster lists, by name."""
    me = device.this_device()
    roster = db.roster()
    entries = {e.device: e for e in roster.entries} if roster is not None else {}
    known = dict(db.known_devices())
    rows = []
    for did in dict.fromkeys([me.id, *entries, *known]):
        entry, seen = entries.get(did), known.get(did)
        this = did == me.id
        # What the registry noted wins over the roster's name and key; this device's own are its device file's.
        name = me.name if this else (seen.name if seen and seen.name else entry.name if entry else "")
        key = _b64(me.public_key) if this else (seen.public_key if seen and seen.public_key else
                                                 entry.public_key if entry else "")
        try:
            raw = base64.b64decode(key, validate=True)
        except ValueError:
            raw = b""
        on_roster = entry is not None and not entry.revoked and bool(entry.public_key)
        rows.append(DeviceRow(did, name or ids.short(did), device.fingerprint(raw), this,
                              this or bool(seen and seen.trusted) or on_roster, entry.role if entry else None,
                              bool(entry and entry.revoked), seen.last_import if seen else "",
                              seen.last_export if seen else ""))
    rows.sort(key=lambda r: (not r.this, r.name, r.id))
    return rows


def when(iso: str) -> str:
    """An ISO time as people read it (to the minute), or a dash."""
    return iso.replace("T", " ")[:16] if iso else "-"
