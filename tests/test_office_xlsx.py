"""Excel out: the ledger, the overdue list and the township summary as .xlsx, read back with openpyxl.

Every workbook is checked for its headers (in the interface language), its
types (dates are date cells, counts numbers), that no cell is a formula, that
hostile text is a string cell, and that its figures are the Markdown's.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from inspector import cli
from inspector.core import ids, labels
from inspector.i18n import t
from inspector.paths import default_exports
from inspector.report.xlsx import Sheet, workbook_bytes
from inspector.storage.database import Database
from inspector.core.moves import record

from .conftest import TODAY, add_finding

HOSTILE = "=cmd|' /C calc'!A0"
HOSTILE_UNIT = "+镇综治办"
HOSTILE_MEASURE = "@SUM(A1:A9)"
LONG_BASIS = "不得要求村（社区）承担" + "属地管理责任以外的" * 10 + "工作"  # 100 characters: the Markdown cuts it


class Clock:
    def __init__(self) -> None:
        self.day = date(2026, 9, 1)

    def __call__(self) -> datetime:
        return datetime.combine(self.day, time(9, 30))


@pytest.fixture(scope="module")
def odb(tmp_path_factory) -> Path:
    """石堰村 (金鸡镇): F1 hostile, assigned, extended, progress, overdue; F2 closed; F3 due later.
    龙溪村: one overdue finding. Today is 2026-11-21."""
    path = tmp_path_factory.mktemp("office") / "db"
    clock = Clock()
    db = Database.open(path, clock=clock)
    a = db.add_village("石堰村", "金鸡镇", county="綦江区")
    b = db.add_village("龙溪村", "金鸡镇", county="綦江区")
    sa, sb = db.store(a.id), db.store(b.id)
    iid = sa.add_inspection(day="2026-09-01", kind="routine", inspectors=["张伟"], template="chongqing",
                            template_version="2026.1").id
    sa.save_answer(iid, "signboards.02", value="count", found=5, allowed=2)
    sa.update_inspection(iid, state="completed")

    def finding(store, title, theme, unit, deadline, **more):
        fields = {"title": title, "theme": theme, "severity": "high", "unit": unit, "measure": "按要求整改",
                  "basis": [], "basis_text": "", "inspection": iid, **more}
        return add_finding(store, fields, deadline=deadline, by="张伟").id

    f1 = finding(sa, HOSTILE, "signboards", HOSTILE_UNIT, "2026-10-01", measure=HOSTILE_MEASURE,
                 basis_text=LONG_BASIS, description="-1 块牌子")
    f2 = finding(sa, "台账重复", "ledgers", "区民政局", "2026-10-10")
    finding(sa, "迎检次数超标", "evaluations", "区民政局", "2026-12-31")
    clock.day = date(2026, 9, 2)
    record(sa, f1, "assign", by="李秀英", unit=HOSTILE_UNIT, person="王强")
    record(sa, f2, "assign", by="李秀英", unit="区民政局")
    clock.day = date(2026, 9, 20)
    record(sa, f1, "extend", by="陈静", deadline="2026-10-15", note="需协调")
    clock.day = date(2026, 10, 5)
    record(sa, f1, "progress", by="王强", note="已摘除两块")
    record(sa, f2, "report", by="区民政局", note="已合并台账")
    clock.day = date(2026, 10, 8)
    record(sa, f2, "verify", by="陈静")
    clock.day = date(2026, 10, 9)
    record(sa, f2, "close", by="陈静")
    clock.day = date(2026, 10, 20)
    record(sa, f1, "escalate", by="陈静", level="reminder")
    finding(sb, "重复采集数据", "apps", "镇综治办", "2026-11-01")
    db.close()
    return path


@pytest.fixture(scope="module")
def oids(odb) -> dict[str, str]:
    """The short ids the database gave (what people read and type): villages by name, findings by title,
    and "inspection", 石堰村's one inspection."""
    db = Database.open(odb, clock=Clock(), read_only=True)
    try:
        out = {}
        for v in db.villages():
            store = db.store(v.id)
            out[v.name] = v.id
            out.update({f.title: f.id for f in store.findings()})
            out.update({"inspection": i.id for i in store.inspections()})
    finally:
        db.close()
    return {key: ids.short(value) for key, value in out.items()}


def run(db: Path, *argv: str) -> int:
    return cli.main(["--db", str(db), "--today", TODAY.isoformat(), *argv])


