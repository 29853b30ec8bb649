"""Word out: the visit report and the ledger as .docx, read back with python-docx.

The Markdown stays the source of the content: the document must carry the
same sections, tables and figures (compared with a CommonMark + GFM parse of
the Markdown), with no Markdown syntax left, laid out per GB/T 9704.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from markdown_it import MarkdownIt

from inspector import cli
from inspector.report.docx import chinese_number, column_widths, date_text, docx_bytes, inline, parse_markdown, split_cells

from .conftest import TODAY
from .test_office_xlsx import HOSTILE, HOSTILE_MEASURE, HOSTILE_UNIT, odb, oids, run  # noqa: F401 - the shared database

MD = MarkdownIt("commonmark").enable("table")


def md_structure(text: str) -> tuple[list[tuple[int, str]], list[list[list[str]]]]:
    """Headings (level, text) and tables (rows of cell text) as a Markdown parser reads them."""
    tokens = MD.parse(text)
    headings, tables, row, table = [], [], None, None
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            headings.append((int(tok.tag[1]), _plain(tokens[i + 1])))
        elif tok.type == "table_open":
            table = []
        elif tok.type == "table_close":
            tables.append(table)
            table = None
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close":
            table.append(row)
        elif tok.type == "inline" and row is not None and table is not None:
            row.append(_plain(tok))
    return headings, tables


def md_evidence(text: str) -> list[str]:
    """The evidence lines (list items with a link to a kept file) as plain text: what a caption says."""
    tokens = MD.parse(text)
    return [_plain(tokens[i + 1]) for i, tok in enumerate(tokens)
            if tok.type == "paragraph_open" and tokens[i + 1].type == "inline"
            and any(c.type == "link_open" for c in tokens[i + 1].children or [])]


def _plain(tok) -> str:
    return "".join(c.content for c in tok.children or [] if c.type in ("text", "code_inline", "softbreak", "html_inline")
                   ).strip()


def east_asia(run) -> str | None:
    fonts = run._element.rPr.rFonts if run._element.rPr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def body_texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def check_layout(doc) -> None:
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [
        37, 35, 28, 26]
    title = doc.paragraphs[0]
    assert title.alignment == 1 and title.runs[0].font.size == Pt(22) and east_asia(title.runs[0]) == "方正小标宋简体"
    body = [p for p in doc.paragraphs[1:] if p.runs and p.text]
    fonts = {east_asia(p.runs[0]) for p in body}
    assert fonts <= {"仿宋_GB2312", "黑体", "楷体_GB2312"} and "仿宋_GB2312" in fonts and "黑体" in fonts
    assert {p.runs[0].font.size for p in body} == {Pt(16)}
    for table in doc.tables:
        assert table.style.name == "Table Grid"
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        cell_run = table.rows[-1].cells[0].paragraphs[0].runs[0]
        assert cell_run.font.size in (Pt(12), Pt(10.5)) and east_asia(cell_run) == "仿宋_GB2312"
    footer = section.footer._element.xml
    assert "PAGE" in footer and "— " in section.footer.paragraphs[0].text
    assert "PAGE" in section.even_page_footer._element.xml
    text = "\n".join(body_texts(doc) + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "**" not in text and "\\" not in text and "&amp;" not in text and "|---" not in text


def same_content(markdown: str, doc, lang: str = "zh") -> None:
    """Every heading and every table cell of the Markdown, in order, in the document."""
    headings, tables = md_structure(markdown)
    paragraphs = [p.text for p in doc.paragraphs if p.text]
    assert paragraphs[0] == headings[0][1]
    shown = [h for h in paragraphs if any(h.endswith(text) for _, text in headings)]
    expected = []
    n = 0
    for level, text in headings[1:]:
        if level == 2:
            n += 1
            expected.append(f"{chinese_number(n)}、{text}" if lang == "zh" else text)
        else:
            expected.append(text)
    assert [p for p in paragraphs if p in expected] == expected
    assert len(shown) >= len(headings)
    assert len(doc.tables) == len(tables)
    for table, md in zip(doc.tables, tables):
        assert [[c.text for c in row.cells] for row in table.rows] == md
    # Each evidence file's line, in order: the caption under a photo, or the file listed by its line.
    captions = md_evidence(markdown)
    assert [p for p in paragraphs if p in captions] == captions


# ── the pieces ─────────────────────────────────────────────────────────────


def test_markdown_escapes_are_undone():
    assert inline(r"标题\|含竖线 \# 换行 \`code\` a &amp;amp; b \\ c") == "标题|含竖线 # 换行 `code` a &amp; b \\ c"
    assert split_cells(r"| a\|b | **合计** | c\\| d |") == ["a|b", "合计", "c\\", "d"]
    blocks = parse_markdown("# T\n\n## S\n\n- **村**：石堰村\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> 草稿\n")
    assert [(b.kind, b.text or b.rows) for b in blocks] == [
        ("title", "T"), ("heading", "S"), ("field", "石堰村"), ("table", [["a", "b"], ["1", "2"]]), ("quote", "草稿")]


def test_dates_and_numbers():
    assert date_text(date(2026, 11, 21), "zh") == "2026年11月21日"
    assert date_text(date(2026, 1, 5), "en") == "5 January 2026"
    assert [chinese_number(n) for n in (1, 10, 12, 20, 21)] == ["一", "十", "十二", "二十", "二十一"]


# ── the ledger ─────────────────────────────────────────────────────────────


def test_ledger_docx_matches_the_markdown(odb, tmp_path, capsys):  # noqa: F811
    assert run(odb, "report", "village", "石堰村", "--out", str(tmp_path)) == 0
    assert run(odb, "report", "village", "石堰村", "--format", "docx", "--out", str(tmp_path)) == 0
    path = tmp_path / "2026-11-21_金鸡镇_石堰村_整改台账.docx"
    assert capsys.readouterr().out.endswith(f"报告已写入 {path}\n")
    markdown = (tmp_path / "2026-11-21_金鸡镇_石堰村_整改台账.md").read_text(encoding="utf-8")
    doc = Document(path)
    check_layout(doc)
    same_content(markdown, doc)
    cells = [c.text for r in doc.tables[0].rows for c in r.cells]
    assert any(c.startswith(HOSTILE) for c in cells) and HOSTILE_MEASURE in cells
    assert any(c.startswith(HOSTILE_UNIT) for c in cells)
    texts = body_texts(doc)
    summary = next(line for line in markdown.splitlines() if "共发现问题" in line)
    assert summary in texts
    assert texts[-1] == "2026年11月21日" and doc.paragraphs[-1].alignment == 2  # right, dated the as-of day
    assert any(t.startswith("填报人（签字）") for t in texts)


def test_english_ledger_has_no_heading_numbers(odb, oids, tmp_path):  # noqa: F811
    assert run(odb, "--lang", "en", "report", "village", oids["石堰村"], "--out", str(tmp_path)) == 0
    assert run(odb, "--lang", "en", "report", "village", oids["石堰村"], "--format", "docx", "--out", str(tmp_path)) == 0
    markdown = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    doc = Document(next(tmp_path.glob("*.docx")))
    same_content(markdown, doc, lang="en")
    assert doc.paragraphs[-1].text == "21 November 2026"


# ── the visit report ───────────────────────────────────────────────────────


def test_visit_docx_matches_the_markdown(odb, oids, tmp_path, capsys):  # noqa: F811
    assert run(odb, "report", "inspection", oids["inspection"], "--out", str(tmp_path)) == 0
    assert run(odb, "report", "inspection", oids["inspection"], "--format", "docx", "--out", str(tmp_path)) == 0
    md_path = next(tmp_path.glob("*.md"))
    path = md_path.with_suffix(".docx")
    assert capsys.readouterr().out.splitlines()[-1] == f"报告已写入 {path}"
    markdown = md_path.read_text(encoding="utf-8")
    doc = Document(path)
    check_layout(doc)
    same_content(markdown, doc)
    texts = body_texts(doc)
    assert any(t.startswith("检查人员（签字）") for t in texts) and texts[-1] == "2026年9月1日"
    # The figures of the summary, word for word.
    for line in markdown.splitlines():
        if line.startswith("- ") and "项" in line and "**" not in line:
            assert line[2:] in texts


def test_report_format_is_checked(odb, oids, capsys):  # noqa: F811
    assert run(odb, "report", "inspection", oids["inspection"], "--format", "xlsx") == 2
    assert "docx" in capsys.readouterr().err


def test_document_properties_follow_the_report_not_the_clock():
    from docx import Document as Open
    import io

    doc = Open(io.BytesIO(docx_bytes("# 标题\n\n正文\n", day=date(2026, 11, 21), lang="zh")))
    assert doc.core_properties.title == "标题" and doc.core_properties.created.date() == date(2026, 11, 21)
    assert round(doc.sections[0].left_margin.mm, 1) == 28.0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_font_fallbacks_are_declared(lang):
    import io
    import zipfile

    data = docx_bytes("# T\n\nx\n", day=TODAY, lang=lang)
    fonts = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml").decode("utf-8")
    for name, alt in (("方正小标宋简体", "宋体"), ("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体")):
        assert re.search(rf'w:name="{name}"><w:altName w:val="{alt}"/>', fonts)


def test_a_folder_that_cannot_be_written_is_one_line(odb, tmp_path, capsys):  # noqa: F811
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert run(odb, "report", "village", "石堰村", "--format", "docx", "--out", str(blocker / "sub")) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "整改台账.docx" in err
    assert not list(Path(tmp_path).glob("**/*.docx"))


def test_the_wide_problem_table_is_on_landscape_pages(odb, tmp_path):  # noqa: F811
    """Eight columns on portrait A4 left the finding four characters a line: the table turns the page."""
    assert run(odb, "report", "village", "石堰村", "--format", "docx", "--out", str(tmp_path)) == 0
    doc = Document(next(tmp_path.glob("*.docx")))
    section_of, n = [], 0
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            section_of.append(n)
        elif child.tag == qn("w:p") and child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            n += 1  # a paragraph carrying a sectPr ends its section
    wide = [i for i, table in enumerate(doc.tables) if len(table.columns) > 6]
    assert wide, "the ledger's problem table"
    for i in wide:
        section = doc.sections[section_of[i]]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
        assert [round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [
            37, 35, 28, 26]
        header = [c.text for c in doc.tables[i].rows[0].cells]
        widths = {h: doc.tables[i].columns[c].width.mm for c, h in enumerate(header)}
        rows = [[c.text for c in r.cells] for r in doc.tables[i].rows]
        portrait = dict(zip(header, column_widths(rows, len(header), 10.5)))
        assert widths["问题"] >= 1.4 * portrait["问题"] and widths["整改措施"] > portrait["整改措施"]
        assert round(sum(widths.values())) == 297 - 28 - 26
    # The basic information stays portrait; narrow tables are not turned.
    assert round(doc.sections[0].page_width.mm) == 210
    assert all(round(doc.sections[section_of[i]].page_width.mm) == 210 for i in range(len(doc.tables)) if i not in wide and section_of[i] < section_of[wide[0]])


def test_long_findings_take_most_of_a_landscape_line():
    from inspector.report.docx import LANDSCAPE_TEXT_MM

    header = ["序号", "问题", "依据", "责任单位", "整改措施", "整改时限", "状态", "销号日期"]
    row = ["12", "镇综治办将负面清单事项交村办理，要求村干部每周上报网格巡查照片和台账", "负面清单第 2 项",
           "镇综治办（责任人：张伟）", "停止向村交办，由镇综治办自行落实巡查并撤回已下发的通知", "2026-12-21", "整改中", "—"]
    rows = [header] + [row] * 5
    wide = dict(zip(header, column_widths(rows, 8, 10.5, LANDSCAPE_TEXT_MM)))
    narrow = dict(zip(header, column_widths(rows, 8, 10.5)))
    assert round(sum(wide.values())) == 243
    assert narrow["问题"] < 20 and wide["问题"] >= 55 and wide["整改措施"] >= 45  # 8 and 20 characters a line
    assert sorted(wide, key=wide.get)[-2:] == ["整改措施", "问题"]  # the two widest
