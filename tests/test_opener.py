"""Opening exported files: the system viewer per platform, a clear line without a display, and the keys."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from inspector.i18n import t
from inspector.paths import default_exports, default_db, demo_db, documents_exports
from inspector.storage.database import Database
from inspector.ui import opener
from inspector.ui.app import Settings, make_app
from inspector.ui.bindings import screen_actions

from .conftest import TODAY, fixed_clock


class Spawn:
    def __init__(self, error: OSError | None = None) -> None:
        self.calls: list[list[str]] = []
        self.error = error

    def __call__(self, command, **kwargs):
        if self.error:
            raise self.error
        assert kwargs["stdout"] is not None and kwargs["start_new_session"] is True  # detached, silent
        self.calls.append(command)


def which(name: str) -> str | None:
    return f"/usr/bin/{name}" if name == "xdg-open" else None


@pytest.mark.parametrize("env, platform, shown", [
    ({"DISPLAY": ":0"}, "linux", True),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
    ({}, "linux", False),  # a console, or SSH without X forwarding
    ({"SSH_CONNECTION": "10.0.0.2 22"}, "darwin", False),
    ({}, "darwin", True),
    ({"SSH_CONNECTION": "x"}, "win32", True),
])
def test_has_display(env, platform, shown):
    assert opener.has_display(env, platform) is shown


def test_linux_opens_with_xdg_open_detached(tmp_path):
    spawn = Spawn()
    result = opener.open_path(tmp_path, env={"DISPLAY": ":0"}, platform="linux", which=which, spawn=spawn)
    assert result.ok and result.key == "office.open.opening"
    assert spawn.calls == [["/usr/bin/xdg-open", str(tmp_path)]]


def test_macos_uses_open_and_windows_startfile(tmp_path):
    spawn = Spawn()
    assert opener.open_path(tmp_path, env={}, platform="darwin", spawn=spawn).ok
    assert spawn.calls == [["open", str(tmp_path)]]
    started: list[str] = []
    assert opener.open_path(tmp_path, env={}, platform="win32", startfile=started.append).ok
    assert started == [str(tmp_path)]


def test_no_display_says_so_and_names_the_path(tmp_path):
    spawn = Spawn()
    result = opener.open_path(tmp_path, env={"SSH_TTY": "/dev/pts/1"}, platform="linux", which=which, spawn=spawn)
    assert not result.ok and spawn.calls == []
    message = t(result.key, path=result.path, reason=result.reason)
    assert str(tmp_path) in message and "SSH" in message
    # A display but no opener installed: the same answer.
    result = opener.open_path(tmp_path, env={"DISPLAY": ":0"}, platform="linux", which=lambda _: None, spawn=spawn)
    assert result.key == "office.open.no_display"


def test_missing_file_and_failing_viewer(tmp_path):
    result = opener.open_path(tmp_path / "gone.docx", env={"DISPLAY": ":0"}, platform="linux", which=which, spawn=Spawn())
    assert (result.ok, result.key) == (False, "office.open.failed")
    assert "gone.docx" in t(result.key, path=result.path, reason=result.reason)
    failing = Spawn(PermissionError(13, "Permission denied"))
    result = opener.open_path(tmp_path, env={"DISPLAY": ":0"}, platform="linux", which=which, spawn=failing)
    assert (result.ok, result.reason) == (False, "Permission denied")


def test_latest_report_by_modification_time(tmp_path):
    assert opener.latest_report(tmp_path / "none") is None
    for n, name in enumerate(["b.md", "a.docx", "c.xlsx", ".report-x.tmp", "notes.txt"]):
        (tmp_path / name).write_text("x")
        os.utime(tmp_path / name, (1_700_000_000 + n, 1_700_000_000 + n))
    assert opener.latest_report(tmp_path) == tmp_path / "c.xlsx"


# ── where reports go ──────────────────────────────────────────────────────


def test_exports_go_into_the_database_folder_never_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "exports").mkdir()
    monkeypatch.chdir(tmp_path)  # a ./exports here must not capture another database's reports
    # README: <db>/exports/ (was ``exports/`` beside it: a database in the working directory wrote to ./exports).
    assert default_exports(tmp_path / "db") == tmp_path / "db" / "exports"
    assert default_exports(Path("db")) == tmp_path / "db" / "exports"
    # The default database and the demo live in the hidden data folder: their reports go to Documents.
    assert default_exports(default_db()) == documents_exports() == default_exports(demo_db())
    assert ".local" not in str(documents_exports())


# ── the keys in the app ───────────────────────────────────────────────────


@pytest.fixture
def app_db(tmp_path: Path):
    db = Database.open(tmp_path / "db", clock=fixed_clock)
    db.add_village("石堰村", "金鸡镇")
    yield db
    db.close()


async def test_keys_open_the_exports_folder_and_the_last_report(app_db, catalog, tmp_path, monkeypatch):
    opened: list[Path] = []

    def fake_open(path):
        opened.append(Path(path))
        return opener.Opened(False, "office.open.no_display", Path(path))

    monkeypatch.setattr(opener, "open_path", fake_open)
    exports = tmp_path / "exports"
    app = make_app(db=app_db, catalog=catalog, today=TODAY, settings=Settings(lang="zh", exports=exports, user="张伟"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        actions = {a.action: a for a in screen_actions(app.screen)}
        assert actions["open_exports"].description == "打开导出文件夹" and actions["open_exports"].keys == ("E",)
        assert actions["open_report"].description == "打开最近的报告"
        await pilot.press("E")  # nothing exported yet: the folder is named, nothing is opened
        await pilot.pause()
        assert opened == []
        assert any(str(exports) in str(n.message) for n in app._notifications)
        exports.mkdir()
        (exports / "报告.md").write_text("# x", encoding="utf-8")
        await pilot.press("E")
        await pilot.press("R")
        await pilot.pause()
        assert opened == [exports, exports / "报告.md"]
        last = [str(n.message) for n in app._notifications][-1]
        assert "SSH" in last and str(exports / "报告.md") in last
        app.last_report = exports / "后来的.docx"  # the app's own last export wins once it exists
        app.last_report.write_bytes(b"x")
        await pilot.press("R")
        await pilot.pause()
        assert opened[-1] == exports / "后来的.docx"


async def test_village_screen_has_the_keys_and_help_lists_them(app_db, catalog, tmp_path):
    app = make_app(db=app_db, catalog=catalog, today=TODAY, settings=Settings(lang="en", exports=tmp_path, user="x"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "enter")  # past the township's row, onto its village
        await pilot.pause()
        assert type(app.screen).__name__ == "VillageScreen"
        described = {a.description for a in screen_actions(app.screen)}
        assert {"Open exports folder", "Open last report"} <= described


async def test_walk_screen_offers_the_keys_only_once_completed(app_db, catalog, tmp_path):
    vid = app_db.villages()[0].id
    store = app_db.store(vid)
    draft = store.add_inspection(day="2026-11-01", kind="routine", inspectors=["张伟"], template="chongqing",
                                 template_version="2026.1").id
    done = store.add_inspection(day="2026-11-02", kind="routine", inspectors=["张伟"], template="chongqing",
                                template_version="2026.1").id
    store.update_inspection(done, state="completed")
    app = make_app(db=app_db, catalog=catalog, today=TODAY, settings=Settings(lang="zh", exports=tmp_path, user="x"))
    async with app.run_test(size=(100, 30)) as pilot:
        for iid, offered in ((draft, False), (done, True)):
            app.open_inspection(vid, iid)
            await pilot.pause()
            assert type(app.screen).__name__ == "WalkScreen"
            actions = {a.action for a in screen_actions(app.screen)}
            assert ("open_report" in actions, "open_exports" in actions) == (offered, offered)
            app.pop_screen()
            await pilot.pause()
