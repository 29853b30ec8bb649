"""One read model: every screen, verb and report says the same of a finding on a date.

Over a demo database and several as-of dates, the review screen, the ledger
screen, ``finding show``, the overdue list and the village ledger report must
agree on each finding's state, deadline in force, days overdue and escalation.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable

from inspector import cli
from inspector.core import labels
from inspector.core.records import Event, Finding
from inspector.core.finding_view import view_of
from inspector.core.moves import Move, check, make_move, refusal
from inspector.report.ledger_report import render_village_ledger
from inspector.storage.database import Database
from inspector.ui.app import make_app
from inspector.ui.screens.ledger import LedgerScreen
from inspector.wiring import build_demo

TODAY = date(2026, 11, 21)
DATES = [TODAY, TODAY - timedelta(days=20), TODAY - timedelta(days=110)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("view") / "db"
    build_demo(root, villages=3, years=1, seed=11, today=TODAY)
    return root


def _cli_json(capsys, root: Path, *argv: str):
    assert cli.main(["--db", str(root), "--lang", "zh", "--today", TODAY.isoformat(), *argv]) == 0
    return json.loads(capsys.readouterr().out)


def _status(d: dict) -> tuple:
    """What every place must agree on: state, deadline in force, days overdue, escalation."""
    days = d["days"] if d["overdue"] else 0
    return d["state"], d["deadline"], days, d["escalation_level"]


@pytest.mark.parametrize("as_of", DATES, ids=[d.isoformat() for d in DATES])
async def test_every_place_agrees_on_each_finding(demo, catalog, capsys, as_of):
    # finding show --json is the reference each other place is compared with.
    overdue = {r["id"]: r for r in _cli_json(capsys, demo, "overdue", "--format", "json", "--as-of", as_of.isoformat())}
    with Database.open(demo, clock=lambda: datetime.combine(TODAY, datetime.min.time()), read_only=True) as db:
        villages = [v.id for v in db.villages()]
        ids = {vid: [f.id for f in db.store(vid).findings()] for vid in villages}
        ledgers = {vid: render_village_ledger(db, vid, as_of, "zh") for vid in villages}
    shown = {}
    for vid in villages:
        for fid in ids[vid]:
            if cli.main(["--db", str(demo), "--today", TODAY.isoformat(), "finding", "show", fid, "--json",
                         "--as-of", as_of.isoformat()]) == 0:
                shown[fid] = json.loads(capsys.readouterr().out)
            else:
                capsys.readouterr()  # not found yet on that date
    assert shown, "the demo has findings on every date tested"
    late = {fid: d for fid, d in shown.items() if d["overdue"]}
    assert late, "and some of them overdue"

    # The overdue list: exactly the overdue findings, with the same status.
    assert {fid: (r["state"], r["deadline"], r["days"], r["escalation_level"]) for fid, r in overdue.items()} == {
        fid: _status(d) for fid, d in late.items()}

    # The ledger report: one row per finding found by then, numbered in the order they were found;
    # its deadline and state cells say the same.
    for vid in villages:
        found = sorted((d for d in shown.values() if d["village_id"] == vid), key=lambda d: (d["found_on"], d["id"]))
        rows = [line for line in ledgers[vid].splitlines() if re.match(r"\| \d+ \| ", line)]
        assert len(rows) == len(found)
        for row, d in zip(rows, found):
            _agrees(row, d)


    # The review screen and the ledger screen of an app whose today is the as-of date.
    db = Database.open(demo, clock=lambda: datetime.combine(TODAY, datetime.min.time()))
    app = make_app(db=db, catalog=catalog, today=as_of, user="王主任")
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        review = app.screen
        open_ = {fid: d for fid, d in shown.items() if d["state"] != "closed"}
        assert {r.id: (r.state, r.deadline.isoformat(), r.days_overdue, r.escalation_level) for r in review.rows} == {
            fid: _status(d) for fid, d in open_.items()}
        table = review.query_one("#review", DataTable)
        for r in review.rows[:20]:
            cells = dict(zip(review.widths, map(str, table.get_row(r.id))))
            d = shown[r.id]
            assert cells["deadline"] == d["deadline"] and cells["state"] == labels.state(d["state"], "zh")
            assert cells["escalation"] == labels.escalation(d["escalation_level"], "zh")
            assert ("逾期" in cells["days"]) == d["overdue"] and (not d["overdue"] or cells["days"] == f"逾期 {d['days']} 天")
        for vid in villages:
            app.push_screen(LedgerScreen(vid))
            await pilot.pause()
            table = app.screen.query_one("#ledger", DataTable)
            for fid, d in shown.items():
                if d["village_id"] != vid:
                    continue
                cells = [str(c) for c in table.get_row(fid)]
                assert cells[4] == d["deadline"]
                assert cells[5].startswith(labels.state(d["state"], "zh"))
                assert (f"逾期 {d['days']} 天" in cells[5]) == d["overdue"]
            assert len(table.rows) == sum(1 for d in shown.values() if d["village_id"] == vid)
            app.pop_screen()
            await pilot.pause()
    db.close()


def _agrees(row: str, d: dict) -> None:
    """A ledger table row says what ``finding show`` says: the deadline in force, the state, days overdue, escalation."""
    cells = [c.strip() for c in row.strip("|").split("|")]
    deadline, state = cells[5], cells[6]
    assert d["deadline"] in deadline and d["original_deadline"] in deadline
    assert state.startswith(labels.state(d["state"], "zh"))
    assert (f"逾期 {d['days']} 天" in state) == d["overdue"]
    if d["escalation_level"]:
        assert labels.escalation(d["escalation_level"], "zh") in state
    else:
        assert "（已" not in state


# ── the view and the moves, without a database ────────────────────────────


def ev(seq: int, kind: str, on: str, **fields) -> Event:
    if "deadline" in fields:
        fields["deadline"] = date.fromisoformat(fields["deadline"])
    return Event(id=f"E{seq}", finding="F1", type=kind, on=date.fromisoformat(on), at=f"{on}T09:00:00", by="张伟",
                 device="laptop", counter=seq, **fields)


FINDING = Finding(id="F1", village="V1", title="牌子")


HISTORY = [
    ev(1, "found", "2026-10-01", deadline="2026-10-31", unit="镇综治办"),
    ev(2, "assign", "2026-10-02", unit="镇综治办", person="王强"),
    ev(3, "extend", "2026-10-20", deadline="2026-11-10", note="需协调"),
    ev(4, "escalate", "2026-11-12", level="reminder"),
]


@pytest.mark.parametrize("as_of, state, deadline, days, bucket, level, later", [
    (date(2026, 9, 30), None, None, None, None, None, None),  # not found yet
    (date(2026, 10, 1), "found", date(2026, 10, 31), 0, "later", None, 3),
    (date(2026, 10, 19), "assigned", date(2026, 10, 31), 0, "later", None, 2),
    (date(2026, 11, 1), "assigned", date(2026, 11, 10), 0, "due10", None, 1),  # extended on 10-20: not overdue
    (date(2026, 11, 8), "assigned", date(2026, 11, 10), 0, "due3", None, 1),
    (date(2026, 11, 11), "assigned", date(2026, 11, 10), 1, "overdue", None, 1),
    (date(2026, 11, 21), "assigned", date(2026, 11, 10), 11, "overdue", "reminder", 0),
])
def test_view_as_of(as_of, state, deadline, days, bucket, level, later):
    view = view_of(FINDING, HISTORY, as_of)
    if state is None:
        assert view is None
        return
    assert (view.state, view.deadline, view.days_overdue, view.bucket, view.escalation_level, view.later) == (
        state, deadline, days, bucket, level, later)
    assert view.original_deadline == date(2026, 10, 31) and len(view.events) == len(HISTORY) - later


def test_a_move_is_asked_before_its_dialog_and_checked_as_typed():
    view = view_of(FINDING, HISTORY, date(2026, 11, 21))
    refused = refusal("close", view)
    assert refused is not None and refused.key == "workflow.refused.close"
    assert refused.message("zh") == t_refused_close()
    assert refusal("escalate", view) is None and refusal("extend", view) is None
    early = view_of(FINDING, HISTORY[:2], date(2026, 10, 5))
    assert refusal("escalate", early).key == "workflow.escalate_not_overdue"
    # As typed: an extension needs a reason and a later date.
    no_reason = Move("extend", on=date(2026, 11, 21), by="李秀英", deadline=date(2026, 12, 1))
    assert check(view.events, no_reason).key == "workflow.need_note.extend"
    assert check(view.events, Move("extend", on=date(2026, 11, 21), by="李秀英", deadline=date(2026, 12, 1), note="协调中")) is None


def t_refused_close() -> str:
    from inspector.i18n import t

    return t("workflow.refused.close", lang="zh", state="已交办")


class FakeRecords:
    """The repository a move needs: the events of a finding, making the next one, appending it."""

    def __init__(self, events: list[Event]):
        self.stored = list(events)

    def events(self, fid=None):
        return list(self.stored)

    def new_event(self, fid, kind, *, on=None, by, after, **fields):
        n = len(self.stored) + 1
        return Event(id=f"E{n}", finding=fid, type=kind, on=on, at=max(e.at for e in after), by=by, device="laptop",
                     counter=n, **fields)

    def append_event(self, event):
        self.stored.append(event)


def test_make_move_appends_only_the_fields_the_move_carries():
    repo = FakeRecords(HISTORY)
    make_move(repo, "F1", Move("escalate", on=date(2026, 11, 21), by="王主任", level="summons", note="约谈负责人"))
    assert repo.stored[-1] == Event(id="E5", finding="F1", type="escalate", on=date(2026, 11, 21), at="2026-11-12T09:00:00",
                                    by="王主任", device="laptop", counter=5, level="summons", note="约谈负责人")
    with pytest.raises(Exception) as err:  # a refused move appends nothing
        make_move(repo, "F1", Move("close", on=date(2026, 11, 21), by="王主任"))
    assert err.value.key == "workflow.refused.close" and len(repo.stored) == 5
