"""Write reports to the exports folder: gather what a report needs, render, save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..catalog.model import Catalog
from ..core import ids
from ..core.finding_view import view_of
from ..core.records import Inspection, Village
from ..core.repository import NotFound
from .evidence_list import EvidenceLinks
from .files import report_filename, write_report
from .visit_report import render_visit_report


def default_folder(db: Any = None) -> Path:
    """``<db>/exports/`` for the database ``db`` (paths.default_exports, the one rule)."""
    from ..paths import default_exports

    return default_exports(getattr(db, "root", None))


def inspection_village(db: Any, inspection_id: str) -> tuple[str, str]:
    """(village id, inspection id) of the inspection ``inspection_id`` names (its id or the end of it).

    An id no longer says its village, so the repository is asked. A short form
    two inspections share names neither: the verbs list the candidates before
    they get here (commands/common.py).
    """
    found = db.locate("inspection", inspection_id)
    exact = [hit for hit in found if hit[1] == ids.typed(inspection_id)]
    if len(exact) == 1 or len(found) == 1:
        return (exact or found)[0]
    raise NotFound("inspection", inspection_id)


def visit_report_text(db: Any, catalog: Catalog, inspection_id: str, lang: str,
                      village_id: str | None = None, links_from: Path | None = None) -> tuple[str, Inspection, Village]:
    """The visit report's Markdown, with the inspection and village it is about.

    ``village_id``: the inspection's village when the caller has it (a screen);
    otherwise it is looked up (``inspection_village``). ``links_from``: the
    folder the report is written to (evidence links start there); None: the
    database folder (report/evidence_list.py).
    """
    if village_id is None:
        village_id, inspection_id = inspection_village(db, inspection_id)
    village = db.village(village_id)
    store = db.store(village_id)
    inspection = store.inspection(inspection_id)
    checklist = catalog.checklists[inspection.template]
    # Each finding as it stands on the database's today (the report can be written again later).
    found = (view_of(f, store.events(f.id), db.today, village_id=village.id, village=village.name, township=village.township)
             for f in store.findings(inspection.id))
    findings = [v for v in found if v is not None]
    text = render_visit_report(
        village=village,
        inspection=inspection,
        checklist=checklist,
        catalog=catalog,
        answers=store.answers(inspection.id),
        observations=store.observations(inspection.id),
        findings=findings,
        lang=lang,
        evidence=EvidenceLinks(db.evidence, links_from),
    )
    return text, inspection, village


def visit_report_name(inspection: Inspection, village: Village, lang: str, extra: str = "") -> str:
    """The visit report's file name: its day, township, village, kind and the inspection's short id
    (``extra`` after it: the "before amendment" tag of a kept copy)."""
    suffix = ids.short(inspection.id) + (f"_{extra}" if extra else "")
    return report_filename("inspection", inspection.date.isoformat(), village.township, village.name, suffix,
                           lang=lang, ident=village.id)


def export_visit(db: Any, catalog: Catalog, inspection_id: str, folder: Path | None, lang: str,
                 village_id: str | None = None) -> Path:
    folder = Path(folder or default_folder(db))
    text, inspection, village = visit_report_text(db, catalog, inspection_id, lang, village_id, links_from=folder)
    return write_report(folder, visit_report_name(inspection, village, lang), text)
