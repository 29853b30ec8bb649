"""`inspector sync export|import|roster|folder|devices`: records travel between laptops in signed bundles.

    inspector sync export [--since DATE|last] [--village V]... --out FILE|FOLDER
    inspector sync import FILE... [--dry-run] [--yes] [--trust]
    inspector sync roster FILE
    inspector sync folder DIR [--trust]
    inspector sync devices [--json]

Trust: a bundle is imported only from a device this database trusts: one
trusted before (``--trust`` once), this device itself, or a device on the
roster in force with the key the bundle is signed with. A device whose key is
not the one trusted before (or the roster's) may be an impostor: refused whole,
``--trust`` or not. A revoked device is refused whole. A bundle written under
another county's roster is refused like a damaged one.

Exit status: 0 done; 1 a refusal (untrusted, revoked or impostor device, no
confirmation, a file that cannot be read or written; for ``folder``: some
bundle was skipped); 2 a bad bundle (foreign, future version, truncated,
tampered, bad content, another county's roster), a bad roster file, bad
arguments. On any refusal of ``import`` the database is unchanged.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

from .. import device
from ..core import ids, labels
from ..core.errors import UserError
from ..core.sync import ROLES, SUPERVISOR_MOVES, MergeReport, Roster, RosterEntry
from ..i18n import t
from .common import Refused, bad_date_message, check_day, find_village, os_reason
from .devices import list_devices

KINDS = ("villages", "inspections", "answers", "observations", "findings", "events")
YES = ("y", "yes", "是", "好", "确认")


# ── arguments ─────────────────────────────────────────────────────────────────


def _since(text: str) -> str:
    """``last`` or a date (ISO)."""
    if text == "last":
        return text
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(bad_date_message(text, "sync.bad_since")) from None
    try:
        return check_day(day).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_parser(verbs, verb: Callable[..., argparse.ArgumentParser]) -> None:
    """``sync export|import|roster|folder|devices`` (``verb`` is cli.py's helper)."""
    parser = verbs.add_parser("sync", help=t("sync.help.sync"), description=t("sync.help.sync"))
    sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser), metavar=t("cli.metavar.action"))
    export = verb(sub, "export", "sync.help.export")
    export.add_argument("--since", type=_since, default=None, metavar=t("sync.metavar.since"), help=t("sync.help.since"))
    export.add_argument("--village", action="append", default=[], metavar=t("sync.metavar.village"),
                        help=t("sync.help.village"))
    export.add_argument("--out", type=Path, required=True, metavar=t("sync.metavar.out"), help=t("sync.help.out"))
    imp = verb(sub, "import", "sync.help.import")
    imp.add_argument("files", nargs="+", type=Path, metavar=t("sync.metavar.file"), help=t("sync.help.files"))
    imp.add_argument("--dry-run", dest="dry_run", action="store_true", help=t("sync.help.dry_run"))
    imp.add_argument("--yes", action="store_true", help=t("sync.help.yes"))
    imp.add_argument("--trust", action="store_true", help=t("sync.help.trust"))
    roster = verb(sub, "roster", "sync.help.roster")
    roster.add_argument("file", type=Path, metavar=t("sync.metavar.file"), help=t("sync.help.roster_file"))
    folder = verb(sub, "folder", "sync.help.folder")
    folder.add_argument("dir", type=Path, metavar=t("sync.metavar.dir"), help=t("sync.help.dir"))
    folder.add_argument("--trust", action="store_true", help=t("sync.help.trust"))
    devices = verb(sub, "devices", "sync.help.devices")
    devices.add_argument("--json", action="store_true", help=t("commands.help_json"))


def run(args: argparse.Namespace, open_db) -> int:
    try:
        if args.action == "export":
            return export(args, open_db)
        if args.action == "import":
            return import_files(args, open_db)
        if args.action == "roster":
            return install_roster(args, open_db)
        if args.action == "folder":
            return folder(args, open_db)
        return list_devices(args, open_db)
    except Refused as exc:
        if exc.message:
            print(exc.message, file=sys.stderr)
        return exc.status
    except UserError as exc:  # this device's key cannot be read: nothing can be signed, nothing written
        print(exc.message(), file=sys.stderr)
        return 1


# ── export ───────────────────────────────────────────────────────────────────


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (temp file beside it, then rename: what Syncthing expects)."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as exc:
        raise Refused(t("sync.cannot_write", path=path, reason=os_reason(exc))) from None
    finally:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass


def bundle_path(out: Path) -> Path:
    """``out`` itself, or inside a folder this device's file (named by its id)."""
    from ..wiring import BUNDLE_SUFFIX

    return out / f"{device.this_device().id}{BUNDLE_SUFFIX}" if out.is_dir() else out


