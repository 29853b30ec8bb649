"""The supervisor's verbs and reports: overdue list, finding show, ledger, township summary.

The database is built by hand on a moving clock, so every finding's history
is known: an extension with its reason, a reminder then a summons, a closure,
and a finding closed after the as-of date (open on that date).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from inspector import cli, i18n
from inspector.cli import open_db
from inspector.commands import supervise
from inspector.core import ids, labels
from inspector.wiring import build_demo
from inspector.core.overdue import rows_as_of, rows_from_index
from inspector.i18n import t
from inspector.report.ledger_report import render_village_ledger
from inspector.report.overdue_report import render_overdue
from inspector.report.township_report import render_township_summary
from inspector.storage.database import Database
from inspector.core.moves import record

from .markdown_check import MD, tables

from .conftest import TODAY, add_observation, add_finding

AS_OF = date(2026, 11, 1)
HOSTILE_UNIT = "镇|党政办\n第二行 <b>x</b>"
HOSTILE_TITLE = "标题|含竖线\n# 换行 `code`"


# ── the database ─────────────────────────────────────────────────────────


class Clock:
    """A day set by the test; each reading a second later (as a real clock moves), so records
    made one after another have ids in that order (ids begin with the time, core/ids.py)."""

    def __init__(self) -> None:
        self.day = date(2026, 9, 1)
        self.ticks = 0

    def __call__(self) -> datetime:
        self.ticks += 1
        return datetime.combine(self.day, time(9, 30)) + timedelta(seconds=self.ticks)

    def at(self, text: str) -> None:
        self.day = date.fromisoformat(text)


def inspection(store, day: str, state: str = "completed") -> str:
    iid = store.add_inspection(day=day, kind="routine", inspectors=["张伟"], template="chongqing", template_version="2026.1").id
    if state != "draft":
        store.update_inspection(iid, state=state)
    return iid


def finding(store, title: str, theme: str, unit: str, deadline: str, iid: str | None = None, **more) -> str:
    fields = {"title": title, "theme": theme, "severity": "medium", "unit": unit, "measure": "按要求整改",
              "basis": [], "basis_text": "", "inspection": iid, **more}
    return add_finding(store, fields, deadline=deadline, by="张伟").id


@pytest.fixture(scope="module")
def sdb(tmp_path_factory) -> Path:
    """Three villages; histories as described in each comment. Today is 2026-11-21."""
    path = tmp_path_factory.mktemp("supervise") / "db"
    clock = Clock()
    db = Database.open(path, clock=clock, random_bytes=ids.seeded(1))
    a = db.add_village("石堰村", "金鸡镇", county="綦江区")
    b = db.add_village("龙溪村", "金鸡镇", county="綦江区")
    c = db.add_village("新华社区", "龙溪街道", kind="community", county="綦江区")
    sa, sb, sc = db.store(a.id), db.store(b.id), db.store(c.id)

    clock.at("2026-09-01")
    i1 = inspection(sa, "2026-09-01")
    sa.save_answer(i1, "signboards.02", value="count", found=5, allowed=2)  # 3 boards too many
    sa.save_answer(i1, "signboards.04", value="count", found=3, allowed=1)  # 2 rules too many
    sa.save_answer(i1, "ledgers.02", value="count", found=4, allowed=4)  # none
    sa.save_answer(i1, "apps.02", value="count", found=9, allowed=1)  # another theme: not counted
    for kind, item, violation in [("signboard", "signboards.01", True), ("signboard", "signboards.01", False),
                                  ("ledger", "ledgers.01", True), ("task", "tasks.01", True), ("task", "tasks.01", True),
                                  ("service", "services.01", False), ("certificate", "certificates.01", True)]:
        add_observation(sa, i1, {"item": item, "kind": kind, "what": f"{kind} 记录", "violation": violation})
    f1 = finding(sa, "悬挂无依据牌子", "signboards", "镇综治办", "2026-10-01", i1, basis=["cq2019.negative.02"],
                 basis_text="渝北区案例：核减牌子", description="办公楼外悬挂 3 块无依据牌子")
    f2 = finding(sa, "台账重复", "ledgers", "区民政局", "2026-10-10", i1)
    f3 = finding(sa, "负面清单事项交村办理", "tasks", "区城市管理局", "2026-10-20", i1)
    f4 = finding(sa, HOSTILE_TITLE, "certificates", HOSTILE_UNIT, "2026-11-11", i1, measure="a | b\nc")
    assert all(map(ids.is_id, (f1, f2, f3, f4))) and len({ids.short(f) for f in (f1, f2, f3, f4)}) == 4

    clock.at("2026-09-02")
    record(sa, f1, "assign", by="李秀英", unit="镇综治办", person="王强")
    record(sa, f2, "assign", by="李秀英", unit="区民政局")
    record(sa, f3, "assign", by="李秀英", unit="区城市管理局", person="赵磊")
    record(sa, f4, "assign", by="李秀英", unit=HOSTILE_UNIT, person="a|b")
    clock.at("2026-09-20")
    record(sa, f1, "extend", by="陈静", deadline="2026-10-15", note="需协调区民政局|延期半月")
    clock.at("2026-10-01")
    inspection(sa, "2026-10-01", state="draft")  # a draft: its counts never count
    sa.save_answer(sa.inspections()[-1].id, "signboards.02", value="count", found=10, allowed=0)
    ib = inspection(sb, "2026-10-01")
    g1 = finding(sb, "重复采集数据", "apps", "镇综治办", "2026-10-31", ib)
    record(sb, g1, "assign", by="李秀英", unit="镇综治办")
    clock.at("2026-10-05")
    record(sa, f2, "report", by="区民政局", note="已合并台账", evidence=["合并.jpg"])
    clock.at("2026-10-08")
    record(sa, f2, "verify", by="李秀英", verifier="陈静")
    clock.at("2026-10-09")
    record(sa, f2, "close", by="陈静")
    clock.at("2026-10-10")
    record(sa, f1, "progress", by="王强", note="已摘除两块")
    clock.at("2026-10-20")
    record(sa, f1, "escalate", by="陈静", level="reminder", note="请按期整改")
    clock.at("2026-11-01")
    ic = inspection(sc, "2026-11-01")
    h1 = finding(sc, "迎检次数超标", "evaluations", "区民政局", "2026-11-10", ic)
    clock.at("2026-11-05")
    record(sa, f1, "escalate", by="陈静", level="summons", note="约谈镇综治办负责人")
    clock.at("2026-11-10")
    i3 = inspection(sa, "2026-11-10")
    sa.save_answer(i3, "signboards.02", value="count", found=3, allowed=2)  # one more board
    record(sa, f3, "report", by="区城市管理局", note="已收回")
    clock.at("2026-11-12")
    record(sa, f3, "verify", by="陈静")
    clock.at("2026-11-15")
    record(sa, f3, "close", by="陈静")  # closed after AS_OF: open on that date
    assert ids.is_id(h1) and ids.is_id(g1)
    db.close()
    return path


TITLES = {"f1": "悬挂无依据牌子", "f2": "台账重复", "f3": "负面清单事项交村办理", "f4": HOSTILE_TITLE,
          "g1": "重复采集数据", "h1": "迎检次数超标"}


@pytest.fixture(scope="module")
def sid(sdb) -> dict[str, str]:
    """The fixture's ids, read from its database: v1..v3 the villages, i1 石堰村's first inspection,
    f1..f4 石堰村's findings, g1 龙溪村's, h1 新华社区's (by title)."""
    with Database.open(sdb, clock=lambda: datetime(2026, 11, 21, 9), read_only=True) as db:
        villages = {v.name: v.id for v in db.villages()}
        out = {"v1": villages["石堰村"], "v2": villages["龙溪村"], "v3": villages["新华社区"]}
        findings = [f for vid in out.values() for f in db.store(vid).findings()]
        out |= {key: next(f.id for f in findings if f.title == title) for key, title in TITLES.items()}
        out["i1"] = min(db.store(out["v1"]).inspections(), key=lambda i: (i.date, i.id)).id
    return out


