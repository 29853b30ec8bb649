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
from inspector.core import ids
from inspector.core.records import Answer, Event, Finding, Inspection, Village
from inspector.core.repository import VillageLedger
from inspector.core.moves import record

from .conftest import TODAY, add_finding, fixed_clock

WAL_FRAME = 4096 + 24  # one page of the cache and its frame header
DEVICE = "01TESTDEV1CE0000000000000Q"  # the test device (conftest.device_file)


# The built databases' ids: the same every run (ids.derived_id), the n-th village's and its records'.
def village_id(n: int) -> str:
    return ids.derived_id(None, "village", n)


def inspection_id(vid: str) -> str:
    return ids.derived_id(None, vid, "inspection")


def finding_id(vid: str, n: int) -> str:
    return ids.derived_id(None, vid, "finding", n)


def village_file(n: int) -> str:
    return f"{village_id(n)}.json"


def _ledger(vid: str) -> VillageLedger:
    """One inspection and two findings, one closed before TODAY and one open."""
    iid = inspection_id(vid)
    events = []
    for n, closed in ((1, True), (2, False)):
        fid = finding_id(vid, n)
        moves = [
            dict(type="found", on="2026-10-01", deadline=date(2026, 10, 31), unit="镇民政办"),
            dict(type="assign", on="2026-10-02", unit="镇民政办", person="李秀英"),
        ]
        if closed:
            moves += [dict(type="report", on="2026-10-10", note="已完成整改"), dict(type="verify", on="2026-10-12"),
                      dict(type="close", on="2026-10-13")]
        events += [Event(id=ids.derived_id(None, fid, "event", k), finding=fid, at=f"{move['on']}T09:00:00", by="张伟",
                         device=DEVICE, counter=k, **{**move, "on": date.fromisoformat(move["on"])})
                   for k, move in enumerate(moves, 1)]
    return VillageLedger(
        inspections=[Inspection(id=iid, village=vid, date=date(2026, 10, 1), kind="routine", inspectors=("张伟",),
                                template="chongqing", template_version="1", state="completed")],
        answers=[Answer(inspection=iid, item=f"signboards.0{k}", value="yes") for k in range(1, 4)],
        findings=[Finding(id=finding_id(vid, n), village=vid, inspection=iid, title=f"问题{n}", theme="ledgers",
                          severity="normal", unit="镇民政办") for n in (1, 2)],
        events=events,
    )


def _build(root: Path, villages: int) -> Path:
    made = [Village(id=village_id(n), name=f"村{n:04d}", township=f"镇{n % 7}") for n in range(1, villages + 1)]
    write_database(root, made, ((v.id, _ledger(v.id)) for v in made))
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
    real = database.documents.village

    def counted(*args, **kwargs):
        village = real(*args, **kwargs)
        seen.append(village.id)
        return village

    monkeypatch.setattr(database.documents, "village", counted)
    return seen


@pytest.mark.parametrize("villages", [10, 300])
def test_opening_reads_the_registry_only_and_one_store_reads_one_file(sizes, villages, reads, built):
    db = Database.open(sizes[villages], clock=fixed_clock, read_only=True)
    assert reads == ["inspector.json"]  # summaries come from the cache: no village file is read
    assert len(built) == villages  # each village built once, for the whole session
    reads.clear()
    built.clear()
    store = db.store(village_id(7))
    assert reads == [village_file(7)] and built == []  # no other village is built to find this one
    assert [f.title for f in store.findings()] == ["问题1", "问题2"]
    db.close()


def _wal_bytes_of_one_event(root: Path, villages: int) -> int:
    db = Database.open(root, clock=fixed_clock)
    store = db.store(village_id(5))
    fid = add_finding(store, {"title": "基准", "theme": "ledgers"}, deadline="2026-12-31", by="张伟").id
    db.cache.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = root / f"{CACHE}-wal"
    assert wal.stat().st_size == 0
    record(store, fid, "assign", by="张伟", unit="镇民政办")
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
    store = db.store(village_id(9))
    store.save_answer(inspection_id(village_id(9)), "signboards.09", value="no")
    assert (sizes[300] / f"{CACHE}-wal").stat().st_size == 0
    db.close()
    again = Database.open(sizes[300], clock=fixed_clock, read_only=True)
    assert again._stats_pending == {} and again.summary(village_id(9)).findings == 2
    again.close()


