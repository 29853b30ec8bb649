"""CSV files a spreadsheet opens safely: UTF-8 with a BOM, and no cell that runs as a formula.

Excel, WPS and LibreOffice treat a cell that starts with ``=``, ``+``, ``-``
or ``@`` (and, after their own trimming, a tab or carriage return) as a
formula, so a finding titled ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0``
would run when a supervisor opens the overdue list. OWASP's rule: prefix such
a text cell with a single quote, which the spreadsheet shows as text. Numbers
the product writes itself (days, counts) are written as numbers, untouched.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")  # full-width: WPS reads them too


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet shows it as text: formula-leading text gets a leading "'"."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A CSV file in UTF-8 with a BOM (Excel then reads the Chinese right), every cell made safe."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
