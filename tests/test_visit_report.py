"""The inspection visit report (Markdown) and report files."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from inspector import i18n
from inspector.core import ids
from inspector.core.finding_view import view_of
from inspector.core.records import Amendment, Answer, Event, Finding, Inspection, Observation, Override, Village, replace
from inspector.report.files import MAX_BYTES, MAX_CHARS, report_filename, write_report
from inspector.report.markdown import escape_inline
from inspector.report.visit_report import item_failed, render_visit_report

from .markdown_check import MD, tables

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture
def checklist(catalog):
    return catalog.checklists["chongqing"]


def record_id(n: int) -> str:
    """A real id (a ULID, as the repository makes them): ids made later sort later, as the repository's do."""
    return ids.derived_id(datetime(2026, 11, 21, 9) + timedelta(seconds=n), "visit-report-test", n)


VID, IID = record_id(1), record_id(2)
O1, O2, O3 = record_id(11), record_id(12), record_id(13)
F12, F13 = record_id(22), record_id(23)
DEADLINES = {F13: date(2026, 12, 5), F12: date(2026, 12, 18)}  # each finding's deadline, from its 'found' event


def village(**kw) -> Village:
    return Village(**{"id": VID, "name": "石堰村", "township": "金鸡镇", "county": "綦江区", **kw})


def inspection(**kw) -> Inspection:
    return Inspection(**{
        "id": IID, "village": VID, "date": date(2026, 11, 21), "kind": "unannounced",
        "inspectors": ("张伟", "李秀英"), "template": "chongqing", "template_version": "2026.1",
        "state": "completed", "completed_at": "2026-11-21T16:02:00", "amendments": (), **kw,
    })


def answers() -> dict[str, Answer]:
    return {a.item: a for a in (
        Answer(inspection=IID, item="signboards.02", value="count", found=5, allowed=2,
               note="大门两侧 3 块无依据", evidence=("IMG_0012.jpg",)),
        Answer(inspection=IID, item="signboards.05", value="no", note=""),
        Answer(inspection=IID, item="ledgers.03", value="yes", note="有安全生产检查台账",
               reason_no_finding="已当场停止填报"),
        Answer(inspection=IID, item="ledgers.05", value="na"),
        Answer(inspection=IID, item="tasks.01", value="list"),
    )}


def observations() -> list[Observation]:
    return [
        Observation(id=O1, inspection=IID, item="tasks.01", kind="task",
                    what="协助拆除违章搭建", department="镇城建办", assigned_how="微信群通知",
                    approval_document=False, purchase_contract=False, contract_evaluation=None,
                    classification={"kind": "negative", "verdict": "forbidden", "item": "cq2019.negative.02",
                                    "title": "拆迁拆违类", "score": 0.8},
                    override=None, violation=True, note=""),
        Observation(id=O2, inspection=IID, item="tasks.01", kind="task",
                    what="统计辖区养老服务需求", department="区民政局", assigned_how="文件",
                    approval_document=True, purchase_contract=None, contract_evaluation=None,
                    classification={"kind": "unlisted", "verdict": "needs_approval_or_contract", "item": None,
                                    "title": "", "score": 0.1},
                    override=Override(kind="assistance", reason="属协助事项"), violation=False, note=""),
        Observation(id=O3, inspection=IID, item="signboards.01", kind="signboard",
                    what="安全生产工作站", department="镇安办", violation=False, note="有文件依据"),
    ]


def findings() -> list[Finding]:
    return [
        Finding(id=F13, village=VID, inspection=IID, item="tasks.01", observation=O1,
                theme="tasks", title="将拆违工作交由村办理", description="", basis=("cq2019.negative.02",),
                basis_text="", severity="high", unit="镇城建办", person="", measure="收回交办事项"),
        Finding(id=F12, village=VID, inspection=IID, item="signboards.02", observation=None,
                theme="signboards", title="超规定挂牌 3 块", description="大门两侧挂有无依据牌子",
                basis=(), basis_text="渝北区案例：开展规范挂牌和工作机构专项治理", severity="medium",
                unit="镇综治办", person="王强", measure="摘除无依据牌子"),
    ]


