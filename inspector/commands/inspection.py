"""`inspector inspection list` and `inspector report inspection ID`."""

from __future__ import annotations

import json
import sys

from ..i18n import t
from ..storage.errors import NotFound
from .common import Refused, find_village
from .village import format_table


def list_inspections(args, open_db) -> int:
    with open_db(args, read_only=True) as db:
        villages = db.villages(include_archived=True)
        if args.village:
            villages = [find_village(db, args.village)]
        rows = []
        for village in villages:
            store = db.store(village.id)
            findings: dict[str, int] = {}
            for f in store.findings():
                findings[f.get("inspection", "")] = findings.get(f.get("inspection", ""), 0) + 1
            for insp in store.inspections():
                answers = store.answers(insp["id"])
                rows.append({
                    "id": insp["id"],
                    "village": village.id,
                    "village_name": village.name,
                    "township": village.township,
                    "date": insp["date"],
                    "kind": insp["kind"],
                    "state": insp["state"],
                    "inspectors": insp.get("inspectors", []),
                    "template": insp.get("template"),
                    "template_version": insp.get("template_version"),
                    "answers": len(answers),
                    "observations": len(store.observations(insp["id"])),
                    "findings": findings.get(insp["id"], 0),
                })
    rows.sort(key=lambda r: (r["date"], r["id"]))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(t("inspection_cli.none"))
        return 0
    header = [t("col.id"), t("village_screen.col.date"), t("col.township"), t("col.village"), t("village_screen.col.kind"),
              t("village_screen.col.state"), t("inspection_cli.answers"), t("village_screen.col.findings")]
    table = [[r["id"], r["date"], r["township"], r["village_name"], t(f"inspection.kind.{r['kind']}"),
              t(f"inspection.state.{r['state']}"), str(r["answers"]), str(r["findings"])] for r in rows]
    print(format_table(header, table))
    return 0


def report(args, open_db) -> int:
    from ..report.export import export_visit
    from .catalog import load_or_report

    catalog = load_or_report(args)
    if catalog is None:
        return 2
    iid = args.id.strip().upper()
    with open_db(args, read_only=True) as db:
        try:
            path = export_visit(db, catalog, iid, args.out, args.lang)
        except NotFound:
            raise Refused(t("cli.err.no_inspection", id=args.id.strip())) from None
        except KeyError as exc:
            print(t("inspection.template_missing", template=exc.args[0]), file=sys.stderr)
            return 1
    print(t("report.written", path=path))
    return 0

