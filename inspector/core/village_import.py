"""Read a list of villages from a CSV file or an Excel workbook, as spreadsheets in China save them.

Pure: reads the one file it is given, writes nothing, knows no clock and no
terminal. The result is a preview (the rows that would be added and every
problem found, by spreadsheet row and column); the command decides what to
write.

What it accepts:

- encodings: UTF-8 with or without BOM (Excel "CSV UTF-8", WPS), GB18030/GBK
  (Excel "CSV" on a Chinese Windows), UTF-16 with a BOM (Excel "Unicode
  text"). A file that mixes UTF-8 and GBK lines, or is neither, is refused
  rather than guessed.
- delimiters: comma, tab or semicolon. The one whose header row names the
  most known columns wins (comma on a tie); this is more reliable on short
  Chinese files than ``csv.Sniffer``, which guesses from character counts.
- headers in Chinese or English with common variants, full-width characters
  and stray spaces tolerated; title rows above the header (a merged title
  cell, common in office spreadsheets) are skipped with a warning.

- Excel workbooks (.xlsx, read by ``core.workbook``): the first sheet or a
  named one, merged cells filled, numbers and dates as text. A header merged
  over two sub-headers is read from both rows. An encrypted workbook, an old
  .xls and a broken file are refused with one line naming the file.

Row numbers are those a spreadsheet shows: the first line of the file is row
1, a cell holding a line break does not start a new row.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from .models import Village
from .names import MAX_NAME, clean_text, name_key, name_problem, near_names
from .workbook import WorkbookError, kind_of, read_sheet
from .errors import UserError

ERROR = "error"  # the row is not imported
WARNING = "warning"  # the row is imported; the user should look

FIELDS = ("name", "township", "kind", "county", "contact", "phone")
REQUIRED = ("name", "township")
MAX_BYTES = 10 * 1024 * 1024  # a county's villages fit in well under 1 MB
HEADER_SEARCH = 5  # rows searched for the header (title rows above it)
DELIMITERS = (",", "\t", ";")
MAX_CELL = 200  # characters in county, contact or phone: longer is not a value but a pasted paragraph
# Decoded text that does not fit its encoding: a Big5 (traditional) file read as
# GB18030 gives private-use and rare characters, a UTF-8 file read twice gives
# Latin letters ("ç\x9f³"). Real Chinese lists are almost all GB2312 characters.
IMPLAUSIBLE_SHARE = 0.1
IMPLAUSIBLE_MIN = 2

# Header spellings, after _norm_header (NFKC, no spaces, lower case).
_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "名称", "村名", "村名称", "村(社区)名称", "村(社区)", "村社区名称", "村(居)名称", "村(居)",
        "村庄名称", "社区名称", "村委会名称", "村(社区)名", "名字",
        "name", "village", "villagename", "village_name", "village/community",
    ),
    "township": (
        "乡镇", "乡镇(街道)", "乡镇街道", "乡镇/街道", "乡(镇)", "乡(镇、街道)", "街道", "镇街", "镇(街道)",
        "所属乡镇", "所属乡镇(街道)", "所属街道", "所属镇街", "乡镇名称",
        "township", "town", "street", "subdistrict", "township/street",
    ),
    "kind": ("类型", "类别", "村(社区)类型", "村社区类型", "kind", "type"),
    "county": (
        "区县", "县", "区", "县(区)", "区(县)", "县区", "县(市、区)", "县(市,区)", "所属区县", "区县名称",
        "county", "district",
    ),
    "contact": ("联系人", "负责人", "联系人姓名", "contact", "contactperson", "contact_person"),
    "phone": (
        "电话", "联系电话", "手机", "手机号", "手机号码", "电话号码", "联系方式", "联系人电话",
        "phone", "tel", "telephone", "mobile",
    ),
}
_HEADERS = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
_IGNORED_HEADERS = {"序号", "编号", "no", "no.", "#"}  # row numbers: ignored without a warning

_KINDS = {
    "村": "village", "行政村": "village", "村委会": "village", "村民委员会": "village", "village": "village",
    "社区": "community", "居委会": "community", "居民委员会": "community", "community": "community",
}

_PHONE_OK = re.compile(r"[0-9+\-() /、,;#转]*")
_PHONE_SCIENTIFIC = re.compile(r"\d(\.\d+)?e\+?\d+", re.IGNORECASE)
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

_SIGNATURES = (  # (leading bytes, kind)
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # .xls, .et, .doc
    (b"%PDF", "binary"),
    (b"\x89PNG", "binary"),
    (b"\xff\xd8\xff", "binary"),
    (b"GIF8", "binary"),
)


class VillageImportError(UserError):
    """The file cannot be imported at all. ``key`` is a message key; ``params`` name the file."""


@dataclass(frozen=True)
class Problem:
    """Something wrong at a spreadsheet row and column (column "" for the whole row)."""

    row: int
    column: str
    key: str  # message key, e.g. "import.problem.missing_name"
    params: dict
    level: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


@dataclass(frozen=True)
class ImportRow:
    row: int
    name: str
    township: str
    kind: str
    county: str = ""
    contact: str = ""
    phone: str = ""


@dataclass(frozen=True)
class CsvTable:
    """A decoded file: its records, where the header is, and which column is which field."""

    path: Path
    encoding: str
    delimiter: str
    header_row: int  # 1-based
    records: list[list[str]]  # every record, header and title rows included
    columns: dict[str, int]  # field -> index
    labels: list[str]  # each column as the user sees it (header text, or its letter)
    problems: list[Problem]  # about the header (unknown columns, title rows)
    sheet: str = ""  # the worksheet read, for a workbook


@dataclass
class ImportPreview:
    path: Path
    encoding: str
    delimiter: str
    header_row: int
    data_rows: int  # non-blank rows below the header
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheet: str = ""  # the worksheet read, for a workbook

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def skipped(self) -> int:
        """Rows not imported because of an error."""
        return len({p.row for p in self.errors if p.row > self.header_row})


def read_villages_csv(path: Path, existing: list[Village], sheet: str | None = None, new_township: bool = False) -> ImportPreview:
    """The preview of importing ``path`` into a database holding ``existing``.

    ``existing`` should include archived villages: the database refuses a
    duplicate name in a township whether archived or not.
    Raises VillageImportError when the file as a whole cannot be imported.
    """
    return check_rows(read_table(path, sheet), existing, new_township)


# -- the file --------------------------------------------------------------------


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
WORKBOOK = "xlsx"  # ImportPreview.encoding of a workbook


def read_table(path: Path, sheet: str | None = None) -> CsvTable:
    """Decode and parse ``path`` (CSV, or a workbook's first or named ``sheet``) and find its header.

    Raises VillageImportError."""
    path = Path(path)
    shown = str(path)
    if path.is_dir():
        raise VillageImportError("import.error.folder", path=shown)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise VillageImportError("import.error.too_large", path=shown, size=round(size / 2**20, 1), limit=MAX_BYTES // 2**20)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise VillageImportError("import.error.not_found", path=shown) from None
    except OSError as exc:
        raise VillageImportError("import.error.unreadable", path=shown, reason=exc.strerror or str(exc)) from None
    kind = kind_of(raw)
    if kind == "encrypted":
        raise VillageImportError("office.import.encrypted", path=shown)
    if kind == "xlsx" and (b"xl/" in raw[:65536] or path.suffix.lower() in WORKBOOK_SUFFIXES):
        return _read_workbook(path, sheet)
    if sheet is not None and kind != "xls":
        raise VillageImportError("office.import.sheet_for_csv", path=shown, sheet=sheet)
    text, encoding = _decode(raw, shown)
    if not text.strip(" \t\r\n\ufeff,;"):
        raise VillageImportError("import.error.empty", path=shown)
    delimiter, header_index = _choose_delimiter(text)
    records = _parse(text, delimiter, shown)
    return _header(path, encoding, delimiter, records, header_index)


def _decode(raw: bytes, shown: str) -> tuple[str, str]:
    for signature, kind in _SIGNATURES:
        if raw.startswith(signature):
            if kind == "ole" or (kind == "zip" and b"xl/" in raw[:65536]):
                raise VillageImportError("import.error.excel", path=shown)
            raise VillageImportError("import.error.binary", path=shown)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise VillageImportError("import.error.binary", path=shown) from None
        _check_text(text, shown)
        return text, "UTF-16"
    if b"\x00" in raw:
        raise VillageImportError("import.error.binary", path=shown)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = _line_of(raw, exc.start)
    else:
        _check_text(text, shown)
        _check_plausible(text, shown, "UTF-8", _latin_mojibake)
        return text, "UTF-8 BOM" if raw.startswith(codecs.BOM_UTF8) else "UTF-8"
    # Not UTF-8. If some other line is plainly UTF-8 Chinese, the file was
    # pieced together from two encodings: decoding it as GB18030 would turn
    # those lines into plausible-looking nonsense, so refuse.
    utf8_line = 1 if raw.startswith(codecs.BOM_UTF8) else _utf8_chinese_line(raw)
    if utf8_line:
        raise VillageImportError("import.error.mixed_encoding", path=shown, utf8_line=utf8_line, other_line=bad_line)
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise VillageImportError("import.error.encoding", path=shown, line=_line_of(raw, exc.start)) from None
    _check_text(text, shown)
    _check_plausible(text, shown, "GB18030", _not_gb2312)
    return text, "GB18030"


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _utf8_chinese_line(raw: bytes) -> int:
    """The first line that is valid UTF-8 and reads as Chinese (0 if none).

    A GBK line is valid UTF-8 only by rare accident, and then decodes to
    Latin or other non-Chinese letters, which this test rejects.
    """
    for number, line in enumerate(raw.split(b"\n"), 1):
        if max(line, default=0) < 0x80:
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        wide = [ch for ch in text if ord(ch) >= 0x80 and ch != "\ufeff"]
        if wide and all(_CJK.match(ch) for ch in wide):
            return number
    return 0


def _not_gb2312(ch: str) -> bool:
    if "\ue000" <= ch <= "\uf8ff":  # private use: what GBK's user areas (and misread Big5) become
        return True
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


def _latin_mojibake(ch: str) -> bool:
    return "\x80" <= ch <= "\xff"


def _check_plausible(text: str, shown: str, encoding: str, implausible) -> None:
    """Refuse text whose letters show it was decoded with the wrong encoding (see IMPLAUSIBLE_SHARE)."""
    wide = [ch for ch in text if ord(ch) > 0x7F and ch != "\ufeff" and not _PUNCT.match(ch)]
    odd = [ch for ch in wide if implausible(ch)]
    if len(odd) >= IMPLAUSIBLE_MIN and len(odd) > IMPLAUSIBLE_SHARE * len(wide):
        line = 1 + text.count("\n", 0, text.index(odd[0]))
        raise VillageImportError("import.error.implausible", path=shown, encoding=encoding, line=line,
                                 sample="".join(odd[:5]))


_PUNCT = re.compile(r"[\u2000-\u206f\u3000-\u303f\uff00-\uffef]")


def _check_text(text: str, shown: str) -> None:
    """Control characters other than tab and line ends mean a binary file."""
    if any(ord(ch) < 32 and ch not in "\t\r\n\f" for ch in text):
        raise VillageImportError("import.error.binary", path=shown)


def _choose_delimiter(text: str) -> tuple[str, int]:
    """The delimiter under which some early row names the most known columns, and that row's index."""
    best = (0, 0, ",", 0)  # (required fields, known fields, delimiter, header index)
    head = "\n".join(text.splitlines()[: HEADER_SEARCH * 4])  # enough lines for the first records
    for delimiter in DELIMITERS:
        try:
            records = list(_reader(head, delimiter, strict=False))[:HEADER_SEARCH]
        except csv.Error:
            continue
        for index, record in enumerate(records):
            fields = {_field_of(c) for c in record} - {None}
            score = (len(fields & set(REQUIRED)), len(fields))
            if score > best[:2]:
                best = (*score, delimiter, index)
    return best[2], best[3]


def _reader(text: str, delimiter: str, strict: bool):
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)


