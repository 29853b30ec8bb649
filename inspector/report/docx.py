"""Word documents (.docx) laid out as a Chinese official document (GB/T 9704-2012).

The Markdown report stays the source of the content: this module reads the
Markdown the report modules write (a small, known subset: ``#`` headings,
``- **label**：value`` lines, ``>`` notices, GFM tables, paragraphs), undoes
its escaping, and lays the same sections, tables and figures out as a 公文
is printed, so the document can be printed or pasted into one as it is:

- A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
- the title in 方正小标宋简体 size 2 (22 pt), centred; the body in 仿宋_GB2312
  size 3 (16 pt) at a fixed 28 pt line, first lines indented two characters;
  first-level headings in 黑体 (numbered 一、二、 in Chinese), second-level in
  楷体_GB2312; tables with borders in 仿宋 小四 (五号 when wide), the header
  row repeated on every page;
- page numbers "— 1 —" in 宋体 size 4, odd pages right, even pages left;
- a signature block ending with the date, right-aligned four characters in;
- evidence (the ``- [name](link)（…）`` lines of report/evidence_list.py): a
  photo is embedded at the width of the text (no taller than a third of the
  page) with the line as its caption below; any other file is listed by its
  line; a file the link no longer finds is listed as missing.

The Chinese font names are those a government computer has; the file also
names a fallback for each (宋体, 仿宋, 楷体), which Word uses where the first
is missing. Pure: text in, bytes out; no clock (the date is given).
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from ..core.evidence import PHOTO_SUFFIXES
from ..core.textwidth import width

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", SUBHEADING_FONT: "楷体"}

TITLE_PT = 22  # 二号
BODY_PT = 16  # 三号
PAGE_PT = 14  # 四号
TABLE_PT = 12  # 小四
WIDE_TABLE_PT = 10.5  # 五号, for tables of more than WIDE_TABLE columns
WIDE_TABLE = 6
LINE_PT = 28  # fixed line spacing: 22 lines on a page
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
PAGE_MM = (210, 297)
TEXT_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156 mm: 28 characters of 16 pt
# A table of more than WIDE_TABLE columns goes on landscape pages (same margins): 243 mm of line,
# so the finding and the measure columns get room to read instead of four characters a line.
LANDSCAPE_TEXT_MM = PAGE_MM[1] - MARGINS_MM["left"] - MARGINS_MM["right"]

NUMERALS = "一二三四五六七八九十"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


# ── reading the Markdown ──────────────────────────────────────────────────


PHOTO_MAX_HEIGHT = 1 / 3  # of the page's height


@dataclass
class Block:
    kind: str  # title, heading, subheading, field, quote, para, table, evidence
    text: str = ""
    label: str = ""  # a field's label; an evidence file's name
    rows: list[list[str]] = field(default_factory=list)  # a table: header first
    target: str = ""  # an evidence file's link, as the Markdown has it


# "- [name](link)rest": an evidence line (a name's own brackets are escaped, a link has no space or bracket).
_EVIDENCE = re.compile(r"^- \[((?:\\.|[^\\\]])*)\]\(([^()\s]+)\)(.*)$")


def parse_markdown(text: str) -> list[Block]:
    """The blocks of a report's Markdown, with every escape undone and no Markdown syntax left."""
    blocks: list[Block] = []
    table: list[list[str]] | None = None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = split_cells(line)
            if all(set(c) <= set("-: ") and c for c in cells):
                continue  # the |---|---| line under the header
            if table is None:
                table = []
                blocks.append(Block("table", rows=table))
            table.append(cells)
            continue
        table = None
        if not line.strip():
            continue
        if line.startswith("# "):
            blocks.append(Block("title", inline(line[2:])))
        elif line.startswith("## "):
            blocks.append(Block("heading", inline(line[3:])))
        elif line.startswith("### "):
            blocks.append(Block("subheading", inline(line[4:])))
        elif line.startswith("> "):
            blocks.append(Block("quote", inline(line[2:])))
        elif m := _EVIDENCE.match(line):
            name = inline(m.group(1))
            blocks.append(Block("evidence", name + inline(m.group(3)), label=name, target=m.group(2)))
        elif line.startswith("- **"):
            label, _, value = line[2:].partition("**：") if "**：" in line else line[2:].partition("**: ")
            blocks.append(Block("field", inline(value), label=inline(label)))
        elif line.startswith("- "):
            blocks.append(Block("para", inline(line[2:])))
        else:
            blocks.append(Block("para", inline(line)))
    return blocks


