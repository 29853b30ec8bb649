"""Write a visit report again after an amendment, keeping the one already sent.

The report written on completion may already be on its way to the township:
an amendment must not silently replace it. The earlier file is kept under
the same name with "更正前N" ("before-amendment-N") added, then the report is
written again from the amended data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..catalog.model import Catalog
from ..i18n import t
from .export import default_folder, export_visit, visit_report_name, visit_report_text
from .files import write_report


def rewrite_visit_report(db: Any, catalog: Catalog, inspection_id: str, folder: Path | None, lang: str,
                         village_id: str | None = None) -> tuple[Path, Path | None]:
    """(the new report, the earlier one kept) — the second is None when there was none."""
    folder = Path(folder or default_folder(db))
    _, inspection, village = visit_report_text(db, catalog, inspection_id, lang, village_id)
    kept = None
    current = folder / visit_report_name(inspection, village, lang)
    if current.exists():
        n = 1
        while True:
            # No space: file names are passed around in shells and chat apps.
            kept_name = visit_report_name(inspection, village, lang, t("walk.before_amendment", lang=lang, n=n))
            if not (folder / kept_name).exists():
                break
            n += 1
        kept = write_report(folder, kept_name, current.read_text(encoding="utf-8"))
    return export_visit(db, catalog, inspection.id, folder, lang, village.id), kept
