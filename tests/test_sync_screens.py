"""The sync screens: export, import (trust, preview, report), bad bundles, a read-only copy, the shared folder.

Each simulated laptop is its own database and its own device file
(INSPECTOR_DEVICE, switched with monkeypatch as tests/test_sync_cli.py does);
the app is driven with the pilot and the stored data is checked afterwards.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from inspector import device, wiring
from inspector.core import ids
from inspector.core.moves import record
from inspector.core.records import Finding
from inspector.core.sync import MergeReport, Superseded
from inspector.storage.database import Database
from inspector.ui import sync_steps
from inspector.ui.app import make_app
from inspector.ui.dialogs import DialogError, MessageDialog
from inspector.ui.screens.sync_dialogs import AskAndRunDialog, LinesDialog
from inspector.ui.screens.sync_screen import SyncScreen
from inspector.ui.wrapped import WrappedText

A_ID, B_ID = "01JAAAAAAAAAAAAAAAAAAAAAA1", "01JBBBBBBBBBBBBBBBBBBBBBB2"
TODAY = date(2026, 11, 21)


@dataclass
class Laptop:
    root: Path
    device_file: Path
    id: str

    def use(self, monkeypatch) -> None:
        monkeypatch.setenv("INSPECTOR_DEVICE", str(self.device_file))

    def open(self, read_only: bool = False) -> Database:
        return Database.open(self.root, clock=lambda: datetime(2026, 11, 21, 9, 30), device=self.id, read_only=read_only)


def laptop(tmp_path: Path, name: str, did: str, label: str, monkeypatch, village: str, title: str) -> Laptop:
    """A laptop whose database holds one village with one finding (recorded on that device)."""
    folder = tmp_path / f"device-{name}"
    folder.mkdir()
    (folder / "device.json").write_text(json.dumps({"id": did, "name": label}, ensure_ascii=False), encoding="utf-8")
    lap = Laptop(tmp_path / f"db-{name}", folder / "device.json", did)
    lap.use(monkeypatch)
    db = lap.open()
    v = db.add_village(village, "金鸡镇")
    store = db.store(v.id)
    f = store.add_finding(Finding(id="", village=v.id, title=title, theme="signboards", unit="镇综治办"),
                          deadline=date(2026, 12, 1), by=label)
    record(store, f.id, "assign", by=label, unit="镇综治办")
    db.close()
    return lap


@pytest.fixture
def a(tmp_path, monkeypatch):
    return laptop(tmp_path, "a", A_ID, "张伟的电脑", monkeypatch, "石堰村", "多余牌子")


@pytest.fixture
def b(tmp_path, monkeypatch):
    return laptop(tmp_path, "b", B_ID, "陈静的电脑", monkeypatch, "新华村", "重复报表")


def bundle_of(lap: Laptop, monkeypatch, out: Path) -> Path:
    """``lap``'s whole database as a bundle file in ``out`` (written as `sync export` writes it)."""
    lap.use(monkeypatch)
    db = lap.open()
    try:
        data, _, _ = wiring.export_bundle(db)
    finally:
        db.close()
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{lap.id}{wiring.BUNDLE_SUFFIX}"
    path.write_bytes(data)
    return path


def files_of(root: Path) -> dict[str, bytes]:
    """Every file of a database but the lock and the query cache (derived)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith(".lock") and not p.name.startswith("index.sqlite")}


def text_of(screen) -> str:
    return "\n".join(w.text for w in screen.query(WrappedText))


async def settle(pilot) -> None:
    """Let the workers finish and their messages land."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def submit(pilot, value: str) -> None:
    """Type ``value`` into the dialog in front and press Enter."""
    pilot.app.screen.query_one(Input).value = value
    await pilot.press("enter")
    await settle(pilot)


# ── export ────────────────────────────────────────────────────────────────────


async def test_export_writes_a_signed_bundle_into_the_exports_folder(a, catalog, tmp_path, monkeypatch):
    a.use(monkeypatch)
    db = a.open()
    app = make_app(db=db, catalog=catalog, today=TODAY)
    app.settings.exports = tmp_path / "exports"  # not made yet: the export makes it
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, SyncScreen)
        await pilot.press("e")
        assert isinstance(app.screen, AskAndRunDialog)
        assert app.screen.query_one(Input).value == str(tmp_path / "exports")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SyncScreen)
        row = app.screen.query_one("#sync-devices", DataTable).get_row(A_ID)
        assert str(row[4]) == "导出 2026-11-21 09:30"
    path = tmp_path / "exports" / f"{A_ID}{wiring.BUNDLE_SUFFIX}"
    bundle = wiring.read_bundle(path.read_bytes())  # signed by this device: the signature checks
    assert (bundle.device, bundle.name) == (A_ID, "张伟的电脑")
    assert [v["name"] for v in bundle.villages] == ["石堰村"]
    assert db.known_devices()[A_ID].last_export == "2026-11-21T09:30:00"
    db.close()


