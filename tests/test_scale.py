"""City scale: work is counted (files read, villages built, bytes of index written), never timed.

What grows with the number of villages must grow linearly, and what one
record costs must not grow at all. Each test builds a small and a larger
database of the same villages and compares the work done.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from inspector.catalog.loader import load_catalog
from inspector.core import demo_records
from inspector.wiring import build_demo
from inspector.core.overdue import rows_as_of
from inspector.storage import atomic, database
from inspector.storage.bulk import write_database
from inspector.storage.database import Database
from inspector.storage.query_cache import CACHE

from .conftest import TODAY, fixed_clock

WAL_FRAME = 4096 + 24  # one page of the cache and its frame header


def _ledger(vid: str) -> dict[str, list[dict]]:
    """One inspection and two findings, one closed before TODAY and one open."""
    iid = f"{vid}-I0001"
    events = []
    for n, closed in ((1, True), (2, False)):
        fid = f"{vid}-F{n:04d}"
        events += [
            {"finding": fid, "seq": 1, "type": "found", "on": "2026-10-01", "deadline": "2026-10-31", "unit": "镇民政办", "person": "", "by": "张伟"},
            {"finding": fid, "seq": 2, "type": "assign", "on": "2026-10-02", "unit": "镇民政办", "person": "李秀英", "by": "张伟"},
        ]
        if closed:
            events += [
                {"finding": fid, "seq": 3, "type": "report", "on": "2026-10-10", "note": "已完成整改", "by": "张伟"},
                {"finding": fid, "seq": 4, "type": "verify", "on": "2026-10-12", "by": "张伟"},
                {"finding": fid, "seq": 5, "type": "close", "on": "2026-10-13", "by": "张伟"},
            ]
    return {
        "inspections": [{"id": iid, "village": vid, "date": "2026-10-01", "kind": "routine", "inspectors": ["张伟"],
                         "template": "chongqing", "template_version": "1", "state": "completed", "amendments": []}],
        "answers": [{"inspection": iid, "item": f"signboards.0{k}", "value": "yes"} for k in range(1, 4)],
        "findings": [{"id": f"{vid}-F{n:04d}", "village": vid, "inspection": iid, "title": f"问题{n}", "theme": "ledgers",
                      "severity": "normal", "unit": "镇民政办"} for n in (1, 2)],
        "events": events,
    }


def _build(root: Path, villages: int) -> Path:
    docs = [{"id": f"V{n:04d}", "name": f"村{n:04d}", "township": f"镇{n % 7}", "kind": "village", "county": "",
             "contact": "", "phone": "", "archived": False} for n in range(1, villages + 1)]
    write_database(root, docs, ((d["id"], _ledger(d["id"])) for d in docs))
    Database.open(root, clock=fixed_clock).close()  # builds the cache, as the demo does
    return root


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> dict[int, Path]:
    base = tmp_path_factory.mktemp("scale")
    return {n: _build(base / f"db{n}", n) for n in (10, 300)}


@pytest.fixture
def sizes(built_once, tmp_path) -> dict[int, Path]:
    """A copy of each database for this test alone."""
    return {n: Path(shutil.copytree(root, tmp_path / root.name)) for n, root in built_once.items()}


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The name of every JSON file parsed."""
    seen: list[str] = []
    real = atomic.load_json

    def counted(path: Path):
        seen.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(atomic, "load_json", counted)
    return seen


@pytest.fixture
def built(monkeypatch) -> list[str]:
    """The id of every Village record built from the registry."""
    seen: list[str] = []
    real = database.Village

    def counted(*args, **kwargs):
        village = real(*args, **kwargs)
        seen.append(village.id)
        return village

    monkeypatch.setattr(database, "Village", counted)
    return seen