def _county(db: Any) -> str:
    roster = db.roster()
    return str(roster.get("county", "")) if roster else ""


def write_own(db: Any, out: Path, *, village_ids: list[str] | None = None, since: str = "") -> tuple[Path, int, int]:
    """Write this device's bundle of ``db`` to ``out`` and note the export; (path, villages, records)."""
    from ..wiring import export_bundle

    path = bundle_path(out)
    data, villages, records = export_bundle(db, village_ids=village_ids, since=since, county=_county(db))
    write_atomic(path, data)
    if not db.read_only:
        me = device.this_device()
        db.note_device(me.id, name=me.name, public_key=base64.b64encode(me.public_key).decode(), last_export=db.now_iso())
    return path, villages, records


def export(args: argparse.Namespace, open_db) -> int:
    if not args.out.parent.is_dir() and not args.out.is_dir():
        raise Refused(t("sync.no_folder", path=args.out.parent), 2)
    with open_db(args) as db:
        wanted = [find_village(db, v).id for v in args.village] or None
        since = args.since or ""
        if since == "last":
            since = str(db.known_devices().get(device.this_device().id, {}).get("last_export", ""))
        path, villages, records = write_own(db, args.out, village_ids=wanted, since=since)
    covers = t("sync.since", since=since.replace("T", " ")) if since else t("sync.everything")
    print(t("sync.exported", n=villages, records=records, covers=covers, path=path))
    return 0


# ── reading and vetting bundles ───────────────────────────────────────────────


@dataclass
class Incoming:
    path: Path
    bundle: Any  # wiring.Bundle
    sha256: str


def load(path: Path) -> Incoming:
    """The bundle in ``path``; Refused (2: not a good bundle; 1: cannot be read) otherwise."""
    from ..wiring import BundleError, read_bundle

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Refused(t("sync.cannot_read", path=path, reason=os_reason(exc))) from None
    try:
        bundle = read_bundle(data)
    except BundleError as exc:
        raise Refused(t("sync.refused_file", path=path, reason=exc.message()), 2) from None
    return Incoming(path, bundle, hashlib.sha256(data).hexdigest())


def roster_of(doc: dict | None) -> Roster | None:
    """core's Roster from the document stored in the database."""
    if not doc:
        return None
    entries = tuple(RosterEntry(device=str(e["device"]), name=str(e.get("name", "")), role=str(e.get("role", "")),
                                public_key=str(e.get("public_key", "")), revoked=bool(e.get("revoked", False)))
                    for e in doc.get("entries", []))
    moves = tuple(doc.get("supervisor_moves") or SUPERVISOR_MOVES)
    return Roster(county=str(doc.get("county", "")), entries=entries, supervisor_moves=moves)


def vet(db: Any, incoming: Incoming, roster: Roster | None, *, trust: bool) -> bool:
    """Refuse a bundle this database must not take; True when it is from a device not trusted before (and --trust)."""
    bundle, path = incoming.bundle, incoming.path
    key = base64.b64encode(bundle.public_key).decode()
    who = dict(path=path, name=bundle.name, id=ids.short(bundle.device), fingerprint=device.fingerprint(bundle.public_key))
    me = device.this_device()
    if bundle.device == me.id:
        if bundle.public_key != me.public_key:
            raise Refused(t("sync.impostor", **who))
        return False
    if roster is not None and bundle.county and bundle.county != roster.county:
        raise Refused(t("sync.bad_bundle.other_county", path=path, county=bundle.county, ours=roster.county), 2)
    entry = roster.entry(bundle.device) if roster is not None else None
    if entry is not None and entry.revoked:
        raise Refused(t("sync.revoked_device", **who))
    if entry is not None and entry.public_key and entry.public_key != key:
        raise Refused(t("sync.impostor", **who))
    known = db.known_devices().get(bundle.device, {})
    if known.get("trusted") and known.get("public_key") and known["public_key"] != key:
        raise Refused(t("sync.impostor", **who))
    if known.get("trusted") or (entry is not None and entry.public_key == key):
        return False
    if not trust:
        raise Refused(t("sync.untrusted", **who))
    return True


def note_import(db: Any, incoming: Incoming) -> None:
    bundle = incoming.bundle
    if bundle.device == device.this_device().id:
        return
    db.note_device(bundle.device, name=bundle.name, public_key=base64.b64encode(bundle.public_key).decode(),
                   trusted=True, last_import=db.now_iso(), last_bundle=incoming.sha256)


# ── the report ────────────────────────────────────────────────────────────────