def S(record_id: str) -> str:
    """What a person sees of an id."""
    return ids.short(record_id)


# ── running the verbs (the parsers as cli.py wires them) ───────────────────


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="inspector")
    verbs = p.add_subparsers(dest="verb")

    def verb(sub, name: str, help_key: str) -> argparse.ArgumentParser:
        q = sub.add_parser(name, help=t(help_key))
        q.add_argument("--lang", default=argparse.SUPPRESS)
        return q

    report = verbs.add_parser("report")
    rsub = report.add_subparsers(dest="action", required=True)
    supervise.add_parsers(verbs, rsub, verb)
    return p


def run(db_path: Path, *argv: str, today: date = TODAY) -> int:
    args = parser().parse_args(list(argv))
    args.db, args.today, args.catalog = db_path, today, None
    args.lang = getattr(args, "lang", "zh")
    i18n.set_language(args.lang)  # as cli.main does (the `chinese` fixture sets it back)
    return supervise.run(args, open_db)


def out_json(capsys, db_path: Path, *argv: str):
    assert run(db_path, *argv) == 0
    return json.loads(capsys.readouterr().out)




def assert_sound_markdown(text: str) -> None:
    tokens = MD.parse(text)
    assert tables(text), "no table"
    for table in tables(text):
        assert len({n for _, n in table}) == 1  # every row as wide as the header
    assert sum(1 for tok in tokens if tok.type == "heading_open" and tok.tag == "h1") == 1
    assert not [tok for tok in tokens if tok.type in ("html_block", "code_block", "fence", "hr")]
    inline = [c for tok in tokens if tok.type == "inline" for c in (tok.children or [])]
    assert not [c for c in inline if c.type in ("html_inline", "code_inline", "link_open", "image", "em_open")]