def _parse(text: str, delimiter: str, shown: str) -> list[list[str]]:
    # The csv module's field limit (128 KB) would report a long cell as a parse error
    # ("unmatched quote"); with the file's own bound instead, a long cell parses and
    # is refused by its row and column, and a quote left open still fails below.
    previous = csv.field_size_limit(MAX_BYTES + 1)
    reader = _reader(text, delimiter, strict=True)
    try:
        return list(reader)
    except csv.Error:
        raise VillageImportError("import.error.malformed", path=shown, line=reader.line_num) from None
    finally:
        csv.field_size_limit(previous)


def _read_workbook(path: Path, sheet: str | None) -> CsvTable:
    shown = str(path)
    try:
        read = read_sheet(path, sheet)
    except WorkbookError as exc:
        raise VillageImportError(exc.key, path=shown, **exc.params) from None
    if not any(any(c.strip() for c in r) for r in read.records):
        raise VillageImportError("import.error.empty", path=shown)
    records = read.records
    index, top, combined = _workbook_header(records, read.merged_across)
    if combined is not None:
        records = [*records[:index], combined, *records[index + 1 :]]
    table = _header(path, WORKBOOK, "", records, index, top)
    return replace(table, sheet=read.name)


def _workbook_header(records: list[list[str]], across: set[tuple[int, int]]) -> tuple[int, int, list[str] | None]:
    """(header row index, first header row index, the combined header or None).

    A header may take two rows: "联系人" merged over "姓名" and "电话". Then
    each column under a merge wider than one column is named by its
    sub-header ("电话"), or by both ("联系人" + "姓名" = "联系人姓名") when
    the sub-header alone names no field. The rows searched and the scoring
    are those of a CSV file's header; a repeated field counts against a row.
    """
    best: tuple[tuple[int, int, int], int, int, list[str] | None] = ((-1, 0, 0), 0, 0, None)
    for index, record in enumerate(records[:HEADER_SEARCH]):
        candidates: list[tuple[int, int, list[str] | None]] = [(index, index, None)]
        merged = [c for c in range(len(record)) if (index, c) in across and record[c].strip()]
        if merged and index + 1 < len(records):
            below = records[index + 1]
            combined = []
            for c in range(max(len(record), len(below))):
                upper = record[c] if c < len(record) else ""
                sub = below[c] if c < len(below) else ""
                if (index, c) in across and sub.strip() and sub.strip() != upper.strip():
                    joined = upper.strip() + sub.strip()
                    combined.append(sub if _field_of(sub) or not _field_of(joined) else joined)
                else:
                    combined.append(upper)
            candidates.append((index + 1, index, combined))
        for header_index, top, combined in candidates:
            cells = combined if combined is not None else record
            fields = [f for f in (_field_of(c) for c in cells) if f]
            score = (len(set(fields) & set(REQUIRED)), len(set(fields)), len(set(fields)) - len(fields))
            if score > best[0]:
                best = (score, header_index, top, combined)
    return best[1], best[2], best[3]