@pytest.mark.parametrize("villages", [10, 300])
def test_opening_reads_the_registry_only_and_one_store_reads_one_file(sizes, villages, reads, built):
    db = Database.open(sizes[villages], clock=fixed_clock, read_only=True)
    assert reads == ["inspector.json"]  # summaries come from the cache: no village file is read
    assert len(built) == villages  # each village built once, for the whole session
    reads.clear()
    built.clear()
    store = db.store("V0007")
    assert reads == ["V0007.json"] and built == []  # no other village is built to find this one
    assert [f["title"] for f in store.findings()] == ["问题1", "问题2"]
    db.close()


def _wal_bytes_of_one_event(root: Path, villages: int) -> int:
    db = Database.open(root, clock=fixed_clock)
    store = db.store("V0005")
    fid = store.add_finding({"title": "基准", "theme": "ledgers"}, deadline="2026-12-31", by="张伟")["id"]
    db.cache.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = root / f"{CACHE}-wal"
    assert wal.stat().st_size == 0
    store.add_event(fid, "assign", by="张伟", unit="镇民政办")
    written = wal.stat().st_size
    db.close()
    return written


def test_a_finding_event_writes_a_bounded_index_whatever_the_number_of_villages(sizes):
    small, large = (_wal_bytes_of_one_event(sizes[n], n) for n in (10, 300))
    assert not (sizes[300] / "index.json").exists()
    conn = sqlite3.connect(sizes[300] / CACHE)
    summary_pages = conn.execute("SELECT sum(length(summary)) FROM summaries").fetchone()[0] // 4096
    conn.close()
    # One summary row (its page, and one more should the row move), not every village's summary.
    assert 0 < small <= 32 + 2 * WAL_FRAME and 0 < large <= 32 + 2 * WAL_FRAME
    assert summary_pages > 2 * 4


def test_an_answer_does_not_write_the_index_until_close(sizes):
    db = Database.open(sizes[300], clock=fixed_clock)
    db.cache.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store = db.store("V0009")
    store.save_answer("V0009-I0001", "signboards.09", value="no")
    assert (sizes[300] / f"{CACHE}-wal").stat().st_size == 0
    db.close()
    again = Database.open(sizes[300], clock=fixed_clock, read_only=True)
    assert again._stats_pending == {} and again.summary("V0009").findings == 2
    again.close()


def test_history_queries_read_only_the_villages_whose_file_changed(sizes, reads):
    root = sizes[300]
    db = Database.open(root, clock=fixed_clock)
    reads.clear()
    assert {r.id for r in rows_as_of(db, TODAY)} == {f"V{n:04d}-F0002" for n in range(1, 301)}
    assert reads == []
    store = db.store("V0011")
    store.add_event("V0011-F0002", "report", by="张伟", note="已整改")
    store.add_event("V0011-F0002", "verify", by="张伟")
    store.add_event("V0011-F0002", "close", by="张伟")
    reads.clear()
    rows = rows_as_of(db, TODAY)
    assert reads == []  # V0011 was in memory; the others unchanged
    assert "V0011-F0002" not in {r.id for r in rows} and len(rows) == 299
    # As of a date before the close it is open again, read from its history.
    assert "V0011-F0002" in {r.id for r in rows_as_of(db, date(2026, 10, 20))}
    db.close()
    # Another program changes one file: only that one is read again (at open, for its summary and rows).
    path = root / "villages" / "V0012.json"
    path.write_bytes(path.read_bytes().replace("问题2".encode(), "改过的问题".encode()))
    reads.clear()
    again = Database.open(root, clock=fixed_clock, read_only=True)
    assert reads == ["inspector.json", "V0012.json"]
    assert [f.title for f in again.summary("V0012").open] == ["改过的问题"]
    rows = rows_as_of(again, TODAY)
    assert reads == ["inspector.json", "V0012.json"]
    assert next(r.title for r in rows if r.id == "V0012-F0002") == "改过的问题"
    again.close()


