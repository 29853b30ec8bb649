"""Store benchmark: this store against a SQLite reference (default) or TinyDB's JSONStorage, side by side.

    python -m bench.store [--sizes 300,3000] [--years 5] [--samples 25]              # against SQLite
    python -m bench.store --baseline tinydb [--sizes 1,30,300] [--import-rows 1000,10000]

Against SQLite (bench/sqlite_reference.py: the same records in one SQLite
file, WAL, indexes on finding/order, village, township, type/day), each
operation in a fresh process for each side, results checked equal row by
row: one answer saved, one finding event (medians), overdue today, overdue as
of a year ago, one township's figures, the inspection list, index rebuild,
first screen. Ratios are this store's time over SQLite's.

Against TinyDB:
For each size it builds a demo database (``inspector demo``), then the same
records in one TinyDB file with the default JSONStorage, and measures in a
fresh subprocess each (so peak memory is that operation's own):

- save one answer (median of N), save one finding event (median of N);
- open the database and compute the first screen (village summaries);
- the overdue list (open findings past their deadline, sorted);
- the app itself: start the Textual app headless until the main screen shows;
- size on disk and peak memory (max RSS) of the open + overdue process;
- lookups: one village by id, one inspection's answers;
- a village import of 1,000 and 10,000 rows (``--import-rows``), in rows/s.

Targets at county scale (300 villages, 5 years): save ≤ 10 ms median,
first screen ≤ 1.5 s, overdue list ≤ 300 ms, peak memory ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 21)
PAST = date(2025, 11, 21)  # "as of a year ago"


def build(root: Path, villages: int, years: int) -> tuple[Path, Path]:
    from inspector.wiring import build_demo

    ours = root / f"store-{villages}"
    build_demo(ours, villages=villages, years=years, seed=1, today=TODAY)
    # The same records in one TinyDB file, as TinyDB's JSONStorage writes it.
    tables: dict[str, dict] = {}
    registry = json.loads((ours / "inspector.json").read_text(encoding="utf-8"))
    tables["villages"] = registry["villages"]
    counters: dict[str, int] = {}
    for path in sorted((ours / "villages").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for name in ("inspections", "answers", "findings", "events"):
            table = tables.setdefault(name, {})
            for doc in data.get(name, {}).values():
                counters[name] = counters.get(name, 0) + 1
                table[str(counters[name])] = doc
    baseline = root / f"tinydb-{villages}.json"
    with open(baseline, "w", encoding="utf-8") as fh:
        json.dump(tables, fh)  # JSONStorage's own format (ASCII-escaped, no indent)
    return ours, baseline


# Both probes measure their own peak memory with this.
PEAK = r'''
import resource
def peak_mb():
    # VmHWM is this process's own peak; ru_maxrss can carry the parent's from fork.
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
'''

# Each probe runs in its own interpreter; it prints one JSON line.
PROBE = PEAK + r'''
import json, resource, statistics, sys, time
from datetime import date, datetime
mode, path, op, samples = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
TODAY = "2026-11-21"
DEADLINE = date(2026, 12, 31)
clock = lambda: datetime(2026, 11, 21, 10)
out = {}
t0 = time.perf_counter()
if mode == "ours" and op == "import":
    # A county-wide village import into a new database: one add_villages call.
    from inspector.storage.database import Database
    db = Database.open(path, clock=clock)
    rows = [dict(name=f"村{n:05d}", township=f"镇{n % 50:02d}") for n in range(samples)]
    t = time.perf_counter(); db.add_villages(rows); out.update(seconds=time.perf_counter() - t)
    db.close()
elif mode == "ours":
    from inspector.storage.database import Database
    db = Database.open(path, clock=clock)
    summaries = db.summaries()
    first = time.perf_counter() - t0
    vid = sorted(summaries)[len(summaries) // 2]
    if op == "overdue":
        t1 = time.perf_counter()
        rows = sorted((f for f in db.open_findings() if f.deadline < TODAY), key=lambda f: (f.deadline, f.id))
        out.update(first_screen=first, overdue=time.perf_counter() - t1, rows=len(rows))
    elif op == "lookup":
        # One village by id (every cache miss of db.store did this), and every
        # inspection's answers of one village (a township report reads them all).
        vids = sorted(summaries)
        times = []
        for n in range(samples):
            t = time.perf_counter(); db.village(vids[n % len(vids)]); times.append(time.perf_counter() - t)
        t = time.perf_counter()
        store = db.store(vid)  # not cached yet: parse and check the village's file
        opened = time.perf_counter() - t
        iids = [i.id for i in store.inspections()]
        t = time.perf_counter()
        for iid in iids:
            store.answers(iid)
        out.update(village=statistics.median(times), answers=(time.perf_counter() - t) / max(1, len(iids)), inspections=len(iids), opened=opened)
    elif op == "answer":
        store = db.store(vid)
        iid = store.inspections()[-1].id
        times = []
        for n in range(samples):
            t = time.perf_counter(); store.save_answer(iid, f"bench.{n}", value="no", note="牌子太多"); times.append(time.perf_counter() - t)
        out.update(median=statistics.median(times))
    elif op == "visit":
        # The real path of an answer in the app: through the visit (reads the
        # draft's answers, merges, saves), on a new draft inspection.
        from inspector.catalog.loader import load_catalog
        from inspector.core.visit import open_visit
        catalog, _ = load_catalog()
        checklist = catalog.checklists["chongqing"]
        iid = db.store(vid).add_inspection(day=TODAY, kind="routine", inspectors=["bench"], template="chongqing", template_version=checklist.version).id
        visit = open_visit(db, catalog, {}, iid)
        items = [i for i in checklist.items if i.answer == "yes_no"]
        times = []
        for n in range(samples):
            item = items[n % len(items)]
            t = time.perf_counter(); visit.answer(item, value="yes", note=f"第{n}次"); times.append(time.perf_counter() - t)
        lst = next(i for i in checklist.items if i.answer == "list" and i.observe == "task")
        obs_times = []
        for n in range(max(3, samples // 5)):
            t = time.perf_counter(); visit.observe(lst, {"what": "城管让村干部上街劝离占道经营的摊贩", "department": "镇城管执法队"}); obs_times.append(time.perf_counter() - t)
        out.update(median=statistics.median(times), observe=statistics.median(obs_times))
    elif op == "event":
        from inspector.core.moves import record
        from inspector.core.records import Finding
        store = db.store(vid)
        fid = store.add_finding(Finding(id="", village=vid, title="基准测试", theme="ledgers"), deadline=DEADLINE, by="bench").id
        times = []
        for n in range(samples):
            t = time.perf_counter(); record(store, fid, "progress" if n else "assign", by="bench", note=f"进展 {n}", unit="镇民政办"); times.append(time.perf_counter() - t)
        out.update(median=statistics.median(times))
    db.close()
else:
    from tinydb import TinyDB, Query
    db = TinyDB(path)  # default JSONStorage
    if op == "overdue":
        villages = db.table("villages").all()
        from collections import defaultdict
        from inspector.core.workflow import derive
        from inspector.storage.documents import event as event_record
        events = defaultdict(list)
        for ev in db.table("events").all():
            events[ev["finding"]].append(event_record(ev))  # derive reads records, as the store's side does
        first = time.perf_counter() - t0
        t1 = time.perf_counter()
        rows = []
        for f in db.table("findings").all():
            st = derive(events[f["id"]])
            if st.is_open and st.deadline.isoformat() < TODAY:
                rows.append((st.deadline, f["id"]))
        rows.sort()
        out.update(first_screen=first, overdue=time.perf_counter() - t1, rows=len(rows))
    elif op in ("answer", "event"):
        table = db.table("answers" if op == "answer" else "events")
        # Ids from the file itself (the first inspection and finding), as the store's side takes them.
        iid = db.table("inspections").get(doc_id=1)["id"]
        fid = db.table("findings").get(doc_id=1)["id"]
        times = []
        for n in range(samples):
            at = f"{TODAY}T10:00:{n:02d}"
            doc = ({"inspection": iid, "item": f"bench.{n}", "value": "no"} if op == "answer" else
                   {"id": f"bench-{n}", "finding": fid, "type": "progress", "on": TODAY, "at": at, "by": "bench",
                    "device": "bench", "counter": 1000 + n, "note": "进展"})
            t = time.perf_counter(); table.insert(doc); times.append(time.perf_counter() - t)
        out.update(median=statistics.median(times))
out["peak_mb"] = peak_mb()
print(json.dumps(out))
'''

APP_PROBE = PEAK + r'''
import asyncio, json, resource, sys, time
from datetime import date, datetime
t0 = time.perf_counter()
from inspector.catalog.loader import load_catalog
from inspector.storage.database import Database
from inspector.ui.app import make_app
from textual.widgets import DataTable
async def main():
    db = Database.open(sys.argv[1], clock=lambda: datetime(2026, 11, 21, 10))
    catalog, _ = load_catalog()
    app = make_app(db=db, catalog=catalog, today=date(2026, 11, 21))
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.screen.query("#villages") or app.screen.query_one("#villages", DataTable).row_count == 0:
            await pilot.pause()
        shown = time.perf_counter() - t0
        # Baseline: the same measurement for a screen with no data (F1, help).
        th = time.perf_counter()
        await pilot.press("f1")
        while type(app.screen).__name__ != "HelpScreen":
            await pilot.pause()
        help_shown = time.perf_counter() - th
        await pilot.press("escape")
        await pilot.pause()
        # The supervisor's review: from the key to the first rows, then a filter.
        t1 = time.perf_counter()
        await pilot.press("o")
        while type(app.screen).__name__ != "ReviewScreen" or app.screen.query_one("#review", DataTable).row_count == 0:
            await pilot.pause()
        review = time.perf_counter() - t1
        screen = app.screen
        t2 = time.perf_counter()
        screen.filters = {"township": db.townships()[0]}
        screen.load()
        await pilot.pause()
        filtered = time.perf_counter() - t2
        t3 = time.perf_counter()
        table = screen.query_one("#review", DataTable)
        for _ in range(60):
            await pilot.press("pagedown")
        scrolled = (time.perf_counter() - t3) / 60
    db.close()
    print(json.dumps({"app_first_screen": shown, "review_first_rows": review, "review_filter": filtered, "review_pagedown": scrolled, "help_shown": help_shown, "peak_mb": peak_mb()}))
asyncio.run(main())
'''


# One operation of the city-scale comparison, in its own interpreter; prints one JSON line
# with its time, its peak memory and a digest of its result (checked equal across sides).
SCALE_PROBE = PEAK + r'''
import hashlib, json, statistics, sys, time
from datetime import date, datetime
side, path, op, samples = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
TODAY, PAST = date(2026, 11, 21), date(2025, 11, 21)
clock = lambda: datetime(2026, 11, 21, 10)
def digest(rows):
    rows = [list(r) for r in rows]
    return {"rows": len(rows), "digest": hashlib.sha1(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()}
out = {}
t0 = time.perf_counter()
if side == "ours":
    from inspector.storage.database import Database
    if op == "rebuild":
        import pathlib
        for name in ("index.sqlite", "index.sqlite-wal", "index.sqlite-shm"):
            (pathlib.Path(path) / name).unlink(missing_ok=True)
        t0 = time.perf_counter()
        Database.open(path, clock=clock).close()
        out["seconds"] = time.perf_counter() - t0
    else:
        db = Database.open(path, clock=clock, read_only=op not in ("answer", "event"))
        township = sorted({v.township for v in db.villages()})[0]
        if op == "first":
            s = db.summaries()
            out["seconds"] = time.perf_counter() - t0
            out.update(digest((vid, x.inspections, x.findings, len(x.open)) for vid, x in sorted(s.items())))
        elif op in ("overdue", "overdue_past"):
            from inspector.core.overdue import rows_as_of, rows_from_index
            day = TODAY if op == "overdue" else PAST
            rows = rows_from_index(db, day) if op == "overdue" else rows_as_of(db, day)
            out["seconds"] = time.perf_counter() - t0
            out.update(digest(sorted((r.id, r.deadline.isoformat()) for r in rows if r.overdue)))
        elif op == "township":
            from inspector.report.township_report import township_figures
            rows = []
            members = sorted((v for v in db.villages() if v.township == township), key=lambda v: v.id)
            for v, f in zip(members, township_figures(db, [v.id for v in members], TODAY)):
                rows.append((v.id, f.inspections, f.findings, f.open, f.overdue, f.closed, f.cut["signboards"], f.cut["ledgers"]))
            out["seconds"] = time.perf_counter() - t0
            out.update(digest(rows))
        elif op == "inspections":
            rows = [(i.id, a, o, f) for _, i, a, o, f in db.inspection_rows()]
            out["seconds"] = time.perf_counter() - t0
            out.update(digest(rows))
        elif op in ("answer", "event"):
            vid = sorted(db.summaries())[len(db.summaries()) // 2]
            store = db.store(vid)
            times = []
            if op == "answer":
                iid = store.inspections()[-1].id
                for n in range(samples):
                    t = time.perf_counter(); store.save_answer(iid, f"bench.{n}", value="no", note="牌子太多"); times.append(time.perf_counter() - t)
            else:
                from inspector.core.moves import record
                from inspector.core.records import Finding
                fid = store.add_finding(Finding(id="", village=vid, title="基准测试", theme="ledgers"), deadline=date(2026, 12, 31), by="bench").id
                for n in range(samples):
                    t = time.perf_counter(); record(store, fid, "progress" if n else "assign", by="bench", note=f"进展 {n}", unit="镇民政办"); times.append(time.perf_counter() - t)
            out["seconds"] = statistics.median(times)
        db.close()
else:
    from bench import sqlite_reference as ref
    conn = ref.connect(path)
    township = conn.execute("SELECT min(township) FROM villages WHERE archived = 0").fetchone()[0]
    if op == "rebuild":
        ref.rebuild(conn)
    elif op == "first":
        out.update(digest(ref.first_screen(conn, TODAY.isoformat())))
    elif op in ("overdue", "overdue_past"):
        out.update(digest(ref.overdue(conn, (TODAY if op == "overdue" else PAST).isoformat())))
    elif op == "township":
        out.update(digest(ref.township(conn, township, TODAY.isoformat())))
    elif op == "inspections":
        out.update(digest(ref.inspection_list(conn)))
    if op in ("answer", "event"):
        vid = conn.execute("SELECT id FROM villages ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM villages)").fetchone()[0]
        iid = conn.execute("SELECT max(id) FROM inspections WHERE village = ?", (vid,)).fetchone()[0]
        fid = conn.execute("SELECT max(id) FROM findings WHERE village = ?", (vid,)).fetchone()[0]
        times = []
        for n in range(samples):
            t = time.perf_counter()
            if op == "answer":
                doc = json.dumps({"inspection": iid, "item": f"bench.{n}", "value": "no", "note": "牌子太多"}, ensure_ascii=False)
                conn.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, 'no', NULL, NULL, ?)", (iid, f"bench.{n}", doc))
            else:
                doc = json.dumps({"finding": fid, "type": "progress", "on": TODAY.isoformat(), "by": "bench", "note": f"进展 {n}", "unit": "镇民政办"}, ensure_ascii=False)
                ref.add_event(conn, fid, "progress", TODAY.isoformat(), "镇民政办", doc)
            times.append(time.perf_counter() - t)
        out["seconds"] = statistics.median(times)
    else:
        out.setdefault("seconds", time.perf_counter() - t0)
    conn.close()
out["peak_mb"] = peak_mb()
print(json.dumps(out))
'''

SCALE_OPS = (
    ("answer", "save one answer (median)"),
    ("event", "save one finding event (median)"),
    ("overdue", "overdue today"),
    ("overdue_past", "overdue as of a year ago"),
    ("township", "one township's figures"),
    ("inspections", "inspection list"),
    ("rebuild", "index rebuild"),
    ("first", "first screen (summaries)"),
)


def scale_probe(side: str, path: Path, op: str, samples: int) -> dict:
    out = subprocess.run([sys.executable, "-c", SCALE_PROBE, side, str(path), op, str(samples)],
                         capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout)


def compare_sqlite(root: Path, sizes: list[int], years: int, samples: int) -> None:
    from inspector.wiring import build_demo

    from . import sqlite_reference

    results: dict[int, dict[str, tuple[dict, dict]]] = {}
    for size in sizes:
        ours = root / f"store-{size}"
        t = time.perf_counter()
        build_demo(ours, villages=size, years=years, seed=1, today=TODAY)
        built = time.perf_counter() - t
        t = time.perf_counter()
        sqlite_reference.load(ours, root / f"ref-{size}.sqlite")
        loaded = time.perf_counter() - t
        print(f"{size} villages x {years} years: demo built in {built:.1f} s, SQLite reference loaded in {loaded:.1f} s", flush=True)
        results[size] = {}
        # The questions first, on the same records; then the writes (which differ by side), then the rebuild.
        for op in ("first", "overdue", "overdue_past", "township", "inspections", "answer", "event", "rebuild"):
            mine = scale_probe("ours", ours, op, samples)
            theirs = scale_probe("sqlite", root / f"ref-{size}.sqlite", op, samples)
            if "digest" in mine and (mine["rows"], mine["digest"]) != (theirs["rows"], theirs["digest"]):
                raise SystemExit(f"{op} at {size}: results differ ({mine['rows']} rows here, {theirs['rows']} in SQLite)")
            results[size][op] = (mine, theirs)
            print(f"    {op}: this store {ms(mine['seconds'])}, SQLite {ms(theirs['seconds'])}", flush=True)
        # The store's own folder may now hold a rebuilt cache; sizes on disk, record and cache apart.
        record = sum(p.stat().st_size for p in (ours / "villages").glob("*.json")) / 1e6
        cache = sum(p.stat().st_size for p in ours.glob("index.sqlite*")) / 1e6
        print(f"    village files {record:,.0f} MB, query cache {cache:,.0f} MB, SQLite reference {(root / f'ref-{size}.sqlite').stat().st_size / 1e6:,.0f} MB")
    print()
    head = f"| operation | " + " | ".join(f"{n:,} this store | {n:,} SQLite | ratio" for n in sizes) + " |"
    print(head)
    print("|---" * (1 + 3 * len(sizes)) + "|")
    for op, label in SCALE_OPS:
        cells = []
        for size in sizes:
            mine, theirs = results[size][op]
            rows = f" ({mine['rows']:,} rows)" if "rows" in mine else ""
            cells += [ms(mine["seconds"]) + rows, ms(theirs["seconds"]), f"{mine['seconds'] / max(theirs['seconds'], 1e-9):.1f}x"]
        print(f"| {label} | " + " | ".join(cells) + " |")
    peak = {size: max(m["peak_mb"] for m, _ in results[size].values()) for size in sizes}
    print(f"| peak memory (this store, any operation) | " + " | ".join(f"{peak[s]:.0f} MB | | " for s in sizes) + "|")
    if len(sizes) > 1:
        a, b = sizes[0], sizes[-1]
        print()
        print(f"Growth from {a:,} to {b:,} villages (x{b / a:g}), this store: " + ", ".join(
            f"{label.split(' (')[0]} x{results[b][op][0]['seconds'] / max(results[a][op][0]['seconds'], 1e-9):.1f}"
            for op, label in SCALE_OPS))


def probe(mode: str, path: Path, op: str, samples: int) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, mode, str(path), op, str(samples)], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout)


def app_probe(path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", APP_PROBE, str(path)], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout)


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and "backups" not in p.parts) / 1e6


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", choices=("sqlite", "tinydb"), default="sqlite")
    parser.add_argument("--sizes", default=None, help="villages, comma-separated (default 300,3000 against SQLite, 1,30,300 against TinyDB)")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--samples", type=int, default=25)
    parser.add_argument("--baseline-samples", type=int, default=3, help="TinyDB rewrites the whole file per write: keep it short")
    parser.add_argument("--import-rows", default="1000,10000", help="village import sizes (rows); empty to skip")
    args = parser.parse_args()
    if args.baseline == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            compare_sqlite(Path(tmp), [int(s) for s in (args.sizes or "300,3000").split(",")], args.years, args.samples)
        return
    args.sizes = args.sizes or "1,30,300"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"{'villages':>8} {'store':<22} {'save answer':>12} {'save event':>12} {'first screen':>13} {'overdue list':>13} {'app shown':>10} {'size':>9} {'peak mem':>9}")
        visit_rows = []
        lookups = []
        for size in (int(s) for s in args.sizes.split(",")):
            t = time.perf_counter()
            ours, baseline = build(root, size, args.years)
            meta = probe("ours", ours, "overdue", 1)
            rows = [
                ("this store (per village)", ours, args.samples, app_probe(ours)),
                ("TinyDB JSONStorage", baseline, args.baseline_samples, None),
            ]
            for name, path, samples, app in rows:
                mode = "ours" if path == ours else "tinydb"
                over = probe(mode, path, "overdue", 1)
                ans = probe(mode, path, "answer", samples)
                evt = probe(mode, path, "event", samples)
                peak = max(over["peak_mb"], ans["peak_mb"], evt["peak_mb"], app["peak_mb"] if app else 0)
                print(
                    f"{size:>8} {name:<22} {ms(ans['median']):>12} {ms(evt['median']):>12} {ms(over['first_screen']):>13} "
                    f"{ms(over['overdue']):>13} {(ms(app['app_first_screen']) if app else '-'):>10} {size_mb(path):>7.1f}MB {peak:>7.0f}MB"
                )
            visit = probe("ours", ours, "visit", args.samples)
            lookups.append((size, probe("ours", ours, "lookup", args.samples)))
            visit_rows.append((size, visit, rows[0][3]))
            print(f"{'':>8} ({meta['rows']} overdue findings; built in {time.perf_counter() - t:.1f} s)")
        print()
        print("In the app's own path (this store): answer saved through the visit; a task recorded and classified")
        for size, visit, app in visit_rows:
            print(f"{size:>8} villages: answer {ms(visit['median'])} median, observation {ms(visit['observe'])} median, peak {visit['peak_mb']:.0f}MB")
        print()
        print("Lookups (this store): one village by id (median); one inspection's answers (mean over a village's inspections);")
        print("opening one village's file (parse and check)")
        for size, look in lookups:
            print(f"{size:>8} villages: village by id {look['village'] * 1e6:,.1f} µs, answers {look['answers'] * 1e6:,.1f} µs "
                  f"({look['inspections']} inspections), open a village file {ms(look['opened'])}")
        print()
        print("Village import into a new database (one add_villages call, one write of the registry)")
        for rows in (int(r) for r in args.import_rows.split(",") if r):
            done = probe("ours", root / f"import-{rows}", "import", rows)
            print(f"{rows:>8} rows: {done['seconds']:.2f} s, {rows / done['seconds']:,.0f} rows/s")
        print()
        print("The supervisor's review screen (this store): key to first rows; a filter; one page down")
        for size, visit, app in visit_rows:
            print(f"{size:>8} villages: first rows {ms(app['review_first_rows'])}, filter {ms(app['review_filter'])}, "
                  f"page down {ms(app['review_pagedown'])}; baseline, the help screen (no data) {ms(app['help_shown'])}")


if __name__ == "__main__":
    main()