def _counts(table: dict[str, int]) -> str:
    return t("supervise.sep").join(t(f"sync.count.{kind}", n=table[kind]) for kind in KINDS if table.get(kind))


def _device_name(did: str, roster: Roster | None, known: dict[str, dict], bundle: Any) -> str:
    entry = roster.entry(did) if roster is not None else None
    if entry is not None and entry.name:
        return entry.name
    if did == bundle.device and bundle.name:
        return bundle.name
    name = known.get(did, {}).get("name")
    return str(name) if name else ids.short(did)


def _what(kind: str, key: str, doc: dict) -> str:
    if kind == "villages":
        return t("sync.what.village", name=doc.get("name", ""), township=doc.get("township", ""))
    if kind == "findings":
        return t("sync.what.finding", title=doc.get("title", ""))
    if kind == "answers":
        return t("sync.what.answer", id=ids.short(str(doc.get("inspection", ""))))
    return t(f"sync.what.{kind.rstrip('s')}", id=ids.short(key))


def report_lines(report: MergeReport, incoming: Incoming, roster: Roster | None, known: dict[str, dict]) -> list[str]:
    """What an import did (or would do), one fact a line, every code as its label."""
    bundle = incoming.bundle
    head = dict(path=incoming.path.name, name=bundle.name, id=ids.short(bundle.device))
    if report.nothing_new and not report.conflicts and not report.superseded:
        return [t("sync.report.nothing_new", **head)]
    lines = [t("sync.report.from", **head)]
    if report.new_villages:
        lines.append(t("sync.report.new_villages", n=len(report.new_villages),
                       names=t("supervise.sep").join(report.new_villages[:10]) + ("…" if len(report.new_villages) > 10 else "")))
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
    return lines


def _print(lines: list[str]) -> None:
    for line in lines:
        print(line)


# ── import ────────────────────────────────────────────────────────────────────


def _confirm() -> bool:
    try:
        answer = input(t("sync.confirm"))
    except EOFError:
        return False
    return answer.strip().lower() in YES


def import_files(args: argparse.Namespace, open_db) -> int:
    from ..wiring import BundleError, import_bundle

    incoming = [load(path) for path in args.files]  # every file read and checked before anything changes
    with open_db(args) as db:
        roster = roster_of(db.roster())
        known = db.known_devices()
        fresh = [vet(db, item, roster, trust=args.trust) for item in incoming]
        previews = []
        for item, new in zip(incoming, fresh):
            try:
                previews.append(import_bundle(db, item.bundle, roster=roster, dry_run=True))
            except BundleError as exc:
                raise Refused(t("sync.refused_file", path=item.path, reason=exc.message()), 2) from None
            if new:
                print(t("sync.trusting", name=item.bundle.name, id=ids.short(item.bundle.device),
                        fingerprint=device.fingerprint(item.bundle.public_key)))
        heading = "sync.preview_dry" if args.dry_run else "sync.preview"
        print(t(heading))
        for item, preview in zip(incoming, previews):
            _print(report_lines(preview, item, roster, known))
        if args.dry_run:
            return 0
        if all(p.nothing_new and not p.conflicts and not p.superseded for p in previews):
            for item in incoming:  # nothing to ask about: only that they were seen (and trusted, with --trust)
                note_import(db, item)
            return 0
        if not args.yes:
            if not sys.stdin.isatty():
                raise Refused(t("sync.needs_yes"))
            if not _confirm():
                raise Refused(t("sync.not_confirmed"))
        print(t("sync.imported_heading"))
        for item in incoming:
            try:
                report = import_bundle(db, item.bundle, roster=roster)
            except BundleError as exc:
                raise Refused(t("sync.refused_file", path=item.path, reason=exc.message()), 2) from None
            note_import(db, item)
            _print(report_lines(report, item, roster, known))
    return 0


# ── roster ────────────────────────────────────────────────────────────────────