def views(records: list[Finding]) -> list:
    """The findings as the report reads them: each a FindingView on the visit's day, from its 'found' event."""
    return [view_of(f, [Event(id=record_id(100 + n), finding=f.id, type="found", on=date(2026, 11, 21),
                              at="2026-11-21T16:00:00", by="张伟", counter=n,
                              deadline=DEADLINES.get(f.id, date(2026, 12, 31)), unit=f.unit, person=f.person)],
                    date(2026, 11, 21)) for n, f in enumerate(records)]


def render(catalog, checklist, lang="zh", **kw) -> str:
    args = {"village": village(), "inspection": inspection(), "checklist": checklist, "catalog": catalog,
            "answers": answers(), "observations": observations(), "findings": findings(), "lang": lang, **kw}
    return render_visit_report(**{**args, "findings": views(args["findings"])})




def row(text: str, first_cell: str) -> list[str]:
    """The cells of the table row whose first cell starts with ``first_cell``."""
    for line in text.splitlines():
        if line.startswith("| ") and line[2:].startswith(first_cell):
            return [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
    raise AssertionError(f"no row {first_cell!r}")


# ── content ───────────────────────────────────────────────────────────────


def test_header_says_who_where_when_and_what(catalog, checklist):
    text = render(catalog, checklist)
    assert text.startswith("# 石堰村 基层减负督查检查报告\n")
    assert "草稿" not in text
    for line in ("- **检查人员**：张伟、李秀英", "- **检查日期**：2026-11-21", "- **检查方式**：明察暗访",
                 "- **区县**：綦江区", "- **乡镇（街道）**：金鸡镇", "- **村（社区）**：石堰村（村）",
                 "- **状态**：已完成（2026-11-21 16:02）", f"- **检查编号**：{ids.short(IID)}"):
        assert line in text.splitlines()
    assert IID not in text  # an id is shown in its short form only
    # The checklist by its title and version; its id is an internal key (issue 8).
    assert f"重庆市村（社区）减负清单落实情况督查检查表（版本 {escape_inline('2026.1')}）" in text
    assert "chongqing" not in text


def test_summary_counts(catalog, checklist):
    text = render(catalog, checklist)
    total = len(checklist.items)
    assert f"- 检查项：共 {total} 项，已检查 6 项（其中不适用 1 项），未检查 {total - 6} 项；不符合 3 项。" in text
    assert "- 不符合但未立问题：1 项（见检查结果“说明”栏）。" in text
    assert "- 发现问题：共 2 个（轻微 0、一般 1、严重 1）。" in text
    assert "- 登记事项：共 3 项（牌子 1、工作事项 2），其中违规 1 项。" in text
    assert "- 工作事项和购买服务分类：协助事项 1、负面清单事项 1。" in text


def test_results_theme_by_theme(catalog, checklist):
    text = render(catalog, checklist)
    for theme in checklist.themes:
        assert f"### {theme.title}" in text
    assert row(text, "1.2 ")[1:] == ["发现 5 / 允许 2（不符合）", "大门两侧 3 块无依据；附件：IMG\\_0012.jpg；见问题 1"]
    assert row(text, "1.5 ")[1:] == ["否", "—"]
    assert row(text, "1.1 ")[1:] == ["记录 1 项，违规 0 项", "—"]  # observed, no answer record
    assert row(text, "2.3 ")[1:] == ["是（不符合）", "有安全生产检查台账；未立问题：已当场停止填报"]
    assert row(text, "2.5 ")[1:] == ["不适用", "—"]
    assert row(text, "3.1 ")[1:] == ["记录 2 项，违规 1 项（不符合）", "见问题 2"]
    assert row(text, "4.1 ")[1:] == ["未检查", "—"]
    # One table per theme, three columns, one row per check item.
    by_theme = [items for items in checklist.by_theme().values() if items]
    result_tables = tables(text)[: len(by_theme)]
    for items, table in zip(by_theme, result_tables):
        assert table == [("th", 3)] + [("td", 3)] * len(items)


def test_failure_rules(checklist):
    yes_fails, no_fails = checklist.item("ledgers.03"), checklist.item("ledgers.05")
    def answer(item: str, **kw) -> Answer:
        return Answer(inspection=IID, item=item, **kw)

    def seen(violation: bool) -> Observation:
        return Observation(id=O1, inspection=IID, item="tasks.01", kind="task", violation=violation)

    assert item_failed(yes_fails, answer("ledgers.03", value="yes"), []) and not item_failed(yes_fails, answer("ledgers.03", value="no"), [])
    assert item_failed(no_fails, answer("ledgers.05", value="no"), []) and not item_failed(no_fails, answer("ledgers.05", value="na"), [])
    count = checklist.item("signboards.02")
    assert item_failed(count, answer("signboards.02", value="count", found=3, allowed=2), [])
    assert not item_failed(count, answer("signboards.02", value="count", found=2, allowed=2), [])
    assert not item_failed(count, answer("signboards.02", value="count", found=3), [])  # nothing allowed recorded: unknown
    listed = checklist.item("tasks.01")
    assert item_failed(listed, answer("tasks.01", value="list"), [seen(False), seen(True)])
    assert not item_failed(listed, answer("tasks.01", value="list"), [seen(False)])
    assert not item_failed(listed, None, [])


def test_ledger_rows_in_checklist_order(catalog, checklist):
    text = render(catalog, checklist)
    assert "| 序号 | 问题 | 依据 | 责任单位 | 整改措施 | 整改时限 |" in text
    # signboards come before tasks in the checklist, so F0012 is number 1.
    assert row(text, "1 | 超规定") == ["1", "超规定挂牌 3 块（一般）：大门两侧挂有无依据牌子",
                                       "渝北区案例：开展规范挂牌和工作机构专项治理", "镇综治办（责任人：王强）",
                                       "摘除无依据牌子", "2026-12-18"]
    assert row(text, "2 | 将拆违") == ["2", "将拆违工作交由村办理（严重）", "负面清单第 2 项 拆迁拆违类",
                                       "镇城建办", "收回交办事项", "2026-12-05"]


def test_ledger_basis_long_lists_are_cut(catalog, checklist):
    items = [f"cq2023.certificates_forbidden.{n:02d}" for n in range(1, 33)]
    long_text = "渝民发〔2021〕6号：" + "对清单之外的事项，不得以行政命令方式要求办理。" * 10
    finding = replace(findings()[0], basis=tuple(items), basis_text=long_text)
    text = render(catalog, checklist, findings=[finding])
    basis = row(text, "1 | ")[2]
    first = catalog.item(items[0])
    assert basis.startswith(f"不应出具证明事项清单第 1 项 {escape_inline(first.title)}")
    assert basis.count("不应出具证明事项清单第") == 5
    assert "等共 32 项" in basis and basis.endswith("…")


def test_no_findings(catalog, checklist):
    text = render(catalog, checklist, findings=[])
    assert "本次检查未发现问题。" in text
    assert "- 发现问题：共 0 个（轻微 0、一般 0、严重 0）。" in text


def test_tasks_with_classification_override_and_admission(catalog, checklist):
    text = render(catalog, checklist)
    assert "| 序号 | 事项 | 交办（要求）单位 | 分类 | 对应清单条目 | 准入文书 / 合同 | 违规 |" in text
    assert row(text, "1 | 协助拆除") == [
        "1", "协助拆除违章搭建；交办方式：微信群通知", "镇城建办", "负面清单事项：禁止以任何形式交由村（社区）办理",
        "负面清单第 2 项 拆迁拆违类", "准入批准文书：无；购买服务合同：无", "是；见问题 2"]
    overridden = row(text, "2 | 统计")
    assert overridden[3] == ("协助事项：可以协助，主管部门负责并提供指导和经费"
                             "（检查人员改判，原为“清单外事项”；理由：属协助事项）")
    assert overridden[4:] == ["—", "准入批准文书：有；购买服务合同：未核实", "否"]
    # Other observations have their own table.
    assert row(text, "1 | 牌子") == ["1", "牌子", "安全生产工作站", "镇安办", "否", "有文件依据"]


def test_service_shows_contract_evaluation(catalog, checklist):
    service = Observation(id=record_id(19), inspection=IID, item="services.01", kind="service", what="代收医保费",
                          department="区医保局", approval_document=None, purchase_contract=True,
                          contract_evaluation=False, classification=None, override=None, violation=True)
    text = render(catalog, checklist, observations=[service], findings=[])
    cells = row(text, "1 | 代收")
    assert cells[3] == "未分类"
    assert cells[5] == "准入批准文书：未核实；购买服务合同：有；按合同评价：无"
    assert "工作事项和购买服务分类：未分类 1。" in text


def test_draft_is_marked(catalog, checklist):
    text = render(catalog, checklist, inspection=inspection(state="draft", completed_at=""))
    assert text.startswith("# 石堰村 基层减负督查检查报告（草稿）\n")
    assert "> **草稿**：本次检查尚未完成" in text
    assert "- **状态**：草稿（检查尚未完成）" in text


def test_amendments_only_when_present(catalog, checklist):
    assert "修改记录" not in render(catalog, checklist)
    amendment = Amendment(at="2026-11-22T09:10:00", by="张伟", item="signboards.02", field="found",
                          old=4, new=5, reason="复核时补点一块")
    text = render(catalog, checklist, inspection=inspection(amendments=(amendment,)))
    assert "## 检查完成后的修改记录" in text
    # The item by number and question, the field by its label (issue 8: no internal key in the report).
    assert row(text, "2026-11-22 09:10") == ["2026-11-22 09:10", "张伟", "1.2 村（社区）办公场所实际悬挂的牌子有多少… · 发现数", "4", "5",
                                               "复核时补点一块"]


def test_signature_lines_end_the_report(catalog, checklist):
    lines = [line for line in render(catalog, checklist).splitlines() if line]
    assert lines[-2].startswith("检查人员（签字）：____") and "日期：____" in lines[-2]
    assert lines[-1].startswith("村（社区）负责人（签字）：____")
    html = MD.render("\n".join(lines[-2:]))
    assert "<em>" not in html and "<strong>" not in html and "<hr" not in html


def test_version_mismatch_and_unknown_items(catalog, checklist):
    extra = {"old.item": Answer(inspection=IID, item="old.item", value="yes", note="旧版检查项")}
    text = render(catalog, checklist, inspection=inspection(template_version="2025.3"),
                  answers={**answers(), **extra})
    assert f"检查时使用的检查表版本为 {escape_inline('2025.3')}" in text
    assert "### 不在本检查表中的检查项" in text
    assert row(text, "old.item") == ["old.item", "是", "旧版检查项"]


def test_missing_keys_do_not_break_the_report(catalog, checklist):
    # Records with nothing but what they cannot be without (a half-finished draft).
    vid, iid = record_id(31), record_id(32)
    text = render_visit_report(village=Village(id=vid, name="", township=""),
                               inspection=Inspection(id=iid, village=vid, date=date(2026, 11, 21)), checklist=checklist,
                               catalog=catalog, answers={"tasks.01": Answer(inspection=iid, item="tasks.01")},
                               observations=[Observation(id=record_id(33), inspection=iid, kind="task")],
                               findings=views([Finding(id=record_id(34), village=vid, title="x")]))
    assert "草稿" in text
    for table in tables(text):
        assert len({n for _, n in table}) == 1


# ── hostile text ──────────────────────────────────────────────────────────

HOSTILE = [
    "a | b || c",
    "line one\nline two\r\n\nline four",
    "`code` and ``more``",
    "<script>alert(1)</script>",
    "# x",
    "1. x",
    "- y",
    "> quoted",
    "---",
    "*bold* _it_ [link](http://e.com) ![img](x.png)",
    "&amp; &lt;",
    "\\",
    "|",
    "",
]


def hostile_data(text: str) -> dict:
    a = {item: replace(ans, note=text, evidence=(text,), reason_no_finding=text) for item, ans in answers().items()}
    obs = [replace(o, what=text, department=text, assigned_how=text, note=text,
                   override=Override(kind="assistance", reason=text) if o.override else None)
           for o in observations()]
    fnd = [replace(f, title=text, description=text, basis_text=text, unit=text, person=text, measure=text)
           for f in findings()]  # the deadline is a date of the finding's view, never free text
    amendment = Amendment(at=text, by=text, item=text, field=text, old=text, new=[text, text], reason=text)
    insp = inspection(inspectors=(text, text), kind=text, amendments=(amendment,), completed_at=text, id=text)
    return {"village": village(name=text, township=text, county=text), "inspection": insp,
            "answers": a, "observations": obs, "findings": fnd}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_never_breaks_tables_or_document(catalog, checklist, text, lang):
    report = render(catalog, checklist, lang=lang, **hostile_data(text))
    reference = render(catalog, checklist, lang=lang, **hostile_data("plain"))
    tokens = MD.parse(report)
    # The same structure as with plain text: same tables, rows, columns, headings, lists.
    shape = lambda toks: [(t.type, t.tag) for t in toks if t.type != "inline" and not t.type.startswith("text")]  # noqa: E731
    assert shape(tokens) == shape(MD.parse(reference))
    assert tables(report) == tables(reference)
    for table in tables(report):
        assert len({n for _, n in table}) == 1  # every row as wide as the header
    assert not [t for t in tokens if t.type in ("html_block", "code_block", "fence", "hr")]
    inline = [c for t in tokens if t.type == "inline" for c in (t.children or [])]
    assert not [c for c in inline if c.type in ("html_inline", "code_inline", "link_open", "image", "em_open")]
    assert sum(1 for t in tokens if t.type == "heading_open" and t.tag == "h1") == 1


def test_hostile_text_shows_literally(catalog, checklist):
    html = MD.render(render(catalog, checklist, **hostile_data("<script>alert(1)</script> | `x`")))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | `x`" in html


# ── English ───────────────────────────────────────────────────────────────


def test_english_report_has_no_chinese_fixed_text(catalog, checklist):
    data = {
        "village": Village(id=VID, name="Shiyan", township="Jinji", county="Qijiang"),
        "inspection": inspection(inspectors=("Zhang Wei",), state="draft", completed_at="",
                                 amendments=(Amendment(at="2026-11-22T09:10:00", by="Zhang", item="signboards.02",
                                                       field="found", old=4, new=5, reason="recount"),)),
        "answers": {k: replace(v, note="n", reason_no_finding="r") for k, v in answers().items()},
        "observations": [replace(o, what="w", department="d", assigned_how="h", note="n",
                                 override=Override(kind="assistance", reason="r") if o.override else None)
                         for o in observations()],
        "findings": [replace(f, title="t", description="d", basis_text="b", unit="u", person="p", measure="m")
                     for f in findings()],
    }
    text = render(catalog, checklist, lang="en", **data)
    assert text.startswith("# Shiyan: burden-reduction inspection report (DRAFT)\n")
    assert "found 5 / allowed 2 (fails)" in text
    assert "| Negative list no. 2 拆迁拆违类 |" in text
    # The lists' own text stays as it is; nothing else may be Chinese.
    rest = text.replace(escape_inline(catalog.item("cq2019.negative.02").title), "")
    assert CJK.findall(rest) == []
    assert render(catalog, checklist, lang="en") != render(catalog, checklist, lang="zh")


def test_english_report_messages_are_english():
    en = {k: v for k, v in i18n.messages("en").items() if k.startswith("report.")}
    assert en and {k: v for k, v in en.items() if CJK.search(v)} == {}
    assert set(en) == {k for k in i18n.messages("zh") if k.startswith("report.")}


# ── files ─────────────────────────────────────────────────────────────────

WINDOWS_ILLEGAL = set('<>:"/\\|?*') | {chr(c) for c in range(32)}


def assert_safe(name: str) -> None:
    assert name.endswith(".md")
    assert not (set(name) & WINDOWS_ILLEGAL)
    assert len(name) <= MAX_CHARS and len(name.encode("utf-8")) <= MAX_BYTES
    stem = name[: -len(".md")]
    assert stem and stem == stem.rstrip(". ") and not stem.startswith(".")
    assert stem.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)),
                                               *(f"LPT{n}" for n in range(10))}


