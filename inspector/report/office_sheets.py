"""The supervision reports as typed tables, for Excel: the ledger, the overdue list, the township summary.

Pure: the database is only read, no clock is read. Each builder reads the
same core and report functions its Markdown report reads
(``ledger.village_views``, ``township.village_figures``, the overdue
list's ``FindingView``s), so the workbook and the Markdown carry the same figures;
the difference is the form: a date is a date, a count a number, a state its
label, and no text is shortened or escaped (the 依据 column holds the whole
basis, which the Markdown table cuts).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from ..catalog.model import THEMES
from ..core import ids, labels
from ..core.finding_view import FindingView, sort_views
from ..core.records import Event, Finding
from ..i18n import messages, t
from .ledger_report import village_views
from .township_report import FIGURES, FINDING_COLUMNS, VillageFigures, village_figures
from .xlsx import Sheet

# The ledger's columns as a township keeps them, then the ones a supervisor sorts and filters by.
LEDGER_COLUMNS = (
    "no", "problem", "basis", "unit", "person", "measure", "deadline", "progress", "state", "closed_on",
    "id", "theme", "severity", "found_on", "original_deadline", "extensions", "days", "escalation",
)
# Events whose note says how the rectification stands.
PROGRESS_EVENTS = ("progress", "report", "verify", "verify_fail", "close", "reopen", "followup_confirm")
OVERDUE_COLUMNS = (
    "id", "village_id", "village", "township", "title", "theme", "severity", "unit", "deadline", "state",
    "escalation", "days", "original_deadline", "extensions", "bucket", "escalation_level",
)


def _label(prefix: str, code: object, lang: str) -> str:
    key = f"{prefix}.{code}"
    return t(key, lang=lang) if key in messages(lang) else str(code or "")


# ── the ledger ────────────────────────────────────────────────────────────


def ledger_sheet(db: Any, village_id: str, as_of: date, lang: str, catalog: Any = None) -> Sheet:
    """The village's rectification ledger on ``as_of``: one row per finding found by then."""
    village = db.village(village_id)
    header = [t(f"office.col.{c}", lang=lang) for c in LEDGER_COLUMNS]
    rows = []
    for n, st in enumerate(village_views(db, village_id, as_of), 1):
        f = st.finding
        extended = st.original_deadline if st.original_deadline != st.deadline else None
        values = {
            "no": n, "problem": _problem(f), "basis": basis_text(f, catalog, lang), "unit": st.unit, "person": st.person,
            "measure": f.measure, "deadline": st.deadline, "progress": progress_text(st.events, lang),
            "state": labels.state(st.state, lang), "closed_on": st.closed_on, "id": ids.short(st.id),
            "theme": labels.theme(st.theme, lang), "severity": labels.severity(st.severity, lang), "found_on": st.found_on,
            "original_deadline": extended, "extensions": len(st.extensions),
            "days": st.days_overdue or None, "escalation": labels.escalation(st.escalation, lang) if st.escalation_level else "",
        }
        rows.append([values[c] for c in LEDGER_COLUMNS])
    title = t("supervise.ledger.title", lang=lang, village=village.name)
    return Sheet(t("office.sheet.ledger", lang=lang), header, rows,
                 print_title=t("office.print_title", lang=lang, title=title, date=as_of.isoformat()))


def _problem(f: Finding) -> str:
    title = " ".join(f.title.split())
    description = f.description.strip()
    return f"{title}\n{description}" if description and description != title else title


def basis_text(f: Finding, catalog: Any, lang: str) -> str:
    """Every list item the finding rests on, by list, number and title, then the basis as written."""
    pieces = []
    for item_id in f.basis:
        li = catalog.item(str(item_id)) if catalog is not None else None
        pieces.append(str(item_id) if li is None else t(
            "report.ledger.basis_item", lang=lang, list=_label("report.list_kind", li.kind, lang), number=li.number,
            title=li.title))
    named = t("supervise.sep", lang=lang).join(pieces)
    written = " ".join(f.basis_text.split())
    return "\n".join(p for p in (named, written) if p)


def progress_text(events: Iterable[Event], lang: str) -> str:
    """The latest record that says how the rectification stands: "2026-10-05 整改中：已拆除 2 块".

    ``events`` in their order (a view's events are).
    """
    latest = None
    for ev in events:
        if ev.type in PROGRESS_EVENTS:
            latest = ev
    if latest is None:
        return ""
    what = labels.event(latest.type, lang)
    note = " ".join(latest.note.split())
    return t("office.progress", lang=lang, date=latest.on.isoformat(), what=what, note=note).rstrip("：: ")


# ── the overdue list ──────────────────────────────────────────────────────


def overdue_sheet(rows: Iterable[FindingView], as_of: date, lang: str) -> Sheet:
    """The overdue findings, most overdue first, in the CSV's columns."""
    header = [t(f"csv.col.{c}", lang=lang) for c in OVERDUE_COLUMNS]
    out = []
    for r in sort_views(r for r in rows if r.overdue):
        data = {**r.to_json(), "id": ids.short(r.id), "village_id": ids.short(r.village_id),
                "deadline": r.deadline, "original_deadline": r.original_deadline,
                "extensions": len(r.extensions), "theme": labels.theme(r.theme, lang),
                "severity": labels.severity(r.severity, lang), "state": labels.state(r.state, lang),
                "bucket": labels.bucket(r.bucket, lang),
                "escalation_level": labels.escalation(r.escalation, lang) if r.escalation_level else None}
        out.append([data[c] for c in OVERDUE_COLUMNS])
    title = t("supervise.overdue.title", lang=lang)
    return Sheet(t("office.sheet.overdue", lang=lang), header, out,
                 print_title=t("office.print_title", lang=lang, title=title, date=as_of.isoformat()))


# ── the township summary ──────────────────────────────────────────────────


def township_sheets(db: Any, township: str, as_of: date, lang: str, catalog: Any = None) -> list[Sheet]:
    """Two sheets: findings by village and theme, and the burden-reduction figures; each with a total row."""
    villages = [v for v in db.villages() if v.township == township]
    figures = [(v, village_figures(db.store(v.id), as_of, catalog)) for v in villages]
    total = VillageFigures()
    for _, f in figures:
        total.add(f)
    title = t("supervise.township.title", lang=lang, township=township)
    print_title = t("office.print_title", lang=lang, title=title, date=as_of.isoformat())
    total_label = t("supervise.total", lang=lang)

    header = [t("supervise.col.village", lang=lang), t("supervise.col.inspections", lang=lang)]
    header += [labels.theme(th, lang) for th in THEMES]
    header += [t(f"supervise.col.{c}", lang=lang) for c in FINDING_COLUMNS]

    def finding_cells(f: VillageFigures) -> list[int]:
        return [f.inspections, *(f.themes[th] for th in THEMES), *(getattr(f, c) for c in FINDING_COLUMNS)]

    rows = [[v.name, *finding_cells(f)] for v, f in figures]
    found = Sheet(t("supervise.section.findings", lang=lang), header, rows, print_title=print_title)
    if rows:
        found.rows.append([total_label, *finding_cells(total)])
        found.total_rows = 1

    columns = [c for c, _, _ in FIGURES]
    header = [t("supervise.col.village", lang=lang)] + [t(f"supervise.col.{c}", lang=lang) for c in columns]
    rows = [[v.name, *(f.cut[c] for c in columns)] for v, f in figures]
    cut = Sheet(t("supervise.section.figures", lang=lang), header, rows, print_title=print_title)
    if rows:
        cut.rows.append([total_label, *(total.cut[c] for c in columns)])
        cut.total_rows = 1
    return [found, cut]

