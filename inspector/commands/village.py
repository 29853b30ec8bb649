"""`inspector village add|list`."""

from __future__ import annotations

import json
import sys

from ..i18n import t


def run(args, open_db) -> int:
    if args.action == "add":
        with open_db(args) as db:
            if db.read_only:
                print(t("store.read_only_refused", path=db.root, holder=db.holder), file=sys.stderr)
                return 1
            try:
                village = db.add_village(args.name, args.township, args.kind, args.county, args.contact, args.phone)
            except ValueError as exc:
                print(t(str(exc), name=args.name, township=args.township), file=sys.stderr)
                return 1
            print(t("village.added", id=village.id, name=village.name, township=village.township))
        return 0
    if args.action in ("edit", "archive"):
        return _edit(args, open_db)
    with open_db(args, read_only=True) as db:
        villages = db.villages(include_archived=args.all)
        summaries = {v.id: db.summary(v.id) for v in villages}
        today = db.today.isoformat()
        if args.json:
            rows = [
                {
                    **v.to_dict(),
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
            [v.id, v.township, v.name, t(f"kind.{v.kind}"), str(summaries[v.id].inspections), str(len(summaries[v.id].open)), str(summaries[v.id].overdue(today))]
            for v in villages
        ]
        print(format_table(header, rows))
    return 0


def _edit(args, open_db) -> int:
    with open_db(args) as db:
        if db.read_only:
            print(t("store.read_only_refused", path=db.root, holder=db.holder), file=sys.stderr)
            return 1
        village = db.find_village(args.id)
        if args.action == "archive":
            changed = db.archive_village(village.id, archived=not args.undo)
            print(t("village.unarchived" if args.undo else "village.archived", id=changed.id, name=changed.name))
            return 0
        changes = {f: getattr(args, f) for f in ("name", "township", "kind", "county", "contact", "phone") if getattr(args, f) is not None}
        if not changes:
            print(t("village.nothing_to_change"), file=sys.stderr)
            return 2
        try:
            changed = db.update_village(village.id, **changes)
        except ValueError as exc:
            print(t(str(exc), name=changes.get("name", village.name), township=changes.get("township", village.township)), file=sys.stderr)
            return 1
        print(t("village.updated", id=changed.id, name=changed.name, township=changed.township))
    return 0


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """A plain text table whose columns line up with Chinese (double-width) text."""
    from ..core.textwidth import pad, width

    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