def _header(path: Path, encoding: str, delimiter: str, records: list[list[str]], index: int, top: int | None = None) -> CsvTable:
    """The table with its header at ``records[index]``; a header of two rows starts at ``top``."""
    shown = str(path)
    top = index if top is None else top
    header = records[index] if index < len(records) else []
    columns: dict[str, int] = {}
    headings: dict[str, str] = {}
    for i, cell in enumerate(header):
        name = _field_of(cell)
        if name is None:
            continue
        if name in columns:
            raise VillageImportError(
                "import.error.duplicate_column", path=shown, row=index + 1, first=headings[name], second=cell.strip()
            )
        columns[name] = i
        headings[name] = cell.strip()
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        blank = not any(c.strip() for c in header)
        shown_row = next((n for n, r in enumerate(records) if any(c.strip() for c in r)), 0) if blank else index
        found = ", ".join(c.strip() for c in records[shown_row] if c.strip())
        shown_row += 1
        key = "import.error.missing_columns" if len(missing) == 2 else f"import.error.missing_{missing[0]}_column"
        raise VillageImportError(key, path=shown, row=shown_row, found=found)
    data = records[index + 1 :]
    if not any(any(c.strip() for c in r) for r in data):
        raise VillageImportError("import.error.no_rows", path=shown)

    width = max(len(r) for r in records)
    labels = [(header[i].strip() if i < len(header) else "") or _letter(i) for i in range(width)]
    problems = [
        Problem(n, "", "import.problem.title_row", {}, WARNING)
        for n, record in enumerate(records[:top], 1)
        if any(c.strip() for c in record)
    ]
    used = set(columns.values())
    for i in range(width):
        if i in used or _norm_header(header[i] if i < len(header) else "") in _IGNORED_HEADERS:
            continue
        heading = header[i].strip() if i < len(header) else ""
        if heading:
            problems.append(Problem(index + 1, labels[i], "import.problem.unknown_column", {}, WARNING))
        elif any(i < len(r) and r[i].strip() for r in data):
            problems.append(Problem(index + 1, labels[i], "import.problem.unnamed_column", {}, WARNING))
    return CsvTable(path, encoding, delimiter, index + 1, records, columns, labels, problems)


