"""The overdue list (逾期问题清单) as Markdown, grouped by responsible unit.

Pure: findings in (``core.finding_view.FindingView``, already filtered), text out. Each
unit gets a heading with its count and a table; units come in the order of
their most overdue finding, so the unit that has kept a village waiting
longest is read first. Findings that are not overdue are left out.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Iterable

from ..core import ids, labels, workflow
from ..core.finding_view import FindingView, sort_views
from ..i18n import t
from .ledger_report import DASH, deadline_text, field_lines, gfm_table
from .markdown import escape_inline

FILTERS = ("township", "village", "unit")


def group_by_unit(rows: Iterable[FindingView]) -> list[tuple[str, list[FindingView]]]:
    """(unit, its overdue findings, most overdue first), units by their most overdue finding."""
    groups: dict[str, list[FindingView]] = {}
    for row in sort_views(rows):
        if row.overdue:
            groups.setdefault(row.unit or "", []).append(row)
    return sorted(groups.items(), key=lambda g: (-g[1][0].days, g[0] == "", g[0]))


def render_overdue(rows: list[FindingView], as_of: date, lang: str, title_filters: dict[str, str | None] | None = None) -> str:
    """The overdue list on ``as_of`` in ``lang``; ``title_filters`` (township, village,
    unit) are the filters the rows were chosen by, shown in the header."""
    groups = group_by_unit(rows)
    overdue = [r for _, unit_rows in groups for r in unit_rows]
    filters = [t(f"supervise.overdue.filter_{k}", lang=lang, value=escape_inline(v))
               for k, v in (title_filters or {}).items() if k in FILTERS and v]
    lines = ["# " + t("supervise.overdue.title", lang=lang), ""]
    lines += ["## " + t("supervise.section.basics", lang=lang), ""]
    lines += field_lines([
        ("as_of", as_of.isoformat()),
        ("filters", t("supervise.clause_sep", lang=lang).join(filters) or t("supervise.overdue.filters_none", lang=lang)),
    ], lang)
    if not overdue:
        return "\n".join(lines + [t("supervise.none_overdue", lang=lang, date=as_of.isoformat()), ""])
    levels = Counter(r.escalation for r in overdue)
    lines += [t("supervise.overdue.summary", lang=lang, date=as_of.isoformat(), n=len(overdue), units=len(groups),
                **{name: levels[n] for n, name in enumerate(workflow.ESCALATIONS, 1)}), ""]
    several_townships = len({r.township for r in overdue}) > 1
    header = [t(f"supervise.col.{c}", lang=lang) for c in ("village", "problem", "deadline", "days", "escalation", "state")]
    for unit, unit_rows in groups:
        name = escape_inline(unit) or t("supervise.overdue.no_unit", lang=lang)
        lines += ["## " + t("supervise.overdue.unit_heading", lang=lang, unit=name, n=len(unit_rows)), ""]
        table = []
        for r in unit_rows:
            village = escape_inline(r.village) or DASH
            if several_townships:
                village = t("supervise.overdue.village_in_township", lang=lang, village=village,
                            township=escape_inline(r.township) or DASH)
            table.append([
                village,
                t("supervise.overdue.problem", lang=lang, title=escape_inline(r.title) or DASH, id=escape_inline(ids.short(r.id))),
                deadline_text(r, lang),
                str(r.days_overdue),
                labels.escalation(r.escalation, lang),
                escape_inline(labels.state(r.state, lang)) or DASH,
            ])
        lines += gfm_table(header, table)
    return "\n".join(lines).rstrip("\n") + "\n"
