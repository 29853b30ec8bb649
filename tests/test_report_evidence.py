"""Evidence in the reports: relative links that resolve, photos embedded in Word, missing files named.

The files are small real images (a PNG built here with zlib and struct) and a
PDF's first bytes, attached through core.evidence on the fixed test clock, so
who and when are known. Reports are written by the verbs, as a user does.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from pathlib import Path
from urllib.parse import unquote

import pytest
from docx import Document
from docx.oxml.ns import qn
from markdown_it import MarkdownIt

from inspector import cli
from inspector.core import evidence
from inspector.core.evidence import finding_files
from inspector.report.docx import docx_bytes, parse_markdown
from inspector.report.evidence_list import EvidenceLinks
from inspector.report.export import visit_report_text
from inspector.storage.database import Database

from .conftest import TODAY, add_finding, fixed_clock
from .test_office_docx import check_layout, md_evidence, same_content

MD = MarkdownIt("commonmark").enable("table")


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid PNG of one colour (8-bit RGB, no filter)."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


WIDE = png(40, 20, (200, 30, 30))  # the signboard before: wider than tall
TALL = png(10, 40, (30, 160, 30))  # the wall after: tall, so its height is what limits it
ITEM_PHOTO = png(16, 12, (30, 30, 200))
SCAN = b"%PDF-1.4 the village's rectification report"
# Names with what Markdown must not read as syntax: brackets, an underscore, a space.
BEFORE, AFTER, REPORT, ON_SITE = "IMG_0101 [整改前].png", "整改后.PNG", "整改报告.pdf", "现场_照片.png"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def edb(tmp_path, catalog):
    """石堰村: a draft inspection whose failed item has a photo, and its finding with two photos and a scan."""
    from inspector.core.visit import open_visit

    camera = tmp_path / "camera"
    camera.mkdir()
    for name, data in ((BEFORE, WIDE), (AFTER, TALL), (REPORT, SCAN), (ON_SITE, ITEM_PHOTO)):
        (camera / name).write_bytes(data)
    path = tmp_path / "db"
    db = Database.open(path, clock=fixed_clock)
    v = db.add_village("石堰村", "金鸡镇", county="綦江区")
    checklist = catalog.checklist_for(catalog.default.id)
    iid = db.store(v.id).add_inspection(day="2026-11-21", kind="routine", inspectors=["张伟"], template=checklist.id,
                                        template_version=checklist.version).id
    visit = open_visit(db, catalog, {}, iid, v.id)
    item = next(i for i in visit.checklist.items if i.answer == "yes_no")
    visit.answer(item, value=item.fail_on, note="牌子太多")
    evidence.attach_to_answer(visit, item, [camera / ON_SITE], "张伟", kept_in=db.evidence)
    fid = add_finding(db.store(v.id), {"title": "多余牌子", "theme": "signboards", "inspection": iid, "item": item.id,
                                       "severity": "high", "unit": "镇综治办", "measure": "摘除"},
                      deadline="2026-12-01", by="张伟").id
    evidence.attach_to_finding(db, v.id, fid, [camera / BEFORE, camera / REPORT], "李娜")
    evidence.attach_to_finding(db, v.id, fid, [camera / AFTER], "李娜")
    db.close()
    return {"path": path, "village": v.id, "inspection": iid, "finding": fid, "item": item.id}


def run(db: Path, *argv: str) -> int:
    return cli.main(["--db", str(db), "--today", TODAY.isoformat(), *argv])


def kept_files(edb) -> dict[str, object]:
    """Every evidence file the database records, by name."""
    with Database.open(edb["path"], clock=fixed_clock, read_only=True) as db:
        store = db.store(edb["village"])
        files = finding_files(store.events(edb["finding"]))
        files += list(store.answers(edb["inspection"])[edb["item"]].files)
    return {f.name: f for f in files}


def links(markdown: str) -> list[tuple[str, str]]:
    """(link text, href) of every link, as a Markdown parser reads them."""
    out = []
    for tok in MD.parse(markdown):
        href = None
        for child in tok.children or []:
            if child.type == "link_open":
                href, text = child.attrs["href"], []
            elif child.type == "link_close":
                out.append(("".join(text), href))
                href = None
            elif href is not None and child.type == "text":
                text.append(child.content)
    return out


def assert_links_resolve(report: Path, files: dict, expected: set[str]) -> None:
    """Each evidence link, read from the report's own folder, is the kept file with the recorded hash."""
    found = links(report.read_text(encoding="utf-8"))
    assert {name for name, _ in found} == expected
    for name, href in found:
        assert not href.startswith(("/", "file:")), href  # relative
        target = report.parent / unquote(href)
        assert target.is_file(), (name, href)
        assert sha(target.read_bytes()) == files[name].sha256