def cells(text: str, first: str) -> list[str]:
    """The cells of the Markdown table row whose first cell is ``first``."""
    for line in text.splitlines():
        parts = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if line.startswith("| ") and parts and parts[0] == first:
            return parts
    raise AssertionError(f"no row {first!r}")


# ── overdue ──────────────────────────────────────────────────────────────


def test_overdue_json_today(sdb, sid, capsys):
    rows = out_json(capsys, sdb, "overdue", "--format", "json")
    assert [(r["id"], r["days"], r["unit"]) for r in rows] == [
        (sid["f1"], 37, "镇综治办"),  # extended to 10-15
        (sid["g1"], 21, "镇综治办"),
        (sid["h1"], 11, "区民政局"),
        (sid["f4"], 10, HOSTILE_UNIT),
    ]
    first = rows[0]
    assert list(first) == list(supervise.JSON_COLUMNS)
    # JSON keeps whole ids (what a program passes back) and the short form people see as "number".
    assert first == {
        "id": sid["f1"], "number": S(sid["f1"]), "village_id": sid["v1"], "village": "石堰村", "township": "金鸡镇", "title": "悬挂无依据牌子",
        "theme": "signboards", "severity": "medium", "unit": "镇综治办", "deadline": "2026-10-15", "state": "rectifying",
        "escalation": 2, "days": 37, "original_deadline": "2026-10-01", "extensions": 1, "bucket": "overdue",
        "escalation_level": "summons",
    }


def test_overdue_as_of_is_computed_from_history(sdb, sid, capsys):
    rows = {r["id"]: r for r in out_json(capsys, sdb, "overdue", "--format", "json", "--as-of", AS_OF.isoformat())}
    # F3 was closed on 11-15: open and 12 days overdue on 11-01; F4 and the 11-01 finding not yet due.
    assert sorted(rows) == sorted([sid["f1"], sid["f3"], sid["g1"]])
    f1, f3 = rows[sid["f1"]], rows[sid["f3"]]
    assert (f1["deadline"], f1["original_deadline"], f1["extensions"], f1["days"]) == ("2026-10-15", "2026-10-01", 1, 17)
    assert (f1["escalation"], f1["escalation_level"], f1["state"]) == (1, "reminder", "rectifying")  # summons came on 11-05
    assert (f3["state"], f3["days"], f3["unit"], f3["escalation_level"]) == ("assigned", 12, "区城市管理局", None)
    assert rows[sid["g1"]]["days"] == 1
    # Before anything was found, nothing is overdue.
    assert out_json(capsys, sdb, "overdue", "--format", "json", "--as-of", "2026-08-01") == []


def test_overdue_filters(sdb, sid, capsys):
    found = lambda *argv: [r["id"] for r in out_json(capsys, sdb, "overdue", "--format", "json", *argv)]  # noqa: E731
    assert found("--township", "金鸡镇") == [sid["f1"], sid["g1"], sid["f4"]]
    assert found("--village", "石堰村") == [sid["f1"], sid["f4"]]
    # A village by its id: the short form people see, its end in lower case, or the whole id.
    assert found("--village", S(sid["v3"])) == [sid["h1"]]
    assert found("--village", S(sid["v3"])[-5:].lower()) == [sid["h1"]]
    assert found("--village", sid["v2"]) == [sid["g1"]]
    assert found("--unit", "综治") == [sid["f1"], sid["g1"]]
    assert found("--township", "金鸡镇", "--as-of", "2026-11-01", "--unit", "城市管理") == [sid["f3"]]
    assert found("--township", "龙溪街道", "--as-of", "2026-11-01") == []


def _csv_header(lang: str = "zh") -> list[str]:
    return [t(f"csv.col.{c}", lang=lang) for c in supervise.CSV_COLUMNS]