def inline(text: str) -> str:
    """Markdown inline text as plain text: backslash escapes and ``**`` undone, ``&amp;`` as ``&``."""
    return _scan(text, split=False)[0]


def split_cells(line: str) -> list[str]:
    """A GFM table row's cells, split on the pipes that are not escaped, as plain text."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c.strip() for c in _scan(body, split=True)]


def _scan(text: str, split: bool) -> list[str]:
    cells, out, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if text.startswith("**", i):
            i += 2
            continue
        if split and ch == "|":
            cells.append("".join(out))
            out = []
        else:
            out.append(ch)
        i += 1
    cells.append("".join(out))
    return [c.replace("&amp;", "&") for c in cells]


def date_text(day: date, lang: str) -> str:
    """The date as a document is signed: 2026年11月21日 (GB/T 9704-2012), or 21 November 2026."""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (headings never reach a hundred)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


# ── writing the document ──────────────────────────────────────────────────


def docx_bytes(markdown: str, *, day: date, lang: str, sign_lines: list[str] | None = None,
               files_from: Path | str | None = None) -> bytes:
    """The report ``markdown`` as a .docx laid out per GB/T 9704, signed and dated ``day``.

    ``sign_lines`` are lines for signatures placed before the date (the visit
    report's own signature lines are already in its Markdown and come as they are).
    ``files_from``: the folder the Markdown's evidence links start from (the one
    it was rendered for); without it evidence is listed, not embedded.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    _page(doc)
    _default_style(doc)
    _declare_fallbacks(doc)
    heading_no = 0
    blocks = parse_markdown(markdown)
    title = next((b.text for b in blocks if b.kind == "title"), "")
    landscape = _landscape_blocks(blocks)
    turned = False
    for n, block in enumerate(blocks):
        if landscape[n] != turned:
            turned = landscape[n]
            _turn(doc, turned)
        if block.kind == "title":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _spacing(p, line=Pt(35), first_line=None, after=Pt(LINE_PT))
            _run(p, block.text, TITLE_FONT, TITLE_PT)
        elif block.kind == "heading":
            heading_no += 1
            text = f"{chinese_number(heading_no)}、{block.text}" if lang == "zh" else block.text
            _run(_body_paragraph(doc), text, HEADING_FONT, BODY_PT)
        elif block.kind == "subheading":
            _run(_body_paragraph(doc), block.text, SUBHEADING_FONT, BODY_PT)
        elif block.kind == "quote":
            _run(_body_paragraph(doc), block.text, SUBHEADING_FONT, BODY_PT)
        elif block.kind == "field":
            colon = "：" if lang == "zh" else ": "
            _run(_body_paragraph(doc), f"{block.label}{colon}{block.text}", BODY_FONT, BODY_PT)
        elif block.kind == "table":
            _table(doc, block.rows, LANDSCAPE_TEXT_MM if turned else TEXT_MM)
        elif block.kind == "evidence":
            page = (PAGE_MM[0], LANDSCAPE_TEXT_MM) if turned else (PAGE_MM[1], TEXT_MM)
            _evidence(doc, block, files_from, lang, text_mm=page[1], max_mm=page[0] * PHOTO_MAX_HEIGHT)
        else:
            _run(_body_paragraph(doc), block.text, BODY_FONT, BODY_PT)
    # After a wide table at the end, the signature and the date stay on its (landscape) page.
    doc.add_paragraph()
    for line in sign_lines or []:
        _run(_body_paragraph(doc), line, BODY_FONT, BODY_PT)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _spacing(p, line=Pt(LINE_PT), first_line=None)
    p.paragraph_format.right_indent = Pt(BODY_PT * 4)  # 右空四字
    _run(p, date_text(day, lang), BODY_FONT, BODY_PT)
    _page_numbers(doc)

    stamp = datetime.combine(day, datetime.min.time())
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "inspector", "inspector"
    props.created = props.modified = stamp
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def evidence_path(target: str, files_from: Path | str | None) -> Path | None:
    """The file an evidence link names: a relative link from ``files_from``, or a ``file:`` address."""
    if target.startswith("file:"):
        return Path(url2pathname(urlparse(target).path))
    if files_from is None:
        return None
    # Lexically: the link was made lexically (os.path.relpath), and the report's own folder
    # may not exist yet when the document is made (``--out`` is created as the file is written).
    return Path(os.path.normpath(Path(files_from) / unquote(target)))


