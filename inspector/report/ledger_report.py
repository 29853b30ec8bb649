"""A village's rectification ledger (整改台账) as of a date, as Markdown.

Pure: the database is only read, no clock is read (the as-of date is given).
A finding's state, deadline and escalation come from its ``FindingView`` on
the as-of date (core/finding_view.py), so a finding closed after that date
is open in that ledger and its later records are not listed.

Also the pieces the other supervision reports and ``inspector finding show``
share: a finding's state and deadline as text (from its ``FindingView``), and
its history as rows. Every value a user typed goes through ``escape_inline``
/ ``escape_cell`` (or, for plain text, through ``plain``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable

from ..core import ids, labels
from ..core.evidence import finding_files
from ..core.finding_view import FindingView, views_of
from ..core.records import Event, Finding
from ..i18n import messages, t
from .evidence_list import EvidenceLinks, evidence_lines
from .markdown import escape_cell, escape_inline

DASH = "—"
MAX_BASIS_ITEMS = 5  # list items named in the basis column; the rest are counted
SHORT_BASIS = 60  # characters of a finding's basis_text kept in the ledger


# ── shared pieces ─────────────────────────────────────────────────────────


def village_views(db: Any, village_id: str, as_of: date) -> list[FindingView]:
    """A village's findings found on or before ``as_of``, in the order they were found."""
    village = db.village(village_id)
    store = db.store(village_id)
    return views_of(store.findings(), store.events(), as_of, village_id=village.id, village=village.name,
                    township=village.township)


def plain(text: object) -> str:
    """Text for a terminal table: one line, whitespace collapsed."""
    return " ".join(str(text if text is not None else "").split())


def state_text(view: FindingView, lang: str) -> str:
    """"整改中，逾期 12 天（已约谈）": the state, days overdue and escalation."""
    text = labels.state(view.state, lang)
    if view.overdue:
        text = t("supervise.status.overdue", lang=lang, state=text, days=view.days_overdue)
    if view.escalation_level:
        text = t("supervise.status.escalated", lang=lang, state=text, level=labels.escalation(view.escalation, lang))
    return text


def deadline_text(view: FindingView, lang: str) -> str:
    """The deadline; when it was extended, the original one and the current one."""
    deadline, original, extensions = view.deadline, view.original_deadline, len(view.extensions)
    if original == deadline:
        return deadline.isoformat()
    if extensions > 1:
        return t("supervise.status.deadline_extended_n", lang=lang, original=original.isoformat(),
                 current=deadline.isoformat(), n=extensions)
    return t("supervise.status.deadline_extended", lang=lang, original=original.isoformat(), current=deadline.isoformat())


def history_rows(events: Iterable[Event], lang: str, esc: Callable[[object], str] = escape_inline) -> list[list[str]]:
    """Each record as [date, by, what, details], text passed through ``esc``."""
    sep = t("supervise.clause_sep", lang=lang)
    rows = []
    deadline = ""
    for ev in events:
        kind = ev.type
        what = esc(labels.event(kind, lang))
        details: list[str] = []

        def add(msg: str, **params: object) -> None:
            details.append(t(f"supervise.detail.{msg}", lang=lang, **{k: esc(v) for k, v in params.items()}))

        if kind == "found":
            deadline = _day(ev.deadline)
            add("deadline", deadline=deadline)
        if kind == "extend":
            add("new_deadline", old=deadline, deadline=_day(ev.deadline))
            deadline = _day(ev.deadline)
        if kind in ("found", "assign", "edit") and ev.unit:
            add("unit", unit=ev.unit)
        if kind in ("found", "assign", "edit") and ev.person:
            add("person", person=ev.person)
        if kind in ("verify", "verify_fail") and ev.verifier:
            add("verifier", verifier=ev.verifier)
        if kind == "escalate":
            details.append(t("supervise.detail.level", lang=lang, level=esc(labels.escalation(ev.level, lang))))
        note = esc(ev.note)
        if note:
            details.append(t("supervise.detail.reason", lang=lang, note=note) if kind == "extend" else note)
        if ev.evidence:
            add("evidence", files=t("supervise.sep", lang=lang).join(plain(e) for e in ev.evidence))
        if ev.files:  # an attach: the files by the names people know (the ledger links them below its history)
            add("evidence", files=t("supervise.sep", lang=lang).join(plain(f.name) for f in ev.files))
        rows.append([esc(_day(ev.on)), esc(ev.by), what, sep.join(d for d in details if d)])
    return rows


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


def gfm_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A GFM table; the cells must already be escaped (an empty cell shows as "—")."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or DASH for cell in row) + " |" for row in rows]
    return lines + [""]


def field_lines(fields: list[tuple[str, str]], lang: str) -> list[str]:
    """"- **label**：value" lines, as the visit report's 基本情况."""
    colon = "：" if lang == "zh" else ": "
    return [f"- **{t('supervise.field.' + name, lang=lang)}**{colon}{value or DASH}" for name, value in fields] + [""]