def test_report_filename_tells_what_it_is():
    assert report_filename("检查报告", "2026-11-21", "金鸡镇", "石堰村") == "2026-11-21_金鸡镇_石堰村_检查报告.md"
    assert report_filename("inspection", "2026-11-21", "金鸡镇", "石堰村", lang="zh") == "2026-11-21_金鸡镇_石堰村_检查报告.md"
    assert (report_filename("inspection", "2026-11-21", "金鸡镇", "石堰村", "I0003", lang="en")
            == "2026-11-21_金鸡镇_石堰村_inspection-report_I0003.md")
    assert report_filename("overdue", "2026-11-21", "金鸡镇", "", lang="zh") == "2026-11-21_金鸡镇_逾期问题清单.md"


@pytest.mark.parametrize("hostile", [
    'a/b:c*?"<>|', "CON", "con", "NUL", "com1", "LPT9", "..", ".hidden", "trailing. . ", "tab\there\nnewline\x00nul",
    "..\\..\\etc\\passwd", "   ", "石" * 300, "x" * 1000,
])
def test_report_filename_is_safe_for_hostile_input(tmp_path, hostile):
    for args in ((hostile, "2026-11-21", hostile, hostile), (hostile, "", "", ""), ("检查报告", hostile, "", "", "")):
        name = report_filename(*args)
        assert_safe(name)
        assert write_report(tmp_path, name, "x").name == name  # a real file system takes it


