"""Evidence in reports: each kept file as one Markdown line with a relative link.

    - [IMG\\_0101.jpg](../evidence/ab/cdef….jpg)（350 KB，张伟，2026-11-21 16:02）
    - 【文件缺失】IMG\\_0101.jpg（350 KB，张伟，2026-11-21 16:02）

The link rule: a link goes from the folder the report is written to
(``links_from``: ``<db>/exports/`` by default, or ``--out``) to the kept file
``<db>/evidence/ab/cdef….jpg``, computed when the report is written, so it
resolves wherever the report was put, as long as the report and the database
folder stay where they were. A report rendered as text with no folder (the
terminal, a test) links from the database folder (``evidence/ab/…``). Where no
relative path exists (another drive on Windows) the link is the file's
``file:`` address. A file that is not in the evidence folder is listed as
missing, unlinked (``inspector evidence verify`` says more).

The Word report reads these same lines (report/docx.py): it embeds a linked
photo and takes the rest of the line as its caption.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote

from ..core.evidence import size_parts
from ..core.records import EvidenceFile
from ..i18n import t
from .markdown import escape_inline

DASH = "—"


def when(stamp: object) -> str:
    """"2026-11-21T16:02:00+08:00" as "2026-11-21 16:02"; anything else as it is."""
    text = str(stamp or "")
    day, sep, time = text.partition("T")
    return f"{day} {time[:5]}" if sep and len(time) >= 5 else text


def caption(file: EvidenceFile, lang: str) -> str:
    """"（350 KB，张伟，2026-11-21 16:02）": size, who and when, escaped."""
    number, unit = size_parts(file.size)
    return t("report.evidence.caption", lang=lang, size=f"{number} {unit}", by=escape_inline(file.by) or DASH,
             at=escape_inline(when(file.at)) or DASH)


class EvidenceLinks:
    """Links from a report's folder to the kept files of one database.

    ``kept_in``: the database's evidence folder (``db.evidence``: ``path_of``,
    ``relative_path``); ``links_from``: the folder the report is written to,
    or None for links from the database folder.
    """

    def __init__(self, kept_in: Any, links_from: Path | str | None = None):
        self.kept_in = kept_in
        self.links_from = Path(links_from).resolve() if links_from is not None else None

    def href(self, file: EvidenceFile) -> str:
        """The link's target, percent-encoded (a space or a bracket in a folder name cannot break it)."""
        if self.links_from is None:
            return quote(self.kept_in.relative_path(file), safe="/")
        target = Path(self.kept_in.path_of(file)).resolve()
        try:
            relative = os.path.relpath(target, self.links_from)
        except ValueError:  # no relative path (Windows: another drive)
            return target.as_uri()
        return quote(relative.replace(os.sep, "/"), safe="/")

    def kept(self, file: EvidenceFile) -> bool:
        try:
            return Path(self.kept_in.path_of(file)).is_file()
        except OSError:
            return False

    def line(self, file: EvidenceFile, lang: str) -> str:
        """The Markdown list line of one file: linked when it is kept, marked missing when it is not."""
        name = escape_inline(file.name) or DASH
        if self.kept(file):
            return f"- [{name}]({self.href(file)}){caption(file, lang)}"
        return "- " + t("report.evidence.missing", lang=lang, line=name + caption(file, lang))


def evidence_lines(files: Iterable[EvidenceFile], links: EvidenceLinks | None, lang: str) -> list[str]:
    """One line per file; without ``links`` (no database at hand) each file by its name, unlinked."""
    if links is not None:
        return [links.line(f, lang) for f in files]
    return ["- " + (escape_inline(f.name) or DASH) + caption(f, lang) for f in files]


__all__ = ["EvidenceLinks", "caption", "evidence_lines", "when"]
