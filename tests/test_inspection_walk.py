"""A whole inspection walked with key presses, then the stored data and the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import DataTable, Input

from inspector.core.errors import UserError
from inspector.storage.database import Database
from inspector.ui.app import Settings, make_app

from .conftest import TODAY, fixed_clock


@pytest.fixture
def db(tmp_path: Path):
    database = Database.open(tmp_path / "db", clock=fixed_clock)
    database.add_village("石堰村", "金鸡镇", county="渝北区")
    yield database
    database.close()


def store_of(db):
    """The records of the fixture's one village."""
    [village] = db.villages()
    return db.store(village.id)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


async def paste(pilot, text: str) -> None:
    """Text arriving at once in the focused field (an input method's commit, a paste).

    Each key press costs the pilot tens of milliseconds of waiting; the
    walk's long Chinese texts go in at once, the short ones are typed.
    """
    pilot.app.focused.post_message(events.Paste(text))
    await pilot.pause()


async def answer_passing(pilot, screen, item) -> None:
    """The passing answer; the cursor rule then moves on by itself."""
    if item.answer == "yes_no":
        await pilot.press("y" if item.fail_on == "no" else "n")
    elif item.answer == "count" and item.allowed is not None:
        await pilot.press("f", "1", "enter")  # allowed comes from the county's reference list
    elif item.answer == "count":
        await pilot.press("f", "1", "enter")  # found alone does not settle it: the cursor stays
        await pilot.press("a", "3", "enter")
    else:
        await pilot.press("y")
    # No extra pause: the pilot waits after every key until the app is idle.


