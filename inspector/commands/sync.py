"""`inspector sync export|import|roster|folder|devices`: records travel between laptops in signed bundles.

    inspector sync export [--since DATE|last] [--village V]... --out FILE|FOLDER
    inspector sync import FILE... [--dry-run] [--yes] [--trust]
    inspector sync roster FILE
    inspector sync folder DIR [--trust]
    inspector sync devices [--json]
    inspector sync forget DEVICE

Trust: a bundle is imported only from a device this database trusts: one
trusted before (``--trust`` once), this device itself, or a device on the
roster in force with the key the bundle is signed with. A device whose key is
not the one trusted before (or the roster's) may be an impostor: refused whole,
``--trust`` or not, until ``sync forget`` (its owner having confirmed the new
fingerprint) makes it a device never seen. A revoked device is refused whole. A bundle written under
another county's roster is refused like a damaged one.

Exit status: 0 done; 1 a refusal (untrusted, revoked or impostor device, no
confirmation, a file that cannot be read or written, a device to forget that is
not known, this one or on the roster; for ``folder``: some bundle was skipped); 2 a bad bundle (foreign, future version, truncated,
tampered, bad content, another county's roster), a bad roster file, bad
arguments. On any refusal of ``import`` the database is unchanged.

The steps (reading and vetting, preview, import, report, export, the folder
loop) are sync_flow's, shared with the app's sync screen; this module parses
the arguments, prints, and asks before an import.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, Callable

from .. import sync_flow as flow
from ..core import ids
from ..core.errors import UserError
from ..core.sync import ROLES, SUPERVISOR_MOVES, Roster, RosterEntry
from ..i18n import t
from .common import Refused, bad_date_message, check_day, find_village, os_reason
from .devices import list_devices

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
    """``sync export|import|roster|folder|devices|forget`` (``verb`` is cli.py's helper)."""
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
    forget = verb(sub, "forget", "sync.help.forget")
    forget.add_argument("device", metavar=t("sync.metavar.device"), help=t("sync.help.device_id"))


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
        if args.action == "forget":
            return forget_device(args, open_db)
        return list_devices(args, open_db)
    except flow.SyncRefused as exc:
        print(exc.line, file=sys.stderr)
        return exc.status
    except UserError as exc:  # this device's key cannot be read: nothing can be signed, nothing written
        print(exc.message(), file=sys.stderr)
        return 1


def forget_device(args: argparse.Namespace, open_db) -> int:
    with open_db(args) as db:
        forgotten = flow.forget(db, args.device)
    print(t("sync.forgotten", name=forgotten.name or ids.short(forgotten.id), id=ids.short(forgotten.id)))
    return 0


# ── export ───────────────────────────────────────────────────────────────────


def export(args: argparse.Namespace, open_db) -> int:
    if not args.out.parent.is_dir() and not args.out.is_dir():
        raise Refused(t("sync.no_folder", path=args.out.parent), 2)
    with open_db(args) as db:
        wanted = [find_village(db, v).id for v in args.village] or None
        since = args.since or ""
        if since == "last":
            since = flow.last_export(db)
        done = flow.write_own(db, args.out, village_ids=wanted, since=since)
    covers = t("sync.since", since=since.replace("T", " ")) if since else t("sync.everything")
    print(t("sync.exported", n=done.villages, records=done.records, covers=covers, path=done.path))
    return 0


# ── import ────────────────────────────────────────────────────────────────────


def _untrusted(item: flow.Incoming) -> str:
    return t("sync.untrusted", path=item.shown, **item.who)


def _confirm() -> bool:
    try:
        answer = input(t("sync.confirm"))
    except EOFError:
        return False
    return answer.strip().lower() in YES


def import_files(args: argparse.Namespace, open_db) -> int:
    incoming = [flow.load(path) for path in args.files]  # every file read and checked before anything changes
    with open_db(args) as db:
        roster = db.roster()
        known = db.known_devices()
        fresh = [flow.vet(db, item, roster) for item in incoming]  # every refusal before any preview
        if not args.trust:
            for item in (item for item, new in zip(incoming, fresh) if new):
                raise Refused(_untrusted(item))
        previews = []
        for item, new in zip(incoming, fresh):
            previews.append(flow.preview(db, item, roster))
            if new:
                print(t("sync.trusting", **item.who))
        print(t("sync.preview_dry" if args.dry_run else "sync.preview"))
        for item, preview in zip(incoming, previews):
            _print(flow.report_lines(preview, item, roster, known))
        if args.dry_run:
            return 0
        if all(flow.nothing_to_ask(p) for p in previews):
            for item in incoming:  # nothing to ask about: only that they were seen (and trusted, with --trust)
                flow.note_import(db, item)
            return 0
        if not args.yes:
            if not sys.stdin.isatty():
                raise Refused(t("sync.needs_yes"))
            if not _confirm():
                raise Refused(t("sync.not_confirmed"))
        print(t("sync.imported_heading"))
        for item in incoming:
            _print(flow.report_lines(flow.apply(db, item, roster), item, roster, known))
    return 0


def _print(lines: list[str]) -> None:
    for line in lines:
        print(line)


# ── roster ────────────────────────────────────────────────────────────────────


def check_roster(path: Path, doc: Any) -> tuple[Roster, list[str]]:
    """(the roster it holds, one line per problem) of a roster file's JSON."""
    problems: list[str] = []

    def bad(key: str, **params: Any) -> None:
        problems.append(t(f"sync.roster.{key}", path=path, **params))

    if not isinstance(doc, dict):
        bad("not_object")
        return Roster(county=""), problems
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
        out.append(RosterEntry(device=str(did), name=str(name or "").strip(), role=str(role), public_key=str(key or ""),
                               revoked=revoked is True))
    moves = doc.get("supervisor_moves", list(SUPERVISOR_MOVES))
    from ..core.workflow import EVENT_TYPES

    if not isinstance(moves, list) or not all(isinstance(m, str) and m in EVENT_TYPES for m in moves):
        bad("bad_moves", moves=t("supervise.sep").join(SUPERVISOR_MOVES))
        moves = list(SUPERVISOR_MOVES)
    return Roster(county=str(county or "").strip(), entries=tuple(out), supervisor_moves=tuple(moves)), problems


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
    entries = roster.entries
    print(t("sync.roster_installed", county=roster.county, n=len(entries),
            supervisors=sum(e.role == "supervisor" and not e.revoked for e in entries),
            revoked=sum(e.revoked for e in entries)))
    return 0


# ── folder ────────────────────────────────────────────────────────────────────


def folder(args: argparse.Namespace, open_db) -> int:
    if not args.dir.is_dir():
        raise Refused(t("sync.no_folder", path=args.dir), 2)
    with open_db(args) as db:
        result = flow.sync_folder(db, args.dir, trust_new=args.trust)
    _print(result.lines)
    for skipped in result.skipped:
        print(_untrusted(skipped.untrusted) if skipped.untrusted else skipped.line, file=sys.stderr)
    written = result.written
    assert written is not None
    print(t("sync.folder_summary", path=written.path.name, n=written.villages, records=written.records,
            imported=len(result.imported), names=t("supervise.sep").join(result.imported) or "-",
            added=flow.counts(result.added) or t("sync.none"), conflicts=result.conflicts,
            quarantined=result.quarantined, unchanged=result.unchanged, skipped=len(result.skipped)))
    return 1 if result.skipped else 0