async def test_export_to_a_missing_folder_says_so_in_the_dialog(a, catalog, tmp_path, monkeypatch):
    a.use(monkeypatch)
    db = a.open()
    app = make_app(db=db, catalog=catalog, today=TODAY, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "e")
        await submit(pilot, str(tmp_path / "nowhere"))
        assert isinstance(app.screen, AskAndRunDialog)  # still open, to correct the path
        assert str(app.screen.query_one(DialogError).render()) == f"No such folder: {tmp_path / 'nowhere'}."
    db.close()


# ── import ────────────────────────────────────────────────────────────────────


async def test_import_from_another_device_asks_trust_then_previews_then_reports(a, b, catalog, tmp_path, monkeypatch):
    path = bundle_of(b, monkeypatch, tmp_path / "stick")
    b.use(monkeypatch)
    b_fingerprint = device.this_device().fingerprint
    a.use(monkeypatch)
    db = a.open()
    app = make_app(db=db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "i")
        await submit(pilot, str(path))
        # The trust question: the device's name and key fingerprint.
        assert isinstance(app.screen, LinesDialog)
        shown = text_of(app.screen)
        assert "陈静的电脑" in shown and b_fingerprint in shown and ids.short(B_ID) in shown
        assert B_ID not in shown  # never the whole id
        await pilot.press("y")
        await settle(pilot)
        # The preview: what the merge would add; nothing stored yet.
        assert isinstance(app.screen, LinesDialog)
        preview = text_of(app.screen)
        assert "新增村（社区）1 个：新华村" in preview and "1 个问题" in preview and "处理记录" in preview
        assert sorted(v.name for v in db.villages()) == ["石堰村"]
        await pilot.press("y")
        await settle(pilot)
        # The report; the records are there.
        assert isinstance(app.screen, MessageDialog)
        report = text_of(app.screen)
        assert "新增村（社区）1 个：新华村" in report
        await pilot.press("escape")
        row = app.screen.query_one("#sync-devices", DataTable).get_row(B_ID)
        assert (str(row[0]), str(row[3]), str(row[4])) == ("陈静的电脑", "是", "导入 2026-11-21 09:30")
        await pilot.press("escape")  # back on the main screen: the new village, and when B last synced
        table = app.screen.query_one("#villages", DataTable)
        assert any("新华村" in str(table.get_row_at(n)[0]) for n in range(table.row_count))
        assert app.screen.query_one("#sync-status", WrappedText).text == "同步：陈静的电脑 2026-11-21 09:30 导入"
    villages = {v.name: v.id for v in db.villages()}
    assert sorted(villages) == ["新华村", "石堰村"]
    store = db.store(villages["新华村"])
    [finding] = store.findings()
    assert finding.title == "重复报表"
    assert [e.type for e in store.events()] == ["found", "assign"]
    known = db.known_devices()[B_ID]
    assert known.trusted is True and known.name == "陈静的电脑"
    db.close()


async def test_not_trusting_imports_nothing(a, b, catalog, tmp_path, monkeypatch):
    path = bundle_of(b, monkeypatch, tmp_path / "stick")
    a.use(monkeypatch)
    before = files_of(a.root)
    db = a.open()
    app = make_app(db=db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "i")
        await submit(pilot, str(path))
        assert isinstance(app.screen, LinesDialog)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, SyncScreen)
    db.close()
    assert files_of(a.root) == before


