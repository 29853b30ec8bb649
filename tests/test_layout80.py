"""The product at 80×24, the smallest terminal an inspector's laptop gives (QA pass on layout)."""

from __future__ import annotations


import pytest
from textual.containers import ScrollableContainer
from textual.widgets import Input, Select, Static

from inspector.ui.app import Settings, make_app

from .conftest import TODAY, add_finding
from .test_inspection_walk import db, store_of  # noqa: F401 - the fixture: a database with one village
from .test_walk_keys import go, new_inspection, open_walk, paste

SIZE = (80, 24)


def app_for(db, catalog, tmp_path, lang="zh"):
    return make_app(db=db, catalog=catalog, today=TODAY, settings=Settings(lang=lang, exports=tmp_path / "exports", user="李秀英"))


def seen(widget) -> bool:
    """The widget lies wholly inside the dialog body's visible window and the screen."""
    body = widget.screen.query_one(".dialog", ScrollableContainer)
    window, screen = body.content_region, widget.screen.region
    region = widget.region
    return region.height > 0 and window.contains_region(region) and screen.contains_region(body.region)


async def test_the_finding_dialog_scrolls_to_the_focused_field_and_the_error(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    async with app_for(db, catalog, tmp_path).run_test(size=SIZE) as pilot:
        screen = await open_walk(pilot, iid)
        await go(pilot, screen, "signboards.05")
        await pilot.press("y", "p")
        await pilot.pause()
        dialog = pilot.app.screen
        body = dialog.query_one(".dialog", ScrollableContainer)
        assert body.region.bottom <= 24 and body.max_scroll_y > 0  # taller than the screen: it scrolls
        for _ in range(7):  # tab down to the deadline
            await pilot.press("tab")
            await pilot.pause()
            assert seen(pilot.app.focused), pilot.app.focused
        dialog.query_one("#deadline", Input).value = "2026-11-21"
        dialog.query_one("#title", Input).focus()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = dialog.query_one("#error", Static)
        assert "确认" in str(error.render()) and seen(error)


async def test_the_observation_dialog_shows_the_reason_field_and_its_error(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    async with app_for(db, catalog, tmp_path).run_test(size=SIZE) as pilot:
        screen = await open_walk(pilot, iid)
        await go(pilot, screen, "tasks.01")
        await pilot.press("o")
        await pilot.pause()
        dialog = pilot.app.screen
        await paste(pilot, "村里要去查违章建筑")
        dialog.query_one("#override_kind", Select).value = "assistance"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = dialog.query_one("#error", Static)
        assert "理由" in str(error.render()) and seen(error)
        dialog.query_one("#override_reason", Input).focus()
        await pilot.pause()
        assert seen(dialog.query_one("#override_reason", Input))


async def test_enter_on_a_dropdown_opens_it_in_every_dialog(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    async with app_for(db, catalog, tmp_path).run_test(size=SIZE) as pilot:
        screen = await open_walk(pilot, iid)
        await go(pilot, screen, "tasks.01")
        await pilot.press("o")
        await pilot.pause()
        dialog = pilot.app.screen
        await paste(pilot, "填报防汛值班表")
        how = dialog.query_one("#assigned_how", Select)
        how.focus()
        await pilot.pause()
        await pilot.press("enter")  # opens the list: the form is not saved with 交办方式 at 请选择
        await pilot.pause()
        assert pilot.app.screen is dialog and how.expanded
        await pilot.press("down", "enter")
        await pilot.pause()
        assert pilot.app.screen is dialog and not how.expanded and how.value is not Select.NULL
        assert store_of(db).observations(iid) == []
        dialog.query_one("#department", Input).focus()
        await pilot.press("enter")  # Enter elsewhere saves
        await pilot.pause()
        assert pilot.app.screen is screen
        [obs] = store_of(db).observations(iid)
        assert obs.what == "填报防汛值班表" and obs.assigned_how == str(how.value)


async def test_the_village_header_breaks_between_phrases(db, catalog, tmp_path):
    async with app_for(db, catalog, tmp_path).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        info = str(pilot.app.screen.query_one("#village-info").render())
        lines = info.splitlines()
        assert lines[-1] == "按 n 开始新检查，回车打开检查"  # the hint on a line of its own
        assert any("逾期 0 个" in line for line in lines) and all(len(line) <= 78 for line in lines)


async def test_review_headers_fit_their_columns(db, catalog, tmp_path):
    from textual.widgets import DataTable

    iid = new_inspection(db, catalog)
    store = store_of(db)
    add_finding(store, {"title": "镇综治办将负面清单事项交村办理", "theme": "signboards", "unit": "区卫生健康委员会",
                       "inspection": iid}, deadline="2026-11-10", by="张伟")
    for lang, cut in (("zh", "村（社区"), ("en", "Responsi")):
        async with app_for(db, catalog, tmp_path, lang=lang).run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("o")
            await pilot.pause()
            table = pilot.app.screen.query_one("#review", DataTable)
            labels = [str(c.label) for c in table.columns.values()]
            assert not [x for x in labels if x.endswith("…") or x == cut], labels
            assert ("村" if lang == "zh" else "Unit") in labels


async def test_catalog_search_keeps_the_title_readable(db, catalog, tmp_path):
    from textual.widgets import DataTable

    async with app_for(db, catalog, tmp_path).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        screen = pilot.app.screen
        search = screen.query_one("#search", Input)
        assert str(search.placeholder) == "搜索：中文或拼音首字母"  # the full one is cut at 80 columns
        search.value = "xf"
        await pilot.pause()
        table = screen.query_one("#items", DataTable)
        widths = {key.value: column.width for key, column in table.columns.items()}
        assert widths["title"] >= 16 and "set" not in widths  # the detail pane names the set
