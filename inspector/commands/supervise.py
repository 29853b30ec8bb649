"""The supervisor's verbs: the overdue list, one finding, and the supervision reports.

    inspector overdue [--township T] [--village V] [--unit U] [--as-of D] [--format table|md|json|csv|xlsx] [--out FILE|DIR]
    inspector finding show ID [--as-of D] [--json]
    inspector report village V [--township T] [--as-of D] [--out DIR] [--format md|docx|xlsx]
    inspector report township T [--as-of D] [--out DIR] [--format md|docx|xlsx]
    inspector report overdue [--township T] [--village V] [--unit U] [--as-of D] [--out DIR] [--format md|docx|xlsx]

Reports go to ``exports/`` beside the database unless ``--out`` names a folder.

Every verb opens the database read-only. ``--as-of`` defaults to the
database's today (``--today``); answers for another date are computed from
the findings' event history, so a finding closed after that date counts as
open on it. Exit status: 0 done (an empty overdue list included); 1 an
unknown finding, village or township, or a report that cannot be written;
2 bad arguments (a malformed date).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, Callable

from ..core import ids, labels
from ..core.finding_view import FindingView, matches, view_of
from ..core.overdue import open_on
from ..core.textwidth import clip, pad, width
from ..core.workflow import in_order
from ..i18n import language, t
from ..report.ledger_report import deadline_text, history_rows, plain, state_text
from ..core.repository import NotFound
from .common import Refused, find_record, find_township, find_village, json_value, record_json
from .villages import format_table

REPORT_ACTIONS = ("village", "township", "overdue")
FORMATS = ("table", "md", "json", "csv", "xlsx")
REPORT_FORMATS = ("md", "docx", "xlsx")
# The columns of `overdue --format csv`, in order: keys of FindingView.to_json(), the
# extensions counted (the CSV's headers are their labels, csv.col.* in the interface language).
# The CSV is read by people: its ids are short forms (ids.short), as every table shows them.
CSV_COLUMNS = (
    "id", "village_id", "village", "township", "title", "theme", "severity", "unit", "deadline", "state",
    "escalation", "days", "original_deadline", "extensions", "bucket", "escalation_level",
)
# `overdue --format json`: the same, ids whole, and ``number`` the short form (commands.common.record_json's rule).
JSON_COLUMNS = ("id", "number", *CSV_COLUMNS[1:])
TITLE_CELLS = 40  # the problem column of the text table is clipped to this many cells


def as_of_date(text: str) -> date:
    """``--as-of``: YYYY-MM-DD; anything else is a usage error (exit 2)."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        from .common import bad_date_message

        raise argparse.ArgumentTypeError(bad_date_message(text, "supervise.bad_date")) from None
    from .common import check_day  # the same bounds as --today

    try:
        return check_day(day)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# ── parsers ───────────────────────────────────────────────────────────────