def written(out: Path, suffix: str) -> Path:
    return next(out.glob(f"*{suffix}"))


# ── Markdown: the links ─────────────────────────────────────────────────────


def test_visit_report_links_every_file_from_its_out_folder(edb, tmp_path):
    out = tmp_path / "发 给镇里 (终稿)"  # a space and brackets in the folder: the link must survive them
    assert run(edb["path"], "report", "inspection", edb["inspection"], "--out", str(out)) == 0
    report = written(out, ".md")
    files = kept_files(edb)
    assert_links_resolve(report, files, {BEFORE, AFTER, REPORT, ON_SITE})
    text = report.read_text(encoding="utf-8")
    # Names as people know them, escaped like any other text; who and when and the size.
    assert r"[IMG\_0101 \[整改前\].png](" in text
    assert "（1 KB，李娜，2026-11-21 09:30）" in text and "（1 KB，张伟，2026-11-21 09:30）" in text
    section = text[text.index("## 佐证材料"):]
    assert section.index("### 问题 1：多余牌子") < section.index(BEFORE.split()[0].replace("_", r"\_"))
    assert "### 检查项 " in section and "现场\\_照片.png" in section
    # In the order attached, each under its finding or item.
    order = [name for name, _ in links(section)]
    assert order == [BEFORE, REPORT, AFTER, ON_SITE]


def test_default_folder_and_a_folder_far_away_both_resolve(edb, tmp_path):
    files = kept_files(edb)
    assert run(edb["path"], "report", "village", "石堰村") == 0
    default = written(edb["path"] / "exports", ".md")
    assert_links_resolve(default, files, {BEFORE, REPORT, AFTER})
    assert "](../evidence/" in default.read_text(encoding="utf-8")
    far = tmp_path / "u盘" / "台账" / "十一月"
    assert run(edb["path"], "report", "village", "石堰村", "--out", str(far)) == 0
    assert_links_resolve(written(far, ".md"), files, {BEFORE, REPORT, AFTER})


def test_ledger_lists_evidence_after_each_findings_history(edb, tmp_path):
    assert run(edb["path"], "report", "village", "石堰村", "--out", str(tmp_path / "out")) == 0
    text = written(tmp_path / "out", ".md").read_text(encoding="utf-8")
    history = text[text.index("## 整改过程"):]
    assert "佐证材料（3 份）：" in history
    lines = [line for line in history.splitlines() if line.startswith("- ")]
    assert len(lines) == 3 and all("（1 KB，李娜，2026-11-21 09:30）" in line for line in lines)
    # The attach records in the history table name the files (plain, as people know them).
    attach_rows = [line for line in history.splitlines() if line.startswith("|") and "佐证材料" in line]
    assert len(attach_rows) == 2 and "整改后.PNG" in attach_rows[1] and "整改报告.pdf" in attach_rows[0]


def test_text_without_a_folder_links_from_the_database_folder(edb, catalog):
    files = kept_files(edb)
    with Database.open(edb["path"], clock=fixed_clock, read_only=True) as db:
        text, _, _ = visit_report_text(db, catalog, edb["inspection"], "zh")
    found = links(text)
    assert len(found) == 4
    for name, href in found:
        assert href.startswith("evidence/") and sha((edb["path"] / unquote(href)).read_bytes()) == files[name].sha256


