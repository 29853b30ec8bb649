"""A village's rectification ledger (整改台账) as of a date, as Markdown.

Pure: the database is only read, no clock is read (the as-of date is given).
A finding's state, deadline and escalation come from its events on or before
the as-of date (``core.findings.derive``), so a finding closed after that
date is open in that ledger and its later records are not listed.

Also the pieces the other supervision reports and ``inspector finding show``
share: a finding's status as of a date, its state and deadline as text, and
its history as rows. Every value a user typed goes through ``escape_inline``
/ ``escape_cell`` (or, for plain text, through ``plain``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable, Mapping

from ..core import findings as wf
from ..i18n import messages, t
from .markdown import escape_cell, escape_inline

DASH = "—"
MAX_BASIS_ITEMS = 5  # list items named in the basis column; the rest are counted
SHORT_BASIS = 60  # characters of a finding's basis_text kept in the ledger


# ── shared pieces ─────────────────────────────────────────────────────────


@dataclass
class FindingAsOf:
    """A finding with its status on a date and the records that status comes from."""

    finding: dict
    status: wf.FindingStatus
    events: list[dict]  # on or before the date, in order
    later: int = 0  # records dated after it


def history_until(events: Iterable[Mapping[str, Any]], as_of: date | None) -> list[dict]:
    """The events ``derive`` counts on ``as_of``: in order, up to the first one after it."""
    out: list[dict] = []
    for ev in sorted(events, key=lambda e: e["seq"]):
        if as_of is not None and wf.event_day(ev) > as_of:
            break
        out.append(dict(ev))
    return out


def finding_as_of(finding: dict, events: list[dict], as_of: date) -> FindingAsOf | None:
    """The finding on ``as_of``; None when it had not been found yet."""
    known = history_until(events, as_of)
    if not known:
        return None
    return FindingAsOf(finding, wf.derive(known), known, len(events) - len(known))


def findings_as_of(store: Any, as_of: date) -> list[FindingAsOf]:
    """A village's findings found on or before ``as_of``, in the order they were found."""
    by_finding: dict[str, list[dict]] = defaultdict(list)
    for ev in store.events():
        by_finding[ev["finding"]].append(ev)
    out = [fa for f in store.findings() if (fa := finding_as_of(f, by_finding.get(f["id"], []), as_of))]
    return sorted(out, key=lambda fa: (fa.status.found_on or as_of, fa.finding["id"]))


def plain(text: object) -> str:
    """Text for a terminal table: one line, whitespace collapsed."""
    return " ".join(str(text if text is not None else "").split())


def state_text(status: wf.FindingStatus, as_of: date, lang: str) -> str:
    """"整改中，逾期 12 天（已约谈）": the state, days overdue and escalation."""
    text = t(f"supervise.state.{status.state}", lang=lang)
    if status.overdue(as_of):
        text = t("supervise.status.overdue", lang=lang, state=text, days=status.days_overdue(as_of))
    if status.escalation_name:
        text = t("supervise.status.escalated", lang=lang, state=text,
                 level=t(f"supervise.escalation.{status.escalation_name}", lang=lang))
    return text


def escalation_text(level: int, lang: str) -> str:
    name = wf.ESCALATIONS[level - 1] if 0 < level <= len(wf.ESCALATIONS) else "none"
    return t(f"supervise.escalation.{name}", lang=lang)


def deadline_text(deadline: date, original: date | None, extensions: int, lang: str) -> str:
    """The deadline; when it was extended, the original one and the current one."""
    if original is None or original == deadline:
        return deadline.isoformat()
    if extensions > 1:
        return t("supervise.status.deadline_extended_n", lang=lang, original=original.isoformat(),
                 current=deadline.isoformat(), n=extensions)
    return t("supervise.status.deadline_extended", lang=lang, original=original.isoformat(), current=deadline.isoformat())


