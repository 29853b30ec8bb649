"""Excel workbooks (.xlsx) a township office can circulate: typed cells, no formula ever.

Pure: sheets of values in, bytes out (openpyxl). Every sheet has its header
in row 1, frozen, with a filter; dates are date cells, counts are numbers;
long text wraps in a column of bounded width (a CJK character counts as two);
pages print landscape on A4, one page wide, the header repeated.

Text a user typed may start with ``=``, ``+``, ``-`` or ``@`` (the CSV rule
in ``report.spreadsheet``). openpyxl would store a leading ``=`` as a formula,
so every text cell is written with its type set to string, and formula-looking
text also gets Excel's quote prefix (the ``'`` of the formula bar), so editing
the cell later does not turn it into a formula either.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Sequence

from ..core.textwidth import width
from .spreadsheet import FORMULA_START

DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH = 6  # characters (Excel's column unit is about one Latin character)
MAX_WIDTH = 48  # wider text wraps
SHEET_NAME_MAX = 31  # Excel's limit
_SHEET_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})


@dataclass
class Sheet:
    """One worksheet: a title, its column headers and rows of values (str, int, float, date or None)."""

    title: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    total_rows: int = 0  # the last N rows are totals (shown bold)
    print_title: str = ""  # centred at the top of each printed page


def workbook_bytes(sheets: Sequence[Sheet], *, created: date | None = None) -> bytes:
    """The workbook holding ``sheets`` as .xlsx bytes. ``created`` (the report's date)
    replaces the clock in the file's properties, so the content is the same on every run."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet in sheets:
        _write_sheet(wb.create_sheet(_sheet_name(sheet.title, used)), sheet)
    stamp = datetime.combine(created or date(2000, 1, 1), datetime.min.time())
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "inspector"
    wb.properties.title = sheets[0].print_title or sheets[0].title if sheets else ""
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    base = (title.translate(_SHEET_FORBIDDEN).strip("' ") or "Sheet")[:SHEET_NAME_MAX]
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _write_sheet(ws, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font, bold = Font(bold=True), Font(bold=True)
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [width(h) for h in sheet.header]

    for c, text in enumerate(sheet.header, 1):
        cell = ws.cell(row=1, column=c)
        put(cell, text)
        cell.font, cell.fill, cell.alignment, cell.border = head_font, head_fill, centre, border
    first_total = len(sheet.rows) - sheet.total_rows
    for r, row in enumerate(sheet.rows, 2):
        for c, value in enumerate(row, 1):
            cell = ws.cell(row=r, column=c)
            put(cell, value)
            cell.alignment, cell.border = wrap, border
            if r - 2 >= first_total:
                cell.font = bold
            if c <= len(widths):
                widths[c - 1] = max(widths[c - 1], _shown_width(value))

    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = min(MAX_WIDTH, max(MIN_WIDTH, w + 2))
    ws.freeze_panes = "A2"
    if sheet.header:
        last = get_column_letter(len(sheet.header))
        ws.auto_filter.ref = f"A1:{last}{max(1, len(sheet.rows) - sheet.total_rows) + 1}"
        ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.print_title:
        ws.oddHeader.center.text = sheet.print_title.replace("&", "&&")  # "&" starts a header code
    ws.oddFooter.center.text = "&P / &N"


def put(cell, value: Any) -> None:
    """Write ``value`` into ``cell`` with its real type; text is always text, never a formula."""
    if value is None or value == "":
        cell.value = None
        return
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
        return
    if isinstance(value, (int, float)):
        cell.value = value
        return
    text = _clean(str(value))
    cell.value = text
    cell.data_type = "s"  # openpyxl made "=..." a formula: undo that
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True


def _clean(text: str) -> str:
    """Characters XML 1.0 cannot hold (control characters) would make openpyxl refuse the cell."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub(" ", text)


def _shown_width(value: Any) -> int:
    if isinstance(value, (date, datetime)):
        return 10
    return max((width(line) for line in str(value if value is not None else "").splitlines()), default=0)
