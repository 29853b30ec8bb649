"""A lost query index is rebuilt where the user can see it: the app's loading screen, the CLI's progress line."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable, ProgressBar, Static

from inspector.cli import main
from inspector.commands.rebuild_progress import DELAY, RebuildLine, rebuild_line
from inspector.wiring import build_demo
from inspector.storage.database import Database
from inspector.storage.store_errors import CorruptFile
from inspector.storage.query_cache import CACHE
from inspector.ui.app import make_app

from .conftest import TODAY, fixed_clock

VILLAGES = 12


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("loading") / "db"
    build_demo(root, villages=VILLAGES, years=1, seed=5, today=TODAY)
    return root


@pytest.fixture
def without_index(built, tmp_path) -> Path:
    """A copy of the demo whose query index was lost."""
    import shutil

    root = Path(shutil.copytree(built, tmp_path / "db"))
    for path in root.glob(f"{CACHE}*"):
        path.unlink()
    return root


def _gate(db: Database) -> tuple[threading.Event, threading.Event]:
    """Hold the rebuild after it says it started, until the test lets it go; the second event: it ended."""
    release, ended = threading.Event(), threading.Event()
    real = db.load_index

    def held(progress=None):
        try:
            progress(0, db.index_pending)
            assert release.wait(10)
            real(progress)
        finally:
            ended.set()

    db.load_index = held  # type: ignore[method-assign]
    return release, ended


async def _until(pilot, done) -> None:
    for _ in range(400):
        if done():
            return
        await pilot.pause(0.01)
    raise AssertionError("the screen never got there")


async def test_the_app_shows_the_rebuild_then_the_main_screen(without_index, catalog):
    db = Database.open(without_index, clock=fixed_clock, defer_index=True)
    assert db.index_pending == VILLAGES  # nothing re-read yet: the app does it
    release, _ = _gate(db)
    app = make_app(db=db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        count = lambda: str(app.screen.query_one("#loading-count", Static).render())  # noqa: E731
        await _until(pilot, lambda: type(app.screen).__name__ == "LoadingScreen" and count() == f"已读 0/{VILLAGES} 个村（社区）档案")
        assert "正在重建查询索引" in str(app.screen.query_one("#loading-why").render())
        assert app.screen.query_one(ProgressBar).total == VILLAGES
        await pilot.press("f1")  # no help over a screen that is about to go
        assert type(app.screen).__name__ == "LoadingScreen"
        await pilot.press("f2")  # the language switches on this screen too
        await pilot.pause()
        assert count() == f"0 of {VILLAGES} village files read"
        await pilot.press("f2")
        await pilot.pause()
        release.set()
        await _until(pilot, lambda: type(app.screen).__name__ == "MainScreen" and app.screen.query("#villages DataTable, DataTable#villages"))
        table = app.screen.query_one("#villages", DataTable)
        await _until(pilot, lambda: table.row_count > VILLAGES)  # townships and their villages
        assert len(app.screen_stack) == 2  # the loading screen was replaced, not left below
    assert db.index_pending == 0 and app.load_error is None
    summaries = db.summaries()
    db.close()
    again = Database.open(without_index, clock=fixed_clock, read_only=True, defer_index=True)
    assert again.index_pending == 0  # the rebuilt index was kept
    assert again.summaries() == summaries
    again.close()


async def test_a_damaged_village_file_stops_the_app_and_is_named(without_index, catalog):
    damaged = sorted((without_index / "villages").glob("*.json"))[2]  # one village's file, not the first
    damaged.write_text('{"inspections": [', encoding="utf-8")
    db = Database.open(without_index, clock=fixed_clock, defer_index=True)
    app = make_app(db=db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: app.load_error is not None)
    db.close()
    assert isinstance(app.load_error, CorruptFile) and app.load_error.path.name == damaged.name


async def test_quitting_during_the_rebuild_stops_it_and_loses_nothing(without_index, catalog):
    db = Database.open(without_index, clock=fixed_clock, defer_index=True)
    release, ended = _gate(db)
    app = make_app(db=db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: type(app.screen).__name__ == "LoadingScreen")
        await pilot.press("ctrl+q")
    release.set()  # the app has gone: its worker was cancelled, and stops at its next step
    assert ended.wait(10)
    assert db.index_pending == VILLAGES  # stopped, not finished behind the user's back
    db.close()
    assert app.load_error is None
    again = Database.open(without_index, clock=fixed_clock)  # the next open finishes the job
    assert again.index_pending == 0 and len(again.summaries()) == VILLAGES
    again.close()


def test_the_cli_line_appears_only_when_the_rebuild_takes_long():
    now = [0.0]
    out = io.StringIO()
    line = RebuildLine(out, clock=lambda: now[0])
    line(0, 3000)
    line(10, 3000)
    assert out.getvalue() == ""  # a quick rebuild says nothing
    now[0] = DELAY + 0.1
    line(1200, 3000)
    assert out.getvalue() == "\r正在重建查询索引：已读 1200/3000 个村（社区）档案\x1b[K"
    line(1201, 3000)  # too soon to rewrite
    assert out.getvalue().count("\r") == 1
    line.finish()
    assert out.getvalue().endswith("\r\x1b[K")  # wiped: the verb's own output starts clean


def test_no_line_when_stderr_is_not_a_terminal(without_index, capsys):
    with rebuild_line(io.StringIO()) as progress:
        assert progress is None
    assert main(["--db", str(without_index), "--today", TODAY.isoformat(), "overdue"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out  # the list, and no progress in a pipe
    assert (without_index / CACHE).exists()