def test_a_missing_file_is_named_missing_not_linked(edb, tmp_path, capsys):
    files = kept_files(edb)
    with Database.open(edb["path"], clock=fixed_clock, read_only=True) as db:
        db.evidence.path_of(files[REPORT]).unlink()
        db.evidence.path_of(files[AFTER]).unlink()
    out = tmp_path / "out"
    assert run(edb["path"], "report", "village", "石堰村", "--out", str(out)) == 0
    assert run(edb["path"], "report", "village", "石堰村", "--format", "docx", "--out", str(out)) == 0
    assert capsys.readouterr().err == ""
    report = written(out, ".md")
    assert_links_resolve(report, files, {BEFORE})
    text = report.read_text(encoding="utf-8")
    assert "- 【文件缺失】整改报告.pdf（1 KB，李娜，2026-11-21 09:30）" in text.splitlines()
    assert "- 【文件缺失】整改后.PNG（1 KB，李娜，2026-11-21 09:30）" in text.splitlines()
    doc = Document(written(out, ".docx"))
    texts = [p.text for p in doc.paragraphs]
    assert "【文件缺失】整改报告.pdf（1 KB，李娜，2026-11-21 09:30）" in texts
    assert "【文件缺失】整改后.PNG（1 KB，李娜，2026-11-21 09:30）" in texts
    assert len(doc.inline_shapes) == 1  # the photo still there


def test_english_lines(edb, tmp_path):
    out = tmp_path / "en"
    assert run(edb["path"], "--lang", "en", "report", "inspection", edb["inspection"], "--out", str(out)) == 0
    text = written(out, ".md").read_text(encoding="utf-8")
    assert "## Evidence" in text and "### Finding 1: 多余牌子" in text
    assert "(1 KB, 李娜, 2026-11-21 09:30)" in text
    assert_links_resolve(written(out, ".md"), kept_files(edb), {BEFORE, AFTER, REPORT, ON_SITE})


def test_links_from_any_folder_are_relative_and_encoded(tmp_path):
    from inspector.core.records import EvidenceFile
    from inspector.storage.evidence_files import EvidenceFiles

    kept_in = EvidenceFiles(tmp_path / "数据 库")
    file = EvidenceFile(sha256="ab" + "c" * 62, name="a.jpg", size=10, suffix=".jpg")
    assert EvidenceLinks(kept_in).href(file) == "evidence/ab/" + "c" * 62 + ".jpg"
    assert EvidenceLinks(kept_in, tmp_path / "数据 库" / "exports").href(file) == "../evidence/ab/" + "c" * 62 + ".jpg"
    href = EvidenceLinks(kept_in, tmp_path / "out").href(file)
    assert " " not in href and unquote(href) == "../数据 库/evidence/ab/" + "c" * 62 + ".jpg"
    # Not kept: named missing, no link.
    assert EvidenceLinks(kept_in).line(file, "zh") == "- 【文件缺失】a.jpg（1 KB，—，—）"


# ── Word ──────────────────────────────────────────────────────────────────


def picture_blobs(doc) -> list[bytes]:
    out = []
    for shape in doc.inline_shapes:
        blip = shape._inline.find(".//" + qn("a:blip"))
        out.append(doc.part.related_parts[blip.get(qn("r:embed"))].blob)
    return out


def test_visit_docx_embeds_the_photos_with_captions(edb, tmp_path):
    out = tmp_path / "out"
    assert run(edb["path"], "report", "inspection", edb["inspection"], "--out", str(out)) == 0
    assert run(edb["path"], "report", "inspection", edb["inspection"], "--format", "docx", "--out", str(out)) == 0
    markdown = written(out, ".md").read_text(encoding="utf-8")
    doc = Document(written(out, ".docx"))
    check_layout(doc)
    same_content(markdown, doc)  # headings, tables and the evidence captions, in order
    assert picture_blobs(doc) == [WIDE, TALL, ITEM_PHOTO]  # the bytes of the files, in the report's order
    texts = [p.text for p in doc.paragraphs]
    captions = md_evidence(markdown)
    assert len(captions) == 4 and all(c in texts for c in captions)
    # Each photo is followed by its caption; the scan is listed by its line.
    for n, p in enumerate(doc.paragraphs):
        if p._p.find(".//" + qn("wp:inline")) is not None:
            assert doc.paragraphs[n + 1].text in captions and doc.paragraphs[n + 1].text.split("（")[0] in (
                BEFORE, AFTER, ON_SITE)
    assert "整改报告.pdf（1 KB，李娜，2026-11-21 09:30）" in texts