def test_report_filename_shortens_long_parts_but_keeps_date_and_kind():
    name = report_filename("检查报告", "2026-11-21", "金鸡镇" * 50, "石堰村" * 50, "I0003")
    assert_safe(name)
    assert name.startswith("2026-11-21_") and name.endswith("_检查报告_I0003.md")
    assert report_filename("CON", "", "", "") == "_CON.md"
    assert report_filename('a/b:c*?"<>|', "", "", "") == "a-b-c.md"
    assert report_filename("", "", "", "") == "report.md"


def test_write_report_writes_utf8_and_overwrites(tmp_path):
    folder = tmp_path / "exports" / "金鸡镇"
    path = write_report(folder, "报告.md", "# 石堰村\n第一版\n")
    assert path == folder / "报告.md"
    assert path.read_bytes() == "# 石堰村\n第一版\n".encode("utf-8")
    write_report(folder, "报告.md", "# 石堰村\n第二版\n")
    assert path.read_text(encoding="utf-8") == "# 石堰村\n第二版\n"
    assert sorted(p.name for p in folder.iterdir()) == ["报告.md"]  # no temporary files left


def test_write_report_refuses_paths(tmp_path: Path):
    for bad in ("a/b.md", "..", "", "a\\b.md"):
        with pytest.raises(ValueError):
            write_report(tmp_path, bad, "x")


