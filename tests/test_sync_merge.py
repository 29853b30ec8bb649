"""Several laptops, one picture: bundles merged in any order, any number of times, lose nothing.

Property tests (hypothesis) make random histories on two or three simulated
devices (each its own database, device id and clock), exchange bundles in
random orders and repetitions, and check that a repeated import changes
nothing, that every device ends with the same records and overdue list
whatever the order, and that no event is lost.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector import device
from inspector.core import workflow
from inspector.core.moves import record
from inspector.core.overdue import rows_as_of
from inspector.core.records import Finding
from inspector.core.sync import Roster, RosterEntry
from inspector.storage import bundles, merge
from inspector.storage.database import Database

DAY = date(2026, 11, 2)
DEVICES = ("0" * 25 + "A", "0" * 25 + "B", "0" * 25 + "C")
MOVES = [("assign", {"unit": "镇综治办"}), ("progress", {"note": "已整改一半"}), ("report", {"note": "已完成"}),
         ("verify", {}), ("close", {}), ("extend", {"note": "需协调", "deadline": "2027-01-31"}),
         ("reopen", {"note": "回头看发现反弹"})]


@dataclass
class Laptop:
    """One simulated device: its database and a clock it moves forward by hand."""

    root: Path
    device: str
    now: datetime
    db: Database = field(init=False)

    def __post_init__(self) -> None:
        self.db = Database.open(self.root, clock=lambda: self.now, device=self.device)

    def tick(self, minutes: int = 7) -> None:
        self.now += timedelta(minutes=minutes)

    def bundle(self) -> bundles.Bundle:
        villages, tables = self.db.sync_documents()
        data = bundles.write_bundle(device=self.device, name=self.device[-1], public_key=device.this_device().public_key,
                                    created_at=self.now.isoformat(), since="", villages=villages, tables=tables,
                                    sign=device.sign)
        return bundles.read_bundle(data, device.verify)


def state_of(db: Database) -> dict:
    """What must agree across devices: every record of every village, and the open findings today."""
    out: dict = {"villages": sorted(json.dumps(d, sort_keys=True, ensure_ascii=False) for d in db.registry.table("villages").all())}
    for v in db.villages(include_archived=True):
        data = db.store(v.id).tiny.storage.read() or {}
        for table in ("inspections", "answers", "observations", "findings", "events", "removed"):
            out[f"{v.id}/{table}"] = sorted(json.dumps(d, sort_keys=True, ensure_ascii=False)
                                            for d in data.get(table, {}).values())
    out["overdue"] = [(r.id, r.state, r.deadline, r.escalation) for r in rows_as_of(db, date(2026, 12, 31))]
    return out


def _laptops(base: Path, n: int, skews: list[int]) -> list[Laptop]:
    return [Laptop(base / f"d{i}", DEVICES[i], datetime(2026, 11, 2, 9) + timedelta(minutes=skews[i])) for i in range(n)]


def _seed(laptops: list[Laptop]) -> str:
    """One village on the first laptop, sent to the others (as a county hands out its village list)."""
    first = laptops[0]
    village = first.db.add_village("石堰村", "金鸡镇")
    for other in laptops[1:]:
        merge.merge(other.db, first.bundle())
    return village.id


def _act(laptop: Laptop, vid: str, op: tuple[int, int, int]) -> None:
    """One thing an inspector or supervisor does on this laptop (skipped when the workflow refuses it)."""
    kind, pick, minutes = op
    laptop.tick(minutes)
    store = laptop.db.store(vid)
    findings = store.findings()
    if kind == 0 or not findings:
        inspection = store.inspections()[0].id if store.inspections() else store.add_inspection(
            day=DAY.isoformat(), kind="routine", inspectors=["张伟"], template="chongqing", template_version="1").id
        store.add_finding(Finding(id="", village=vid, inspection=inspection, title=f"问题{pick}", theme="signboards",
                                  unit="镇综治办"), deadline=date(2026, 11, 20), by="张伟")
    elif kind == 1:
        laptop.db.update_village(vid, contact=f"联系人{pick}")
    else:
        move, extra = MOVES[pick % len(MOVES)]
        finding = findings[pick % len(findings)]
        try:
            record(store, finding.id, move, by="张伟", on=laptop.now.date(), **extra)
        except workflow.WorkflowError:
            pass


ops = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 6), st.integers(0, 30)),
               min_size=1, max_size=12)
exchanges = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), max_size=6)
FAST = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(n=st.integers(2, 3), skews=st.lists(st.integers(-90, 90), min_size=3, max_size=3), actions=ops,
       middle=exchanges)
def test_every_laptop_converges_and_no_event_is_lost(n, skews, actions, middle):
    with tempfile.TemporaryDirectory() as tmp:
        laptops = _laptops(Path(tmp), n, skews)
        vid = _seed(laptops)
        for who, kind, pick, minutes in actions:
            _act(laptops[who % n], vid, (kind, pick, minutes))
        for a, b in middle:  # some exchanges while they work
            if a % n != b % n:
                merge.merge(laptops[b % n].db, laptops[a % n].bundle())
        made = {e.id for lap in laptops for e in lap.db.store(vid).events()}
        for _ in range(2):  # everyone sends to everyone, twice: then they must agree
            for a in laptops:
                for b in laptops:
                    if a is not b:
                        merge.merge(b.db, a.bundle())
        states = [state_of(lap.db) for lap in laptops]
        assert all(s == states[0] for s in states[1:])
        assert {e.id for e in laptops[0].db.store(vid).events()} == made  # no event lost
        again = merge.merge(laptops[0].db, laptops[1].bundle())
        assert again.nothing_new and state_of(laptops[0].db) == states[0]  # idempotent
        for lap in laptops:
            lap.db.close()


@FAST
@given(skews=st.lists(st.integers(-90, 90), min_size=3, max_size=3), actions=ops, order=st.permutations([0, 1, 2]),
       repeat=st.lists(st.integers(0, 2), max_size=3))
def test_the_order_of_imports_does_not_matter(skews, actions, order, repeat):
    with tempfile.TemporaryDirectory() as tmp:
        laptops = _laptops(Path(tmp), 3, skews)
        vid = _seed(laptops)
        for who, kind, pick, minutes in actions:
            _act(laptops[who], vid, (kind, pick, minutes))
        sent = [lap.bundle() for lap in laptops]
        one = Laptop(Path(tmp) / "one", "0" * 25 + "X", datetime(2026, 12, 1, 9))
        other = Laptop(Path(tmp) / "other", "0" * 25 + "Y", datetime(2026, 12, 1, 9))
        for i in (0, 1, 2):
            merge.merge(one.db, sent[i])
        for i in [*order, *repeat]:  # another order, some bundles twice
            merge.merge(other.db, sent[i])
        assert state_of(one.db) == state_of(other.db)
        for lap in [*laptops, one, other]:
            lap.db.close()


# -- the scenario of the issue ---------------------------------------------------------------


def test_two_inspectors_and_a_supervisor_agree_and_the_conflict_is_listed(tmp_path):
    ins1, ins2, sup = _laptops(tmp_path, 3, [0, 5, 10])
    vid = _seed([ins1, ins2, sup])
    s1 = ins1.db.store(vid)
    insp = s1.add_inspection(day=DAY.isoformat(), kind="routine", inspectors=["张伟"], template="chongqing", template_version="1")
    late = s1.add_finding(Finding(id="", village=vid, inspection=insp.id, title="多余牌子", theme="signboards", unit="镇综治办"),
                          deadline=date(2026, 11, 10), by="张伟")
    done = s1.add_finding(Finding(id="", village=vid, inspection=insp.id, title="重复台账", theme="ledgers", unit="镇民政办"),
                          deadline=date(2026, 11, 30), by="张伟")
    for kind, extra in (("assign", {"unit": "镇民政办"}), ("report", {"note": "已合并"})):
        record(s1, done.id, kind, by="张伟", **extra)
    record(s1, late.id, "assign", by="张伟", unit="镇综治办")
    for other in (ins2, sup):
        merge.merge(other.db, ins1.bundle())
    # The supervisor extends one finding and closes the other...
    sup.tick(60)
    record(sup.db.store(vid), late.id, "extend", by="陈静", note="需协调", deadline="2026-12-20")
    record(sup.db.store(vid), done.id, "verify", by="陈静")
    record(sup.db.store(vid), done.id, "close", by="陈静")
    # ...while the first inspector, offline, records progress on the one now closed.
    ins1.tick(90)
    record(s1, done.id, "verify_fail", by="张伟", note="复查发现未完成")
    bundles_now = [lap.bundle() for lap in (ins1, ins2, sup)]
    reports = []
    for lap in (ins1, ins2, sup):
        for b in bundles_now:
            if b.device != lap.device:
                reports.append(merge.merge(lap.db, b))
    states = [state_of(lap.db) for lap in (ins1, ins2, sup)]
    assert states[0] == states[1] == states[2]
    assert any(c[2] == "verify_fail" or c[2] == "close" for r in reports for c in r.conflicts)
    status = ins2.db.store(vid).status(late.id)
    assert status.deadline == date(2026, 12, 20)


# -- roles and bad bundles --------------------------------------------------------------------


def test_under_a_roster_a_close_from_an_inspector_device_is_quarantined(tmp_path):
    ins, sup = _laptops(tmp_path, 2, [0, 0])
    vid = _seed([ins, sup])
    store = ins.db.store(vid)
    f = store.add_finding(Finding(id="", village=vid, title="多余牌子", theme="signboards"), deadline=date(2026, 12, 1), by="张伟")
    for kind, extra in (("assign", {"unit": "u"}), ("report", {"note": "d"}), ("verify", {}), ("close", {})):
        record(store, f.id, kind, by="张伟", **extra)
    roster = Roster(county="渝北区", entries=(RosterEntry(ins.device, "张伟", "inspector"),
                                              RosterEntry(sup.device, "陈静", "supervisor")))
    report = merge.merge(sup.db, ins.bundle(), roster=roster)
    assert sorted(q[2] for q in report.quarantined) == ["close", "verify"]
    assert sup.db.store(vid).status(f.id).state == "reported"  # never applied silently
    assert merge.merge(sup.db, ins.bundle(), roster=roster).nothing_new


@pytest.mark.parametrize("spoil, reason", [
    (lambda b: b"hello, not a bundle", "foreign"),
    (lambda b: b.replace(b"INSPECTOR-BUNDLE 1", b"INSPECTOR-BUNDLE 9", 1), "future_version"),
    (lambda b: b[: len(b) // 2], "truncated"),
    (lambda b: b[:-30] + bytes([b[-30] ^ 1]) + b[-29:], "tampered"),
], ids=["foreign", "future-version", "truncated", "tampered"])
def test_a_bad_bundle_is_refused_whole_and_changes_nothing(tmp_path, spoil, reason):
    a, b = _laptops(tmp_path, 2, [0, 0])
    _seed([a])
    villages, tables = a.db.sync_documents()
    data = bundles.write_bundle(device=a.device, name="A", public_key=device.this_device().public_key,
                                created_at="2026-11-02T09:00:00", since="", villages=villages, tables=tables, sign=device.sign)
    before = sorted((p.name, p.read_bytes()) for p in b.root.rglob("*.json"))
    with pytest.raises(bundles.BundleError) as err:
        merge.merge(b.db, bundles.read_bundle(spoil(data), device.verify))
    assert err.value.reason == reason
    assert sorted((p.name, p.read_bytes()) for p in b.root.rglob("*.json")) == before


def test_evidence_travels_with_the_bundle(tmp_path):
    from inspector.core.evidence import attach_to_finding

    a, b = _laptops(tmp_path, 2, [0, 0])
    vid = _seed([a, b])
    f = a.db.store(vid).add_finding(Finding(id="", village=vid, title="多余牌子", theme="signboards"),
                                    deadline=date(2026, 12, 1), by="张伟")
    photo = tmp_path / "整改后.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 a photo")
    attach_to_finding(a.db, vid, f.id, [photo], by="张伟")
    villages, tables = a.db.sync_documents()
    data = bundles.write_bundle(device=a.device, name="A", public_key=device.this_device().public_key,
                                created_at="2026-11-02T09:00:00", since="", villages=villages, tables=tables,
                                sign=device.sign, evidence=a.db.sync_evidence(tables))
    merge.merge(b.db, bundles.read_bundle(data, device.verify))
    (attached,) = [e for e in b.db.store(vid).events(f.id) if e.type == "attach"]
    assert b.db.evidence.path_of(attached.files[0]).read_bytes() == photo.read_bytes()
    assert b.db.evidence.verify(attached.files) == []