def label(prefix: str, code: object, lang: str) -> str:
    """The message ``prefix.code``, or the code itself (escaped) when there is none."""
    key = f"{prefix}.{code}"
    return t(key, lang=lang) if key in messages(lang) else escape_inline(str(code or "")) or DASH


# ── the ledger ────────────────────────────────────────────────────────────


def render_village_ledger(db: Any, village_id: str, as_of: date, lang: str, catalog: Any = None, *,
                          links_from: Path | None = None) -> str:
    """The village's rectification ledger on ``as_of`` in ``lang`` ("zh" or "en").

    ``catalog`` (optional) names the list items a finding is based on;
    without it they show as their ids. Each finding's evidence (attached on or
    before ``as_of``) follows its history, linked from ``links_from``, the
    folder the ledger is written to (None: the database folder; report/evidence_list.py).
    """
    village = db.village(village_id)
    items = village_views(db, village_id, as_of)
    lines = ["# " + t("supervise.ledger.title", lang=lang, village=escape_inline(village.name) or DASH), ""]
    lines += ["## " + t("supervise.section.basics", lang=lang), ""]
    lines += field_lines([
        ("village", escape_inline(village.name)),
        ("township", escape_inline(village.township)),
        ("county", escape_inline(village.county)),
        ("as_of", as_of.isoformat()),
    ], lang)
    lines += ["## " + t("supervise.section.summary", lang=lang), ""]
    if not items:
        return "\n".join(lines + [t("supervise.ledger.none", lang=lang, date=as_of.isoformat()), ""])
    closed = sum(1 for v in items if not v.is_open)
    overdue = sum(1 for v in items if v.overdue)
    lines += [t("supervise.ledger.summary", lang=lang, date=as_of.isoformat(), total=len(items), closed=closed,
                open=len(items) - closed, overdue=overdue), ""]

    lines += ["## " + t("supervise.section.list", lang=lang), ""]
    header = [t(f"report.col.{c}", lang=lang) for c in ("no", "problem", "basis", "unit", "measure", "deadline")]
    header += [t("supervise.col.state", lang=lang), t("supervise.col.closed_on", lang=lang)]
    rows = []
    for n, v in enumerate(items, 1):
        f = v.finding
        rows.append([
            str(n), _problem(f, lang), _basis(f, catalog, lang), _unit(v, lang), escape_cell(f.measure),
            deadline_text(v, lang), state_text(v, lang), v.closed_on.isoformat() if v.closed_on else DASH,
        ])
    lines += gfm_table(header, rows)

    lines += ["## " + t("supervise.section.history", lang=lang), ""]
    header = [t(f"supervise.col.{c}", lang=lang) for c in ("date", "by", "what", "note")]
    for n, v in enumerate(items, 1):
        lines += ["### " + t("supervise.ledger.finding_heading", lang=lang, no=n,
                             title=escape_inline(v.title) or DASH, id=escape_inline(ids.short(v.id))), ""]
        lines += gfm_table(header, history_rows(v.events, lang))
        files = finding_files(v.events)
        if files:
            kept_in = getattr(db, "evidence", None)
            links = EvidenceLinks(kept_in, links_from) if kept_in is not None else None
            lines += [t("report.evidence.ledger", lang=lang, n=len(files)), ""]
            lines += evidence_lines(files, links, lang) + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _problem(f: Finding, lang: str) -> str:
    title = escape_inline(f.title) or DASH
    severity = escape_inline(labels.severity(f.severity, lang)) or DASH
    description = escape_inline(f.description)
    if description and description != title:
        return t("report.ledger.problem_description", lang=lang, title=title, severity=severity, description=description)
    return t("report.ledger.problem", lang=lang, title=title, severity=severity)


def _unit(view: FindingView, lang: str) -> str:
    unit, person = escape_inline(view.unit), escape_inline(view.person)
    if person:
        return t("report.ledger.unit_person", lang=lang, unit=unit or DASH, person=person)
    return unit or DASH


def _basis(f: Finding, catalog: Any, lang: str) -> str:
    items = f.basis
    pieces = []
    for item_id in items[:MAX_BASIS_ITEMS]:
        li = catalog.item(str(item_id)) if catalog is not None else None
        if li is None:
            pieces.append(escape_inline(item_id))
        else:
            pieces.append(t("report.ledger.basis_item", lang=lang, list=label("report.list_kind", li.kind, lang),
                            number=escape_inline(li.number), title=escape_inline(li.title)))
    if len(items) > MAX_BASIS_ITEMS:
        pieces.append(t("report.ledger.basis_more", lang=lang, n=len(items)))
    text = " ".join(f.basis_text.split())
    text = text if len(text) <= SHORT_BASIS else text[: SHORT_BASIS - 1] + "…"
    named = t("supervise.sep", lang=lang).join(p for p in pieces if p)
    return t("supervise.clause_sep", lang=lang).join(p for p in (named, escape_inline(text)) if p) or DASH