def _evidence(doc, block: Block, files_from: Path | str | None, lang: str, *, text_mm: float, max_mm: float) -> None:
    """A photo embedded with its line as the caption; another file, or a photo Word cannot show, as its line."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from ..i18n import t

    path = evidence_path(block.target, files_from)
    if path is not None and not path.is_file():
        _run(_body_paragraph(doc), t("report.evidence.missing", lang=lang, line=block.text), BODY_FONT, BODY_PT)
        return
    if path is not None and path.suffix.lower() in PHOTO_SUFFIXES and _picture(doc, path, text_mm, max_mm):
        p = _body_paragraph(doc)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = None
        _run(p, block.text, BODY_FONT, BODY_PT)
        return
    _run(_body_paragraph(doc), block.text, BODY_FONT, BODY_PT)


def _picture(doc, path: Path, text_mm: float, max_mm: float) -> bool:
    """Embed the photo at ``path`` centred, as wide as the text and at most ``max_mm`` tall;
    False (nothing added) when it cannot be read or is of a kind Word does not show (HEIC, WebP)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.image.image import Image
    from docx.shared import Mm, Pt

    try:
        data = path.read_bytes()
        image = Image.from_blob(data)
    except Exception:  # unreadable, or not an image python-docx knows (UnrecognizedImageError and kin)
        return False
    if not image.px_width or not image.px_height:
        return False
    ratio = image.px_height / image.px_width
    wide, tall = text_mm, text_mm * ratio
    if tall > max_mm:
        wide, tall = max_mm / ratio, max_mm
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact 28 pt line would crop the picture
    fmt.space_before, fmt.space_after = Pt(LINE_PT / 2), Pt(0)
    fmt.keep_with_next = True  # the caption stays under its photo
    p.add_run().add_picture(io.BytesIO(data), width=Mm(wide), height=Mm(tall))
    return True


def _page(doc) -> None:
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(15), Mm(21)


def _landscape_blocks(blocks: list[Block]) -> list[bool]:
    """Which blocks go on landscape pages: each wide table, and the headings just before it
    (a heading is not left alone at the foot of the portrait page)."""
    out = [b.kind == "table" and max(map(len, b.rows), default=0) > WIDE_TABLE for b in blocks]
    for n in range(len(blocks) - 2, -1, -1):
        if blocks[n].kind in ("heading", "subheading") and out[n + 1]:
            out[n] = True
    return out


def _turn(doc, landscape: bool) -> None:
    """Start a new section on a new page, landscape or back to portrait, with the same margins
    (the footers with the page numbers carry on: a new section is linked to the one before)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    wide, tall = Mm(PAGE_MM[1]), Mm(PAGE_MM[0])
    section.page_width, section.page_height = (wide, tall) if landscape else (tall, wide)


def _default_style(doc) -> None:
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(BODY_PT)
    _east_asian(normal.element.get_or_add_rPr(), BODY_FONT)


def _east_asian(rpr, font: str) -> None:
    """python-docx sets only the Latin font names; Chinese text takes w:eastAsia."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:ascii"), fonts.get(qn("w:ascii")) or LATIN_FONT)
    fonts.set(qn("w:hAnsi"), fonts.get(qn("w:hAnsi")) or LATIN_FONT)


def _run(paragraph, text: str, font: str, size: float, bold: bool = False):
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    _east_asian(run._element.get_or_add_rPr(), font)
    return run


def _spacing(paragraph, *, line, first_line, after=None) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = Pt(0)
    fmt.space_after = after if after is not None else Pt(0)
    if first_line is not None:
        fmt.first_line_indent = first_line


def _body_paragraph(doc):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _spacing(p, line=Pt(LINE_PT), first_line=Pt(BODY_PT * 2))  # 首行缩进两字
    return p


