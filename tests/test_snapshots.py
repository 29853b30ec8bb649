"""Snapshots of each screen, in Chinese, at a fixed terminal size."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from inspector.catalog.loader import load_catalog
from inspector.storage.database import Database
from inspector.ui.app import make_app

TODAY = date(2026, 11, 21)


def _app(tmp_path: Path):
    db = Database.open(tmp_path / "db", clock=lambda: datetime(2026, 11, 21, 9))
    for name, township, kind in [("石堰村", "金鸡镇", "village"), ("新华村", "金鸡镇", "village"), ("龙溪社区", "龙溪街道", "community")]:
        db.add_village(name, township, kind)
    store = db.store("V0001")
    store.add_inspection(day="2026-11-01", kind="routine", inspectors=["张伟"], template="chongqing", template_version="2026.1")
    store.add_finding({"title": "多余牌子", "theme": "signboards", "unit": "镇综治办"}, deadline="2026-11-10", by="张伟")
    catalog, _ = load_catalog()
    app = make_app(db=db, catalog=catalog, today=TODAY)
    return app


def test_main_screen_zh_80x24(snap_compare, tmp_path):
    app = _app(tmp_path)

    async def fixed_subtitle(pilot):
        pilot.app.sub_title = "数据库 demo · 今天 2026-11-21"
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=fixed_subtitle)


def test_help_screen_zh_80x24(snap_compare, tmp_path):
    app = _app(tmp_path)

    async def open_help(pilot):
        pilot.app.sub_title = "数据库 demo · 今天 2026-11-21"
        await pilot.press("f1")
        await pilot.pause()

    # The help text names the database path: keep it stable.
    app.db.root = Path("/data/inspector/db")
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_help)


def test_catalog_screen_zh_80x24(snap_compare, tmp_path):
    app = _app(tmp_path)

    async def open_catalog(pilot):
        await pilot.press("c")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_catalog)


def _walk_app(tmp_path: Path):
    app = _app(tmp_path)
    store = app.db.store("V0002")
    inspection = store.add_inspection(day="2026-11-21", kind="unannounced", inspectors=["张伟", "李秀英"], template="chongqing", template_version="2026.1")
    from inspector.core.visit import open_visit

    visit = open_visit(app.db, app.catalog, {}, inspection["id"])
    items = visit.checklist.by_theme()["signboards"]
    visit.observe(items[0], {"what": "安全生产监管站", "department": "区应急管理局", "marked_violation": True})
    visit.answer(items[1], value="count", found=7, allowed=3, note="其中 4 块无依据")
    return app, inspection["id"]


def _snap_walk(snap_compare, tmp_path, size, press=()):
    app, iid = _walk_app(tmp_path)

    async def open_walk(pilot):
        pilot.app.open_inspection(iid)
        await pilot.pause()
        for key in press:
            await pilot.press(key)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=open_walk)


def test_checklist_screen_zh_80x24(snap_compare, tmp_path):
    _snap_walk(snap_compare, tmp_path, (80, 24))


def test_checklist_screen_zh_120x40(snap_compare, tmp_path):
    _snap_walk(snap_compare, tmp_path, (120, 40), press=("b",))


def test_finding_editor_zh_80x24(snap_compare, tmp_path):
    _snap_walk(snap_compare, tmp_path, (80, 24), press=("up", "up", "p"))  # up to the failed signboard item


def test_finding_editor_zh_120x40(snap_compare, tmp_path):
    _snap_walk(snap_compare, tmp_path, (120, 40), press=("up", "up", "p"))


def _demo_app(tmp_path: Path):
    from inspector.core.demo import build_demo

    build_demo(tmp_path / "demo", villages=6, years=1, seed=5, today=TODAY)
    db = Database.open(tmp_path / "demo", clock=lambda: datetime(2026, 11, 21, 9))
    catalog, _ = load_catalog()
    return make_app(db=db, catalog=catalog, today=TODAY, user="王主任")


def _snap_review(snap_compare, tmp_path, size):
    app = _demo_app(tmp_path)

    async def open_review(pilot):
        pilot.app.sub_title = "数据库 demo · 今天 2026-11-21"
        await pilot.press("o")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=open_review)


def test_review_screen_zh_80x24(snap_compare, tmp_path):
    _snap_review(snap_compare, tmp_path, (80, 24))


def test_review_screen_zh_120x40(snap_compare, tmp_path):
    _snap_review(snap_compare, tmp_path, (120, 40))


def test_village_ledger_zh_120x40(snap_compare, tmp_path):
    app = _demo_app(tmp_path)

    async def open_ledger(pilot):
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=open_ledger)