def _field_of(cell: str) -> str | None:
    """The field a header cell names; a note in brackets is allowed ("电话（必填）")."""
    text = _norm_header(cell)
    return _HEADERS.get(text) or _HEADERS.get(re.sub(r"\(.*?\)", "", text))


def _norm_header(cell: str) -> str:
    text = unicodedata.normalize("NFKC", cell).replace("\ufeff", "")
    text = re.sub(r"\s+", "", text).lower().rstrip("*:")
    return text


def _letter(index: int) -> str:
    """A spreadsheet column letter: 0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


# -- the rows --------------------------------------------------------------------


def check_rows(table: CsvTable, existing: list[Village], new_township: bool = False) -> ImportPreview:
    """Every data row checked against the others and against ``existing``.

    A township not in ``existing`` that looks like one there (core.names.near_names: a typo,
    a missing 镇) is an error at its cell unless ``new_township``; any other new township is
    a warning at its first row. A first import (no township yet) has nothing to mistype.
    """
    preview = ImportPreview(table.path, table.encoding, table.delimiter, table.header_row, 0, sheet=table.sheet)
    problems = list(table.problems)
    townships = sorted({v.township for v in existing})
    township_keys = {name_key(x) for x in townships}
    new_seen: set[str] = set()  # new townships already warned about
    # Look-alikes (NFC/NFD, full-width digits, invisible characters) are the same name.
    known = {(name_key(v.name), name_key(v.township)): v for v in existing}
    claimed: dict[tuple[str, str], int] = {}  # identity -> row that adds it
    col = table.columns

    for number, record in enumerate(table.records[table.header_row :], table.header_row + 1):
        if not any(c.strip() for c in record):
            continue
        preview.data_rows += 1

        def raw(name: str) -> str:
            i = col.get(name)
            return record[i] if i is not None and i < len(record) else ""

        def cell(name: str) -> str:
            return raw(name).strip()

        def label(name: str) -> str:
            return table.labels[col[name]]

        found: list[Problem] = []
        name, township = _name_cell(number, label("name"), raw("name"), "missing_name", found), _name_cell(
            number, label("township"), raw("township"), "missing_township", found
        )
        for other in ("county", "contact", "phone"):
            if other in col and len(cell(other)) > MAX_CELL:
                found.append(Problem(number, label(other), "import.problem.cell_too_long", {"n": len(cell(other)), "limit": MAX_CELL}))

        raw_kind = cell("kind")
        kind = _KINDS.get(unicodedata.normalize("NFKC", raw_kind).replace(" ", "").lower()) if raw_kind else _kind_from_name(name)
        if kind is None:
            found.append(Problem(number, label("kind"), "import.problem.bad_kind", {"value": raw_kind}))

        phone = unicodedata.normalize("NFKC", cell("phone")).strip()
        if phone and _PHONE_SCIENTIFIC.fullmatch(phone):
            found.append(Problem(number, label("phone"), "import.problem.phone_scientific", {"value": phone}, WARNING))
            phone = ""
        elif phone and not _PHONE_OK.fullmatch(phone):
            found.append(Problem(number, label("phone"), "import.problem.phone_odd", {"value": phone}, WARNING))

        if name and township:
            key = (name_key(name), name_key(township))
            if key in known:
                v = known[key]
                which = "import.problem.duplicate_archived" if v.archived else "import.problem.duplicate_existing"
                found.append(Problem(number, label("name"), which, {"name": name, "township": township, "id": v.id}))
            elif key in claimed:
                found.append(Problem(number, label("name"), "import.problem.duplicate_in_file", {"first": claimed[key]}))

        if township and townships and name_key(township) not in township_keys:
            near = near_names(township, townships)
            if near and not new_township:
                found.append(Problem(number, label("township"), "f3.import_near_township", {"name": township, "near": "、".join(near)}))
            elif name_key(township) not in new_seen and not any(p.is_error for p in found):
                new_seen.add(name_key(township))
                found.append(Problem(number, label("township"), "f3.import_new_township", {"name": township}, WARNING))

        problems.extend(found)
        if any(p.is_error for p in found):
            continue
        claimed[(name_key(name), name_key(township))] = number
        preview.rows.append(ImportRow(number, name, township, kind or "village", clean_text(cell("county")), clean_text(cell("contact")), phone))

    order = {label: i for i, label in enumerate(table.labels)}
    preview.problems = sorted(problems, key=lambda p: (p.row, order.get(p.column, -1)))
    return preview


def _name_cell(row: int, column: str, raw: str, missing: str, found: list[Problem]) -> str:
    """The stored form of a name cell (core.names), with a problem when it cannot be a name
    (error) or when cleaning changed what is visible (warning: the user should see it)."""
    name = clean_text(raw)
    problem = name_problem(name)
    if problem is None:
        if name != raw.strip():
            found.append(Problem(row, column, "import.problem.name_cleaned", {"value": name}, WARNING))
        return name
    key, params = problem
    if key == "names.empty":
        found.append(Problem(row, column, f"import.problem.{missing}", {}))
    elif key == "names.control":
        found.append(Problem(row, column, "import.problem.name_control", {}))
    else:
        found.append(Problem(row, column, "import.problem.name_too_long", {**params, "limit": MAX_NAME}))
    return ""


def _kind_from_name(name: str) -> str:
    """A blank kind: a name ending in 社区 or 居委会 is a community, anything else a village."""
    return "community" if name.endswith(("社区", "居委会")) else "village"


__all__ = [
    "ERROR",
    "WARNING",
    "CsvTable",
    "ImportPreview",
    "ImportRow",
    "Problem",
    "VillageImportError",
    "check_rows",
    "read_table",
    "read_villages_csv",
]
