"""Read one sheet of an Excel workbook (.xlsx) as rows of text, as a CSV file would give them.

Pure: reads the one file it is given (openpyxl in read-only mode, values
only), writes nothing. What a spreadsheet typed by a township office holds,
and how it comes out:

- numbers typed into a text column (a phone number, a village code) come as
  numbers: an integral one is written without ".0" (13800001234, not
  13800001234.0), others as Python writes them, never in scientific notation;
- Excel dates (numbers with a date format) come as dates: ``2026-11-21``, or
  ``2026-11-21 09:30`` when the cell holds a time of day too;
- merged cells: every cell of a merged range reads as the range's value, so
  a township merged down over its villages fills each village's row, and a
  header merged over two sub-headers ("联系人" over "姓名" and "电话") reads
  as "联系人姓名" and "联系人电话" (see ``combined_header``).

A workbook that is encrypted (a password to open) or is not a workbook at
all raises WorkbookError with a message key; the caller names the file.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import iterparse
from .errors import UserError

MAX_ROWS = 100_000  # a county has a few hundred villages; more is not a village list
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary format (.xls, .et) and encrypted .xlsx
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # how Office stores a password-protected .xlsx
_MERGE = re.compile(r"^([A-Z]+)(\d+):([A-Z]+)(\d+)$")


class WorkbookError(UserError):
    """The workbook cannot be read. ``key`` is a message key, ``params`` extra values for it."""


@dataclass(frozen=True)
class Sheet:
    name: str
    records: list[list[str]]  # one per sheet row from row 1, merged ranges filled
    merged_across: set[tuple[int, int]]  # (row, column), 0-based, of cells in a merge wider than one column


def kind_of(raw_head: bytes) -> str:
    """"xlsx", "encrypted", "xls" or "" from a file's first bytes (and its OLE directory)."""
    if raw_head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if raw_head.startswith(OLE):
        return "encrypted" if ENCRYPTED_STREAM in raw_head else "xls"
    return ""


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    """The rows of ``sheet`` (default: the first) of the workbook at ``path``."""
    from openpyxl import load_workbook  # imported here: CSV imports never pay for it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds (zip, XML, KeyError) for a broken file
        raise WorkbookError("office.import.corrupt") from None
    try:
        names = [ws.title for ws in workbook.worksheets]
        if not names:
            raise WorkbookError("office.import.no_sheet")
        if sheet is None:
            ws = workbook.worksheets[0]
        elif sheet in names:
            ws = workbook[sheet]
        else:
            raise WorkbookError("office.import.unknown_sheet", sheet=sheet, sheets="、".join(names))
        try:
            ws.reset_dimensions()  # some writers store a wrong size ("A1"): read every row there is
            records = []
            for values in ws.iter_rows(min_row=1, min_col=1, values_only=True):
                records.append([cell_text(v) for v in values])
                if len(records) > MAX_ROWS:
                    raise WorkbookError("office.import.too_many_rows", limit=MAX_ROWS)
            merges = _merged_ranges(ws)
        except WorkbookError:
            raise
        except Exception:  # noqa: BLE001 - a sheet whose XML is broken
            raise WorkbookError("office.import.corrupt") from None
        return _fill(ws.title, records, merges)
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """A cell's value as the text a person typed or sees."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))  # a phone number stored as a number: no ".0"
        text = repr(value)
        return format(Decimal(text), "f") if "e" in text.lower() else text
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _merged_ranges(ws) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column), 1-based, of every merged range.

    openpyxl's read-only sheets do not read merged cells; they are listed at
    the end of the sheet's XML, so one more streaming pass finds them.
    """
    out: list[tuple[int, int, int, int]] = []
    get_source = getattr(ws, "_get_source", None)  # the sheet's XML in the workbook (openpyxl 3.1 read-only)
    if get_source is None:
        return out
    source = get_source()
    try:
        for _, element in iterparse(source):
            if element.tag.endswith("}mergeCell"):
                match = _MERGE.match(element.get("ref", ""))
                if match:
                    c1, r1, c2, r2 = match.groups()
                    out.append((int(r1), _column(c1), int(r2), _column(c2)))
            element.clear()
    finally:
        source.close()
    return out


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _fill(name: str, records: list[list[str]], merges: list[tuple[int, int, int, int]]) -> Sheet:
    across: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in merges:
        if r1 > len(records):
            continue
        top = records[r1 - 1]
        value = top[c1 - 1] if c1 - 1 < len(top) else ""
        for r in range(r1, min(r2, len(records)) + 1):
            row = records[r - 1]
            if len(row) < c2:
                row.extend([""] * (c2 - len(row)))
            for c in range(c1, c2 + 1):
                row[c - 1] = value
                if c2 > c1:
                    across.add((r - 1, c - 1))
    return Sheet(name, records, across)