def test_overdue_csv_has_bom_and_the_json_columns_labelled(sdb, sid, capsysbinary):
    # Corrected per issue 8: a Chinese user gets Chinese headers and value labels (not
    # `reminder`, `rectifying`); the machine form with codes is --format json.
    assert run(sdb, "overdue", "--format", "csv", "--as-of", AS_OF.isoformat()) == 0
    data = capsysbinary.readouterr().out
    assert data.startswith(b"\xef\xbb\xbf")
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    header = next(reader)
    assert header == _csv_header() and header[0] == "问题编号"
    rows = [dict(zip(supervise.CSV_COLUMNS, r)) for r in reader]
    # A spreadsheet is read by people: ids in their short form, as the tables show them.
    assert [(r["id"], r["village_id"], r["days"], r["deadline"], r["original_deadline"], r["escalation_level"], r["bucket"])
            for r in rows] == [
        (S(sid["f1"]), S(sid["v1"]), "17", "2026-10-15", "2026-10-01", "催办", "已逾期"),
        (S(sid["f3"]), S(sid["v1"]), "12", "2026-10-20", "2026-10-20", "", "已逾期"),
        (S(sid["g1"]), S(sid["v2"]), "1", "2026-10-31", "2026-10-31", "", "已逾期"),
    ]
    assert {r["state"] for r in rows} <= {labels.state(s) for s in ("found", "assigned", "rectifying", "reported", "verified")}
    assert not re.search(r"[a-z]{3,}", "".join(r["state"] + r["severity"] + r["theme"] for r in rows))
    # User text with separators and line breaks survives the round trip.
    assert run(sdb, "overdue", "--format", "csv", "--village", S(sid["v1"])) == 0
    reader = csv.reader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig")))
    next(reader)
    rows = [dict(zip(supervise.CSV_COLUMNS, r)) for r in reader]
    assert [(r["title"], r["unit"]) for r in rows if r["id"] == S(sid["f4"])] == [(HOSTILE_TITLE, HOSTILE_UNIT)]


def test_overdue_csv_in_english(sdb, capsysbinary):
    assert run(sdb, "overdue", "--lang", "en", "--format", "csv", "--as-of", AS_OF.isoformat()) == 0
    reader = csv.reader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig")))
    assert next(reader) == _csv_header("en")
    assert [r[-1] for r in reader][0] == "reminder"


def test_overdue_csv_with_no_rows_is_the_header(sdb, capsysbinary):
    assert run(sdb, "overdue", "--format", "csv", "--as-of", "2026-08-01") == 0
    assert capsysbinary.readouterr().out == ("\ufeff" + ",".join(_csv_header()) + "\r\n").encode("utf-8")


def test_overdue_markdown_groups_by_unit(sdb, sid, capsys):
    assert run(sdb, "overdue", "--format", "md") == 0
    text = capsys.readouterr().out
    assert_sound_markdown(text)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[1:] == ["## 镇综治办（2 个）", "## 区民政局（1 个）", "## 镇\\|党政办 第二行 \\<b\\>x\\</b\\>（1 个）"]
    assert "截至 2026-11-21，共有逾期问题 4 个，涉及 3 个责任单位；其中已催办 0 个，已约谈 1 个，已通报 0 个。" in text
    # The index keeps the original deadline, so today's list shows the extension too.
    assert cells(text, "石堰村（金鸡镇）") == ["石堰村（金鸡镇）", f"悬挂无依据牌子（{S(sid['f1'])}）", "2026-10-01，延期至 2026-10-15", "37", "约谈", "整改中"]
    assert [len(tab) for tab in tables(text)] == [3, 2, 2]  # header + rows
    html = MD.render(text)
    assert "<b>" not in html and f"标题|含竖线 # 换行 `code`（{S(sid['f4'])}）" in html
    assert sid["f1"] not in text  # never the whole id in a report


def test_overdue_markdown_as_of_shows_the_extension(sdb, sid, capsys):
    assert run(sdb, "overdue", "--format", "md", "--township", "金鸡镇", "--as-of", AS_OF.isoformat()) == 0
    text = capsys.readouterr().out
    assert_sound_markdown(text)
    assert "- **筛选条件**：乡镇（街道）：金鸡镇" in text
    assert cells(text, "石堰村") == ["石堰村", f"悬挂无依据牌子（{S(sid['f1'])}）", "2026-10-01，延期至 2026-10-15", "17", "催办", "整改中"]
    assert [line for line in text.splitlines() if line.startswith("## ")][1:] == [
        "## 镇综治办（2 个）", "## 区城市管理局（1 个）"]


def test_overdue_table_lines_up_and_keeps_one_line_per_row(sdb, sid, capsys):
    assert run(sdb, "overdue") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 + 4  # header, rule, four rows: no line break leaked from user text
    assert lines[0].split() == ["问题编号", "乡镇（街道）", "村（社区）", "问题", "责任单位", "整改时限", "逾期天数", "催办等级", "状态"]
    assert lines[2].split() == [S(sid["f1"]), "金鸡镇", "石堰村", "悬挂无依据牌子", "镇综治办", "2026-10-01，延期至", "2026-10-15", "37", "约谈", "整改中"]
    assert "镇|党政办 第二行 <b>x</b>" in lines[5]


def test_overdue_with_no_results_exits_0(sdb, capsys):
    assert run(sdb, "overdue", "--as-of", "2026-08-01") == 0
    assert capsys.readouterr().out == "截至 2026-08-01 没有逾期问题。\n"
    assert run(sdb, "overdue", "--format", "json", "--unit", "没有这个单位") == 0
    assert json.loads(capsys.readouterr().out) == []
    assert run(sdb, "overdue", "--format", "md", "--as-of", "2026-08-01") == 0
    assert "截至 2026-08-01 没有逾期问题。" in capsys.readouterr().out