def _table(doc, rows: list[list[str]], text_mm: float = TEXT_MM) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    columns = max(len(r) for r in rows)
    size = TABLE_PT if columns <= WIDE_TABLE else WIDE_TABLE_PT
    table = doc.add_table(rows=len(rows), cols=columns)
    table.style = "Table Grid"  # single borders on every cell
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = column_widths(rows, columns, size, text_mm)
    for c, w in enumerate(widths):
        table.columns[c].width = Mm(w)
    for r, row in enumerate(rows):
        cells = table.rows[r].cells
        for c in range(columns):
            cell = cells[c]
            cell.width = Mm(widths[c])
            p = cell.paragraphs[0]
            fmt = p.paragraph_format
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            fmt.space_before = fmt.space_after = Pt(0)
            text = row[c] if c < len(row) else ""
            if r == 0:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _run(p, text, HEADING_FONT, size)
            else:
                short = width(text) <= 8
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER if short else WD_ALIGN_PARAGRAPH.LEFT
                _run(p, text, BODY_FONT, size)
    for r, row in enumerate(table.rows):
        props = row._tr.get_or_add_trPr()
        keep = OxmlElement("w:cantSplit")  # a row is not cut across two pages
        keep.set(qn("w:val"), "true")
        props.append(keep)
        if r == 0:
            repeat = OxmlElement("w:tblHeader")  # the header row again on every page
            repeat.set(qn("w:val"), "true")
            props.append(repeat)
    doc.add_paragraph()  # a table is followed by a line, as in the Markdown


def column_widths(rows: list[list[str]], columns: int, size: float = TABLE_PT, text_mm: float = TEXT_MM) -> list[float]:
    """Millimetres per column. Each column gets at least its longest unbreakable piece (a date,
    an id; two characters at least), short columns all they need; the rest of the line goes to
    the long columns in proportion to what they lack, so they wrap and nothing else does."""
    cell_mm = size * 0.3528 * 0.62  # one Latin character: room for wide fallback digits too
    pad = 4.5  # the cell's left and right margins (1.9 mm each) and a little air
    natural, least, usual = [], [], []
    for c in range(columns):
        texts = [r[c] for r in rows if c < len(r)]
        natural.append(max((width(x) for x in texts), default=4) * cell_mm + pad)
        body = texts[1:] or texts
        usual.append(sum(width(x) for x in body) / len(body) * cell_mm + pad)
        # A short cell (a state, an event: 整改进展, 申请销号) is one piece, not broken inside.
        pieces = [p for x in body for p in _TOKEN.findall(x)] + [x for x in body if width(x) <= 8] + ["已销号"]
        least.append(max(width(p) for p in pieces) * cell_mm + pad)
    if sum(natural) <= text_mm:
        scale = text_mm / sum(natural)
        return [n * scale for n in natural]
    # The rest goes by what a column usually holds, not its one longest cell (an extended deadline).
    spare = max(0.0, text_mm - sum(least))
    lacking = [max(0.0, u - m) for u, m in zip(usual, least)]
    total = sum(lacking) or 1.0
    return [m + spare * lack / total for m, lack in zip(least, lacking)]


_TOKEN = re.compile(r"[0-9A-Za-z_.:/\-]+")


def _page_numbers(doc) -> None:
    """"— 1 —" in 宋体 size 4: odd pages at the right, even pages at the left, one character in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(PAGE_PT)
        else:
            p.paragraph_format.left_indent = Pt(PAGE_PT)
        _run(p, "— ", PAGE_FONT, PAGE_PT)
        number = _run(p, "", PAGE_FONT, PAGE_PT)
        for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
                number._element.append(el)
            elif instr == " PAGE ":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = instr
                number._element.append(el)
            else:
                el = OxmlElement("w:t")
                el.text = instr
                number._element.append(el)
        _run(p, " —", PAGE_FONT, PAGE_PT)


def _declare_fallbacks(doc) -> None:
    """Name a fallback for each Chinese font in the font table (w:altName): Word uses it
    where the font is not installed (方正小标宋简体 is not on every computer)."""
    from lxml import etree

    part = next((p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None or not hasattr(part, "_blob"):
        return
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = etree.fromstring(part.blob)
    for name, alt in FALLBACKS.items():
        font = etree.SubElement(root, f"{{{ns}}}font")
        font.set(f"{{{ns}}}name", name)
        etree.SubElement(font, f"{{{ns}}}altName").set(f"{{{ns}}}val", alt)
        etree.SubElement(font, f"{{{ns}}}charset").set(f"{{{ns}}}val", "86")  # GB2312
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
