"""Every verb answers an unknown id, an ambiguous name, a bad argument and a broken
system with one line on stderr and an exit status, never a traceback (issue 8).

Most cases call ``cli.main`` in-process (one Python start is ~0.3 s); a few run the
real entry point in a subprocess to prove the same holds there.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from inspector import cli
from inspector.core import ids
from inspector.storage.database import Database

from .conftest import add_finding, fixed_clock

TODAY = "2026-11-21"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """User folders (data, logs, settings) under a temporary folder, never the real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("INSPECTOR_SETTINGS", str(home / "settings.json"))
    monkeypatch.delenv("INSPECTOR_DB", raising=False)
    monkeypatch.delenv("INSPECTOR_LANG", raising=False)
    monkeypatch.setenv("INSPECTOR_TODAY", TODAY)
    return home


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    """Two villages named 石堰村 (two townships), 新华村, one inspection."""
    path = tmp_path_factory.mktemp("cli-errors") / "db"
    db = Database.open(path, clock=fixed_clock, random_bytes=ids.seeded(2))
    v1 = db.add_village("石堰村", "金鸡镇")
    db.add_village("石堰村", "龙溪街道")
    db.add_village("新华村", "金鸡镇")
    db.store(v1.id).add_inspection(day=TODAY, kind="routine", inspectors=["王建国"], template="chongqing", template_version="")
    db.inspection_rows()  # the query index is current, as after any listing: a refusal then has nothing to bring up to date
    db.close()
    return path


@pytest.fixture(scope="module")
def base_ids(base_db: Path) -> dict[str, str]:
    """The short ids people see, read from the database: v1 石堰村 of 金鸡镇, v2 石堰村 of 龙溪街道, v3 新华村, i1 the inspection."""
    with Database.open(base_db, clock=fixed_clock, read_only=True) as db:
        by_place = {(v.name, v.township): v.id for v in db.villages()}
        v1 = by_place[("石堰村", "金鸡镇")]
        found = {"v1": v1, "v2": by_place[("石堰村", "龙溪街道")], "v3": by_place[("新华村", "金鸡镇")],
                 "i1": db.store(v1).inspections()[0].id}
    return {k: ids.short(v) for k, v in found.items()}


