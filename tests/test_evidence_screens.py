"""Evidence in the app: e keeps files with an item's answer or a finding, O opens one, a close may need evidence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual import events
from textual.widgets import DataTable, Static, TextArea

from inspector.catalog.loader import DEFAULT_ROOT, load_catalog
from inspector.core import ids
from inspector.core.evidence import finding_files
from inspector.core.moves import record
from inspector.storage.database import Database
from inspector.ui import opener
from inspector.ui.app import Settings, make_app
from inspector.ui.screens.evidence_dialog import parse_paths

from .conftest import TODAY, add_finding, fixed_clock

JPEG = b"\xff\xd8\xff\xe0" + b"photo of the removed signboard" * 20  # 604 bytes


@pytest.fixture
def strict_catalog(tmp_path_factory):
    """A county copy that keeps files up to 1 MB and wants evidence before a closure."""
    root = tmp_path_factory.mktemp("county") / "county"
    shutil.copytree(DEFAULT_ROOT, root)
    (root / "county.toml").write_text("[evidence]\nmax_mb = 1\n\n[closure]\nneeds_evidence = true\n", encoding="utf-8")
    catalog, problems = load_catalog(root)
    assert problems == [] and catalog.county.closure_needs_evidence and catalog.county.evidence_max_bytes == 1024 * 1024
    return catalog


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "拍的照片"
    folder.mkdir()
    (folder / "整改前 1.jpg").write_bytes(JPEG)
    (folder / "台账.pdf").write_bytes(b"%PDF-1.4 ledger cover")
    (folder / "大照片.jpg").write_bytes(b"\xff\xd8" + b"x" * 1_300_000)  # 1.2 MB: over the strict county's 1 MB
    (folder / "setup.exe").write_bytes(b"MZ")
    return folder


@pytest.fixture
def village_db(tmp_path: Path):
    db = Database.open(tmp_path / "db", clock=fixed_clock)
    village = db.add_village("石堰村", "金鸡镇")
    store = db.store(village.id)
    iid = store.add_inspection(day="2026-11-01", kind="routine", inspectors=["张伟"], template="chongqing",
                               template_version="2026.1").id
    finding = add_finding(store, {"title": "多余牌子", "theme": "signboards", "unit": "镇综治办", "severity": "medium"},
                          deadline="2026-12-10", by="张伟")
    record(store, finding.id, "assign", by="张伟", unit="镇综治办")
    yield db, village.id, iid, finding.id
    db.close()


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def give_paths(pilot, text: str) -> None:
    """Paths as a terminal delivers a drag or a paste: one Paste event into the focused text area."""
    assert pilot.app.focused is pilot.app.screen.query_one("#evidence-paths", TextArea)
    pilot.app.post_message(events.Paste(text))  # to the app, as the terminal driver sends it (it forwards to the focus)
    await pilot.pause()


def kept_names(db) -> list[str]:
    folder = db.root / "evidence"
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# -- what the dialog reads ------------------------------------------------------------------------


def test_paths_one_per_line_quoted_escaped_dragged(tmp_path: Path):
    spaced = tmp_path / "整改前 1.jpg"
    spaced.write_bytes(JPEG)
    assert parse_paths(f"{spaced}\n\n  /a/b.pdf  \n") == [str(spaced), "/a/b.pdf"]  # a whole line that is a file
    assert parse_paths(f"'{spaced}' /a/b.pdf \"/c d/e.jpg\"") == [str(spaced), "/a/b.pdf", "/c d/e.jpg"]
    assert parse_paths("/c\\ d/e.jpg /f.png") == ["/c d/e.jpg", "/f.png"]
    assert parse_paths("file:///home/x/%E7%85%A7%E7%89%87.jpg") == ["/home/x/照片.jpg"]
    assert parse_paths('"C:\\Users\\x\\a.jpg" D:\\b.pdf') == ["C:\\Users\\x\\a.jpg", "D:\\b.pdf"]
    assert parse_paths("   \n") == []


# -- the walk: e on an item --------------------------------------------------------------------------


async def open_walk(app, pilot, vid: str, iid: str):
    app.open_inspection(vid, iid)
    await pilot.pause()
    screen = app.screen
    assert type(screen).__name__ == "WalkScreen"
    return screen


async def test_e_in_the_walk_keeps_files_with_the_answer(village_db, catalog, files, monkeypatch):
    db, vid, iid, _ = village_db
    opened: list[Path] = []
    monkeypatch.setattr(opener, "open_path", lambda p: (opened.append(Path(p)), opener.Opened(True, "office.open.opening", Path(p)))[1])
    app = make_app(db=db, catalog=catalog, today=TODAY, settings=Settings(lang="zh", user="张伟"))
    async with app.run_test(size=(100, 30)) as pilot:
        walk = await open_walk(app, pilot, vid, iid)
        item = walk.item
        await pilot.press("e")
        await pilot.pause()
        assert type(app.screen).__name__ == "EvidenceDialog"
        await give_paths(pilot, f"'{files / '整改前 1.jpg'}' '{files / '台账.pdf'}'")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is walk
        answer = db.store(vid).answers(iid)[item.id]
        assert [f.name for f in answer.files] == ["整改前 1.jpg", "台账.pdf"]
        assert answer.value is None  # evidence answers nothing
        assert {f.by for f in answer.files} == {"张伟"}
        for f in answer.files:  # kept under its hash, byte for byte
            assert db.evidence.relative_path(f) == f"evidence/{f.sha256[:2]}/{f.sha256[2:]}{f.suffix}"
            assert db.evidence.path_of(f).read_bytes() == (files / f.name).read_bytes()
        assert "已为检查事项" in notes(app)[-1] and "整改前 1.jpg（1 KB）" in notes(app)[-1]
        detail = str(walk.query_one("#item-text", Static).render())
        assert "佐证材料" in detail and "整改前 1.jpg · 1 KB · 张伟 · 2026-11-21 09:30" in detail
        # The same photo again: stored once, not recorded twice.
        await pilot.press("e")
        await pilot.pause()
        assert "已保存 2 个文件" in str(app.screen.query_one("#evidence-kept", Static).render())
        await give_paths(pilot, str(files / "整改前 1.jpg"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(db.store(vid).answers(iid)[item.id].files) == 2 and len(kept_names(db)) == 2
        assert "未重复保存" in notes(app)[-1]
        assert app.screen is walk
        # O with two files: pick one, it opens with the system's viewer.
        await pilot.press("O")
        await pilot.pause()
        assert type(app.screen).__name__ == "PickDialog"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert opened == [db.evidence.path_of(answer.files[1])]
        assert notes(app)[-1] == "正在用系统程序打开 台账.pdf"


async def test_a_refused_file_keeps_nothing_and_says_why_per_file(village_db, strict_catalog, files):
    db, vid, iid, _ = village_db
    app = make_app(db=db, catalog=strict_catalog, today=TODAY, settings=Settings(lang="zh", user="张伟"))
    async with app.run_test(size=(100, 30)) as pilot:
        walk = await open_walk(app, pilot, vid, iid)
        item = walk.item
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        await give_paths(pilot, "\n".join(str(files / n) for n in ("整改前 1.jpg", "大照片.jpg", "setup.exe")))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog  # stays open with what was typed
        error = str(dialog.query_one("#error", Static).render()).splitlines()
        assert len(error) == 2
        assert error[0].startswith("大照片.jpg 大小为 1.2 MB，超过上限 1.0 MB")
        assert "setup.exe" in error[1] and ".exe" in error[1]
        assert kept_names(db) == []
        assert item.id not in db.store(vid).answers(iid)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is walk
    i_en = make_app(db=db, catalog=strict_catalog, today=TODAY, settings=Settings(lang="en", user="张伟"))
    async with i_en.run_test(size=(100, 30)) as pilot:
        await open_walk(i_en, pilot, vid, iid)
        await pilot.press("e")
        await pilot.pause()
        await give_paths(pilot, str(files / "nowhere.jpg"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(i_en.screen.query_one("#error", Static).render())
        assert error == f"File not found: {files / 'nowhere.jpg'}; no file was kept."
    assert kept_names(db) == []


async def test_a_read_only_copy_refuses_e_before_any_dialog(village_db, catalog):
    db, vid, iid, fid = village_db
    second = Database.open(db.root, clock=fixed_clock)
    assert second.read_only
    app = make_app(db=second, catalog=catalog, today=TODAY, settings=Settings(lang="zh", user="王主任"))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_walk(app, pilot, vid, iid)
        before = sum("只读" in n for n in notes(app))  # the app says once that this copy is read-only
        await pilot.press("e")
        await pilot.pause()
        assert type(app.screen).__name__ == "WalkScreen"
        app.pop_screen()
        await pilot.press("o")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"
        await pilot.press("e")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert type(app.screen).__name__ == "LedgerScreen"
        assert sum("只读" in n for n in notes(app)) == before + 3
    second.close()
    assert kept_names(db) == [] and finding_files(db.store(vid).events(fid)) == []


# -- the review and the ledger: e on a finding, O opens, the county's closure rule ---------------------


async def test_review_e_keeps_files_with_the_finding_and_the_ledger_shows_and_opens_them(village_db, catalog, files,
                                                                                             monkeypatch):
    db, vid, _, fid = village_db
    opened: list[Path] = []

    def fake_open(path):
        opened.append(Path(path))
        return opener.Opened(False, "office.open.no_display", Path(path))

    monkeypatch.setattr(opener, "open_path", fake_open)
    app = make_app(db=db, catalog=catalog, today=TODAY, settings=Settings(lang="zh", user="王主任"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        review = app.screen
        assert [r.id for r in review.rows] == [fid]
        await pilot.press("e")
        await pilot.pause()
        assert str(app.screen.query_one(".dialog-hint", Static).render()) == f"问题 {ids.short(fid)} 多余牌子（石堰村）"
        await give_paths(pilot, f"{files / '整改前 1.jpg'}\n{files / '台账.pdf'}")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is review
        events_ = db.store(vid).events(fid)
        attach = [e for e in events_ if e.type == "attach"]
        assert len(attach) == 1 and attach[0].by == "王主任"
        assert [f.name for f in attach[0].files] == ["整改前 1.jpg", "台账.pdf"]
        assert [p.split("/", 1)[0] for p in kept_names(db)] == sorted(f.sha256[:2] for f in attach[0].files)
        assert f"问题 {ids.short(fid)} 多余牌子（石堰村）" in notes(app)[-1]
        # Enter: the history, its evidence listed; O opens the first file (no display: one line naming it).
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        listing = dialog.query_one("#evidence-files")
        assert [str(o.prompt) for o in listing.options] == ["整改前 1.jpg · 1 KB · 王主任 · 2026-11-21 09:30",
                                                            "台账.pdf · 1 KB · 王主任 · 2026-11-21 09:30"]
        await pilot.press("O")
        await pilot.pause()
        assert opened == [db.evidence.path_of(attach[0].files[0])]
        assert "SSH" in notes(app)[-1] and str(opened[0]) in notes(app)[-1]
        assert app.focused is None, app.focused
        await pilot.press("enter")  # Enter still closes the history
        await pilot.pause()
        assert app.screen is review
        # The ledger: a missing file and an altered one are marked; Enter on the list opens the chosen file.
        first, second = attach[0].files
        db.evidence.path_of(first).unlink()
        altered = db.evidence.path_of(second)
        altered.write_bytes(altered.read_bytes().replace(b"ledger", b"LEDGER"))
        await pilot.press("l")
        await pilot.pause()
        ledger = app.screen
        assert type(ledger).__name__ == "LedgerScreen"
        history = str(ledger.query_one("#history", Static).render())
        assert "佐证材料  王主任  整改前 1.jpg、台账.pdf" in history  # the attach event in the history
        lines = [str(o.prompt) for o in ledger.query_one("#evidence-files").options]
        assert lines[0].endswith("【文件缺失】") and lines[1].endswith("【文件已被改动】"), lines
        await pilot.press("O")  # the first is missing: said in one line, nothing started
        await pilot.pause()
        assert len(opened) == 1 and "找不到已保存的文件 整改前 1.jpg" in notes(app)[-1]
        ledger.query_one("#evidence-files").focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert opened[-1] == altered
        # e in the ledger too: the dialog lists what is kept already.
        ledger.query_one("#ledger", DataTable).focus()
        await pilot.press("e")
        await pilot.pause()
        assert "已保存 2 个文件" in str(app.screen.query_one("#evidence-kept", Static).render())


async def test_a_close_without_evidence_is_refused_when_the_county_requires_it(village_db, strict_catalog, files):
    db, vid, _, fid = village_db
    store = db.store(vid)
    record(store, fid, "report", by="镇综治办", note="已摘除")
    record(store, fid, "verify", by="王主任", verifier="王主任")
    app = make_app(db=db, catalog=strict_catalog, today=TODAY, settings=Settings(lang="zh", user="王主任"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        review = app.screen
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is review  # refused before the dialog opens
        assert notes(app)[-1] == "本县（区）规定销号前须有佐证材料：请先附上整改佐证（如整改前后照片、扫描件），再销号。"
        assert db.store(vid).events(fid)[-1].type == "verify"
        await pilot.press("e")
        await pilot.pause()
        await give_paths(pilot, str(files / "整改前 1.jpg"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert type(app.screen).__name__ == "MoveDialog"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [e.type for e in db.store(vid).events(fid)][-2:] == ["attach", "close"]


async def test_a_close_refused_at_the_move_when_the_rule_came_after_the_dialog(village_db, strict_catalog, catalog):
    """The dialog was opened under a county without the rule; the move itself is still checked (make_move)."""
    db, vid, _, fid = village_db
    store = db.store(vid)
    record(store, fid, "report", by="镇综治办", note="已摘除")
    record(store, fid, "verify", by="王主任", verifier="王主任")
    app = make_app(db=db, catalog=catalog, today=TODAY, settings=Settings(lang="zh", user="王主任"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        review = app.screen
        await pilot.press("c")
        await pilot.pause()
        assert type(app.screen).__name__ == "MoveDialog"
        app.catalog = strict_catalog  # e.g. the county's file was edited meanwhile
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is review
        assert "销号前须有佐证材料" in notes(app)[-1]
        assert db.store(vid).events(fid)[-1].type == "verify"
