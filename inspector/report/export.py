"""Write reports to the exports folder: gather what a report needs, render, save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..catalog.model import Catalog
from ..core.finding_view import view_of
from ..core.visit import village_of
from .files import report_filename, write_report
from .visit_report import render_visit_report


def default_folder(db: Any = None) -> Path:
    """``<db>/exports/`` for the database ``db`` (paths.default_exports, the one rule)."""
    from ..paths import default_exports

    return default_exports(getattr(db, "root", None))


def visit_report_text(db: Any, catalog: Catalog, inspection_id: str, lang: str) -> tuple[str, dict, Any]:
    vid = village_of(inspection_id)
    village = db.village(vid)
    store = db.store(vid)
    inspection = store.inspection(inspection_id)
    checklist = catalog.checklists[inspection["template"]]
    # Each finding as it stands on the database's today (the report can be written again later).
    found = (view_of(f, store.events(f["id"]), db.today, village_id=vid, village=village.name, township=village.township)
             for f in store.findings(inspection_id))
    findings = [v for v in found if v is not None]
    text = render_visit_report(
        village=village,
        inspection=inspection,
        checklist=checklist,
        catalog=catalog,
        answers=store.answers(inspection_id),
        observations=store.observations(inspection_id),
        findings=findings,
        lang=lang,
    )
    return text, inspection, village


def export_visit(db: Any, catalog: Catalog, inspection_id: str, folder: Path | None, lang: str) -> Path:
    text, inspection, village = visit_report_text(db, catalog, inspection_id, lang)
    name = report_filename(
        "inspection", inspection["date"], village.township, village.name, inspection_id.split("-")[-1], ident=village.id
    )
    return write_report(folder or default_folder(db), name, text)