@pytest.fixture
def db_path(base_db: Path, tmp_path: Path) -> Path:
    """A fresh copy per test, so a failed refusal that wrote something is caught."""
    import shutil

    copy = tmp_path / "db"
    shutil.copytree(base_db, copy)
    return copy


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".lock")}


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def call(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


# (argv after --db, exit status, fragments the one line must hold)
REFUSALS = [
    (["village", "edit", "ZZZZZZZZ", "--name", "x"], 1, ["ZZZZZZZZ"]),  # an id form no village has
    (["village", "archive", "不存在"], 1, ["不存在"]),
    (["village", "archive", "不存在", "--undo"], 1, ["不存在"]),
    (["village", "edit", "石堰村", "--name", "x"], 1, ["{v1}", "金鸡镇", "{v2}", "龙溪街道"]),
    (["village", "archive", "石堰村"], 1, ["{v1}", "{v2}"]),
    (["village", "edit", "石堰村", "--in-township", "大湾镇", "--name", "x"], 1, ["大湾镇"]),
    (["village", "edit", "新化村", "--name", "x"], 1, ["新化村", "新华村"]),
    (["village", "edit", "{v3}"], 2, []),
    (["village", "edit", "{v3}", "--name", ""], 2, []),
    (["village", "edit", "{v3}", "--name", "新\n华村"], 2, []),
    (["village", "edit", "{v3}", "--township", "金溪镇"], 1, ["金溪镇", "金鸡镇", "--new-township"]),
    (["village", "edit", "{v3}", "--name", "石堰村"], 1, ["石堰村"]),
    (["village", "archive", "{i1}"], 1, ["{i1}"]),  # an inspection's id names no village
    (["village", "add", "测试村", "--township", "不存在镇"], 1, ["不存在镇", "--new-township"]),
    (["village", "add", "测试村", "--township", "金鸡"], 1, ["金鸡镇"]),
    (["village", "add", "石堰村", "--township", "金鸡镇"], 1, ["石堰村"]),
    (["village", "add", "石\u200b堰村", "--township", "金鸡镇"], 1, ["石堰村"]),  # a look-alike is a namesake
    (["village", "add", "", "--township", "金鸡镇"], 2, []),
    (["village", "add", "x" * 10_000, "--township", "金鸡镇"], 2, ["10000"]),
    (["village", "add", "a\rb", "--township", "金鸡镇"], 2, []),
    (["village", "import", "missing.csv"], 2, ["missing.csv"]),
    (["inspection", "list", "--village", "不存在"], 1, ["不存在"]),
    (["inspection", "list", "--village", "石堰村"], 1, ["{v1}", "{v2}"]),
    (["report", "inspection", "ZZZZZZZZ"], 1, ["ZZZZZZZZ"]),
    (["report", "inspection", "{v1}"], 1, ["{v1}"]),  # a village's id names no inspection
    (["report", "inspection", "XYZ"], 1, ["XYZ"]),
    (["report", "inspection", "____"], 1, ["____"]),
    (["report", "village", "不存在"], 1, ["不存在"]),
    (["report", "village", "石堰村"], 1, ["{v1}", "{v2}"]),
    (["report", "village", "石堰村", "--township", "大湾镇"], 1, ["大湾镇"]),
    (["report", "township", "不存在镇"], 1, ["不存在镇"]),
    (["report", "overdue", "--village", "不存在"], 1, ["不存在"]),
    (["overdue", "--township", "不存在镇"], 1, ["不存在镇"]),
    (["overdue", "--village", "不存在"], 1, ["不存在"]),
    (["overdue", "--village", "石堰村"], 1, ["{v1}", "{v2}"]),
    (["overdue", "--as-of", "0001-01-01"], 2, ["0001-01-01"]),
    (["overdue", "--as-of", "9999-12-31"], 2, ["9999-12-31"]),
    (["finding", "show", "{i1}"], 1, ["{i1}"]),  # an inspection's id names no finding
    (["finding", "show", "nonsense"], 1, ["nonsense"]),
    (["demo", "--years", "3"], 2, []),  # the database exists: demo never overwrites
    (["village", "frobnicate"], 2, ["frobnicate"]),
    (["village", "add"], 2, []),
    (["village", "list", "extra"], 2, ["extra"]),
    (["overdue", "--format", "xls"], 2, ["xls"]),
    (["village", "add", "x", "--township"], 2, ["--township"]),
    (["--today", "0001-01-01", "village", "list"], 2, ["0001-01-01"]),
    (["--today", "9999-12-31", "village", "list"], 2, ["9999-12-31"]),
    (["village", "list", "--demo"], 2, ["--demo"]),
]


@pytest.mark.parametrize("argv, status, fragments", REFUSALS, ids=[" ".join(a)[:60] for a, _, _ in REFUSALS])
def test_refusals_are_one_line_with_a_status_and_change_nothing(db_path, base_ids, capsys, argv, status, fragments):
    before = snapshot(db_path)
    got, _, err = call(capsys, "--db", str(db_path), *[a.format(**base_ids) for a in argv])
    line = one_line(err)
    assert got == status, err
    for fragment in fragments:
        assert fragment.format(**base_ids) in line
    assert snapshot(db_path) == before


def _same_tail(seed: int):
    """Random bytes whose last three are always the same: every id made with them (each in a
    millisecond of its own, see _ticking) ends in the same four characters (20 bits), while
    their short forms (the last eight) still differ."""
    take = ids.seeded(seed)
    return lambda n: take(n)[:-3] + b"\x5a\x3c\x01"


def _ticking():
    """A clock a second later at each reading: no two ids share a millisecond (ids.IdMaker would count up)."""
    ticks = iter(range(1, 10**6))
    return lambda: fixed_clock() + timedelta(seconds=next(ticks))


@pytest.fixture(scope="module")
def twins_db(tmp_path_factory) -> tuple[Path, dict[str, list[str]]]:
    """Two villages, each with an inspection and a finding, all of whose ids end alike."""
    path = tmp_path_factory.mktemp("cli-twins") / "db"
    made: dict[str, list[str]] = {"village": [], "inspection": [], "finding": []}
    with Database.open(path, clock=_ticking(), random_bytes=_same_tail(5)) as db:
        for name in ("甲村", "乙村"):
            store = db.store(db.add_village(name, "金鸡镇").id)
            iid = store.add_inspection(day=TODAY, kind="routine", inspectors=["王建国"], template="chongqing",
                                       template_version="").id
            fid = add_finding(store, {"title": "悬挂无依据牌子", "theme": "signboards", "severity": "medium",
                                      "unit": "镇综治办", "inspection": iid}, deadline="2026-10-01", by="王建国").id
            made["village"].append(store.vid)
            made["inspection"].append(iid)
            made["finding"].append(fid)
        db.inspection_rows()  # the query index is current (see base_db)
    return path, made


@pytest.mark.parametrize("kind, argv", [
    ("village", ["village", "edit", "{tail}", "--name", "x"]),
    ("village", ["village", "archive", "{tail}"]),
    ("village", ["overdue", "--village", "{tail}"]),
    ("village", ["report", "village", "{tail}"]),
    ("inspection", ["report", "inspection", "{tail}"]),
    ("finding", ["finding", "show", "{tail}"]),
])
def test_an_id_end_shared_by_several_records_is_refused_listing_each(twins_db, tmp_path, capsys, kind, argv):
    import shutil

    base, made = twins_db
    db_path = tmp_path / "db"
    shutil.copytree(base, db_path)
    tail = made[kind][0][-4:]
    assert {m[-4:] for m in made[kind]} == {tail} and len({ids.short(m) for m in made[kind]}) == 2
    before = snapshot(db_path)
    status, out, err = call(capsys, "--db", str(db_path), *[a.format(tail=tail.lower()) for a in argv])
    line = one_line(err)
    assert status == 1 and out == ""
    # Each candidate by its short id and its village, never the whole id.
    assert all(ids.short(m) in line for m in made[kind]) and "甲村" in line and "乙村" in line
    assert not any(m in line for m in made[kind])
    assert snapshot(db_path) == before
    # Typing the short form picks one.
    one = [a.format(tail=ids.short(made[kind][1])) for a in argv]
    if argv[0] in ("finding", "overdue"):
        assert call(capsys, "--db", str(db_path), *one)[0] == 0


@pytest.mark.parametrize("argv", [r[0] for r in REFUSALS if r[1] == 2 and r[0][0] != "demo"][-8:])
def test_argparse_messages_are_chinese_in_the_chinese_interface(db_path, base_ids, capsys, argv):
    _, _, err = call(capsys, "--db", str(db_path), *[a.format(**base_ids) for a in argv])
    for english in ("usage", "invalid choice", "the following arguments", "unrecognized arguments",
                    "expected one argument", "error:", "argument "):
        assert english not in err


def test_help_in_chinese_shows_no_english_words(capsys):
    for argv in (["--help"], ["village", "add", "--help"], ["overdue", "--help"], ["demo", "--help"]):
        with pytest.raises(SystemExit) as exit_:
            cli.main(argv)
        assert exit_.value.code == 0
        text = capsys.readouterr().out
        assert text.startswith("用法：")
        # Option names, commands and typed values are what the user types; everything else is Chinese.
        rest = re.sub(r"--?[a-z][a-z-]*|\{[a-z,]+\}|INSPECTOR_[A-Z]+|YYYY-MM-DD|JSON|CSV|Markdown|inspector", "", text)
        rest = re.sub(r"^ {4}[a-z]+ ", "", rest, flags=re.M)  # the command list: "    demo   写一个演示数据库"
        verbs = "demo|village|inspection|report|overdue|finding|catalog|classify|add|list|import|edit|archive|check|show|township"
        rest = re.sub(rf"（[^）]*）|\b(zh|en|table|md|json|csv|community|exports|{verbs})\b", "", rest)
        assert not re.findall(r"[A-Za-z]{2,}", rest), rest


def test_english_help_and_errors_stay_english(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--lang", "en", "village", "add", "--help"])
    text = capsys.readouterr().out
    assert text.startswith("usage: ") and "--township TOWNSHIP" in text
    assert cli.main(["--lang", "en", "village", "frobnicate"]) == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


@pytest.mark.parametrize("argv, fragment", [
    (["--years", "100000"], "100000"),
    (["--years", "0"], "0"),
    (["--villages", "99999999999999999999"], "99999999999999999999"),
    (["--villages", "1" * 5000], "111"),
    (["--villages", "abc"], "abc"),
    (["--seed", "-1"], "-1"),
    (["--today", "0001-01-01"], "0001-01-01"),
    (["--today", "9999-12-31"], "9999-12-31"),
])
def test_demo_bounds_are_refused_before_anything_is_made(tmp_path, capsys, argv, fragment):
    target = tmp_path / "demo"
    status, _, err = call(capsys, "demo", "--db", str(target), *argv)
    assert status == 2 and fragment in one_line(err)
    assert not target.exists()


def test_a_failed_demo_removes_what_it_made(tmp_path, capsys, monkeypatch):
    from inspector.storage import bulk

    def half_then_fail(root, *args, **kwargs):
        (Path(root) / "villages").mkdir(parents=True)
        (Path(root) / "villages" / "first.json").write_text("{}")
        raise OSError(errno.ENOSPC, "No space left on device", str(Path(root) / "villages" / "second.json"))

    monkeypatch.setattr(bulk, "write_database", half_then_fail)
    empty = tmp_path / "empty"
    empty.mkdir()
    for target in (tmp_path / "new", empty):
        status, _, err = call(capsys, "demo", "--db", str(target), "--villages", "2", "--years", "1")
        assert status == 1 and "磁盘已满" in one_line(err) and "second.json" in err
        assert not target.exists() or list(target.iterdir()) == []
    monkeypatch.undo()
    status, out, err = call(capsys, "demo", "--db", str(tmp_path / "new"), "--villages", "2", "--years", "1")
    assert status == 0, err  # the next run is not refused by a half-made folder


def test_db_on_a_symlink_loop_or_dangling_link(tmp_path, capsys):
    loop, dangling = tmp_path / "loop", tmp_path / "dangling"
    loop.symlink_to(loop)
    dangling.symlink_to(tmp_path / "nowhere")
    for link in (loop, dangling):
        for argv in (["village", "add", "a", "--township", "b"], ["village", "list"], ["demo"]):
            status, _, err = call(capsys, "--db", str(link), *argv)
            assert status == 2 and str(link) in one_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling", "loop"]


@pytest.mark.parametrize("code, words", [
    (errno.ENOSPC, "磁盘已满"), (errno.EACCES, "权限"), (errno.EISDIR, "文件夹"), (errno.EROFS, "只能读"),
])
def test_os_errors_while_writing_name_the_file(db_path, capsys, monkeypatch, code, words):
    before = snapshot(db_path)
    real_replace = os.replace

    def failing(src, dst, *a, **k):
        if str(dst).endswith("inspector.json"):
            raise OSError(code, os.strerror(code), str(dst))
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", failing)
    status, _, err = call(capsys, "--db", str(db_path), "village", "add", "测试村", "--township", "金鸡镇")
    line = one_line(err)
    assert status == 1 and words in line and "inspector.json" in line
    monkeypatch.undo()
    assert {k: v for k, v in snapshot(db_path).items() if not k.startswith("backups")} == {
        k: v for k, v in before.items() if not k.startswith("backups")}
    assert not [p for p in db_path.rglob("*.tmp")]


def test_report_into_an_unwritable_place_is_one_line(db_path, base_ids, tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    status, _, err = call(capsys, "--db", str(db_path), "report", "village", base_ids["v3"], "--out", str(blocker))
    assert status == 1 and "not-a-folder" in one_line(err)


def test_an_internal_error_is_one_line_exit_70_with_a_log(db_path, capsys, monkeypatch, isolated_home):
    from inspector.commands import villages as village

    monkeypatch.setattr(village, "format_table", lambda *a: 1 / 0)
    status, _, err = call(capsys, "--db", str(db_path), "village", "list")
    line = one_line(err)
    assert status == 70 and "ZeroDivisionError" in line
    logs = list((isolated_home / "state").rglob("inspector-crash-*.txt"))
    assert len(logs) == 1 and str(logs[0]) in line
    assert "ZeroDivisionError" in logs[0].read_text(encoding="utf-8")
    status, _, err = call(capsys, "--db", str(db_path), "--lang", "en", "village", "list")
    assert status == 70 and one_line(err).startswith("Internal error")
    assert len(list((isolated_home / "state").rglob("inspector-crash-*.txt"))) == 2  # never overwrites


# ── the real entry point ──────────────────────────────────────────────────────


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "inspector", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def test_subprocess_unknown_id_and_ambiguous_name(db_path, base_ids):
    out = run("--db", str(db_path), "village", "edit", "石堰村", "--name", "x")
    assert out.returncode == 1 and base_ids["v2"] in one_line(out.stderr)


def test_subprocess_bad_demo_size_creates_nothing(tmp_path):
    out = run("demo", "--db", str(tmp_path / "d"), "--years", "100000", "--lang", "zh")
    assert out.returncode == 2 and "100000" in one_line(out.stderr)
    assert "argument" not in out.stderr and not (tmp_path / "d").exists()


def test_subprocess_internal_error_exit_70(tmp_path, isolated_home):
    code = ("import sys, inspector.cli as c\n"
            "c._dispatch = lambda args: [][1]\n"
            "sys.exit(c.main(['village', 'list']))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy())
    assert out.returncode == 70 and "IndexError" in one_line(out.stderr)


# -- F3: a read verb on a folder that is not a database creates nothing --------------


@pytest.mark.parametrize(
    "verb",
    [["village", "list"], ["overdue"], ["report", "overdue"], ["inspection", "list"], ["finding", "show", "ZZZZZZZZ"]],
)
def test_read_verbs_refuse_a_folder_that_is_not_a_database(tmp_path, capsys, verb):
    typo = tmp_path / "dbb"
    assert cli.main(["--db", str(typo), *verb]) == 2
    assert "不是数据库" in capsys.readouterr().err
    assert not typo.exists()  # nothing made
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.main(["--db", str(empty), *verb]) == 2
    assert list(empty.iterdir()) == []


def test_a_writing_verb_still_creates_the_database(tmp_path, capsys):
    db = tmp_path / "new"
    assert cli.main(["--db", str(db), "village", "add", "岩田村", "--township", "石船镇"]) == 0
    assert cli.main(["--db", str(db), "village", "list"]) == 0
    assert "岩田村" in capsys.readouterr().out


def test_cli_wording_archived_mark_normalised_name_missing_day_os_reason_and_colon(tmp_path, capsys):
    db = str(tmp_path / "db")
    assert cli.main(["--db", db, "village", "add", "ｔｅｓｔ１村", "--township", "石船镇"]) == 0
    said = capsys.readouterr()
    assert "test1村" in said.out and "“test1村”" in said.err and "ｔｅｓｔ１村" in said.err  # the change is said
    assert cli.main(["--db", db, "village", "add", "岩田村", "--township", "石船镇"]) == 0
    assert cli.main(["--db", db, "village", "archive", "岩田村"]) == 0
    capsys.readouterr()
    assert cli.main(["--db", db, "village", "list", "--all"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "状态" in lines[0]
    assert [line.rstrip().endswith("已归档") for line in lines[2:]] == [False, True]
    assert cli.main(["--db", db, "village", "add", " ", "--township", "石船镇"]) == 2
    assert capsys.readouterr().err.strip() == "村（社区）名称不可用：名称不能为空。"
    assert cli.main(["--db", db, "overdue", "--as-of", "2026-02-30"]) == 2
    err = capsys.readouterr().err
    assert "这个日期不存在" in err and "格式不对" not in err
    assert cli.main(["--db", db, "overdue", "--as-of", "2026-2-3"]) == 2
    assert "格式不对" in capsys.readouterr().err
    assert cli.main(["--db", "/proc/x", "village", "add", "甲村", "--township", "石船镇"]) == 1
    err = capsys.readouterr().err
    assert "文件或文件夹不存在" in err and "No such" not in err
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "选项：" in out and not re.search(r"(?m)^\S.*:$", out)


def test_reports_go_into_the_database_folder_not_the_working_directory(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--db", "db", "village", "add", "岩田村", "--township", "石船镇"]) == 0
    assert cli.main(["--db", "db", "--today", "2026-11-21", "overdue", "--format", "xlsx"]) == 0
    assert [p.name for p in (tmp_path / "db" / "exports").iterdir()] == ["2026-11-21_逾期问题清单.xlsx"]
    assert not (tmp_path / "exports").exists()


def test_demo_never_buys_enforcement_work_under_a_contract(tmp_path):
    from inspector.wiring import build_demo
    from .conftest import TODAY

    build_demo(tmp_path / "demo", villages=12, years=1, seed=3, today=TODAY)
    with Database.open(tmp_path / "demo", clock=fixed_clock, read_only=True) as db:
        findings = [f for v in db.villages() for f in db.store(v.id).findings()]
    measures = {f.measure for f in findings if f.title == "向村购买需执法资格的服务"}
    assert measures == {"停止向村购买，由部门依法自行履行"}
    assert "补签购买服务合同，按合同评价" in {f.measure for f in findings if f.title.startswith("购买服务未签订合同")}