@pytest.mark.parametrize("damage, says", [
    (lambda data: b"not a bundle at all", "这不是本软件的数据包。"),
    (lambda data: data[: len(data) // 2], "此数据包不完整"),
    (lambda data: data[:-40] + bytes([data[-40] ^ 1]) + data[-39:], "此数据包在签名后被改动"),
])
async def test_a_bad_bundle_is_one_line_in_the_dialog_and_changes_nothing(a, b, catalog, tmp_path, monkeypatch,
                                                                          damage, says):
    good = bundle_of(b, monkeypatch, tmp_path / "stick")
    bad = tmp_path / "stick" / "bad.inspector-bundle"
    bad.write_bytes(damage(good.read_bytes()))
    a.use(monkeypatch)
    before = files_of(a.root)
    db = a.open()
    app = make_app(db=db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "i")
        await submit(pilot, str(bad))
        assert isinstance(app.screen, AskAndRunDialog)
        line = str(app.screen.query_one(DialogError).render())
        assert line.startswith("bad.inspector-bundle：") and says in line and "\n" not in line
        assert "Traceback" not in line
        await pilot.press("escape")
        assert isinstance(app.screen, SyncScreen)
    db.close()
    assert files_of(a.root) == before


async def test_a_read_only_copy_refuses_import(a, b, catalog, tmp_path, monkeypatch):
    bundle_of(b, monkeypatch, tmp_path / "stick")
    a.use(monkeypatch)
    holder = a.open()  # another copy holds the database
    db = a.open()
    assert db.read_only
    before = files_of(a.root)
    app = make_app(db=db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        app.clear_notifications()
        await pilot.press("s", "i")
        assert isinstance(app.screen, SyncScreen)  # no dialog opened
        assert [n.message for n in app._notifications] == ["数据库为只读（本程序的另一个窗口正在使用），不能修改。"]
        await pilot.press("g")  # nor can it set the shared folder
        assert isinstance(app.screen, SyncScreen)
    db.close()
    holder.close()
    assert files_of(a.root) == before


# ── the shared folder ─────────────────────────────────────────────────────────


async def test_shared_folder_is_set_synced_at_start_and_on_refresh(a, b, catalog, tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    a.use(monkeypatch)
    db = a.open()
    app = make_app(db=db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "g")
        await submit(pilot, str(shared))
        await settle(pilot)
        assert "共享文件夹：" + str(shared) in app.screen.query_one("#sync-me", WrappedText).text
    # Setting it synced once already: this device's own file is in the folder.
    assert (shared / f"{A_ID}{wiring.BUNDLE_SUFFIX}").exists()
    assert sync_steps.shared_folder(db) == shared
    db.close()

    # B's bundle arrives in the folder; A trusted B before (an earlier import).
    bundle_of(b, monkeypatch, shared)
    b.use(monkeypatch)
    b_key = device.this_device().public_key
    a.use(monkeypatch)
    db = a.open()
    import base64

    db.note_device(B_ID, name="陈静的电脑", public_key=base64.b64encode(b_key).decode(), trusted=True)
    app = make_app(db=db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the sync at start, in a worker behind a spinner
        assert sorted(v.name for v in db.villages()) == ["新华村", "石堰村"]
        status = app.screen.query_one("#sync-status", WrappedText).text
        assert "陈静的电脑 2026-11-21 09:30 导入" in status and "本机 2026-11-21 09:30 导出" in status
        app.clear_notifications()
        await pilot.press("r")  # the refresh key syncs again: B's file is unchanged
        await settle(pilot)
        [note] = [n.message for n in app._notifications]
        assert "导入 0 个数据包" in note and "未变 1 个" in note
    db.close()


async def test_folder_sync_skips_an_untrusted_device_and_says_how_to_trust_it(a, b, catalog, tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    bundle_of(b, monkeypatch, shared)
    a.use(monkeypatch)
    db = a.open()
    sync_steps.set_shared_folder(db, shared)
    app = make_app(db=db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MessageDialog)  # something needs a look
        shown = text_of(app.screen)
        assert "设备 陈静的电脑（编号 BBBBBBB2）尚未信任" in shown and "按 i 导入此文件" in shown
    assert sorted(v.name for v in db.villages()) == ["石堰村"]
    db.close()


async def test_the_demo_never_syncs_with_the_folder(a, catalog, tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    a.use(monkeypatch)
    db = a.open()
    sync_steps.set_shared_folder(db, shared)
    app = make_app(db=db, catalog=catalog, today=TODAY, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert list(shared.iterdir()) == []
    db.close()


# ── the report's words ────────────────────────────────────────────────────────


def test_report_lines_name_conflicts_quarantine_kept_versions_and_duplicates_by_their_labels(a, b, monkeypatch, tmp_path):
    path = bundle_of(b, monkeypatch, tmp_path / "stick")
    a.use(monkeypatch)
    db = a.open()
    incoming = sync_steps.load(path)
    report = MergeReport(conflicts=[("石堰村", "多余牌子", "close")],
                         quarantined=[("石堰村", "多余牌子", "verify", B_ID)],
                         superseded=[Superseded("findings", "x", {"title": "多余牌子"}, "h")],
                         possible_duplicates=[("金鸡镇", "新华村")])
    lines = sync_steps.report_lines(report, incoming, db)
    assert lines == [
        "冲突：石堰村，多余牌子：“销号”与合并后的经过不符（已留档）",
        "隔离：石堰村，多余牌子：陈静的电脑 的“复核通过”，该设备在名册中不是督查人员（未生效）",
        "保留了问题“多余牌子”被替换的版本（两台设备都改过）",
        "可能重复的村（社区）：新华村（金鸡镇）",
    ]
    db.close()