def assert_no_formulas(path: Path) -> None:
    wb = load_workbook(path)  # not read-only: data_type and styles are read
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)


def sheet_rows(path: Path, index: int = 0) -> tuple[list, list[list]]:
    ws = load_workbook(path).worksheets[index]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def md_table_rows(text: str, first_cell: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("|").split("|")] for line in text.splitlines()
            if line.startswith(f"| {first_cell}")]


# ── the ledger ────────────────────────────────────────────────────────────


def test_ledger_xlsx_headers_types_and_hostile_text(odb, oids, tmp_path, capsys):
    assert run(odb, "report", "village", "石堰村", "--format", "xlsx", "--out", str(tmp_path)) == 0
    path = tmp_path / "2026-11-21_金鸡镇_石堰村_整改台账.xlsx"
    assert capsys.readouterr().out == f"报告已写入 {path}\n"
    header, rows = sheet_rows(path)
    assert header[:10] == ["序号", "问题", "依据", "责任单位", "责任人", "整改措施", "整改时限", "整改进展", "状态", "销号日期"]
    assert header[10:] == ["问题编号", "方面", "严重程度", "发现日期", "原定时限", "延期次数", "逾期天数", "督办措施"]
    by_id = {r[10]: dict(zip(header, r)) for r in rows}
    f1 = by_id[oids[HOSTILE]]
    assert f1["序号"] == 1 and f1["问题"] == f"{HOSTILE}\n-1 块牌子"
    assert f1["责任单位"] == HOSTILE_UNIT and f1["责任人"] == "王强" and f1["整改措施"] == HOSTILE_MEASURE
    assert f1["依据"] == LONG_BASIS  # whole: the Markdown table cuts it with "…"
    assert f1["整改时限"] == datetime(2026, 10, 15) and f1["原定时限"] == datetime(2026, 10, 1)
    assert f1["发现日期"] == datetime(2026, 9, 1) and f1["延期次数"] == 1 and f1["逾期天数"] == 37
    assert f1["状态"] == "整改中" and f1["严重程度"] == "严重" and f1["方面"] == "清理挂牌" and f1["督办措施"] == "催办"
    assert f1["整改进展"] == "2026-10-05 整改进展：已摘除两块"
    assert f1["销号日期"] is None
    f2 = by_id[oids["台账重复"]]
    assert f2["状态"] == "已销号" and f2["销号日期"] == datetime(2026, 10, 9) and f2["逾期天数"] is None
    assert f2["原定时限"] is None and f2["整改进展"].startswith("2026-10-09 ")
    assert_no_formulas(path)
    ws = load_workbook(path).worksheets[0]
    assert ws.freeze_panes == "A2" and ws.title == "整改台账"
    assert ws["G2"].number_format == "yyyy-mm-dd" and ws["B2"].alignment.wrap_text


def test_ledger_xlsx_carries_the_markdowns_figures(odb, tmp_path):
    assert run(odb, "report", "village", "石堰村", "--out", str(tmp_path)) == 0
    assert run(odb, "report", "village", "石堰村", "--format", "xlsx", "--out", str(tmp_path)) == 0
    text = (tmp_path / "2026-11-21_金鸡镇_石堰村_整改台账.md").read_text(encoding="utf-8")
    header, rows = sheet_rows(tmp_path / "2026-11-21_金鸡镇_石堰村_整改台账.xlsx")
    summary = re.search(r"共发现问题 (\d+) 个：已销号 (\d+) 个，未销号 (\d+) 个，其中逾期 (\d+) 个", text)
    assert summary, text
    total, closed, open_, overdue = map(int, summary.groups())
    states = [r[header.index("状态")] for r in rows]
    assert (len(rows), states.count("已销号"), len(rows) - states.count("已销号")) == (total, closed, open_)
    assert sum(1 for r in rows if r[header.index("逾期天数")]) == overdue
    md_rows = [r for r in md_table_rows(text, "") if r and r[0].isdigit()][:len(rows)]
    assert [int(r[0]) for r in md_rows] == [r[0] for r in rows]


def test_english_headers_and_labels(odb, oids, tmp_path):
    assert run(odb, "--lang", "en", "report", "village", oids["石堰村"], "--format", "xlsx", "--out", str(tmp_path)) == 0
    header, rows = sheet_rows(next(tmp_path.glob("*.xlsx")))
    assert header[:4] == ["No.", "Problem", "Basis", "Responsible unit"]
    states = {labels.state(s, "en") for s in ("rectifying", "closed", "found")}
    assert {r[header.index("State")] for r in rows} == states
    assert {r[header.index("Severity")] for r in rows} == {labels.severity("high", "en")}


