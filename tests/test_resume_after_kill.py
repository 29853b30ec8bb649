"""Kill the program mid-inspection; start again: the draft opens where it stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from inspector.storage.database import Database
from inspector.ui.app import make_app

from .conftest import TODAY, fixed_clock

ANSWERING = textwrap.dedent(
    """
    import sys
    from datetime import datetime
    from inspector.catalog.loader import load_catalog
    from inspector.core.visit import open_visit
    from inspector.storage.database import Database
    db = Database.open(sys.argv[1], clock=lambda: datetime(2026, 11, 21, 10))
    catalog, _ = load_catalog()
    visit = open_visit(db, catalog, {}, sys.argv[2])
    for n, item in enumerate(visit.checklist.items, 1):
        if item.answer == "yes_no":
            visit.answer(item, value="yes" if item.fail_on == "no" else "no", note=f"第{n}项")
        elif item.answer == "count":
            visit.answer(item, value="count", found=1, allowed=2)
        else:
            visit.answer(item, value="list")
        print(n, item.id, flush=True)
        if n == int(sys.argv[3]):
            sys.stdin.readline()  # wait here, mid-inspection, until killed
    """
)


async def test_kill_mid_inspection_then_resume(tmp_path: Path, catalog):
    db = Database.open(tmp_path / "db", clock=fixed_clock)
    village = db.add_village("石堰村", "金鸡镇")
    checklist = catalog.checklists["chongqing"]
    inspection = db.store(village.id).add_inspection(
        day="2026-11-21", kind="unannounced", inspectors=["张伟"], template="chongqing", template_version=checklist.version
    )
    db.close()

    stop_after = 9
    proc = subprocess.Popen(
        [sys.executable, "-c", ANSWERING, str(tmp_path / "db"), inspection.id, str(stop_after)],
        stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True,
    )
    acked = [proc.stdout.readline().split()[1] for _ in range(stop_after)]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    db = Database.open(tmp_path / "db", clock=fixed_clock)
    assert not db.read_only  # the dead process's lock went with it
    answers = db.store(village.id).answers(inspection.id)
    assert sorted(answers) == sorted(acked)
    app = make_app(db=db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("d")  # resume the draft
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "WalkScreen"
        expected = checklist.items[stop_after]  # the first item not answered
        assert screen.item.id == expected.id
        assert screen.visit.status(checklist.items[0]) != "unanswered"
    db.close()
