"""Snapshots of each screen in both languages at 80×24 and 120×40."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from inspector.catalog.loader import load_catalog
from inspector.core import ids
from inspector.storage.database import Database
from inspector.ui.app import make_app
from .conftest import add_finding

TODAY = date(2026, 11, 21)


def _app(tmp_path: Path, lang: str = "zh"):
    # Seeded ids: the same database, and the same short ids on screen, at every run.
    db = Database.open(tmp_path / "db", clock=lambda: datetime(2026, 11, 21, 9), random_bytes=ids.seeded(1))
    villages = [db.add_village(name, township, kind)
                for name, township, kind in [("石堰村", "金鸡镇", "village"), ("新华村", "金鸡镇", "village"), ("龙溪社区", "龙溪街道", "community")]]
    store = db.store(villages[0].id)
    store.add_inspection(day="2026-11-01", kind="routine", inspectors=["张伟"], template="chongqing", template_version="2026.1")
    add_finding(store, {"title": "多余牌子", "theme": "signboards", "unit": "镇综治办"}, deadline="2026-11-10", by="张伟")
    catalog, _ = load_catalog()
    app = make_app(db=db, catalog=catalog, today=TODAY, lang=lang)
    return app


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGS = ["zh", "en"]
SUBTITLE = {"zh": "数据库 demo · 今天 2026-11-21", "en": "Database demo · today 2026-11-21"}


def _snap_keys(snap_compare, app, size, lang, keys=()):
    """Open the app in ``lang``, press ``keys``, snapshot. The database path is kept out of the picture."""

    async def run(pilot):
        pilot.app.clear_notifications()  # the drafts reminder: not part of the screen under test
        pilot.app.sub_title = SUBTITLE[lang]
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        pilot.app.clear_notifications()
        pilot.app.sub_title = SUBTITLE[lang]
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_main_screen(snap_compare, tmp_path, lang, size):
    _snap_keys(snap_compare, _app(tmp_path, lang), size, lang)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_help_screen(snap_compare, tmp_path, lang, size):
    app = _app(tmp_path, lang)
    app.db.root = Path("/data/inspector/db")  # the help names the database: keep it stable (nothing is read after)
    _snap_keys(snap_compare, app, size, lang, ("f1",))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_catalog_screen(snap_compare, tmp_path, lang, size):
    _snap_keys(snap_compare, _app(tmp_path, lang), size, lang, ("c",))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_village_screen(snap_compare, tmp_path, lang, size):
    _snap_keys(snap_compare, _app(tmp_path, lang), size, lang, ("down", "enter"))


def _walk_app(tmp_path: Path, lang: str = "zh"):
    app = _app(tmp_path, lang)
    village = next(v for v in app.db.villages() if v.name == "新华村")
    store = app.db.store(village.id)
    inspection = store.add_inspection(day="2026-11-21", kind="unannounced", inspectors=["张伟", "李秀英"], template="chongqing", template_version="2026.1")
    from inspector.core.visit import open_visit

    visit = open_visit(app.db, app.catalog, {}, inspection.id, village.id)
    items = visit.checklist.by_theme()["signboards"]
    visit.observe(items[0], {"what": "安全生产监管站", "department": "区应急管理局", "marked_violation": True})
    visit.answer(items[1], value="count", found=7, allowed=3, note="其中 4 块无依据")
    return app, village.id, inspection.id


def _snap_walk(snap_compare, tmp_path, size, lang="zh", press=()):
    app, vid, iid = _walk_app(tmp_path, lang)

    async def open_walk(pilot):
        pilot.app.open_inspection(vid, iid)
        await pilot.pause()
        for key in press:
            await pilot.press(key)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=open_walk)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_checklist_screen(snap_compare, tmp_path, lang, size):
    # At 120x40 the basis panel (b) is open as well.
    _snap_walk(snap_compare, tmp_path, size, lang, press=("b",) if size == (120, 40) else ())


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_finding_editor(snap_compare, tmp_path, lang, size):
    _snap_walk(snap_compare, tmp_path, size, lang, press=("up", "up", "p"))  # up to the failed signboard item


def _demo_app(tmp_path: Path, lang: str = "zh"):
    from inspector.wiring import build_demo

    build_demo(tmp_path / "demo", villages=6, years=1, seed=5, today=TODAY)
    db = Database.open(tmp_path / "demo", clock=lambda: datetime(2026, 11, 21, 9))
    catalog, _ = load_catalog()
    return make_app(db=db, catalog=catalog, today=TODAY, user="王主任", lang=lang)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_review_screen(snap_compare, tmp_path, lang, size):
    _snap_keys(snap_compare, _demo_app(tmp_path, lang), size, lang, ("o",))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_village_ledger(snap_compare, tmp_path, lang, size):
    _snap_keys(snap_compare, _demo_app(tmp_path, lang), size, lang, ("o", "l"))


# ── sync (issue 11) ───────────────────────────────────────────────────────────

SYNC_DEVICE = Path(__file__).parent / "fixtures" / "sync_device" / "device.json"  # a fixed id and public key


def _sync_app(tmp_path: Path, monkeypatch, lang: str):
    """The snapshot database, run as the fixed device (its fingerprint is fixed), knowing one other laptop.

    The fixture holds only the public key (the private key is not needed to draw; nothing is signed):
    copied, so a test that renamed the device could not change it.
    """
    import base64

    device_file = tmp_path / "device" / "device.json"
    device_file.parent.mkdir()
    device_file.write_bytes(SYNC_DEVICE.read_bytes())
    monkeypatch.setenv("INSPECTOR_DEVICE", str(device_file))
    app = _app(tmp_path, lang)
    app.db.note_device("01SNAPDEV1CE0000000000000S", last_export="2026-11-21T08:15:00")
    app.db.note_device("01SNAPTHERDEV00000WANGFANG", name="县督导 王芳", trusted=True,
                       public_key=base64.b64encode(bytes(range(32))).decode(), last_import="2026-11-20T17:40:00")
    app.db.note_device("01SNAPNEWDEV000000CHENJ1NG", name="新华村 陈静", trusted=False,
                       public_key=base64.b64encode(bytes(range(1, 33))).decode())
    return app


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_sync_screen(snap_compare, tmp_path, monkeypatch, lang, size):
    _snap_keys(snap_compare, _sync_app(tmp_path, monkeypatch, lang), size, lang, ("s",))


@pytest.mark.parametrize("lang", LANGS)
def test_sync_line_on_the_main_screen(snap_compare, tmp_path, monkeypatch, lang):
    _snap_keys(snap_compare, _sync_app(tmp_path, monkeypatch, lang), (80, 24), lang)


# ── evidence (issue 12) ───────────────────────────────────────────────────────


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_evidence_dialog(snap_compare, tmp_path, lang, size):
    """e on a finding of the review, two relative names typed that are not there: one line for each, nothing kept."""
    from textual import events

    async def run(pilot):
        pilot.app.clear_notifications()  # the drafts reminder: not part of the screen under test
        pilot.app.sub_title = SUBTITLE[lang]
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        pilot.app.clear_notifications()  # while the review is on top: it stays drawn behind the dialog
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        pilot.app.post_message(events.Paste("照片.jpg '现场 记录.pdf'"))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        pilot.app.clear_notifications()
        pilot.app.sub_title = SUBTITLE[lang]
        await pilot.pause()

    assert snap_compare(_app(tmp_path, lang), terminal_size=size, run_before=run)
