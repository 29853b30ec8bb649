"""A finding's life: every allowed and refused move, extensions, escalations, reopening, as-of."""

from __future__ import annotations

from datetime import date

import pytest

from inspector.core import workflow
from inspector.core.finding_view import view_of
from inspector.core.records import Event, Finding
from inspector.core.moves import record
from .conftest import add_finding


def ev(seq: int, kind: str, on: str, **payload) -> Event:
    """The ``seq``-th event of one finding, recorded on one device on day ``on``."""
    if "deadline" in payload:
        payload["deadline"] = date.fromisoformat(payload["deadline"])
    if "evidence" in payload:
        payload["evidence"] = tuple(payload["evidence"])
    fields = {"by": "张伟", **payload}
    return Event(id=f"E{seq}", finding="F1", type=kind, on=date.fromisoformat(on), at=f"{on}T09:00:{seq:02d}",
                 device="laptop", counter=seq, **fields)


FOUND = ev(1, "found", "2026-10-01", deadline="2026-10-31", unit="镇综治办")


def history(*moves: tuple[str, str, dict]) -> list[Event]:
    events = [FOUND]
    for kind, on, payload in moves:
        events.append(ev(len(events) + 1, kind, on, **payload))
    return events


def test_the_usual_life():
    events = history(
        ("assign", "2026-10-02", {"unit": "镇综治办", "person": "王强"}),
        ("progress", "2026-10-10", {"note": "已摘除两块"}),
        ("report", "2026-10-20", {"note": "全部摘除", "evidence": ["a.jpg"]}),
        ("verify", "2026-10-22", {"by": "李秀英"}),
        ("close", "2026-10-23", {}),
    )
    states = [workflow.derive(events[: n + 1]).state for n in range(len(events))]
    assert states == ["found", "assigned", "rectifying", "reported", "verified", "closed"]
    status = workflow.derive(events)
    assert status.closed_on == date(2026, 10, 23) and not status.is_open
    assert status.person == "王强"


@pytest.mark.parametrize(
    "state_moves, refused",
    [
        ([], "progress"),  # found: must be assigned first
        ([], "report"),
        ([], "verify"),
        ([], "close"),
        ([("assign", {"unit": "u"})], "verify"),
        ([("assign", {"unit": "u"})], "close"),
        ([("assign", {"unit": "u"}), ("report", {"note": "done"})], "close"),  # verify first
        ([("assign", {"unit": "u"}), ("report", {"note": "done"})], "progress"),
        ([("assign", {"unit": "u"}), ("report", {"note": "d"}), ("verify", {"by": "x"}), ("close", {})], "extend"),
        ([("assign", {"unit": "u"}), ("report", {"note": "d"}), ("verify", {"by": "x"}), ("close", {})], "escalate"),
        ([("assign", {"unit": "u"}), ("report", {"note": "d"}), ("verify", {"by": "x"}), ("close", {})], "close"),
        ([], "reopen"),
    ],
)
def test_refused_moves_say_why(state_moves, refused):
    events = history(*[(k, "2026-10-05", p) for k, p in state_moves])
    payload = {"note": "x", "deadline": "2026-12-31", "level": "reminder", "by": "x", "unit": "u"}
    with pytest.raises(workflow.WorkflowError) as err:
        workflow.check_move(events, ev(len(events) + 1, refused, "2026-11-05", **payload))
    assert err.value.key == f"workflow.refused.{refused}"
    assert err.value.params["state"] == workflow.derive(events).state


def test_failed_verification_goes_back_with_its_reason():
    events = history(("assign", "2026-10-02", {"unit": "u"}), ("report", "2026-10-20", {"note": "done"}))
    with pytest.raises(workflow.WorkflowError) as err:
        workflow.check_move(events, ev(4, "verify_fail", "2026-10-21"))
    assert err.value.key == "workflow.need_note.verify_fail"
    status = workflow.check_move(events, ev(4, "verify_fail", "2026-10-21", note="现场仍有一块牌子"))
    assert status.state == "rectifying"


