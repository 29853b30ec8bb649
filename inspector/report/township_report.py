"""A township's supervision summary as of a date, as Markdown.

Per village: the inspections, the findings by theme and where they stand, and
the burden-reduction figures the visits recorded. Pure: the database is only
read, no clock is read. The report says how each figure is counted (统计口径),
because the people who paste it into official documents must be able to
defend the numbers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from ..catalog.model import THEMES
from ..core import labels
from ..core.finding_view import FindingView, view_of_status, views_of
from ..core.records import Inspection
from ..i18n import t
from .ledger_report import DASH, field_lines, gfm_table
from .markdown import escape_cell, escape_inline

# Burden-reduction figures: (column, check-item theme whose count items add up, observed kinds).
FIGURES: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("signboards", "signboards", ("signboard",)),
    ("ledgers", "ledgers", ("ledger",)),
    ("tasks", None, ("task", "service")),
    ("certificates", None, ("certificate",)),
)
FINDING_COLUMNS = ("findings", "open", "overdue", "closed")


@dataclass
class VillageFigures:
    inspections: int = 0
    themes: Counter = field(default_factory=Counter)
    findings: int = 0
    open: int = 0
    overdue: int = 0
    closed: int = 0
    cut: Counter = field(default_factory=Counter)  # figure column -> number

    def add(self, other: "VillageFigures") -> None:
        for name in ("inspections", "findings", "open", "overdue", "closed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.themes.update(other.themes)
        self.cut.update(other.cut)


def _count(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _theme_of(item_id: str, checklist: Any) -> str:
    """The check item's theme: from its checklist, else from its id ("signboards.02")."""
    item = checklist.item(item_id) if checklist is not None else None
    return item.theme if item is not None else item_id.split(".", 1)[0]


def village_figures(store: Any, as_of: date, catalog: Any = None) -> VillageFigures:
    """What one village's records say on ``as_of``, from its parsed file."""
    inspections = []
    for insp in store.inspections():
        answers = store.answers(insp.id).items()
        counts = [[item, a.found, a.allowed] for item, a in answers if a.value == "count"]
        seen = [obs.kind for obs in store.observations(insp.id) if obs.violation is True]
        inspections.append((insp, {"counts": counts, "violations": seen}))
    return _figures(inspections, views_of(store.findings(), store.events(), as_of), as_of, catalog)


def township_figures(db: Any, village_ids: list[str], as_of: date, catalog: Any = None) -> list[VillageFigures]:
    """Each village's figures on ``as_of``, from the query cache (storage/query_cache.py).

    The same counts as ``village_figures`` on each file, without parsing the
    files (a village's file holds every answer it was ever given): only a
    village whose file changed since its rows were taken is read again.
    """
    day = as_of.isoformat()

    def ask(cache: Any) -> list[VillageFigures]:
        out = []
        for vid in village_ids:
            found = [view_of_status(finding, status, as_of) for finding, status in cache.found_by(vid, day)]
            out.append(_figures(cache.inspection_figures(vid), found, as_of, catalog))
        return out

    return db.queried(ask, village_ids)


def _figures(inspections: Iterable[tuple[Inspection, dict]], findings: Iterable[FindingView], as_of: date, catalog: Any) -> VillageFigures:
    """The figures of one village: its inspections with what they counted, its findings as of the date.

    ``inspections``: (inspection, {"counts": [[item, found, allowed]...] of its
    count answers, "violations": [kind...] of the violations it saw}).
    """
    out = VillageFigures()
    for insp, seen in inspections:
        if not insp.completed or insp.date > as_of:
            continue
        out.inspections += 1
        checklist = catalog.checklists.get(insp.template) if catalog is not None else None
        for item_id, found_value, allowed_value in seen["counts"]:
            theme = _theme_of(item_id, checklist)
            found, allowed = _count(found_value), _count(allowed_value)
            if allowed is None and checklist is not None and checklist.item(item_id) is not None:
                allowed = checklist.item(item_id).allowed
            if found is None or allowed is None:
                continue
            for column, count_theme, _ in FIGURES:
                if theme == count_theme:
                    out.cut[column] += max(0, found - allowed)
        for kind in seen["violations"]:
            for column, _, kinds in FIGURES:
                if kind in kinds:
                    out.cut[column] += 1
    for v in findings:
        out.findings += 1
        out.themes[v.theme] += 1
        if v.is_open:
            out.open += 1
            out.overdue += v.overdue
        else:
            out.closed += 1
    return out


def render_township_summary(db: Any, township: str, as_of: date, lang: str, catalog: Any = None) -> str:
    """The summary of ``township``'s villages on ``as_of`` in ``lang``.

    ``catalog`` (optional) gives each count item's theme; without it the
    theme is read from the item id, as every shipped checklist names them.
    """
    villages = [v for v in db.villages() if v.township == township]
    figures = list(zip(villages, township_figures(db, [v.id for v in villages], as_of, catalog)))
    total = VillageFigures()
    for _, f in figures:
        total.add(f)
    day = as_of.isoformat()
    lines = ["# " + t("supervise.township.title", lang=lang, township=escape_inline(township) or DASH), ""]
    counties = sorted({v.county for v in villages if v.county})
    lines += ["## " + t("supervise.section.basics", lang=lang), ""]
    lines += field_lines([
        ("township", escape_inline(township)),
        ("county", t("supervise.sep", lang=lang).join(escape_inline(c) for c in counties)),
        ("villages", str(len(villages))),
        ("as_of", day),
    ], lang)
    if not villages:
        return "\n".join(lines + [t("supervise.township.none", lang=lang), ""])
    lines += [t("supervise.township.summary", lang=lang, date=day, villages=len(villages), inspections=total.inspections,
                total=total.findings, closed=total.closed, open=total.open, overdue=total.overdue), ""]

    lines += ["## " + t("supervise.section.findings", lang=lang), ""]
    header = [t("supervise.col.village", lang=lang), t("supervise.col.inspections", lang=lang)]
    header += [labels.theme(th, lang) for th in THEMES]
    header += [t(f"supervise.col.{c}", lang=lang) for c in FINDING_COLUMNS]

    def finding_cells(f: VillageFigures) -> list[str]:
        return [str(f.inspections), *(str(f.themes[th]) for th in THEMES), *(str(getattr(f, c)) for c in FINDING_COLUMNS)]

    rows = [[escape_cell(v.name), *finding_cells(f)] for v, f in figures]
    rows.append([f"**{t('supervise.total', lang=lang)}**", *finding_cells(total)])
    lines += gfm_table(header, rows)

    lines += ["## " + t("supervise.section.figures", lang=lang), ""]
    columns = [c for c, _, _ in FIGURES]
    header = [t("supervise.col.village", lang=lang)] + [t(f"supervise.col.{c}", lang=lang) for c in columns]
    rows = [[escape_cell(v.name), *(str(f.cut[c]) for c in columns)] for v, f in figures]
    rows.append([f"**{t('supervise.total', lang=lang)}**", *(str(total.cut[c]) for c in columns)])
    lines += gfm_table(header, rows)

    lines += ["## " + t("supervise.section.method", lang=lang), ""]
    for key in ("period", "findings", *columns):
        lines.append("- " + t(f"supervise.township.method_{key}", lang=lang, date=day))
    return "\n".join(lines).rstrip("\n") + "\n"