def test_photos_are_scaled_to_the_text_width_and_a_third_of_the_page(edb, tmp_path):
    assert run(edb["path"], "report", "inspection", edb["inspection"], "--format", "docx", "--out", str(tmp_path)) == 0
    doc = Document(written(tmp_path, ".docx"))
    sizes = [(round(s.width.mm, 1), round(s.height.mm, 1)) for s in doc.inline_shapes]
    wide, tall, item = sizes
    assert wide == (156.0, 78.0)  # the text's width (A4 less 28 and 26 mm), 2:1
    assert tall == (24.8, 99.0)  # a third of 297 mm, 1:4
    assert item == (132.0, 99.0)  # 4:3 at the text's width would be 117 mm tall


def test_ledger_docx_embeds_the_photos(edb, tmp_path):
    out = tmp_path / "out"
    assert run(edb["path"], "report", "village", "石堰村", "--out", str(out)) == 0
    assert run(edb["path"], "report", "village", "石堰村", "--format", "docx", "--out", str(out)) == 0
    markdown = written(out, ".md").read_text(encoding="utf-8")
    doc = Document(written(out, ".docx"))
    same_content(markdown, doc)
    assert picture_blobs(doc) == [WIDE, TALL]


def test_word_names_a_file_its_link_no_longer_finds(tmp_path):
    markdown = "# 台账\n\n- [a\\_1.png](evidence/ab/cd.png)（1 KB，张伟，2026-11-21 09:30）\n- [b.heic](x.heic)（2 KB，张伟，—）\n"
    (tmp_path / "x.heic").write_bytes(b"not a picture Word can show")
    blocks = parse_markdown(markdown)
    assert [(b.kind, b.label, b.target) for b in blocks[1:]] == [("evidence", "a_1.png", "evidence/ab/cd.png"),
                                                                ("evidence", "b.heic", "x.heic")]
    import io

    doc = Document(io.BytesIO(docx_bytes(markdown, day=TODAY, lang="zh", files_from=tmp_path)))
    texts = [p.text for p in doc.paragraphs]
    assert "【文件缺失】a_1.png（1 KB，张伟，2026-11-21 09:30）" in texts
    assert "b.heic（2 KB，张伟，—）" in texts and len(doc.inline_shapes) == 0  # listed, not embedded
    # Without the folder the links start from, the files are listed as they are.
    doc = Document(io.BytesIO(docx_bytes(markdown, day=TODAY, lang="zh")))
    assert "a_1.png（1 KB，张伟，2026-11-21 09:30）" in [p.text for p in doc.paragraphs]


def test_typed_file_names_stay_listed_unlinked(tmp_path, catalog):
    """Names typed before evidence was kept (Answer.evidence) stay in the item's note, with no link."""
    from inspector.core.records import replace

    path = tmp_path / "db"
    with Database.open(path, clock=fixed_clock) as db:
        v = db.add_village("石堰村", "金鸡镇")
        checklist = catalog.checklist_for(catalog.default.id)
        store = db.store(v.id)
        iid = store.add_inspection(day="2026-11-21", kind="routine", inspectors=["张伟"], template=checklist.id,
                                   template_version=checklist.version).id
        item = next(i for i in checklist.items if i.answer == "yes_no")
        from inspector.core.records import Answer

        store.put_answer(replace(Answer(inspection=iid, item=item.id), value="no", evidence=("IMG_0031.jpg",)))
        text, _, _ = visit_report_text(db, catalog, iid, "zh")
    assert "IMG\\_0031.jpg" in text and not links(text) and "## 佐证材料" not in text
    assert re.search(r"\| [^|]*IMG\\_0031\.jpg[^|]* \|", text)


def test_word_ledger_into_a_folder_not_made_yet_embeds_the_photo(tmp_path):
    """`--out` names a folder that does not exist yet: the links go through it (`../`), and the photo is still found."""
    from inspector.report.docx import evidence_path

    db_root = tmp_path / "db"
    kept = db_root / "evidence" / "ab" / "cdef.png"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"x")
    out = tmp_path / "not-yet"
    assert not out.exists()
    assert evidence_path("../db/evidence/ab/cdef.png", out).read_bytes() == b"x"