def test_extension_needs_a_reason_and_a_later_date_and_keeps_the_original():
    events = history(("assign", "2026-10-02", {"unit": "u"}))
    with pytest.raises(workflow.WorkflowError) as err:
        workflow.check_move(events, ev(3, "extend", "2026-10-20", deadline="2026-11-30"))
    assert err.value.key == "workflow.need_note.extend"
    with pytest.raises(workflow.WorkflowError) as err:
        workflow.check_move(events, ev(3, "extend", "2026-10-20", deadline="2026-10-15", note="x"))
    assert err.value.key == "workflow.extend_not_later"
    events.append(ev(3, "extend", "2026-10-20", deadline="2026-11-30", note="涉及多个部门"))
    events.append(ev(4, "extend", "2026-11-25", deadline="2026-12-15", note="资金未到位"))
    status = workflow.derive(events)
    assert status.original_deadline == date(2026, 10, 31)
    assert status.deadline == date(2026, 12, 15)
    assert [(e["from"], e["to"], e["reason"]) for e in status.extensions] == [
        ("2026-10-31", "2026-11-30", "涉及多个部门"),
        ("2026-11-30", "2026-12-15", "资金未到位"),
    ]


def test_escalations_in_order_and_only_when_overdue():
    events = history(("assign", "2026-10-02", {"unit": "u"}))
    with pytest.raises(workflow.WorkflowError) as err:  # not overdue yet (deadline 10-31 is a whole day)
        workflow.check_move(events, ev(3, "escalate", "2026-10-31", level="reminder"))
    assert err.value.key == "workflow.escalate_not_overdue"
    with pytest.raises(workflow.WorkflowError) as err:  # summons before reminder
        workflow.check_move(events, ev(3, "escalate", "2026-11-01", level="summons"))
    assert err.value.key == "workflow.escalate_order"
    events.append(ev(3, "escalate", "2026-11-01", level="reminder"))
    events.append(ev(4, "escalate", "2026-11-10", level="summons"))
    events.append(ev(5, "escalate", "2026-11-20", level="criticism"))
    status = workflow.derive(events)
    assert status.escalation == 3
    assert view_of(Finding(id="F1", village="V1"), events, date(2026, 11, 20)).escalation_level == "criticism"
    with pytest.raises(workflow.WorkflowError):
        workflow.check_move(events, ev(6, "escalate", "2026-11-21", level="criticism"))


def test_follow_up_confirms_or_reopens():
    closed = history(
        ("assign", "2026-10-02", {"unit": "u"}),
        ("report", "2026-10-20", {"note": "d"}),
        ("verify", "2026-10-22", {"by": "x"}),
        ("close", "2026-10-23", {}),
    )
    assert workflow.check_move(closed, ev(6, "followup_confirm", "2026-11-20", note="回头看无反弹")).state == "closed"
    with pytest.raises(workflow.WorkflowError):
        workflow.check_move(closed, ev(6, "reopen", "2026-11-20"))  # needs the reason
    reopened = workflow.check_move(closed, ev(6, "reopen", "2026-11-20", note="牌子又挂上了"))
    assert reopened.state == "rectifying" and reopened.is_open and reopened.closed_on is None


def test_as_of_uses_only_the_events_up_to_that_day():
    events = history(
        ("assign", "2026-10-02", {"unit": "u"}),
        ("report", "2026-11-05", {"note": "d"}),
        ("verify", "2026-11-06", {"by": "x"}),
        ("close", "2026-11-08", {}),
    )
    assert workflow.derive(events, date(2026, 11, 3)).state == "assigned"
    on_nov_3 = view_of(Finding(id="F1", village="V1"), events, date(2026, 11, 3))
    assert on_nov_3.state == "assigned" and on_nov_3.overdue and on_nov_3.days_overdue == 3
    assert (on_nov_3.bucket, on_nov_3.later) == ("overdue", 3)
    assert workflow.derive(events, date(2026, 11, 8)).state == "closed"
    closed = view_of(Finding(id="F1", village="V1"), events, date(2026, 11, 21))
    assert not closed.overdue and closed.days_overdue == 0 and closed.bucket == "closed"


def test_backdated_events_are_refused():
    events = history(("assign", "2026-10-10", {"unit": "u"}))
    with pytest.raises(workflow.WorkflowError) as err:
        workflow.check_move(events, ev(3, "progress", "2026-10-05", note="x"))
    assert err.value.key == "workflow.backdated"


def test_store_refuses_a_move_and_keeps_the_events(db):
    v = db.add_village("石堰村", "金鸡镇")
    store = db.store(v.id)
    f = add_finding(store, {"title": "多余牌子", "theme": "signboards"}, deadline="2026-11-30", by="张伟")
    with pytest.raises(workflow.WorkflowError):
        record(store, f.id, "close", by="张伟")
    assert [e.type for e in store.events(f.id)] == ["found"]
    record(store, f.id, "assign", by="张伟", unit="镇综治办", person="王强")
    assert store.status(f.id).state == "assigned"
    assert db.summary(v.id).open[0].unit == "镇综治办"