def add_parsers(verbs, report_subparsers, verb: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``overdue``, ``finding show`` and ``report village|township|overdue``.

    ``verbs`` are the top-level subparsers, ``report_subparsers`` those of
    ``report``, ``verb`` is cli.py's helper (a subparser with the global options).
    """
    p = verb(verbs, "overdue", "supervise.help.overdue")
    _filters(p)
    p.add_argument("--format", choices=FORMATS, default="table", help=t("supervise.help.format"))
    p.add_argument("--out", type=Path, help=t("office.help.overdue_out"))

    finding = verbs.add_parser("finding", help=t("supervise.help.finding"))
    fsub = finding.add_subparsers(dest="action", required=True, parser_class=type(finding))
    show = verb(fsub, "show", "supervise.help.finding_show")
    show.add_argument("id", help=t("supervise.help.finding_id"))
    show.add_argument("--as-of", type=as_of_date, help=t("supervise.help.as_of"))
    show.add_argument("--json", action="store_true", help=t("commands.help_json"))

    rv = verb(report_subparsers, "village", "supervise.help.report_village")
    rv.add_argument("village", help=t("supervise.help.village_name"))
    rv.add_argument("--township", help=t("supervise.help.township"))
    _as_of_out(rv)
    rt = verb(report_subparsers, "township", "supervise.help.report_township")
    rt.add_argument("township", help=t("supervise.help.township_name"))
    _as_of_out(rt)
    ro = verb(report_subparsers, "overdue", "supervise.help.report_overdue")
    _filters(ro)
    ro.add_argument("--out", type=Path, help=t("cli.help.out"))
    _format(ro)


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--township", help=t("supervise.help.township"))
    p.add_argument("--village", help=t("supervise.help.village"))
    p.add_argument("--unit", help=t("supervise.help.unit"))
    p.add_argument("--as-of", type=as_of_date, help=t("supervise.help.as_of"))


def _as_of_out(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", type=as_of_date, help=t("supervise.help.as_of"))
    p.add_argument("--out", type=Path, help=t("cli.help.out"))
    _format(p)


def _format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=REPORT_FORMATS, default="md", help=t("office.help.format"))


# ── dispatch ──────────────────────────────────────────────────────────────


def run(args: argparse.Namespace, open_db) -> int:
    try:
        if args.verb == "overdue":
            return overdue(args, open_db)
        if args.verb == "finding":
            return show_finding(args, open_db)
        if args.verb == "report" and args.action in REPORT_ACTIONS:
            return {"village": report_village, "township": report_township, "overdue": report_overdue}[args.action](args, open_db)
    except Refused as exc:
        print(exc.message, file=sys.stderr)
        return exc.status
    raise ValueError(f"not a supervision verb: {args.verb} {getattr(args, 'action', '')}")


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or language()


# ── the overdue list ──────────────────────────────────────────────────────


def overdue_rows(db: Any, as_of: date, township: str | None = None, village: str | None = None,
                 unit: str | None = None) -> list[FindingView]:
    """Overdue findings on ``as_of`` (days > 0), most overdue first, filtered.

    Today's list comes from the summaries index (no village file is read);
    another date's from the event history of the chosen villages only.
    Refused for a township or village that does not exist.
    """
    villages = db.villages()
    if township:
        township = find_township(db, township)
    if village:
        chosen = [find_village(db, village, township, include_archived=False)]
    else:
        chosen = [v for v in villages if not township or v.township == township]
    ids = {v.id for v in chosen}
    rows = open_on(db, as_of, sorted(ids) if (township or village) else None)
    return [r for r in rows if r.overdue and r.village_id in ids and matches(r, {"unit": unit or ""})]


def overdue(args: argparse.Namespace, open_db) -> int:
    lang = _lang(args)
    with open_db(args, read_only=True) as db:
        as_of = args.as_of or db.today
        rows = overdue_rows(db, as_of, args.township, args.village, args.unit)
        root = db.root
    if args.format == "xlsx":
        return _save_overdue_xlsx(args, rows, as_of, lang, root)
    if getattr(args, "out", None) is not None:
        raise Refused(t("office.out_needs_xlsx"), status=2)
    if args.format == "json":
        print(json.dumps([row_json(r) for r in rows], ensure_ascii=False, indent=2))
    elif args.format == "csv":
        _write_bytes(overdue_csv(rows, lang))
    elif args.format == "md":
        from ..report.overdue_report import render_overdue

        print(render_overdue(rows, as_of, lang, _title_filters(args)), end="")
    elif not rows:
        print(t("supervise.none_overdue", date=as_of.isoformat()))
    else:
        print(overdue_table(rows, lang))
    return 0


def _save_overdue_xlsx(args: argparse.Namespace, rows: list[FindingView], as_of: date, lang: str, root: Path) -> int:
    """``overdue --format xlsx``: to ``--out`` (a .xlsx file, or a folder) or to the exports folder."""
    from ..report.files import report_filename
    from ..report.office_sheets import overdue_sheet
    from ..report.xlsx import workbook_bytes

    data = workbook_bytes([overdue_sheet(rows, as_of, lang)], created=as_of)
    out = getattr(args, "out", None)
    if out is not None and Path(out).suffix.lower() == ".xlsx":
        folder, name = Path(out).parent, Path(out).name
    else:
        folder = out
        name = report_filename("overdue", as_of.isoformat(), args.township or "", args.village or "", args.unit or "", lang=lang)
    return _write(folder, name, data, root, "xlsx")


def row_json(view: FindingView) -> dict[str, Any]:
    """One row of the overdue list as data: the view's JSON in JSON_COLUMNS, extensions counted."""
    data = {**view.to_json(), "number": ids.short(view.id), "extensions": len(view.extensions)}
    return {c: data[c] for c in JSON_COLUMNS}


def overdue_csv(rows: list[FindingView], lang: str | None = None) -> bytes:
    """The rows as a spreadsheet reads them: headers and values (theme, severity, state,
    bucket, escalation) in the interface language, UTF-8 with a BOM, no formula cells.
    The stable machine form (codes) is ``--format json``."""
    from ..report.spreadsheet import csv_bytes

    lang = lang or language()
    header = [t(f"csv.col.{c}", lang=lang) for c in CSV_COLUMNS]
    return csv_bytes(header, (_csv_row(r, lang) for r in rows))


def _csv_row(view: FindingView, lang: str) -> list:
    data = row_json(view)
    data.update(id=ids.short(view.id), village_id=ids.short(view.village_id), theme=labels.theme(view.theme, lang), severity=labels.severity(view.severity, lang),
                state=labels.state(view.state, lang), bucket=labels.bucket(view.bucket, lang),
                escalation_level=labels.escalation(view.escalation, lang) if view.escalation_level else None)
    return [data[c] for c in CSV_COLUMNS]


def overdue_table(rows: list[FindingView], lang: str) -> str:
    header = [t(f"supervise.col.{c}", lang=lang) for c in
              ("id", "township", "village", "problem", "unit", "deadline", "days", "escalation", "state")]
    table = [[
        ids.short(r.id), plain(r.township), plain(r.village), clip(plain(r.title), TITLE_CELLS), plain(r.unit),
        deadline_text(r, lang), str(r.days_overdue),
        labels.escalation(r.escalation, lang), labels.state(r.state, lang),
    ] for r in rows]
    return format_table(header, table)


def _write_bytes(data: bytes) -> None:
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stdout (some embedding): the BOM goes as a character
        sys.stdout.write(data.decode("utf-8"))
        return
    buffer.write(data)
    buffer.flush()


def _title_filters(args: argparse.Namespace) -> dict[str, str | None]:
    return {k: getattr(args, k, None) for k in ("township", "village", "unit")}


# ── one finding ───────────────────────────────────────────────────────────


def load_finding(db: Any, fid: str, as_of: date) -> FindingView:
    """One finding on ``as_of`` (``fid``: its id or the end of it); Refused when unknown, ambiguous or not found yet."""
    village, whole = find_record(db, "finding", fid)
    store = db.store(village.id)
    try:
        finding = store.finding(whole)
    except NotFound:  # the query index named it, the village file no longer has it
        raise Refused(t("supervise.unknown_finding", id=fid.strip())) from None
    events = store.events(whole)
    view = view_of(finding, events, as_of, village_id=village.id, village=village.name, township=village.township)
    if view is None:
        first = in_order(events)[0].on.isoformat() if events else "—"
        raise Refused(t("supervise.finding_not_yet", id=ids.short(whole), date=as_of.isoformat(), found=first))
    return view


def finding_json(view: FindingView) -> dict:
    """Everything about one finding on its as-of date: the view's JSON, the finding's own fields, its records.

    ``id`` and the other id fields are whole ids; ``number`` is the short form (record_json's rule)."""
    finding = view.finding
    data = view.to_json()
    return {
        "id": data.pop("id"),
        "number": ids.short(finding.id),
        **data,
        "inspection": finding.inspection or None,
        "item": finding.item or None,
        "description": finding.description,
        "basis": json_value(finding.basis),
        "basis_text": finding.basis_text,
        "measure": finding.measure,
        "events": [{k: v for k, v in record_json(ev).items() if k != "finding"} for ev in view.events],
        "later_events": view.later,
    }


def show_finding(args: argparse.Namespace, open_db) -> int:
    lang = _lang(args)
    fid = args.id.strip()
    with open_db(args, read_only=True) as db:
        as_of = args.as_of or db.today
        view = load_finding(db, fid, as_of)
        template = ""
        if view.finding.inspection:
            try:
                template = db.store(view.village_id).inspection(view.finding.inspection).template
            except NotFound:
                pass
    if args.json:
        print(json.dumps(finding_json(view), ensure_ascii=False, indent=2))
    else:
        print(finding_text(view, lang, names=_names(args, template, lang)))
    return 0


def _names(args: argparse.Namespace, template: str, lang: str):
    """How a check item and a list item are shown: number and title, never the internal key."""
    from ..core.item_text import item_label, list_item_label

    catalog = _catalog(args)
    checklist = catalog.checklists.get(template) if catalog and template else None

    def item(key: str) -> str:
        found = checklist.item(key) if checklist else None
        return item_label(checklist, found, lang) if found else key

    def basis(key: str) -> str:
        return list_item_label(catalog, key, lang) if catalog else key

    return item, basis


def finding_text(view: FindingView, lang: str, names: tuple | None = None) -> str:
    """One finding as aligned "label: value" lines and its history as a table.

    ``names`` = (check item -> label, list item -> label); without it keys show as stored.
    """
    item_name, basis_name = names or (str, str)
    finding = view.finding
    none = t("supervise.show.none", lang=lang)
    colon = "：" if lang == "zh" else ": "
    extensions = [t("supervise.show.extension", lang=lang, old=e.old.isoformat(), new=e.new.isoformat(), on=e.on.isoformat(),
                    reason=plain(e.reason)) for e in view.extensions]
    day = lambda d: d.isoformat() if d else ""  # noqa: E731
    fields: list[tuple[str, list[str]]] = [
        ("id", [ids.short(view.id)]),
        ("village", [view.village]),
        ("township", [view.township]),
        ("inspection", [ids.short(finding.inspection)]),
        ("item", [item_name(finding.item) if finding.item else ""]),
        ("theme", [labels.theme(view.theme, lang)]),
        ("title", [view.title]),
        ("description", [finding.description]),
        ("basis", [t("supervise.sep", lang=lang).join(basis_name(str(b)) for b in finding.basis)]),
        ("basis_text", [finding.basis_text]),
        ("severity", [labels.severity(view.severity, lang)]),
        ("unit", [view.unit]),
        ("person", [view.person]),
        ("measure", [finding.measure]),
        ("as_of", [day(view.as_of)]),
        ("state", [state_text(view, lang)]),
        ("deadline", [day(view.deadline)]),
        ("original_deadline", [day(view.original_deadline)]),
        ("extensions", extensions or [""]),
        ("escalation", [labels.escalation(view.escalation, lang)]),
        ("found_on", [day(view.found_on)]),
        ("closed_on", [day(view.closed_on)]),
    ]
    heads = {name: t(f"supervise.field.{name}", lang=lang) + colon for name, _ in fields}
    cells = max(width(v) for v in heads.values())
    lines = []
    for name, values in fields:
        lines.append(pad(heads[name], cells) + (plain(values[0]) or none))
        lines += [" " * cells + plain(v) for v in values[1:]]
    lines += ["", t("supervise.show.history", lang=lang)]
    header = [t(f"supervise.col.{c}", lang=lang) for c in ("date", "by", "what", "note")]
    lines.append(format_table(header, history_rows(view.events, lang, esc=plain)))
    if view.later:
        lines += ["", t("supervise.show.later_events", lang=lang, n=view.later, date=day(view.as_of))]
    return "\n".join(lines)


# ── reports ───────────────────────────────────────────────────────────────


def _catalog(args: argparse.Namespace):
    """The catalog, for the names of list items; a catalog with problems still serves."""
    from ..catalog.loader import load_catalog

    catalog, problems = load_catalog(getattr(args, "catalog", None), strict=False)
    if problems:
        print(t("supervise.catalog_problems", count=len(problems)), file=sys.stderr)
    return catalog


def one_village(db: Any, name_or_id: str, township: str | None = None):
    return find_village(db, name_or_id, township)


def _save(args: argparse.Namespace, name: str, content: str | bytes, root: Path | None = None) -> int:
    """Write a report (``name`` is its .md name; the extension follows ``--format``) and say where."""
    return _write(args.out, name, content, root, getattr(args, "format", "md"))


def _write(out: Path | None, name: str, content: str | bytes, root: Path | None, fmt: str) -> int:
    from .common import os_reason
    from ..paths import default_exports
    from ..report.files import write_report

    folder = out or default_exports(root)
    name = with_suffix(name, fmt)
    try:
        path = write_report(folder, name, content)
    except OSError as exc:
        raise Refused(t("supervise.write_failed", path=Path(folder) / name, reason=os_reason(exc))) from None
    print(t("report.written", path=path))
    return 0


def with_suffix(name: str, fmt: str) -> str:
    """A report's file name (made for .md by report_filename) for the format written."""
    return name if fmt == "md" or not name.endswith(".md") else name[: -len(".md")] + "." + fmt


def _office(fmt: str, markdown: str, day: date, lang: str, sheets, files_from: Path | None = None) -> str | bytes:
    """The report in ``fmt``: the Markdown itself, the Word document made from it, or the workbook
    (``files_from``: the folder the Markdown's evidence links start from)."""
    if fmt == "docx":
        from ..report.docx import docx_bytes

        return docx_bytes(markdown, day=day, lang=lang, sign_lines=[t("office.docx.sign", lang=lang)],
                          files_from=files_from)
    if fmt == "xlsx":
        from ..report.xlsx import workbook_bytes

        return workbook_bytes(sheets(), created=day)
    return markdown


def report_village(args: argparse.Namespace, open_db) -> int:
    from ..report.files import report_filename
    from ..report.ledger_report import render_village_ledger

    lang = _lang(args)
    catalog = _catalog(args)
    from ..report.office_sheets import ledger_sheet

    fmt = getattr(args, "format", "md")
    with open_db(args, read_only=True) as db:
        as_of = args.as_of or db.today
        village = one_village(db, args.village, args.township)
        from ..paths import default_exports

        folder = args.out or default_exports(db.root)  # evidence links go from where the ledger is written
        text = render_village_ledger(db, village.id, as_of, lang, catalog, links_from=folder)
        content = _office(fmt, text, as_of, lang, lambda: [ledger_sheet(db, village.id, as_of, lang, catalog)],
                          files_from=folder)
        root = db.root
    name = report_filename("ledger", as_of.isoformat(), village.township, village.name, lang=lang, ident=village.id)
    return _save(args, name, content, root)


def report_township(args: argparse.Namespace, open_db) -> int:
    from ..report.files import report_filename
    from ..report.township_report import render_township_summary

    lang = _lang(args)
    catalog = _catalog(args)
    from ..report.office_sheets import township_sheets

    fmt = getattr(args, "format", "md")
    with open_db(args, read_only=True) as db:
        as_of = args.as_of or db.today
        township = find_township(db, args.township)
        text = render_township_summary(db, township, as_of, lang, catalog)
        content = _office(fmt, text, as_of, lang, lambda: township_sheets(db, township, as_of, lang, catalog))
        root = db.root
    return _save(args, report_filename("township", as_of.isoformat(), township, "", lang=lang), content, root)


def report_overdue(args: argparse.Namespace, open_db) -> int:
    from ..report.files import report_filename
    from ..report.overdue_report import render_overdue

    lang = _lang(args)
    from ..report.office_sheets import overdue_sheet

    with open_db(args, read_only=True) as db:
        as_of = args.as_of or db.today
        rows = overdue_rows(db, as_of, args.township, args.village, args.unit)
        root = db.root
    text = render_overdue(rows, as_of, lang, _title_filters(args))
    content = _office(getattr(args, "format", "md"), text, as_of, lang, lambda: [overdue_sheet(rows, as_of, lang)])
    name = report_filename("overdue", as_of.isoformat(), args.township or "", args.village or "", args.unit or "", lang=lang)
    return _save(args, name, content, root)