def check_roster(path: Path, doc: Any) -> tuple[dict, list[str]]:
    """(the roster as stored, one line per problem) of a roster file's JSON."""
    problems: list[str] = []

    def bad(key: str, **params: Any) -> None:
        problems.append(t(f"sync.roster.{key}", path=path, **params))

    if not isinstance(doc, dict):
        bad("not_object")
        return {}, problems
    county = doc.get("county")
    if not isinstance(county, str) or not county.strip():
        bad("no_county")
    entries = doc.get("entries")
    if not isinstance(entries, list) or not entries:
        bad("no_entries")
        entries = []
    out, seen = [], set()
    for n, e in enumerate(entries, 1):
        if not isinstance(e, dict):
            bad("entry_not_object", n=n)
            continue
        did = e.get("device")
        if not isinstance(did, str) or not ids.is_id(did):
            bad("bad_device", n=n, value=str(did)[:40])
        elif did in seen:
            bad("duplicate_device", n=n, id=ids.short(did))
        else:
            seen.add(did)
        name = e.get("name")
        if not isinstance(name, str) or not name.strip():
            bad("no_name", n=n)
        role = e.get("role")
        if role not in ROLES:
            bad("bad_role", n=n, value=str(role)[:20], roles=t("supervise.sep").join(t(f"sync.role.{r}") + f" ({r})" for r in ROLES))
        key = e.get("public_key", "")
        try:
            ok = isinstance(key, str) and (key == "" or len(base64.b64decode(key, validate=True)) == 32)
        except ValueError:
            ok = False
        if not ok:
            bad("bad_key", n=n)
        revoked = e.get("revoked", False)
        if not isinstance(revoked, bool):
            bad("bad_revoked", n=n)
        out.append({"device": did, "name": str(name or "").strip(), "role": role, "public_key": key or "",
                    "revoked": revoked is True})
    moves = doc.get("supervisor_moves", list(SUPERVISOR_MOVES))
    from ..core.workflow import EVENT_TYPES

    if not isinstance(moves, list) or not all(isinstance(m, str) and m in EVENT_TYPES for m in moves):
        bad("bad_moves", moves=t("supervise.sep").join(SUPERVISOR_MOVES))
        moves = list(SUPERVISOR_MOVES)
    return {"county": str(county or "").strip(), "entries": out, "supervisor_moves": list(moves)}, problems


def install_roster(args: argparse.Namespace, open_db) -> int:
    try:
        text = args.file.read_bytes()
    except OSError as exc:
        raise Refused(t("sync.cannot_read", path=args.file, reason=os_reason(exc))) from None
    try:
        doc = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise Refused(t("sync.roster.not_json", path=args.file, line=getattr(exc, "lineno", 1)), 2) from None
    roster, problems = check_roster(args.file, doc)
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        return 2
    with open_db(args) as db:
        db.put_roster(roster)
    entries = roster["entries"]
    print(t("sync.roster_installed", county=roster["county"], n=len(entries),
            supervisors=sum(e["role"] == "supervisor" and not e["revoked"] for e in entries),
            revoked=sum(e["revoked"] for e in entries)))
    return 0


# ── folder ────────────────────────────────────────────────────────────────────


def folder(args: argparse.Namespace, open_db) -> int:
    from ..wiring import BUNDLE_SUFFIX, BundleError, import_bundle

    target: Path = args.dir
    if not target.is_dir():
        raise Refused(t("sync.no_folder", path=target), 2)
    me = device.this_device()
    own = f"{me.id}{BUNDLE_SUFFIX}"
    imported: list[str] = []
    skipped = unchanged = 0
    totals = MergeReport()
    with open_db(args) as db:
        roster = roster_of(db.roster())
        for path in sorted(target.glob(f"*{BUNDLE_SUFFIX}")):
            if path.name == own or path.name.startswith("."):
                continue
            try:
                item = load(path)
                if item.bundle.device == me.id:
                    continue
                if db.known_devices().get(item.bundle.device, {}).get("last_bundle") == item.sha256:
                    unchanged += 1
                    continue
                if vet(db, item, roster, trust=args.trust):
                    print(t("sync.trusting", name=item.bundle.name, id=ids.short(item.bundle.device),
                            fingerprint=device.fingerprint(item.bundle.public_key)))
                try:
                    report = import_bundle(db, item.bundle, roster=roster)
                except BundleError as exc:
                    raise Refused(t("sync.refused_file", path=path, reason=exc.message()), 2) from None
            except Refused as exc:
                print(exc.message, file=sys.stderr)
                skipped += 1
                continue
            note_import(db, item)
            imported.append(item.bundle.name or ids.short(item.bundle.device))
            for kind, n in report.added.items():
                totals.count(totals.added, kind, n)
            for kind, n in report.changed.items():
                totals.count(totals.changed, kind, n)
            totals.conflicts += report.conflicts
            totals.quarantined += report.quarantined
            _print(report_lines(report, item, roster, db.known_devices()))
        # Written after the imports: this device's file then carries what it merged too, for those who see only it.
        written, villages, records = write_own(db, target)
    print(t("sync.folder_summary", path=written.name, n=villages, records=records,
            imported=len(imported), names=t("supervise.sep").join(imported) or "-",
            added=_counts(totals.added) or t("sync.none"), conflicts=len(totals.conflicts),
            quarantined=len(totals.quarantined), unchanged=unchanged, skipped=skipped))
    return 1 if skipped else 0
