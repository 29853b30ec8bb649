"""What the command line writes and keeps: safe CSV cells, unique report names, the user
setting, the one demo database per user, names, and the date rules (issue 8)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from inspector import cli, settings
from inspector.core import ids
from inspector.core.deadlines import FUTURE_INSPECTION_DAYS, deadline_warning, inspection_date_warning, parse_deadline
from inspector.core.names import clean_text, name_key, near_names
from inspector.report.files import report_filename
from inspector.report.spreadsheet import csv_bytes, safe_cell
from inspector.storage.database import Database

from .conftest import add_finding, fixed_clock


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("INSPECTOR_SETTINGS", str(home / "config" / "settings.json"))
    monkeypatch.setenv("INSPECTOR_TODAY", "2026-11-21")
    for name in ("INSPECTOR_DB", "INSPECTOR_LANG", "INSPECTOR_USER"):
        monkeypatch.delenv(name, raising=False)
    return home


# ── CSV cells that would run as formulas ──────────────────────────────────────

PAYLOADS = ["=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1:A2)",
            "\tTAB", "\rCR", "＝1+1"]


def test_formula_cells_are_neutralised_and_ordinary_ones_kept():
    for payload in PAYLOADS:
        assert safe_cell(payload) == "'" + payload
    assert [safe_cell(v) for v in ("石堰村", "a=b", 17, -3, None, "")] == ["石堰村", "a=b", 17, -3, "", ""]
    data = csv_bytes(["=问题"], [[p, 5] for p in PAYLOADS])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["'=问题"]
    assert all(cell.startswith("'") for cell, _ in rows[1:]) and [n for _, n in rows[1:]] == ["5"] * len(PAYLOADS)


def test_overdue_csv_from_the_command_neutralises_hostile_titles(tmp_path, capsysbinary):
    db_path = tmp_path / "db"
    db = Database.open(db_path, clock=fixed_clock)
    v = db.add_village("=HYPERLINK(\"x\")", "@金鸡镇")
    store = db.store(v.id)
    for n, payload in enumerate(PAYLOADS, 1):
        add_finding(store, {"title": payload, "theme": "tasks", "severity": "high", "unit": "+区城管局", "inspection": ""},
                          deadline="2026-10-01", by="王建国")
    db.close()
    assert cli.main(["--db", str(db_path), "overdue", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig"), newline="")))
    assert len(rows) == 1 + len(PAYLOADS)
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "＝")), row
    assert {row[4] for row in rows[1:]} == {"'" + p for p in PAYLOADS}
    assert {row[5] for row in rows[1:]} == {"工作事项准入"} and {row[6] for row in rows[1:]} == {"严重"}  # one set of theme labels (issue 10)


# ── report file names ─────────────────────────────────────────────────────────


def test_report_names_are_unique_when_cleaning_makes_them_meet():
    names = ["a/b", "a:b", "a-b", "*", "?", "石堰村", "石堰村?", "石堰村*"]
    files = {report_filename("ledger", "2026-11-21", "金鸡镇", n, lang="zh", ident=ids.derived_id(None, "village", i))
             for i, n in enumerate(names)}
    assert len(files) == len(names)
    # Without an id the tag is a hash of the names as typed: still unique, and stable.
    files = [report_filename("township", "2026-11-21", t, "", lang="zh") for t in ("x/y", "x:y", "x-y")]
    assert len(set(files)) == 3 and files == [report_filename("township", "2026-11-21", t, "", lang="zh") for t in ("x/y", "x:y", "x-y")]
    # A clean name keeps its plain file name.
    assert report_filename("ledger", "2026-11-21", "金鸡镇", "石堰村", lang="zh",
                           ident=ids.derived_id(None, "village", 1)) == "2026-11-21_金鸡镇_石堰村_整改台账.md"
    # Two long names cut to the same prefix do not meet either.
    long_a, long_b = "石堰村" * 60 + "甲", "石堰村" * 60 + "乙"
    assert report_filename("ledger", "2026-11-21", "金鸡镇", long_a) != report_filename("ledger", "2026-11-21", "金鸡镇", long_b)


def test_ledgers_of_colliding_villages_are_separate_files(tmp_path, capsys):
    db_path, out = tmp_path / "db", tmp_path / "out"
    names = ["a/b", "a:b", "*", "?", "a-b"]
    with Database.open(db_path, clock=fixed_clock) as db:
        ids = [db.add_village(n, "金鸡镇").id for n in names]
    for vid in ids:
        assert cli.main(["--db", str(db_path), "report", "village", vid, "--out", str(out)]) == 0
    written = [line.split(" ", 1)[-1] for line in capsys.readouterr().out.splitlines()]
    files = sorted(out.iterdir())
    assert len(files) == len(names) == len({f.read_text(encoding="utf-8") for f in files})  # 5 reports, 5 files
    assert "2026-11-21_金鸡镇_a-b_整改台账.md" in [f.name for f in files]  # the clean name keeps the plain file name
    assert len(written) == len(names)


# ── who is using the app ──────────────────────────────────────────────────────


def test_user_setting_saved_loaded_and_resolved(isolated_home, monkeypatch):
    monkeypatch.setattr(settings, "login_name", lambda: "root")
    assert settings.load_user() == "" and not settings.user_is_saved()
    assert settings.resolve_user() == "root"
    assert settings.save_user(" 王\u200b建国 ") == "王建国"
    assert settings.load_user() == "王建国" and settings.user_is_saved()
    assert settings.resolve_user() == "王建国" and settings.resolve_user("李秀英") == "李秀英"
    assert json.loads(settings.settings_path().read_text(encoding="utf-8")) == {"user": "王建国"}
    for bad in ("", "   ", "\u200b", "x" * 41):
        with pytest.raises(settings.SettingsError):
            settings.save_user(bad)
    settings.settings_path().write_text("{ broken", encoding="utf-8")
    assert settings.load_user() == ""  # a broken preferences file is no reason to stop


def test_the_cli_passes_one_user_and_asks_only_when_none_is_known(monkeypatch, capsys):
    seen = []

    class App:
        return_code = 0

        def run(self):
            pass

    import inspector.ui.app as app_module

    monkeypatch.setattr(app_module, "make_app", lambda **kw: seen.append((kw["user"], kw["ask_user"])) or App())
    monkeypatch.setattr(settings, "login_name", lambda: "root")
    assert cli.main(["--demo"]) == 0
    assert cli.main(["--demo", "--user", "李秀英"]) == 0
    settings.save_user("王建国")
    assert cli.main(["--demo"]) == 0
    monkeypatch.setenv("INSPECTOR_USER", "陈静")
    assert cli.main(["--demo"]) == 0
    assert seen == [("root", True), ("李秀英", False), ("王建国", False), ("陈静", False)]


# ── one demo database per user ────────────────────────────────────────────────


def test_demo_is_kept_per_user_and_remade_only_on_request(isolated_home, monkeypatch, capsys):
    opened = []

    class App:
        return_code = 0

        def run(self):
            pass

    import inspector.ui.app as app_module

    monkeypatch.setattr(app_module, "make_app", lambda **kw: opened.append(kw["db"].root) or App())
    demo = isolated_home / "data" / "inspector" / "demo"
    assert cli.main(["--demo"]) == 0
    assert str(demo) in capsys.readouterr().out and (demo / "inspector.json").is_file()
    marker = demo / "villages" / "marker.txt"
    marker.write_text("a visit in progress")
    assert cli.main(["--demo"]) == 0  # a restart opens the same database: nothing is lost
    assert marker.exists() and str(demo) in capsys.readouterr().out
    assert cli.main(["--demo", "--reset"]) == 0
    assert not marker.exists() and (demo / "inspector.json").is_file()
    assert opened == [demo, demo, demo]
    assert [p.name for p in (isolated_home / "data" / "inspector").iterdir()] == ["demo"]  # no other folders
    assert cli.main(["--reset"]) == 2


# ── names ─────────────────────────────────────────────────────────────────────


def test_names_one_stored_form_and_look_alikes_share_a_key():
    assert clean_text("\ufeff石\u200b堰村\u202e") == "石堰村"
    assert clean_text("新华村１组") == "新华村1组"
    assert clean_text("石堰村（一组）") == "石堰村（一组）"  # Chinese punctuation stays Chinese
    assert clean_text("石堰\u3000 村") == "石堰 村"
    assert name_key("Cafe\u0301") == name_key("Café") == name_key("ＣＡＦÉ")
    assert near_names("金鸡", ["金鸡镇", "龙溪街道", "统景镇"]) == ["金鸡镇"]
    assert near_names("金溪镇", ["金鸡镇", "龙溪街道"])[0] == "金鸡镇"
    assert near_names("完全不同", ["金鸡镇"]) == []


def test_village_add_stores_the_clean_name(tmp_path, capsys):
    db_path = tmp_path / "db"
    assert cli.main(["--db", str(db_path), "village", "add", "\u200b石堰村１组 ", "--township", "金鸡镇"]) == 0
    assert cli.main(["--db", str(db_path), "village", "add", "河口村", "--township", "金鸡", "--new-township"]) == 0
    added = capsys.readouterr().out
    with Database.open(db_path, clock=fixed_clock, read_only=True) as db:
        hekou = next(v.id for v in db.villages() if v.name == "河口村")
    assert f"已添加 {ids.short(hekou)}：金鸡 河口村" in added and hekou not in added  # the short id, never the whole one
    assert cli.main(["--db", str(db_path), "village", "edit", ids.short(hekou), "--township", "金鸡镇 "]) == 0
    with Database.open(db_path, clock=fixed_clock, read_only=True) as db:
        assert sorted((v.name, v.township) for v in db.villages()) == [("河口村", "金鸡镇"), ("石堰村1组", "金鸡镇")]


# ── date rules (for the walk and the finding editor) ──────────────────────────


def test_inspection_dates_too_far_ahead_are_refused():
    today = date(2026, 11, 21)
    assert inspection_date_warning(date(2026, 11, 21 + FUTURE_INSPECTION_DAYS), today) is None
    assert inspection_date_warning(date(2026, 11, 1), today) is None
    warning = inspection_date_warning(date(2027, 4, 21), today)
    assert warning is not None and warning.refuse and "2027-04-21" in warning.text("zh")


def test_deadlines_before_the_visit_or_on_the_day_are_warned():
    today = date(2026, 11, 30)  # the last day of the month: 月底 is today
    eom = parse_deadline("月底", today).day
    warning = deadline_warning(eom, date(2026, 11, 30), today)
    assert warning is not None and warning.key == "deadline.rule.same_day" and not warning.refuse
    # A visit dated next month with eom typed today: the deadline comes before the visit.
    warning = deadline_warning(parse_deadline("eom", today).day, date(2026, 12, 2), today)
    assert warning is not None and warning.key == "deadline.rule.before_inspection"
    assert "2026-12-02" in warning.text("en") and "2026-11-30" in warning.text("zh")
    assert deadline_warning(parse_deadline("+15d", today).day, date(2026, 11, 30), today) is None
    assert deadline_warning(date(2026, 12, 1), None, today) is None
