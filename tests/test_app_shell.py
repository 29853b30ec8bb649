"""Pilot tests of the app shell: main screen, help, language, command palette."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from inspector.wiring import build_demo
from inspector.storage.database import Database
from inspector.ui.app import make_app

from .conftest import TODAY, add_finding, fixed_clock


@pytest.fixture
def small_db(tmp_path: Path):
    db = Database.open(tmp_path / "db", clock=fixed_clock)
    first, *_ = [db.add_village(name, township, kind)
                 for name, township, kind in [("石堰村", "金鸡镇", "village"), ("新华村", "金鸡镇", "village"), ("龙溪社区", "龙溪街道", "community")]]
    store = db.store(first.id)
    store.add_inspection(day="2026-11-01", kind="routine", inspectors=["张伟"], template="chongqing", template_version="2026.1")
    add_finding(store, {"title": "多余牌子", "theme": "signboards", "unit": "镇综治办"}, deadline="2026-11-10", by="张伟")
    add_finding(store, {"title": "重复台账", "theme": "ledgers", "unit": "镇民政办"}, deadline="2026-12-10", by="张伟")
    yield db
    db.close()


def cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_main_screen_lists_townships_villages_and_counts(small_db, catalog):
    app = make_app(db=small_db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = cells(app.screen.query_one("#villages", DataTable))
        assert rows[0][:1] == ["金鸡镇"]
        assert rows[0][2:] == ["1", "2", "1"]  # township: 1 inspection, 2 open, 1 overdue
        assert [r[0].strip() for r in rows] == ["金鸡镇", "新华村", "石堰村", "龙溪街道", "龙溪社区"]
        assert rows[2][1:] == ["村", "1", "2", "1"]
        assert rows[4][1:] == ["社区", "0", "0", "0"]
        totals = str(app.screen.query_one("#totals", Static).render())
        assert "2 个乡镇" in totals and "未销号 2 · 逾期 1" in totals


async def test_help_opens_and_closes_with_f1(small_db, catalog):
    app = make_app(db=small_db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        assert type(app.screen).__name__ == "MainScreen"


async def test_language_switch_translates_screen_and_footer(small_db, catalog):
    app = make_app(db=small_db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        table = app.screen.query_one("#villages", DataTable)
        assert [str(c.label) for c in table.columns.values()][0] == "Township / village"
        # What the footer shows (the bindings keep their message keys; the footer translates them).
        descriptions = {k.key: k.description for k in app.screen.query("FittingFooter FooterKey")}
        assert descriptions["f1"] == "Help" and descriptions["o"] == "Overdue review", descriptions
        assert all(d.isascii() and not d.startswith("action.") for d in descriptions.values()), descriptions
        assert app.title == "Burden-reduction inspections"


async def test_command_palette_offers_the_same_actions(small_db, catalog):
    app = make_app(db=small_db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"帮助", "English", "刷新", "退出"} <= set(titles)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"帮助")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"


async def test_read_only_second_copy_is_told(small_db, catalog, tmp_path):
    second = Database.open(small_db.root, clock=fixed_clock)
    assert second.read_only
    app = make_app(db=second, catalog=catalog, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any("只读" in str(n.message) for n in app._notifications)


async def test_demo_database_opens(tmp_path, catalog):
    build_demo(tmp_path / "demo", villages=5, years=1, seed=2, today=TODAY)
    db = Database.open(tmp_path / "demo", clock=fixed_clock)
    app = make_app(db=db, catalog=catalog, today=TODAY, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.title.endswith("（演示数据）")
        assert app.screen.query_one("#villages", DataTable).row_count == 5 + len(db.townships())
    db.close()


async def test_add_edit_and_archive_a_village_in_the_app(small_db, catalog):
    app = make_app(db=small_db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")  # on the first row: township 金鸡镇 is prefilled
        await pilot.pause()
        assert app.screen.query_one("#township").value == "金鸡镇"
        await pilot.press(*"xyc")
        await pilot.press("ctrl+s")
        await pilot.pause()
        added = small_db.find_village("xyc")
        assert (added.township, added.kind) == ("金鸡镇", "village")
        rows = cells(app.screen.query_one("#villages", DataTable))
        assert any(r[0].strip() == "xyc" for r in rows)
        # Open it, edit its phone, archive it.
        table = app.screen.query_one("#villages", DataTable)
        table.move_cursor(row=[r[0].strip() for r in rows].index("xyc"))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.click("#phone")
        await pilot.press(*"13800001111")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert small_db.village(added.id).phone == "13800001111"
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert small_db.village(added.id).archived
        assert type(app.screen).__name__ == "MainScreen"
        rows = cells(app.screen.query_one("#villages", DataTable))
        assert all(r[0].strip() != "xyc" for r in rows)
