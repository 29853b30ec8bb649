"""`inspector inspection list` and `inspector report inspection ID`."""

from __future__ import annotations

import json
import sys

from ..core import ids
from ..i18n import t
from ..core.repository import NotFound
from .common import Refused, find_record, find_village
from .villages import format_table


def list_inspections(args, open_db) -> int:
    with open_db(args, read_only=True) as db:
        villages = {v.id: v for v in db.villages(include_archived=True)}
        chosen = [find_village(db, args.village).id] if args.village else None
        since = getattr(args, "since", None)
        # From the query cache (one read of each changed village file, not of every file).
        found = db.inspection_rows(chosen, since.isoformat() if since else None)
        rows = []
        for vid, insp, answers, observations, findings in found:
            village = villages.get(vid)
            if village is None:
                continue  # rows of a village the registry no longer has
            # JSON: ids whole, ``number`` the short form the table shows (commands.common.record_json's rule).
            rows.append({
                "id": insp.id,
                "number": ids.short(insp.id),
                "village": village.id,
                "village_name": village.name,
                "township": village.township,
                "date": insp.date.isoformat(),
                "kind": insp.kind,
                "state": insp.state,
                "inspectors": list(insp.inspectors),
                "template": insp.template,
                "template_version": insp.template_version,
                "answers": answers,
                "observations": observations,
                "findings": findings,
            })
    rows.sort(key=lambda r: (r["date"], r["id"]))
    if getattr(args, "limit", None):
        rows = rows[-args.limit:]  # the newest ones, still oldest first
    if args.json:
        # Written as it is encoded (the same text as json.dumps): a city's list is never one string in memory.
        batch: list[str] = []
        for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(rows):
            batch.append(chunk)
            if len(batch) >= 20_000:
                sys.stdout.write("".join(batch))
                batch.clear()
        sys.stdout.write("".join(batch) + "\n")
        return 0
    if not rows:
        print(t("inspection_cli.none"))
        return 0
    header = [t("col.id"), t("village_screen.col.date"), t("col.township"), t("col.village"), t("village_screen.col.kind"),
              t("village_screen.col.state"), t("inspection_cli.answers"), t("village_screen.col.findings")]
    table = [[r["number"], r["date"], r["township"], r["village_name"], t(f"inspection.kind.{r['kind']}"),
              t(f"inspection.state.{r['state']}"), str(r["answers"]), str(r["findings"])] for r in rows]
    print(format_table(header, table))
    return 0


def report(args, open_db) -> int:
    """`inspector report inspection ID [--out DIR] [--format md|docx]`."""
    from ..report.export import export_visit
    from .catalogs import load_or_report

    catalog = load_or_report(args)
    if catalog is None:
        return 2
    with open_db(args, read_only=True) as db:
        village, iid = find_record(db, "inspection", args.id)
        try:
            if getattr(args, "format", "md") == "docx":
                path = export_visit_docx(db, catalog, iid, args.out, args.lang, village.id)
            else:
                path = export_visit(db, catalog, iid, args.out, args.lang, village.id)
        except NotFound:
            raise Refused(t("cli.err.no_inspection", id=args.id.strip())) from None
        except KeyError as exc:
            print(t("inspection.template_missing", template=exc.args[0]), file=sys.stderr)
            return 1
    print(t("report.written", path=path))
    return 0


def export_visit_docx(db, catalog, inspection_id: str, folder, lang: str, village_id: str | None = None):
    """The visit report as a Word document, from the same Markdown (and the same file name) the .md report is."""
    from pathlib import Path

    from ..report.docx import docx_bytes
    from ..report.export import default_folder, visit_report_name, visit_report_text
    from ..report.files import write_report
    from .supervise import with_suffix

    text, inspection, village = visit_report_text(db, catalog, inspection_id, lang, village_id)
    name = visit_report_name(inspection, village, lang)
    return write_report(Path(folder or default_folder(db)), with_suffix(name, "docx"),
                        docx_bytes(text, day=inspection.date, lang=lang, files_from=db.root))  # links from the database folder

