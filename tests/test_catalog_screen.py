"""The catalog browser: browse a set, read an item, search across sets."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Markdown, Select

from inspector.storage.database import Database
from inspector.ui.app import make_app

from .conftest import TODAY, fixed_clock


async def test_browse_read_and_search(tmp_path, catalog):
    db = Database.open(tmp_path / "db", clock=fixed_clock)
    app = make_app(db=db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "CatalogScreen"
        table = screen.query_one("#items", DataTable)
        assert table.row_count == 94  # 23 + 27 + 7 + 32 + 5 in the default set
        # Move to the first assistance item and read it.
        for _ in range(23):
            await pilot.press("down")
        await pilot.pause()
        detail = screen.query_one("#item-detail", Markdown).source
        assert "协助做好社会救助工作" in detail and "最低生活保障" in detail and "依据" in detail
        # Another set.
        screen.query_one("#listset", Select).value = "sichuan"
        await pilot.pause()
        assert table.row_count == 59
        # Search every set.
        await pilot.press("slash")
        await pilot.press(*"拆违")
        await pilot.pause()
        assert screen.query_one("#search", Input).value == "拆违"
        titles = [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]
        assert any("拆迁拆违类" in t for t in titles)
        await pilot.press("escape")  # clears the search
        await pilot.press("escape")  # back
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"
    db.close()