def history_rows(events: list[dict], lang: str, esc: Callable[[object], str] = escape_inline) -> list[list[str]]:
    """Each record as [date, by, what, details], text passed through ``esc``."""
    sep = t("supervise.clause_sep", lang=lang)
    rows = []
    deadline = ""
    for ev in events:
        kind = str(ev.get("type", ""))
        key = f"supervise.event.{kind}"
        what = t(key, lang=lang) if key in messages(lang) else esc(kind)
        details: list[str] = []

        def add(msg: str, **params: object) -> None:
            details.append(t(f"supervise.detail.{msg}", lang=lang, **{k: esc(v) for k, v in params.items()}))

        if kind == "found":
            deadline = str(ev.get("deadline", ""))
            add("deadline", deadline=deadline)
        if kind == "extend":
            add("new_deadline", old=deadline, deadline=ev.get("deadline", ""))
            deadline = str(ev.get("deadline", ""))
        if kind in ("found", "assign", "edit") and ev.get("unit"):
            add("unit", unit=ev["unit"])
        if kind in ("found", "assign", "edit") and ev.get("person"):
            add("person", person=ev["person"])
        if kind in ("verify", "verify_fail") and ev.get("verifier"):
            add("verifier", verifier=ev["verifier"])
        if kind == "escalate":
            level = str(ev.get("level", ""))
            label = f"supervise.escalation.{level}"
            details.append(t("supervise.detail.level", lang=lang, level=t(label, lang=lang) if label in messages(lang) else esc(level)))
        note = esc(ev.get("note", ""))
        if note:
            details.append(t("supervise.detail.reason", lang=lang, note=note) if kind == "extend" else note)
        evidence = ev.get("evidence") or []
        if isinstance(evidence, str):
            evidence = [evidence]
        if evidence:
            add("evidence", files=t("supervise.sep", lang=lang).join(plain(e) for e in evidence))
        rows.append([esc(str(ev.get("on", ""))[:10]), esc(ev.get("by", "")), what, sep.join(d for d in details if d)])
    return rows


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


def render_village_ledger(db: Any, village_id: str, as_of: date, lang: str, catalog: Any = None) -> str:
    """The village's rectification ledger on ``as_of`` in ``lang`` ("zh" or "en").

    ``catalog`` (optional) names the list items a finding is based on;
    without it they show as their ids.
    """
    village = db.village(village_id)
    items = findings_as_of(db.store(village_id), as_of)
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
    closed = sum(1 for fa in items if not fa.status.is_open)
    overdue = sum(1 for fa in items if fa.status.overdue(as_of))
    lines += [t("supervise.ledger.summary", lang=lang, date=as_of.isoformat(), total=len(items), closed=closed,
                open=len(items) - closed, overdue=overdue), ""]

    lines += ["## " + t("supervise.section.list", lang=lang), ""]
    header = [t(f"report.col.{c}", lang=lang) for c in ("no", "problem", "basis", "unit", "measure", "deadline")]
    header += [t("supervise.col.state", lang=lang), t("supervise.col.closed_on", lang=lang)]
    rows = []
    for n, fa in enumerate(items, 1):
        f, st = fa.finding, fa.status
        rows.append([
            str(n), _problem(f, lang), _basis(f, catalog, lang), _unit(st, lang), escape_cell(f.get("measure", "")),
            deadline_text(st.deadline, st.original_deadline, len(st.extensions), lang),
            state_text(st, as_of, lang), st.closed_on.isoformat() if st.closed_on else DASH,
        ])
    lines += gfm_table(header, rows)

    lines += ["## " + t("supervise.section.history", lang=lang), ""]
    header = [t(f"supervise.col.{c}", lang=lang) for c in ("date", "by", "what", "note")]
    for n, fa in enumerate(items, 1):
        lines += ["### " + t("supervise.ledger.finding_heading", lang=lang, no=n,
                             title=escape_inline(fa.finding.get("title", "")) or DASH, id=escape_inline(fa.finding["id"])), ""]
        lines += gfm_table(header, history_rows(fa.events, lang))
    return "\n".join(lines).rstrip("\n") + "\n"


def _problem(f: dict, lang: str) -> str:
    title = escape_inline(f.get("title", "")) or DASH
    severity = label("report.severity", f.get("severity", ""), lang)
    description = escape_inline(f.get("description", ""))
    if description and description != title:
        return t("report.ledger.problem_description", lang=lang, title=title, severity=severity, description=description)
    return t("report.ledger.problem", lang=lang, title=title, severity=severity)


def _unit(status: wf.FindingStatus, lang: str) -> str:
    unit, person = escape_inline(status.unit), escape_inline(status.person)
    if person:
        return t("report.ledger.unit_person", lang=lang, unit=unit or DASH, person=person)
    return unit or DASH


def _basis(f: dict, catalog: Any, lang: str) -> str:
    ids = f.get("basis") or []
    if isinstance(ids, str):
        ids = [ids]
    pieces = []
    for item_id in ids[:MAX_BASIS_ITEMS]:
        li = catalog.item(str(item_id)) if catalog is not None else None
        if li is None:
            pieces.append(escape_inline(item_id))
        else:
            pieces.append(t("report.ledger.basis_item", lang=lang, list=label("report.list_kind", li.kind, lang),
                            number=escape_inline(li.number), title=escape_inline(li.title)))
    if len(ids) > MAX_BASIS_ITEMS:
        pieces.append(t("report.ledger.basis_more", lang=lang, n=len(ids)))
    text = " ".join(str(f.get("basis_text") or "").split())
    text = text if len(text) <= SHORT_BASIS else text[: SHORT_BASIS - 1] + "…"
    named = t("supervise.sep", lang=lang).join(p for p in pieces if p)
    return t("supervise.clause_sep", lang=lang).join(p for p in (named, escape_inline(text)) if p) or DASH