def test_history_queries_read_only_the_villages_whose_file_changed(sizes, reads):
    root = sizes[300]
    db = Database.open(root, clock=fixed_clock)
    reads.clear()
    assert {r.id for r in rows_as_of(db, TODAY)} == {finding_id(village_id(n), 2) for n in range(1, 301)}
    assert reads == []
    v11 = village_id(11)
    f11 = finding_id(v11, 2)
    store = db.store(v11)
    record(store, f11, "report", by="张伟", note="已整改")
    record(store, f11, "verify", by="张伟")
    record(store, f11, "close", by="张伟")
    reads.clear()
    rows = rows_as_of(db, TODAY)
    assert reads == []  # the 11th village was in memory; the others unchanged
    assert f11 not in {r.id for r in rows} and len(rows) == 299
    # As of a date before the close it is open again, read from its history.
    assert f11 in {r.id for r in rows_as_of(db, date(2026, 10, 20))}
    db.close()
    # Another program changes one file: only that one is read again (at open, for its summary and rows).
    path = root / "villages" / village_file(12)
    path.write_bytes(path.read_bytes().replace("问题2".encode(), "改过的问题".encode()))
    reads.clear()
    again = Database.open(root, clock=fixed_clock, read_only=True)
    assert reads == ["inspector.json", village_file(12)]
    assert [f.title for f in again.summary(village_id(12)).open] == ["改过的问题"]
    rows = rows_as_of(again, TODAY)
    assert reads == ["inspector.json", village_file(12)]
    assert next(r.title for r in rows if r.id == finding_id(village_id(12), 2)) == "改过的问题"
    again.close()


def test_inspection_rows_follow_the_files(sizes):
    db = Database.open(sizes[10], clock=fixed_clock)
    v3 = village_id(3)
    store = db.store(v3)
    store.save_answer(inspection_id(v3), "ledgers.01", value="no")
    new = store.add_inspection(day="2026-11-21", kind="routine", inspectors=["张伟"], template="chongqing", template_version="1")
    rows = {insp.id: (a, o, f) for _, insp, a, o, f in db.inspection_rows([v3])}
    assert rows == {inspection_id(v3): (4, 0, 2), new.id: (0, 0, 0)}
    assert [insp.id for _, insp, *_ in db.inspection_rows(since="2026-11-01")] == [new.id]
    db.close()


def test_demo_names_are_unique_at_city_scale():
    checklist = load_catalog()[0].checklists["chongqing"]
    villages, _ = demo_records.generate(5000, 1, 1, TODAY, checklist)
    names = [v.name for v in villages]
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
    store = db.store(village_id(4))
    f4 = finding_id(village_id(4), 2)
    for kind, extra in (("report", {"note": "已整改"}), ("verify", {}), ("close", {})):
        record(store, f4, kind, by="张伟", **extra)  # the village file is written; the cache row is not
    assert f4 not in {r.id for r in rows_as_of(db, TODAY)}
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
    monkeypatch.setattr(workflow, "apply", lambda status, ev: applied.append(ev.finding) or real(status, ev))
    _lose_index(sizes[10])
    reads.clear()
    db = Database.open(sizes[10], clock=fixed_clock, read_only=True)
    assert sorted(reads) == sorted(["inspector.json", *(village_file(n) for n in range(1, 11))])
    events = sum(len(_ledger(village_id(n)).events) for n in range(1, 11))
    assert len(applied) == events  # checked, summarized and indexed from one replay of each history
    assert rows_as_of(db, TODAY) and reads.count(village_file(1)) == 1  # the history queries read the index only
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
    damaged = root / "villages" / village_file(150)
    data = damaged.read_text(encoding="utf-8").replace('"counter": 2', '"counter": "two"', 1)
    assert '"counter": "two"' in data
    damaged.write_text(data, encoding="utf-8")
    with pytest.raises(CorruptFile) as caught:
        Database.open(root, clock=fixed_clock)
    assert caught.value.path == damaged and caught.value.field == "counter"
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
    done = next(i for i in store.inspections() if i.completed)
    store.save_answer(done.id, "signboards.bench", value="count", found=9, allowed=2)
    after = township.township_figures(db, [vid], TODAY, catalog)[0]
    assert after.cut["signboards"] == before.cut["signboards"] + 7
    assert after == township.village_figures(db.store(vid), TODAY, catalog)
    db.close()


@pytest.mark.parametrize(("table", "column", "damage"), [
    ("inspections", "doc", b'{"id"'),  # cut short
    ("inspections", "doc", b'{"id": 7}'),  # not an inspection
    ("findings", "doc", b"garbage"),
    ("findings", "timeline", b"[[1, 2]]"),  # a status cut short
], ids=["inspection-cut", "inspection-wrong", "finding-garbage", "timeline-short"])
def test_cache_rows_that_do_not_decode_are_read_again_from_the_files(demo_db, tmp_path, table, column, damage):
    from inspector.report import township_report as township

    root = tmp_path / "db"
    shutil.copytree(demo_db, root)
    catalog = load_catalog()[0]
    past = date(2026, 3, 31)

    def answers() -> tuple:
        db = Database.open(root, clock=fixed_clock)
        members = [v.id for v in db.villages()]
        out = ([(vid, i.id, a, o, f) for vid, i, a, o, f in db.inspection_rows()],
               [(v.id, v.state, v.deadline) for v in rows_as_of(db, past)],
               [vars(f) for f in township.township_figures(db, members, past, catalog)])
        db.close()
        return out

    before = answers()
    with sqlite3.connect(root / CACHE) as conn:  # every row of the table damaged, as a bad sector or another build would
        conn.execute(f"UPDATE {table} SET {column} = ?", (damage,))
    assert answers() == before
    with sqlite3.connect(root / CACHE) as conn:  # and the rows were written again, from the files
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", (damage,)).fetchone() == (0,)
