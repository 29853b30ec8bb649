"""A supervisor's session on the review screen, then the stored events and the overdue list."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from inspector.core.overdue import rows_as_of, rows_from_index
from inspector.storage.database import Database
from inspector.ui.app import make_app
from inspector.core.moves import record
from .conftest import add_finding

TODAY = date(2026, 11, 21)


def clock_on(day: str):
    return lambda: datetime.fromisoformat(day + "T09:00:00")


@pytest.fixture
def supervised(tmp_path: Path):
    """Four findings in known states; F2 is reported done and waits for verification."""
    root = tmp_path / "db"
    db = Database.open(root, clock=clock_on("2026-10-01"))
    a1 = db.add_village("石堰村", "金鸡镇")
    a2 = db.add_village("新华村", "金鸡镇")
    b1 = db.add_village("龙溪社区", "龙溪街道", kind="community")
    s1, s2, s3 = db.store(a1.id), db.store(a2.id), db.store(b1.id)
    f1 = add_finding(s1, {"title": "多余牌子", "theme": "signboards", "unit": "镇综治办", "severity": "medium"}, deadline="2026-11-10", by="张伟")
    f2 = add_finding(s1, {"title": "重复台账", "theme": "ledgers", "unit": "镇民政办", "severity": "low"}, deadline="2026-11-30", by="张伟")
    f3 = add_finding(s2, {"title": "城管任务下派", "theme": "tasks", "unit": "镇城管执法队", "severity": "high"}, deadline="2026-11-05", by="张伟")
    f4 = add_finding(s3, {"title": "开具居住证明", "theme": "certificates", "unit": "社区居委会", "severity": "high"}, deadline="2026-11-01", by="张伟")
    for store, fid in ((s1, f1.id), (s1, f2.id), (s2, f3.id), (s3, f4.id)):
        record(store, fid, "assign", by="张伟", unit=store.finding(fid).unit)
    record(s1, f2.id, "report", by="镇民政办", note="已合并为一本台账", evidence=["台账.jpg"])
    db.close()
    return root, (f1.id, f2.id, f3.id, f4.id)


def store_of(db, fid: str):
    """The records of the village finding ``fid`` belongs to (an id names no village)."""
    [(vid, _)] = db.locate("finding", fid)
    return db.store(vid)


async def test_supervisor_session(supervised, catalog):
    root, (f1, f2, f3, f4) = supervised
    db = Database.open(root, clock=clock_on("2026-11-21"))
    app = make_app(db=db, catalog=catalog, today=TODAY, user="王主任")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "ReviewScreen"
        counts = str(screen.query_one("#review-counts", Static).render())
        assert "已逾期 3" in counts
        # Filter to one township.
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#f-township", Select).value = "金鸡镇"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [r.id for r in screen.rows] == [f3, f1, f2]  # most overdue first; F4 is elsewhere
        # Save the filter under a name.
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"jjz")
        await pilot.press("enter")
        await pilot.pause()
        assert db.saved_filters() == {"jjz": {"township": "金鸡镇"}}

        table = screen.query_one("#review", DataTable)

        async def select(fid: str) -> None:
            table.move_cursor(row=[r.id for r in screen.rows].index(fid))
            await pilot.pause()

        # Extend F1, with a reason.
        await select(f1)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"2026-12-10")
        await pilot.click("#note")
        await pilot.press(*"waiting for funds")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Verify F2 on site, then close it.
        await select(f2)
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await select(f2)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Escalate F3: a reminder.
        await select(f3)
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        # A refused move says why at once (no dialog to fill in) and records nothing:
        # F3 cannot be closed before verification.
        await select(f3)
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is screen
        assert "不能销号" in str(list(app._notifications)[-1].message)
        assert [r.id for r in screen.rows] == [f3, f1]  # F2 closed: gone from the open list

    events = {fid: [(e.type, e.by) for e in store_of(db, fid).events(fid)] for fid in (f1, f2, f3)}
    assert events[f1][-1] == ("extend", "王主任")
    assert store_of(db, f1).events(f1)[-1].note == "waiting for funds"
    assert events[f2][-2:] == [("verify", "王主任"), ("close", "王主任")]
    assert events[f3][-1] == ("escalate", "王主任")
    assert store_of(db, f3).events(f3)[-1].level == "reminder"

    overdue = [r for r in rows_as_of(db, TODAY) if r.overdue]
    assert [(r.id, r.escalation) for r in overdue] == [(f4, 0), (f3, 1)]
    assert [(r.id, r.days) for r in rows_from_index(db, TODAY) if r.overdue] == [(f4, 20), (f3, 16)]
    # As of before the extension, F1 was overdue and F2 not yet closed.
    earlier = {r.id: r for r in rows_as_of(db, date(2026, 11, 20))}
    assert earlier[f1].overdue and earlier[f2].state == "reported"
    db.close()


async def test_saved_filter_reopens(supervised, catalog):
    root, (f1, f2, f3, f4) = supervised
    db = Database.open(root, clock=clock_on("2026-11-21"))
    db.save_filter("龙溪", {"township": "龙溪街道"})
    app = make_app(db=db, catalog=catalog, today=TODAY, user="王主任")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("o")  # open a saved filter
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert [r.id for r in app.screen.rows] == [f4]
        await pilot.press("l")  # the village's ledger
        await pilot.pause()
        assert type(app.screen).__name__ == "LedgerScreen"
        history = str(app.screen.query_one("#history", Static).render())
        assert "开具居住证明" in history and "交办" in history
    db.close()