# ── the overdue list ──────────────────────────────────────────────────────


def test_overdue_xlsx_to_a_file_and_to_the_exports_folder(odb, oids, tmp_path, capsys):
    out = tmp_path / "逾期.xlsx"
    assert run(odb, "overdue", "--format", "xlsx", "--out", str(out)) == 0
    assert capsys.readouterr().out == f"报告已写入 {out}\n"
    header, rows = sheet_rows(out)
    assert header[:5] == ["问题编号", "村编号", "村（社区）", "乡镇（街道）", "问题"]
    assert [r[0] for r in rows] == [oids[HOSTILE], oids["重复采集数据"]]  # most overdue first
    assert [r[1] for r in rows] == [oids["石堰村"], oids["龙溪村"]]
    first = dict(zip(header, rows[0]))
    assert first["问题"] == HOSTILE and first["整改时限"] == datetime(2026, 10, 15) and first["逾期天数"] == 37
    assert first["严重程度"] == "严重" and first["状态"] == "整改中" and first["督办措施"] == "催办"
    assert_no_formulas(out)
    # The same rows as the CSV form.
    assert run(odb, "overdue", "--format", "csv") == 0
    csv_lines = capsys.readouterr().out.lstrip("\ufeff").splitlines()
    assert len(csv_lines) == 1 + len(rows)
    # No --out: <db>/exports/ (README), named after the report.
    assert run(odb, "report", "overdue", "--format", "xlsx") == 0
    written = default_exports(odb) / "2026-11-21_逾期问题清单.xlsx"
    assert capsys.readouterr().out == f"报告已写入 {written}\n" and written.parent == odb / "exports"
    assert sheet_rows(written)[1] == rows


def test_out_without_xlsx_is_a_usage_error(odb, capsys):
    assert run(odb, "overdue", "--format", "json", "--out", "x.json") == 2
    assert "--out" in capsys.readouterr().err


# ── the township summary ──────────────────────────────────────────────────


def test_township_xlsx_has_the_markdowns_figures(odb, tmp_path):
    assert run(odb, "report", "township", "金鸡镇", "--out", str(tmp_path)) == 0
    assert run(odb, "report", "township", "金鸡镇", "--format", "xlsx", "--out", str(tmp_path)) == 0
    text = (tmp_path / "2026-11-21_金鸡镇_乡镇汇总.md").read_text(encoding="utf-8")
    path = tmp_path / "2026-11-21_金鸡镇_乡镇汇总.xlsx"
    assert [ws.title for ws in load_workbook(path).worksheets] == ["检查和问题", "减负成效"]  # the report's sections
    for index, section in enumerate(("## 检查和问题", "## 减负成效")):
        header, rows = sheet_rows(path, index)
        part = text.split(section, 1)[1].split("\n## ", 1)[0]
        md = [[c.strip() for c in line.strip("|").split("|")] for line in part.splitlines() if line.startswith("| ")]
        assert header == md[0]
        expected = [[cell.replace("**", "") for cell in r] for r in md[1:]]  # (the |---| line is not "| ")
        assert [[str(c) for c in r] for r in rows] == expected
        assert all(isinstance(c, int) for r in rows for c in r[1:])
    assert_no_formulas(path)


# ── the writer itself ─────────────────────────────────────────────────────


@pytest.mark.parametrize("text", [HOSTILE, "+1", "-2", "@x", "＝1+1", "\tx", "=1+1"])
def test_formula_looking_text_is_a_string_cell(text):
    data = workbook_bytes([Sheet("t", ["a"], [[text]])])
    import io

    cell = load_workbook(io.BytesIO(data)).worksheets[0]["A2"]
    assert cell.data_type == "s" and cell.value == text


def test_control_characters_and_long_text_and_widths():
    import io

    long = "很长的问题描述" * 20
    data = workbook_bytes([Sheet("a/b:c", ["序号", "问题"], [[1, "换行\x01字符"], [2, long]])])
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert ws.title == "a-b-c" and ws["B2"].value == "换行 字符"
    assert ws.column_dimensions["B"].width == 48  # bounded: the text wraps
    assert ws.column_dimensions["A"].width == 6  # "序号" is 4 cells wide (CJK counts double) + 2