def test_inspection_rows_follow_the_files(sizes):
    db = Database.open(sizes[10], clock=fixed_clock)
    store = db.store("V0003")
    store.save_answer("V0003-I0001", "ledgers.01", value="no")
    new = store.add_inspection(day="2026-11-21", kind="routine", inspectors=["张伟"], template="chongqing", template_version="1")
    rows = {insp["id"]: (a, o, f) for _, insp, a, o, f in db.inspection_rows(["V0003"])}
    assert rows == {"V0003-I0001": (4, 0, 2), new["id"]: (0, 0, 0)}
    assert [insp["id"] for _, insp, *_ in db.inspection_rows(since="2026-11-01")] == [new["id"]]
    db.close()


def test_demo_names_are_unique_at_city_scale():
    checklist = load_catalog()[0].checklists["chongqing"]
    villages, _ = demo_records.generate(5000, 1, 1, TODAY, checklist)
    names = [v["name"] for v in villages]
    assert len(set(names)) == 5000
    assert all(n.endswith(("村", "社区")) and 3 <= len(n) <= 6 for n in names)
    # The first names are the ones county-scale demos always had (two syllables).
    assert all(len(n.removesuffix("社区").removesuffix("村")) == 2 for n in names[:300])


class _FullDisk:
    """A cache connection whose writes fail as on a full disk; reads pass through."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def execute(self, sql: str, *args):
        if sql == "BEGIN":
            raise sqlite3.OperationalError("database or disk is full")
        return self.conn.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self.conn, name)


def test_a_cache_that_cannot_be_written_never_answers_from_stale_rows(sizes):
    db = Database.open(sizes[10], clock=fixed_clock)
    assert len(rows_as_of(db, TODAY)) == 10
    db.cache.conn = _FullDisk(db.cache.conn)
    store = db.store("V0004")
    for kind, extra in (("report", {"note": "已整改"}), ("verify", {}), ("close", {})):
        store.add_event("V0004-F0002", kind, by="张伟", **extra)  # the village file is written; the cache row is not
    assert "V0004-F0002" not in {r.id for r in rows_as_of(db, TODAY)}
    assert db.cache.in_memory and len(rows_as_of(db, TODAY)) == 9
    db.close()
    again = Database.open(sizes[10], clock=fixed_clock, read_only=True)  # the file cache catches up from the files
    assert not again.cache.in_memory and len(rows_as_of(again, TODAY)) == 9
    again.close()


# ── rebuilding the index: each file read once, each history replayed once, on every core ──


def _lose_index(root: Path) -> None:
    for path in root.glob(f"{CACHE}*"):
        path.unlink()


def _everything(db: Database) -> tuple:
    """What the index answers: summaries, open findings today and a month back, the inspection list."""
    return (
        db.summaries(),
        [r.to_json() for r in rows_as_of(db, TODAY)],
        [r.to_json() for r in rows_as_of(db, date(2026, 10, 11))],
        db.inspection_rows(),
    )


def test_a_rebuild_reads_each_file_once_and_replays_each_history_once(sizes, reads, monkeypatch):
    from inspector.core import workflow

    applied = []
    real = workflow.apply
    monkeypatch.setattr(workflow, "apply", lambda status, ev: applied.append(ev["finding"]) or real(status, ev))
    _lose_index(sizes[10])
    reads.clear()
    db = Database.open(sizes[10], clock=fixed_clock, read_only=True)
    assert sorted(reads) == sorted(["inspector.json", *(f"V{n:04d}.json" for n in range(1, 11))])
    events = sum(len(_ledger(f"V{n:04d}")["events"]) for n in range(1, 11))
    assert len(applied) == events  # checked, summarized and indexed from one replay of each history
    assert rows_as_of(db, TODAY) and reads.count("V0001.json") == 1  # the history queries read the index only
    db.close()


def test_a_rebuild_in_worker_processes_gives_the_index_one_process_gives(sizes, monkeypatch):
    from inspector.storage import village_scan

    root = sizes[300]
    _lose_index(root)
    started = []
    real = village_scan._Worker
    monkeypatch.setattr(village_scan, "_Worker", lambda folder: started.append(folder) or real(folder))
    told = []
    db = Database.open(root, clock=fixed_clock, progress=lambda done, total: told.append((done, total)))
    assert len(started) == village_scan.WORKERS  # 300 files: shared out
    assert told[0] == (0, 300) and told[-1] == (300, 300) and len(told) > 300
    in_workers = _everything(db)
    db.close()
    _lose_index(root)
    monkeypatch.setattr(village_scan, "POOL_FROM", 10**9)
    db = Database.open(root, clock=fixed_clock)
    assert len(started) == village_scan.WORKERS  # none started this time
    assert _everything(db) == in_workers
    db.close()


def test_a_damaged_file_among_many_is_still_named_at_a_rebuild(sizes):
    from inspector.storage.store_errors import CorruptFile

    root = sizes[300]
    _lose_index(root)
    damaged = root / "villages" / "V0150.json"
    data = damaged.read_text(encoding="utf-8").replace('"seq": 2', '"seq": "two"', 1)
    damaged.write_text(data, encoding="utf-8")
    with pytest.raises(CorruptFile) as caught:
        Database.open(root, clock=fixed_clock)
    assert caught.value.path == damaged and caught.value.field == "seq"
    assert damaged.read_text(encoding="utf-8") == data  # left as it was


def test_workers_that_cannot_start_leave_the_rebuild_to_this_process(sizes, monkeypatch):
    from inspector.storage import village_scan

    root = sizes[300]
    db = Database.open(root, clock=fixed_clock)
    expected = _everything(db)
    db.close()
    _lose_index(root)
    monkeypatch.setattr(village_scan.sys, "executable", str(root / "no-such-python"))
    db = Database.open(root, clock=fixed_clock)
    assert _everything(db) == expected
    db.close()


# ── a township's figures come from the index, the same as from the files ──


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("township") / "db"
    build_demo(root, villages=40, years=2, seed=3, today=TODAY)
    return root


@pytest.mark.parametrize("as_of", [TODAY, date(2026, 3, 31), date(2025, 12, 31)])
def test_a_township_report_from_the_index_is_the_report_from_the_files(demo_db, as_of, monkeypatch, reads):
    from inspector.report import township_report as township

    catalog = load_catalog()[0]
    db = Database.open(demo_db, clock=fixed_clock, read_only=True)
    name = db.townships()[0]
    members = [v.id for v in db.villages() if v.township == name]
    reads.clear()
    from_index = township.render_township_summary(db, name, as_of, "zh", catalog)
    assert reads == []  # no village file parsed
    figures = township.township_figures(db, members, as_of, catalog)
    total = township.VillageFigures()
    for f in figures:
        total.add(f)
    assert total.inspections and total.closed and sum(total.cut.values())  # the test means something
    assert total.open or as_of != TODAY
    by_file = lambda db, vids, day, cat: [township.village_figures(db.store(v), day, cat) for v in vids]  # noqa: E731
    monkeypatch.setattr(township, "township_figures", by_file)
    assert township.render_township_summary(db, name, as_of, "zh", catalog) == from_index
    db.close()


def test_a_township_report_follows_a_changed_file(demo_db, tmp_path, catalog):
    from inspector.report import township_report as township

    root = Path(shutil.copytree(demo_db, tmp_path / "db"))
    db = Database.open(root, clock=fixed_clock)
    name = db.townships()[0]
    vid = next(v.id for v in db.villages() if v.township == name)
    before = township.township_figures(db, [vid], TODAY, catalog)[0]
    store = db.store(vid)
    done = next(i for i in store.inspections() if i["state"] == "completed")
    store.save_answer(done["id"], "signboards.bench", value="count", found=9, allowed=2)
    after = township.township_figures(db, [vid], TODAY, catalog)[0]
    assert after.cut["signboards"] == before.cut["signboards"] + 7
    assert after == township.village_figures(db.store(vid), TODAY, catalog)
    db.close()