async def record(pilot, what: str, department: str, violation: bool = False) -> None:
    await pilot.press("o")
    await pilot.pause()
    await paste(pilot, what)
    await pilot.click("#department")
    await paste(pilot, department)
    if violation:
        await pilot.click("#marked_violation")
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_walk_a_whole_inspection(db, catalog, tmp_path):
    exports = tmp_path / "exports"
    app = make_app(db=db, catalog=catalog, today=TODAY, settings=Settings(lang="zh", exports=exports, user="张伟"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # the village row under its township
        await pilot.pause()
        assert type(app.screen).__name__ == "VillageScreen"
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "张伟,李秀英")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "WalkScreen"
        visit = screen.visit
        checklist = visit.checklist

        for n, theme in enumerate(checklist.themes):
            for row, item in enumerate(checklist.by_theme()[theme.id]):
                # No cursor moves by the test: each passing answer took the cursor here.
                assert screen.item.id == item.id
                if item.id == "signboards.01":
                    # A signboard with no basis: a violation, and its finding.
                    await record(pilot, "安全生产监管站", "区应急管理局", violation=True)
                    await pilot.press("p")
                    await pilot.pause()
                    await pilot.click("#deadline")
                    await pilot.press("end", "ctrl+u")
                    await type_text(pilot, "+15d")
                    await pilot.press("ctrl+s")
                    await pilot.pause()
                    await pilot.press("y")  # checked: nothing else hangs there
                    await pilot.pause()
                    assert screen.item.id == item.id  # a failed item keeps the cursor
                    await pilot.press("down")
                elif item.id == "tasks.01":
                    await record(pilot, "民政办让我们帮着核实低保户家里的收入", "镇民政办")
                    await record(pilot, "城管让村干部上街劝离占道经营的摊贩", "镇城管执法队")
                    # The negative-list task is the violation; record its finding in working days.
                    observations = screen.query_one("#observations", DataTable)
                    observations.focus()
                    observations.move_cursor(row=1)
                    await pilot.press("p")
                    await pilot.pause()
                    await pilot.click("#deadline")
                    await pilot.press("end", "ctrl+u")
                    await type_text(pilot, "20工作日")
                    await pilot.pause()
                    assert "2026-12-18" in str(app.screen.query_one("#deadline-resolved").render())
                    await pilot.press("ctrl+s")
                    await pilot.pause()
                    screen.query_one("#checks", DataTable).focus()
                    await pilot.press("y", "down")
                    await pilot.pause()
                elif item.id == "tasks.02":
                    # "No negative-list work" contradicts the task recorded under 3.1: refused, with a notice.
                    await pilot.press("n")
                    await pilot.pause()
                    assert getattr(visit.answers().get("tasks.02"), "value", None) != "no"
                    assert screen.item.id == item.id
                    assert any("城管让村干部上街劝离占道经营的摊贩" in str(n_.message) for n_ in app._notifications)
                    await pilot.press("y")  # its answer is "yes", settled by that task's finding
                    await pilot.pause()
                    assert visit.covering(item) and visit.unsettled(item) == []
                    await pilot.press("down")
                else:
                    await answer_passing(pilot, screen, item)
            if n < len(checklist.themes) - 1:
                await pilot.press("right_square_bracket")
                await pilot.pause()

        assert visit.problems() == []
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()

    store = store_of(db)
    inspection = store.inspections()[0]
    assert inspection.state == "completed"
    assert inspection.inspectors == ("张伟", "李秀英")
    assert inspection.template_version == checklist.version
    observations = store.observations(inspection.id)
    tasks = [o for o in observations if o.kind == "task"]
    assert [o.classification["kind"] for o in tasks] == ["assistance", "negative"]
    assert [o.violation for o in tasks] == [False, True]
    findings = store.findings(inspection.id)
    assert len(findings) == 2
    by_item = {f.item: f for f in findings}
    assert by_item["signboards.01"].unit == "区应急管理局"
    assert store.status(by_item["signboards.01"].id).deadline.isoformat() == "2026-12-06"
    assert by_item["tasks.01"].unit == "镇城管执法队"
    assert store.status(by_item["tasks.01"].id).deadline.isoformat() == "2026-12-18"
    assert "cq2019.negative.04" in by_item["tasks.01"].basis
    # The report was written on completion.
    reports = list(exports.glob("*.md"))
    assert len(reports) == 1 and "石堰村" in reports[0].name
    text = reports[0].read_text(encoding="utf-8")
    assert "安全生产监管站" in text and "区应急管理局" in text and "2026-12-18" in text
    assert "城管让村干部上街劝离占道经营的摊贩" in text


async def test_completed_inspection_is_locked_and_amended(db, catalog, tmp_path):
    from inspector.core.visit import Locked, open_visit

    store = store_of(db)
    checklist = catalog.checklists["chongqing"]
    inspection = store.add_inspection(day="2026-11-21", kind="random", inspectors=["张伟"], template="chongqing", template_version=checklist.version)
    visit = open_visit(db, catalog, {}, inspection.id)
    for item in checklist.items:
        if item.answer == "yes_no":
            visit.answer(item, value="yes" if item.fail_on == "no" else "no")
        elif item.answer == "count":
            visit.answer(item, value="count", found=0, allowed=1)
        else:
            visit.answer(item, value="list")
    assert visit.problems() == []
    visit.complete(by="张伟")
    first = checklist.items[0]
    with pytest.raises(Locked):
        visit.answer(first, value="na")
    with pytest.raises(UserError) as err:  # a refusal with its message key (issue 10), not a ValueError
        visit.amend(first, "note", "补充", reason=" ", by="张伟")
    assert err.value.key == "inspection.amend_needs_reason"
    visit.amend(first, "note", "补充说明", reason="现场记录遗漏", by="李秀英")
    stored = store.inspection(inspection.id)
    assert stored.amendments[0].by == "李秀英" and stored.amendments[0].reason == "现场记录遗漏"
    assert store.answers(inspection.id)[first.id].note == "补充说明"


async def test_cannot_complete_with_unanswered_items_or_failures_without_finding(db, catalog):
    from inspector.core.visit import NotComplete, open_visit

    store = store_of(db)
    checklist = catalog.checklists["chongqing"]
    inspection = store.add_inspection(day="2026-11-21", kind="routine", inspectors=["张伟"], template="chongqing", template_version=checklist.version)
    visit = open_visit(db, catalog, {}, inspection.id)
    yes_no = next(i for i in checklist.items if i.answer == "yes_no")
    visit.answer(yes_no, value=yes_no.fail_on)
    with pytest.raises(NotComplete) as err:
        visit.complete(by="张伟")
    keys = [k for k, _ in err.value.problems]
    assert keys.count("inspection.problem.unanswered") == len(checklist.items) - 1
    assert ("inspection.problem.no_finding", {"item": yes_no.id, "what": ""}) in err.value.problems
    visit.answer(yes_no, reason_no_finding="当场已整改")
    keys = [k for k, _ in visit.problems()]
    assert "inspection.problem.no_finding" not in keys