def test_events_of_several_devices_are_ordered_by_time_device_counter():
    """Two laptops recorded moves the same second: the order is the same on both, whatever came in first."""
    found = ev(1, "found", "2026-10-01", deadline="2026-10-31", unit="u")
    a = Event(id="EA", finding="F1", type="assign", on=date(2026, 10, 2), at="2026-10-02T09:00:00", device="A",
              counter=7, unit="镇综治办")
    b = Event(id="EB", finding="F1", type="progress", on=date(2026, 10, 2), at="2026-10-02T09:00:00", device="B",
              counter=1, note="已摘除")
    assert workflow.in_order([b, a, found]) == workflow.in_order([found, a, b]) == [found, a, b]
    assert workflow.derive([b, found, a]).state == "rectifying"


def test_a_move_recorded_after_a_later_clock_is_ordered_after_it(db):
    """The clock of this laptop is behind the time of the last event (another laptop's): the new event
    takes the later time, so it follows what it was recorded after (a hybrid logical clock)."""
    v = db.add_village("石堰村", "金鸡镇")
    store = db.store(v.id)
    f = add_finding(store, {"title": "多余牌子", "theme": "signboards"}, deadline="2026-11-30", by="张伟")
    first = store.events(f.id)[0]
    ahead = "2099-01-01T00:00:00"
    with store.changing():
        store.tiny.table("events").update({"at": ahead}, lambda d: d["id"] == first.id)
    record(store, f.id, "assign", by="张伟", unit="镇综治办")
    events = store.events(f.id)
    assert [e.type for e in events] == ["found", "assign"]
    assert events[1].at == "2099-01-01T00:00:01" and events[1].device == db.device  # just after it
    assert [e.counter for e in events] == [1, 2]  # this device's counter: the "found" was its first


def test_a_device_whose_id_sorts_first_records_after_a_later_clock(db_path):
    """Our clock is behind the finding's last event, and our device id sorts before the other's:
    the new event still comes after it (one second later), and the file opens again."""
    from datetime import datetime

    from inspector.storage.database import Database

    late = Database.open(db_path, clock=lambda: datetime(2026, 11, 21, 9, 30), device="ZZZZZZZZZZZZZZZZZZZZZZZZZZ")
    v = late.add_village("石堰村", "金鸡镇")
    f = add_finding(late.store(v.id), {"title": "多余牌子", "theme": "signboards"}, deadline="2026-11-30", by="张伟")
    late.close()
    early = Database.open(db_path, clock=lambda: datetime(2026, 11, 21, 7, 0), device="0000000000AAAAAAAAAAAAAAAA")
    record(early.store(v.id), f.id, "assign", by="张伟", unit="镇综治办")
    early.close()
    again = Database.open(db_path, clock=lambda: datetime(2026, 11, 21, 7, 0))
    events = again.store(v.id).events(f.id)
    assert [e.type for e in events] == ["found", "assign"] and events[1].at == "2026-11-21T09:30:01"
    assert again.store(v.id).status(f.id).state == "assigned"
    again.close()


def test_merged_moves_the_workflow_refuses_are_kept_as_conflicts():
    """Two laptops closed the same finding, and a third extended it after the close:
    the state comes from the moves that apply in order; the others are kept and listed."""
    events = history(
        ("assign", "2026-10-02", {"unit": "u"}),
        ("report", "2026-10-10", {"note": "done"}),
        ("verify", "2026-10-11", {"by": "x"}),
        ("close", "2026-10-12", {}),
    )
    second_close = Event(id="EX", finding="F1", type="close", on=date(2026, 10, 12), at="2026-10-12T10:00:00",
                         device="B", counter=1, by="王")
    late_extend = Event(id="EY", finding="F1", type="extend", on=date(2026, 10, 13), at="2026-10-13T10:00:00",
                        device="C", counter=1, by="李", deadline=date(2026, 12, 1), note="协调")
    status = workflow.derive([*events, late_extend, second_close])
    assert status.state == "closed" and status.deadline == date(2026, 10, 31)
    assert [e.id for e in status.conflicts] == ["EX", "EY"]
    with pytest.raises(workflow.WorkflowError):  # a new move is still checked strictly
        workflow.check_move(events, second_close)