def test_overridden_certificate_shows_the_change_and_its_reason(catalog, checklist):
    """Issue 8: an overridden certificate showed `违规 否 | —`; the change and its reason belong in the report."""
    certificate = Observation(id=record_id(20), inspection=IID, item="certificates.01", kind="certificate", what="居住证明",
                              department="派出所", classification={"kind": "certificate_forbidden", "item": "", "title": ""},
                              override=Override(kind="certificate_allowed", reason="属于不动产登记的例外情形"),
                              violation=False, note="")
    text = render(catalog, checklist, observations=[*observations(), certificate])
    cells = row(text, "2 | 证明")
    assert cells[4] == "否"
    assert "检查人员改判" in cells[5] and "属于不动产登记的例外情形" in cells[5]


def test_assigned_how_and_amended_values_show_labels(catalog, checklist):
    """Issue 8: `交办方式：chat\\_group` and `value | no | yes` showed internal codes."""
    obs = [replace(observations()[0], assigned_how="chat_group")]
    amendment = Amendment(at="2026-11-22T09:10:00", by="张伟", item="signboards.05", field="value",
                          old="no", new="yes", reason="复核")
    text = render(catalog, checklist, observations=obs, inspection=inspection(amendments=(amendment,)))
    assert "交办方式：微信群 / 工作群" in text and "chat" not in text
    cells = row(text, "2026-11-22 09:10")
    assert cells[2].startswith("1.5 ") and cells[2].endswith(" · 回答") and cells[3:5] == ["否", "是"]
    assert "signboards.05" not in text


def test_problem_cell_does_not_repeat_a_title_the_description_starts_with(catalog, checklist):
    repeated = replace(findings()[1], title="城管工作站", description="城管工作站（区城市管理局）。")
    text = render(catalog, checklist, findings=[repeated])
    assert "| 1 | 城管工作站（区城市管理局）（一般） |" in text
    assert "城管工作站（一般）：" not in text