def test_unknown_township_or_village_is_an_error(sdb, capsys):
    assert run(sdb, "overdue", "--township", "不存在镇") == 1
    assert capsys.readouterr().err == "找不到乡镇（街道）：不存在镇。\n"
    assert run(sdb, "overdue", "--village", "不存在村") == 1
    assert "找不到村（社区）：不存在村。" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["overdue", "--as-of", "2026-1-01"],  # (2026-13-01 has the right format: "no such day", see below)
    ["overdue", "--as-of", "yesterday"],
    ["finding", "show", "{f1}", "--as-of", "2026/11/01"],
    ["report", "township", "金鸡镇", "--as-of", "11-01"],
])
def test_bad_date_exits_2_with_a_clear_message(sdb, sid, capsys, argv):
    with pytest.raises(SystemExit) as exc:
        run(sdb, *[a.format(f1=S(sid["f1"])) for a in argv])
    assert exc.value.code == 2
    assert "日期格式不对" in capsys.readouterr().err and "YYYY-MM-DD" in t("supervise.bad_date", value="x")


def test_bad_date_through_the_command_line(sdb, sid, capsys):
    try:
        cli.build_parser().parse_args(["overdue"])
    except cli.UsageError:
        pytest.skip("the supervise verbs are not wired into cli.py yet")
    assert cli.main(["overdue", "--db", str(sdb), "--as-of", "2026-02-30"]) == 2
    assert "没有这一天：2026-02-30" in capsys.readouterr().err  # the format is right: the day does not exist
    assert cli.main(["overdue", "--db", str(sdb), "--today", TODAY.isoformat(), "--format", "json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)][0] == sid["f1"]


def test_english_overdue(sdb, sid, capsys):
    assert run(sdb, "overdue", "--lang", "en", "--format", "md", "--as-of", AS_OF.isoformat()) == 0
    text = capsys.readouterr().out
    assert text.startswith("# Overdue findings\n")
    assert f"| 石堰村 | 悬挂无依据牌子 ({S(sid['f1'])}) | 2026-10-01, extended to 2026-10-15 | 17 | reminder | being rectified |" in text


# ── finding show ─────────────────────────────────────────────────────────


def test_finding_show_text(sdb, sid, capsys):
    assert run(sdb, "finding", "show", S(sid["f1"])) == 0
    out = capsys.readouterr().out
    assert f"问题编号：    {S(sid['f1'])}\n" in out and f"检查：        {S(sid['i1'])}\n" in out
    assert sid["f1"] not in out and sid["i1"] not in out  # the short form only
    # The whole id, or an end of the short form (lower case, I and L typed for 1, O for 0), name the same finding.
    for typed in (sid["f1"], S(sid["f1"])[-4:].lower(), sid["f1"][-6:].replace("1", "l").replace("0", "o")):
        assert run(sdb, "finding", "show", typed) == 0
        assert capsys.readouterr().out == out
    assert "状态：        整改中，逾期 37 天（已约谈）" in out
    assert "整改时限：    2026-10-15" in out and "原定整改时限：2026-10-01" in out
    assert "延期：        2026-10-01 → 2026-10-15（2026-09-20 延期，理由：需协调区民政局|延期半月）" in out
    assert "责任人：      王强" in out and "催办等级：    约谈" in out
    history = out.split("整改过程\n", 1)[1].splitlines()
    assert [line.split()[:3] for line in history[2:]] == [
        ["2026-09-01", "张伟", "发现"], ["2026-09-02", "李秀英", "交办"], ["2026-09-20", "陈静", "延期"],
        ["2026-10-10", "王强", "整改进展"], ["2026-10-20", "陈静", "催办升级"], ["2026-11-05", "陈静", "催办升级"]]
    assert "整改时限由 2026-10-01 延至 2026-10-15；理由：需协调区民政局|延期半月" in history[4]
    assert history[7].endswith("升级为约谈；约谈镇综治办负责人")


def test_finding_show_json_as_of(sdb, sid, capsys):
    d = out_json(capsys, sdb, "finding", "show", S(sid["f1"]), "--json", "--as-of", AS_OF.isoformat())
    assert (d["id"], d["number"]) == (sid["f1"], S(sid["f1"]))
    assert (d["state"], d["deadline"], d["original_deadline"], d["escalation"], d["escalation_level"]) == (
        "rectifying", "2026-10-15", "2026-10-01", 1, "reminder")
    assert d["extensions"] == [{"from": "2026-10-01", "to": "2026-10-15", "on": "2026-09-20", "reason": "需协调区民政局|延期半月"}]
    assert (d["overdue"], d["days"], d["unit"], d["person"]) == (True, 17, "镇综治办", "王强")
    assert [e["type"] for e in d["events"]] == ["found", "assign", "extend", "progress", "escalate"]
    assert [e["on"] for e in d["events"]] == ["2026-09-01", "2026-09-02", "2026-09-20", "2026-10-10", "2026-10-20"]
    assert d["events"][2]["deadline"] == "2026-10-15" and all(ids.short(e["id"]) == e["number"] for e in d["events"])
    assert d["later_events"] == 1  # the summons of 11-05
    assert (d["village_id"], d["village"], d["township"], d["basis"], d["inspection"]) == (
        sid["v1"], "石堰村", "金鸡镇", ["cq2019.negative.02"], sid["i1"])


def test_finding_closed_after_the_date_is_open_on_it(sdb, sid, capsys):
    then = out_json(capsys, sdb, "finding", "show", S(sid["f3"]), "--json", "--as-of", AS_OF.isoformat())
    now = out_json(capsys, sdb, "finding", "show", S(sid["f3"]), "--json")
    assert (then["state"], then["closed_on"], then["overdue"], then["days"]) == ("assigned", None, True, 12)
    assert (now["state"], now["closed_on"], now["overdue"], now["days"]) == ("closed", "2026-11-15", False, None)
    assert run(sdb, "finding", "show", S(sid["f3"]), "--as-of", AS_OF.isoformat()) == 0
    out = capsys.readouterr().out
    assert "状态：        已交办，逾期 12 天" in out and "另有 3 条记录晚于 2026-11-01，未列出。" in out


@pytest.mark.parametrize("typed", [
    "ZZZZZZZZ",  # an id form no finding has
    "nonsense",
    "{v1}",  # a village's id, not a finding's
    "{i1}",  # an inspection's
    "{f1_3}",  # three characters: too few, even though the finding's id ends with them
    "____", "%",  # what a database query would read as wildcards
])
def test_finding_show_unknown_id(sdb, sid, capsys, typed):
    fid = typed.format(v1=S(sid["v1"]), i1=S(sid["i1"]), f1_3=S(sid["f1"])[-3:])
    assert run(sdb, "finding", "show", fid) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == f"找不到问题：{fid}。问题编号见逾期清单或问题详情，可输入完整编号或末尾至少 4 位。\n"


def test_finding_show_before_it_was_found(sdb, sid, capsys):
    assert run(sdb, "finding", "show", S(sid["h1"]), "--as-of", "2026-10-01") == 1
    assert f"问题 {S(sid['h1'])} 到 2026-10-01 还没有发现记录（发现于 2026-11-01）。" in capsys.readouterr().err


# ── the village ledger ───────────────────────────────────────────────────


def test_ledger_as_of(sdb, sid):
    with Database.open(sdb, clock=lambda: datetime(2026, 11, 21, 9), read_only=True) as db:
        text = render_village_ledger(db, sid["v1"], AS_OF, "zh")
    assert_sound_markdown(text)
    assert text.startswith("# 石堰村 整改台账\n")
    assert "- **乡镇（街道）**：金鸡镇" in text and "- **区县**：綦江区" in text and "- **统计截止日期**：2026-11-01" in text
    assert "截至 2026-11-01，共发现问题 4 个：已销号 1 个，未销号 3 个，其中逾期 2 个。" in text
    assert cells(text, "1") == ["1", "悬挂无依据牌子（一般）：办公楼外悬挂 3 块无依据牌子", "cq2019.negative.02；渝北区案例：核减牌子",
                                "镇综治办（责任人：王强）", "按要求整改", "2026-10-01，延期至 2026-10-15", "整改中，逾期 17 天（已催办）", "—"]
    assert cells(text, "2")[6:] == ["已销号", "2026-10-09"]
    assert cells(text, "3")[5:] == ["2026-10-20", "已交办，逾期 12 天", "—"]  # closed on 11-15, after the date
    # The history stops at the date: no summons, no closure of F3.
    assert "升级为约谈" not in text and "已收回" not in text
    assert "| 2026-09-20 | 陈静 | 延期 | 整改时限由 2026-10-01 延至 2026-10-15；理由：需协调区民政局\\|延期半月 |" in text
    assert "| 2026-10-05 | 区民政局 | 申请销号 | 已合并台账；附件：合并.jpg |" in text
    assert "| 2026-10-08 | 李秀英 | 复核通过 | 复核人：陈静 |" in text
    assert [line for line in text.splitlines() if line.startswith("### ")][:2] == [
        f"### 1. 悬挂无依据牌子（{S(sid['f1'])}）", f"### 2. 台账重复（{S(sid['f2'])}）"]


def test_ledger_today_with_catalog_names_the_basis(sdb, sid, catalog):
    with Database.open(sdb, clock=lambda: datetime(2026, 11, 21, 9), read_only=True) as db:
        text = render_village_ledger(db, sid["v1"], TODAY, "zh", catalog)
    assert "截至 2026-11-21，共发现问题 4 个：已销号 2 个，未销号 2 个，其中逾期 2 个。" in text
    assert cells(text, "1")[2] == "负面清单第 2 项 拆迁拆违类；渝北区案例：核减牌子"
    assert cells(text, "1")[6] == "整改中，逾期 37 天（已约谈）"
    assert cells(text, "3")[6:] == ["已销号", "2026-11-15"]
    assert "| 2026-11-05 | 陈静 | 催办升级 | 升级为约谈；约谈镇综治办负责人 |" in text


def test_ledger_user_text_does_not_break_tables(sdb, sid):
    with Database.open(sdb, clock=lambda: datetime(2026, 11, 21, 9), read_only=True) as db:
        text = render_village_ledger(db, sid["v1"], TODAY, "zh")
    assert_sound_markdown(text)
    row = cells(text, "4")
    assert row[1] == "标题\\|含竖线 \\# 换行 \\`code\\`（一般）"
    assert row[3] == "镇\\|党政办 第二行 \\<b\\>x\\</b\\>（责任人：a\\|b）"
    assert row[4] == "a \\| b c"
    assert f"### 4. 标题\\|含竖线 \\# 换行 \\`code\\`（{S(sid['f4'])}）" in text


def test_ledger_before_anything_was_found(sdb, sid):
    with Database.open(sdb, clock=lambda: datetime(2026, 11, 21, 9), read_only=True) as db:
        text = render_village_ledger(db, sid["v1"], date(2026, 8, 1), "en")
    assert text.startswith("# 石堰村: rectification ledger\n") and "No findings as of 2026-08-01." in text
    assert "|" not in text


def test_report_village_writes_the_file(sdb, sid, tmp_path, capsys):
    assert run(sdb, "report", "village", "石堰村", "--as-of", AS_OF.isoformat(), "--out", str(tmp_path)) == 0
    path = tmp_path / "2026-11-01_金鸡镇_石堰村_整改台账.md"
    assert capsys.readouterr().out == f"报告已写入 {path}\n"
    assert "已交办，逾期 12 天" in path.read_text(encoding="utf-8")
    assert run(sdb, "report", "village", S(sid["v2"]), "--out", str(tmp_path), "--lang", "en") == 0
    assert (tmp_path / "2026-11-21_金鸡镇_龙溪村_rectification-ledger.md").exists()
    assert run(sdb, "report", "village", "没有的村", "--out", str(tmp_path)) == 1
    assert "找不到村（社区）：没有的村。" in capsys.readouterr().err


# ── the township summary ─────────────────────────────────────────────────


def test_township_summary_today(sdb):
    with Database.open(sdb, clock=lambda: datetime(2026, 11, 21, 9), read_only=True) as db:
        text = render_township_summary(db, "金鸡镇", TODAY, "zh")
    assert_sound_markdown(text)
    assert text.startswith("# 金鸡镇 基层减负督查汇总\n")
    assert "截至 2026-11-21，2 个村（社区）共接受检查 3 次，发现问题 5 个：已销号 2 个，未销号 3 个，其中逾期 3 个。" in text
    # One set of theme labels (issue 10): the township table names themes as the checklists and the review screen do.
    header = ("| 村（社区） | 检查次数 | 清理挂牌 | 台账报表 | 工作事项准入 | 购买服务与合同评价 | 证明事项 | 信息系统 | 检查评比 "
              "| 问题合计 | 未销号 | 其中逾期 | 已销号 |")
    assert header in text
    # Inspections: the draft does not count. Findings by theme, then total, open, overdue, closed.
    assert cells(text, "石堰村")[:13] == ["石堰村", "2", "1", "1", "1", "0", "1", "0", "0", "4", "2", "2", "2"]
    assert cells(text, "龙溪村")[:13] == ["龙溪村", "1", "0", "0", "0", "0", "0", "1", "0", "1", "1", "1", "0"]
    assert cells(text, "**合计**")[:13] == ["**合计**", "3", "1", "1", "1", "0", "1", "1", "0", "5", "3", "3", "2"]
    # Signboards: 3 + 2 over the allowed number, 1 violation recorded, then 1 more on 11-10; ledgers: 0 + 1;
    # tasks: two task violations (the service was fine); certificates: 1.
    assert "| 村（社区） | 清理牌子（块） | 精简台账报表（项） | 退回或拒绝的工作事项（项） | 停止出具的证明（项） |" in text
    rows = [line for line in text.split("## 减负成效", 1)[1].splitlines() if line.startswith("| ")]
    assert rows[1:] == ["| 石堰村 | 7 | 1 | 2 | 1 |", "| 龙溪村 | 0 | 0 | 0 | 0 |", "| **合计** | 7 | 1 | 2 | 1 |"]
    method = text.split("## 统计口径", 1)[1]
    assert method.count("\n- ") == 6 and "同一块牌子在两次检查中都发现会计两次" in method
    assert "草稿不计" in method


def test_township_summary_as_of(sdb):
    with Database.open(sdb, clock=lambda: datetime(2026, 11, 21, 9), read_only=True) as db:
        text = render_township_summary(db, "金鸡镇", AS_OF, "zh")
    # On 11-01: F3 still open and overdue, the 11-10 inspection not yet made.
    assert cells(text, "石堰村")[:13] == ["石堰村", "1", "1", "1", "1", "0", "1", "0", "0", "4", "3", "2", "1"]
    assert "| 石堰村 | 6 | 1 | 2 | 1 |" in text


def test_township_summary_english_and_unknown(sdb, tmp_path, capsys):
    assert run(sdb, "report", "township", "金鸡镇", "--lang", "en", "--out", str(tmp_path)) == 0
    path = tmp_path / "2026-11-21_金鸡镇_township-summary.md"
    assert capsys.readouterr().out == f"Report written to {path}\n"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 金鸡镇: burden-reduction supervision summary\n")
    assert "| **Total** | 7 | 1 | 2 | 1 |" in text and "## How the figures are counted" in text
    assert run(sdb, "report", "township", "不存在镇", "--out", str(tmp_path)) == 1
    assert "找不到乡镇（街道）：不存在镇。" in capsys.readouterr().err


# ── the overdue report ───────────────────────────────────────────────────


def test_report_overdue_writes_the_file(sdb, tmp_path, capsys):
    assert run(sdb, "report", "overdue", "--township", "金鸡镇", "--unit", "综治", "--as-of", AS_OF.isoformat(),
               "--out", str(tmp_path)) == 0
    path = tmp_path / "2026-11-01_金鸡镇_逾期问题清单_综治.md"
    assert capsys.readouterr().out == f"报告已写入 {path}\n"
    text = path.read_text(encoding="utf-8")
    assert_sound_markdown(text)
    assert "- **筛选条件**：乡镇（街道）：金鸡镇；责任单位含：综治" in text
    assert [line for line in text.splitlines() if line.startswith("## ")] == ["## 基本情况", "## 镇综治办（2 个）"]


def test_render_overdue_orders_units_by_most_overdue_and_skips_rows_not_due(sdb, sid):
    with Database.open(sdb, clock=lambda: datetime(2026, 11, 21, 9), read_only=True) as db:
        rows = rows_as_of(db, date(2026, 11, 11))
    assert [r.id for r in rows if r.days <= 0] == [sid["f4"]]  # due that very day: not overdue yet
    text = render_overdue(list(reversed(rows)), date(2026, 11, 11), "zh", {})
    assert_sound_markdown(text)
    units = [line for line in text.splitlines() if line.startswith("## ")][1:]
    assert units == ["## 镇综治办（2 个）", "## 区城市管理局（1 个）", "## 区民政局（1 个）"]
    assert cells(text, "石堰村（金鸡镇）")[3] == "27" and S(sid["f4"]) not in text and S(sid["f2"]) not in text


# ── the index and the history agree ──────────────────────────────────────


def test_rows_from_index_and_rows_as_of_agree_today(tmp_path):
    build_demo(tmp_path / "demo", villages=4, years=2, seed=3, today=TODAY)
    with Database.open(tmp_path / "demo", clock=lambda: datetime(2026, 11, 21, 9), read_only=True) as db:
        fast, exact = rows_from_index(db, TODAY), rows_as_of(db, TODAY)
    key = lambda r: (r.id, r.village_id, r.village, r.township, r.title, r.theme, r.severity, r.unit, r.deadline,  # noqa: E731
                     r.state, r.escalation, r.days, r.bucket)
    assert fast and [key(r) for r in fast] == [key(r) for r in exact]
    assert any(r.overdue for r in fast) and any(not r.overdue for r in fast)


@pytest.mark.parametrize("lang, item, basis", [
    ("zh", "检查项：      1.1 村（社区）办公场所内外悬挂的每一块牌子", "依据：        负面清单第 2 项 拆迁拆违类"),
    ("en", "Check item:             1.1 Does every board hung inside", "Basis:                  Negative list no. 2 拆迁拆违类"),
])
def test_finding_show_names_items_by_number_and_title_never_by_key(tmp_path, capsys, lang, item, basis):
    db = Database.open(tmp_path / "db", clock=lambda: datetime(2026, 11, 21, 9, 0))
    store = db.store(db.add_village("石堰村", "金鸡镇").id)
    iid = inspection(store, "2026-11-21")
    fid = finding(store, "悬挂无依据牌子", "signboards", "镇综治办", "2026-12-01", iid,
                  item="signboards.01", basis=["cq2019.negative.02"])
    db.close()
    assert cli.main(["--db", str(tmp_path / "db"), "--lang", lang, "--today", "2026-11-21", "finding", "show", fid]) == 0
    out = capsys.readouterr().out
    assert item in out and basis in out
    assert "signboards.01" not in out and "cq2019" not in out
