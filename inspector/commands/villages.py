"""`inspector village add|list|edit|archive`."""

from __future__ import annotations

import json
import sys

from ..core import ids
from ..core.errors import UserError
from ..core.names import InvalidName, clean_name
from ..i18n import t
from .common import Refused, all_townships, find_township, find_village, record_json


def run(args, open_db) -> int:
    if args.action == "add":
        return _add(args, open_db)
    if args.action in ("edit", "archive"):
        return _edit(args, open_db)
    with open_db(args, read_only=True) as db:
        villages = db.villages(include_archived=args.all)
        summaries = {v.id: db.summary(v.id) for v in villages}
        today = db.today.isoformat()
        if args.json:
            rows = [
                {
                    **record_json(v),
                    "inspections": summaries[v.id].inspections,
                    "open_findings": len(summaries[v.id].open),
                    "overdue_findings": summaries[v.id].overdue(today),
                }
                for v in villages
            ]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return 0
        if not villages:
            print(t("village.none"))
            return 0
        header = [t("col.id"), t("col.township"), t("col.village"), t("col.kind"), t("col.inspections"), t("col.open"), t("col.overdue")]
        rows = [
            [ids.short(v.id), v.township, v.name, t(f"kind.{v.kind}"), str(summaries[v.id].inspections), str(len(summaries[v.id].open)), str(summaries[v.id].overdue(today))]
            for v in villages
        ]
        if args.all:  # archived villages are listed too: say which
            header.append(t("f3.col_state"))
            for row, v in zip(rows, villages):
                row.append(t("f3.archived") if v.archived else "")
        print(format_table(header, rows))
    return 0


def _name(text: str, what: str, notes: list[str] | None = None) -> str:
    """The stored form of a typed name (core.names), or Refused saying why it cannot be one.

    A name that cleaning changed adds a line to ``notes``, said once the village is saved
    (a refusal stays one line)."""
    try:
        name = clean_name(text)
    except InvalidName as exc:
        raise Refused(t("cli.err.bad_name", what=t(f"cli.err.what.{what}"), reason=t(exc.key, **exc.params)), 2) from None
    if name != text.strip() and notes is not None:  # like the import: a changed name is said, not silently stored
        notes.append(t("f3.name_changed", what=t(f"cli.err.what.{what}"), name=name, typed=text.strip()))
    return name


def _township(db, typed: str, new: bool, notes: list[str] | None = None) -> str:
    """An existing township's stored spelling; a new one only with --new-township."""
    township = _name(typed, "township", notes)
    if new:
        return township
    try:
        return find_township(db, township)
    except Refused as exc:
        if not all_townships(db):  # the very first village: nothing to mistype against
            return township
        raise Refused(exc.message + t("cli.err.new_township_hint")) from None


def _writable(db) -> None:
    if db.read_only:
        raise Refused(t("store.read_only_refused", path=db.root, holder=db.holder))


def _add(args, open_db) -> int:
    notes: list[str] = []
    name = _name(args.name, "village", notes)
    args.township = _name(args.township, "township", notes)  # refused before a database is opened or made
    with open_db(args) as db:
        _writable(db)
        township = _township(db, args.township, args.new_township)
        try:
            village = db.add_village(name, township, args.kind, args.county.strip(), args.contact.strip(), args.phone.strip())
        except UserError as exc:
            print(exc.message(), file=sys.stderr)
            return 1
        print(t("village.added", id=ids.short(village.id), name=village.name, township=village.township))
        for note in notes:
            print(note, file=sys.stderr)
    return 0


def _edit(args, open_db) -> int:
    with open_db(args) as db:
        _writable(db)
        village = find_village(db, args.id, args.in_township)
        if args.action == "archive":
            changed = db.archive_village(village.id, archived=not args.undo)
            print(t("village.unarchived" if args.undo else "village.archived", id=ids.short(changed.id), name=changed.name))
            return 0
        changes = {f: getattr(args, f) for f in ("name", "township", "kind", "county", "contact", "phone") if getattr(args, f) is not None}
        if not changes:
            print(t("village.nothing_to_change"), file=sys.stderr)
            return 2
        notes: list[str] = []
        if "name" in changes:
            changes["name"] = _name(changes["name"], "village", notes)
        if "township" in changes:
            changes["township"] = _township(db, changes["township"], args.new_township, notes)
        try:
            changed = db.update_village(village.id, **changes)
        except UserError as exc:
            print(exc.message(), file=sys.stderr)
            return 1
        print(t("village.updated", id=ids.short(changed.id), name=changed.name, township=changed.township))
        for note in notes:
            print(note, file=sys.stderr)
    return 0


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """A plain text table whose columns line up with Chinese (double-width) text."""
    from ..core.textwidth import pad, width

    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
