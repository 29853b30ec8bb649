"""The app shell: read-only refusals, the last-resort error line, help and palette built from
the bindings, the review's keys, layout at 80×24 and 120×40, the user, CJK line breaking."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Markdown, Static
from textual.widgets._footer import FooterKey

from inspector import i18n
from inspector.core import ids
from inspector.wiring import build_demo
from inspector.core.textwidth import NO_START, width, wrap
from inspector.storage.database import Database
from inspector.ui.app import make_app
from inspector.ui.footer import key_cells
from inspector.ui.wrapped import WrappedText
from inspector.ui.screens.review import chart_lines, review_columns

from .conftest import TODAY, fixed_clock


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    build_demo(tmp_path / "demo", villages=6, years=1, seed=5, today=TODAY)
    return tmp_path / "demo"


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


# -- read-only -----------------------------------------------------------------------


async def test_read_only_copy_refuses_every_write_key_before_any_dialog(demo, catalog):
    first = Database.open(demo, clock=fixed_clock)
    second = Database.open(demo, clock=fixed_clock)
    assert second.read_only
    before = {p.name: p.read_bytes() for p in (demo / "villages").iterdir()}
    app = make_app(db=second, catalog=catalog, today=TODAY, user="王主任")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")  # add a village
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"
        await pilot.press("o")
        await pilot.pause()
        for key in ("s", "a", "x", "u", "c"):  # save a filter, moves
            await pilot.press(key)
            await pilot.pause()
            assert type(app.screen).__name__ == "ReviewScreen", key
        assert sum("只读" in n for n in notes(app)) >= 6
        assert app.return_code in (None, 0)
    assert {p.name: p.read_bytes() for p in (demo / "villages").iterdir()} == before
    assert second.saved_filters() == {}
    second.close()
    first.close()


# -- the last resort ------------------------------------------------------------------


async def test_unexpected_error_leaves_one_line_and_a_log(small_app_factory, tmp_path, capsys):
    app = small_app_factory()
    app.settings.crash_log = tmp_path / "logs" / "crash.log"

    def boom() -> None:
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            app.screen.action_reload = boom  # type: ignore[method-assign]
            await pilot.press("r")
            await pilot.pause()
    assert app.return_code == 1
    printed = capsys.readouterr()
    said = (printed.out + printed.err).replace("\n", "")  # one message (the console may fold it)
    assert "RuntimeError: disk on fire" in said and "crash.log" in said
    assert "Traceback" not in said and "File \"" not in said
    log = (tmp_path / "logs" / "crash.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "disk on fire" in log


@pytest.fixture
def small_app_factory(tmp_path: Path, catalog):
    dbs = []

    def make(**kwargs):
        db = Database.open(tmp_path / f"db{len(dbs)}", clock=fixed_clock)
        dbs.append(db)
        if not db.villages():
            db.add_village("石堰村", "金鸡镇")
        return make_app(db=db, catalog=catalog, today=TODAY, **kwargs)

    yield make
    for db in dbs:
        db.close()


# -- help and palette from the bindings ---------------------------------------------


async def test_help_lists_the_screen_keys_and_palette_offers_every_action(demo, catalog):
    db = Database.open(demo, clock=fixed_clock)
    app = make_app(db=db, catalog=catalog, today=TODAY, user="王主任")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        review = app.screen
        titles = [c.title for c in app.get_system_commands(review)]
        for move in ("交办", "进展", "申请销号", "复核", "销号", "延期", "催办升级", "保存筛选", "打开筛选", "排序", "图表", "台账", "查看问题"):
            assert move in titles, move
        assert {"帮助", "English", "退出"} <= set(titles)
        await pilot.press("f1")
        await pilot.pause()
        text = "\n".join(w.text for w in app.screen.query(WrappedText))
        assert re.search(r"^u +催办升级", text, re.M) and re.search(r"^s +保存筛选", text, re.M) and re.search(r"^t +排序", text, re.M)
        assert "王主任" in text  # who is recorded
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        assert app.screen.query_one(Input).placeholder == "搜索命令…"
        await pilot.press(*"zzzqqq")
        await pilot.pause(0.7)
        shown = " ".join(str(o.prompt) for o in app.screen.query_one("CommandList").options)
        assert "没有匹配的命令" in shown and "No matches" not in shown
        await pilot.press("escape")
        # The palette runs the same action as the key: "排序" changes the sort.
        await pilot.press("ctrl+p", *"排序")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert review.sort == "village"
    db.close()


# -- the review -----------------------------------------------------------------------


async def test_review_enter_filter_focus_escalation_check_and_cursor(demo, catalog):
    db = Database.open(demo, clock=fixed_clock)
    app = make_app(db=db, catalog=catalog, today=TODAY, user="王主任")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        review = app.screen
        table = review.query_one("#review", DataTable)
        # Enter: the finding with its history.
        first = review.rows[0]
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "FindingHistoryDialog"
        history = str(app.screen.query_one("#finding-history", Static).render())
        assert ids.short(first.id) in history and first.id not in history and "发现" in history
        await pilot.press("escape")
        # The filter opens on its first field.
        await pilot.press("f")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "f-township"
        await pilot.press("escape")
        # u on a finding that is not overdue: refused at once, no dialog.
        later = next(n for n, r in enumerate(review.rows) if not r.overdue)
        table.move_cursor(row=later)
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert app.screen is review
        assert "逾期" in notes(app)[-1]
        # After an extension the cursor follows the finding to its new place.
        target = review.rows[0]
        table.move_cursor(row=0)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"2027-06-30")
        await pilot.click("#note")
        await pilot.press(*"funds")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert review.rows[0].id != target.id  # it moved down the list
        assert review.current.id == target.id
        assert db.store(target.village_id).events(target.id)[-1].by == "王主任"
        # The chart's lines add up to the overdue findings.
        chart = str(review.query_one("#review-chart", Static).render())
        overdue = sum(r.overdue for r in review.rows)
        assert f"共 {overdue} 个" in chart
    db.close()


def test_chart_lines_sum_to_the_total():
    ranked = [("a", 5), ("b", 4), ("c", 3), ("d", 3), ("e", 2), ("f", 2), ("g", 1)]
    lines = chart_lines(ranked, 5, "其他 2 个")
    assert lines[-1] == ("其他 2 个", 3) and sum(n for _, n in lines) == 20
    assert chart_lines(ranked[:3], 5, "x") == ranked[:3]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_review_columns_all_show_at_80_and_use_the_width_at_120(demo, catalog, lang):
    db = Database.open(demo, clock=fixed_clock)
    for size in ((80, 24), (120, 40)):
        app = make_app(db=db, catalog=catalog, today=TODAY, lang=lang)
        async with app.run_test(size=size) as pilot:
            await pilot.press("o")
            await pilot.pause()
            table = app.screen.query_one("#review", DataTable)
            keys = [str(k.value) for k in table.columns]
            assert {"days", "village", "title", "unit", "deadline"} <= set(keys)
            assert "status" in keys or {"state", "escalation"} <= set(keys)
            used = sum(c.get_render_width(table) for c in table.columns.values())
            assert used <= size[0]
            if size[0] == 120:
                assert {"state", "escalation"} <= set(keys)
                # The width is used: either every title shows whole, or no columns are left unused.
                longest = max(width(r.title) for r in app.screen.rows)
                assert table.columns["title"].width >= longest or used >= size[0] - 4
                if lang == "zh":  # it stayed at 13 characters (26 cells) with 25 columns unused
                    assert table.columns["title"].width > 13 * 2
            # The footer never cuts a key: the keys shown fit the width.
            keys_shown = list(app.screen.query(FooterKey))
            assert sum(key_cells(k) for k in keys_shown) + 2 <= size[0]
            assert any(k.key == "f1" for k in keys_shown)
    db.close()


def test_review_columns_pure():
    natural = {"days": 11, "village": 10, "title": 60, "unit": 12, "deadline": 10, "state": 8, "escalation": 4, "status": 13}
    narrow = review_columns(80, natural)
    assert "status" in narrow and sum(narrow.values()) + 2 * len(narrow) <= 78
    wide = review_columns(120, natural)
    assert "state" in wide and wide["title"] > 26


# -- the user -------------------------------------------------------------------------


async def test_user_asked_once_saved_and_recorded(small_app_factory, monkeypatch, tmp_path):
    monkeypatch.setenv("INSPECTOR_SETTINGS", str(tmp_path / "settings.json"))
    app = small_app_factory(ask_user=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "TextDialog"
        field = app.screen.query_one(Input)
        field.value = ""
        await pilot.press(*"zhang")
        await pilot.press("enter")
        await pilot.pause()
        assert app.settings.user == "zhang"
    from inspector.settings import load_user

    assert load_user() == "zhang"
    again = small_app_factory(ask_user=True)
    assert again.settings.user == "zhang" and not again.settings.ask_user
    explicit = small_app_factory(user="李四", ask_user=False)
    assert explicit.settings.user == "李四"


# -- CJK line breaking ------------------------------------------------------------------


def test_wrap_follows_cjk_rules():
    text = "村委会是否仍然要求使用APP打卡？各部门在村设立的工作机构、牌子（含上墙制度）是否已经清理。"
    for cells in range(6, 40):
        lines = wrap(text, cells)
        assert "".join(lines) == text
        assert all(width(line) <= cells for line in lines)
        assert not any(line[0] in NO_START for line in lines[1:])
        assert not any(line.endswith("（") for line in lines)
        assert all("APP" in line or "A" not in line for line in lines)  # APP never split
    assert wrap("Archive it with inspector village archive --undo", 20) == ["Archive it with", "inspector village", "archive --undo"]


# -- the village dialog: a new township needs a confirmation, a refusal keeps the dialog (F3) --


async def test_village_dialog_asks_before_a_new_township_and_keeps_fields_on_refusal(tmp_path, catalog):
    db = Database.open(tmp_path / "db", clock=fixed_clock)
    for name in ("岩田村", "白果村"):
        db.add_village(name, "石船镇", "village")
    app = make_app(db=db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#name", Input).value = "白云村"
        screen.query_one("#township", Input).value = "石船"  # a typo of 石船镇
        screen.query_one("#contact", Input).value = "李四"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen  # not saved: the near name is shown
        said = str(screen.query_one("#error", Static).render())
        assert "石船镇" in said and "再按一次回车" in said
        assert db.townships() == ["石船镇"]
        # The user corrects it: the existing township is used, spelled as stored.
        screen.query_one("#township", Input).value = "石船镇 "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not screen
        assert (db.find_village("白云村").township, db.find_village("白云村").contact) == ("石船镇", "李四")
        # A duplicate: refused inside the dialog, every field kept.
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#name", Input).value = "岩田村"
        screen.query_one("#township", Input).value = "石船镇"
        screen.query_one("#phone", Input).value = "13800001111"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "岩田村" in str(screen.query_one("#error", Static).render())
        assert screen.query_one("#phone", Input).value == "13800001111"
        assert len(db.villages()) == 3
        # A new township on purpose: the second save creates it.
        screen.query_one("#name", Input).value = "新村"
        screen.query_one("#township", Input).value = "龙溪街道"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and "新的乡镇（街道）" in str(screen.query_one("#error", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not screen
        assert db.find_village("新村").township == "龙溪街道"
    db.close()
