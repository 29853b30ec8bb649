"""The physical-limit reference: the same records in one SQLite database (stdlib sqlite3).

WAL, indexes on (finding, n), village, township and (type, day), as a
careful SQLite design of this product would have them. Each question is
answered in SQL, and its result is shaped like this store's answer so the
benchmark can check them row by row.

A finding's events are ordered by (at, device, counter) (core.workflow.in_order);
the reference keeps that order as an integer column ``n`` (1, 2, ... per finding),
computed once on loading, so "the last event by a day" stays one max() on an index.
A new event takes the next ``n`` of its finding.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

SCHEMA = """
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
CREATE TABLE villages (id TEXT PRIMARY KEY, name TEXT, township TEXT, archived INTEGER);
CREATE TABLE inspections (id TEXT PRIMARY KEY, village TEXT, day TEXT, kind TEXT, state TEXT, doc TEXT);
CREATE TABLE answers (inspection TEXT, item TEXT, value TEXT, found INTEGER, allowed INTEGER, doc TEXT, PRIMARY KEY (inspection, item));
CREATE TABLE observations (id TEXT PRIMARY KEY, inspection TEXT, kind TEXT, violation INTEGER);
CREATE TABLE findings (id TEXT PRIMARY KEY, village TEXT, inspection TEXT, theme TEXT, title TEXT, severity TEXT);
CREATE TABLE events (finding TEXT, n INTEGER, type TEXT, day TEXT, deadline TEXT, unit TEXT, level TEXT, doc TEXT, PRIMARY KEY (finding, n));
"""
INDEXES = """
CREATE INDEX villages_township ON villages (township);
CREATE INDEX inspections_village ON inspections (village, day);
CREATE INDEX findings_village ON findings (village);
CREATE INDEX findings_inspection ON findings (inspection);
CREATE INDEX events_type_day ON events (type, day);
CREATE INDEX observations_inspection ON observations (inspection);
"""


def load(store_root: Path, path: Path) -> None:
    """Copy a database folder of this store into one SQLite file."""
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    registry = json.loads((store_root / "inspector.json").read_text(encoding="utf-8"))
    with conn:
        conn.executemany("INSERT INTO villages VALUES (?, ?, ?, ?)",
                         [(v["id"], v["name"], v["township"], int(v.get("archived", False))) for v in registry["villages"].values()])
        for file in sorted((store_root / "villages").glob("*.json")):
            data = json.loads(file.read_text(encoding="utf-8"))
            conn.executemany("INSERT INTO inspections VALUES (?, ?, ?, ?, ?, ?)", [
                (i["id"], i["village"], i["date"], i["kind"], i["state"], json.dumps(i, ensure_ascii=False))
                for i in data.get("inspections", {}).values()])
            conn.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?)", [
                (a["inspection"], a["item"], a.get("value"), a.get("found"), a.get("allowed"), json.dumps(a, ensure_ascii=False))
                for a in data.get("answers", {}).values()])
            conn.executemany("INSERT INTO observations VALUES (?, ?, ?, ?)", [
                (o["id"], o["inspection"], o.get("kind"), int(o.get("violation") is True)) for o in data.get("observations", {}).values()])
            conn.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?)", [
                (f["id"], f["village"], f.get("inspection", ""), f.get("theme", ""), f.get("title", ""), f.get("severity", ""))
                for f in data.get("findings", {}).values()])
            events = sorted(data.get("events", {}).values(), key=lambda e: (e["finding"], e["at"], e.get("device", ""), e.get("counter", 0)))
            numbered: dict[str, int] = {}
            rows = []
            for e in events:
                numbered[e["finding"]] = numbered.get(e["finding"], 0) + 1
                rows.append((e["finding"], numbered[e["finding"]], e["type"], e["on"][:10], e.get("deadline"), e.get("unit"),
                             e.get("level"), json.dumps(e, ensure_ascii=False)))
            conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executescript(INDEXES)
    conn.close()


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")  # durable on return, as this store's writes are
    return conn


# A finding's status on a day: its last event by then, its deadline (the last
# found/extend by then) and its escalation (reminders by then).
STATUS = """
WITH last AS (
    SELECT finding, max(n) AS n FROM events WHERE day <= :day GROUP BY finding
), dl AS (
    SELECT e.finding, e.deadline FROM events e
    JOIN (SELECT finding, max(n) AS n FROM events WHERE day <= :day AND type IN ('found', 'extend') GROUP BY finding) m
      ON e.finding = m.finding AND e.n = m.n
)
SELECT f.id, f.village, dl.deadline FROM last
JOIN events e ON e.finding = last.finding AND e.n = last.n
JOIN findings f ON f.id = last.finding
JOIN dl ON dl.finding = last.finding
WHERE e.type NOT IN ('close', 'followup_confirm') {where}
"""


def open_findings(conn: sqlite3.Connection, day: str, township: str | None = None) -> list[tuple[str, str, str]]:
    """(finding id, village id, deadline) of every finding open on ``day`` (optionally of one township's villages)."""
    where, params = "", {"day": day}
    if township is not None:
        where = "AND f.village IN (SELECT id FROM villages WHERE township = :township AND archived = 0)"
        params["township"] = township
    else:
        where = "AND f.village IN (SELECT id FROM villages WHERE archived = 0)"
    return sorted(conn.execute(STATUS.format(where=where), params))


def overdue(conn: sqlite3.Connection, day: str) -> list[tuple[str, str]]:
    return [(fid, deadline) for fid, _, deadline in open_findings(conn, day) if deadline < day]


def first_screen(conn: sqlite3.Connection, day: str) -> list[tuple[str, int, int, int]]:
    """Per active village: inspections, findings, open findings (what the main screen shows)."""
    opened: dict[str, int] = {}
    for _, vid, _ in open_findings(conn, day):  # a finding's id no longer holds its village's
        opened[vid] = opened.get(vid, 0) + 1
    rows = conn.execute("""
        SELECT v.id, (SELECT count(*) FROM inspections i WHERE i.village = v.id),
               (SELECT count(*) FROM findings f WHERE f.village = v.id)
        FROM villages v WHERE v.archived = 0 ORDER BY v.id""").fetchall()
    return [(vid, i, f, opened.get(vid, 0)) for vid, i, f in rows]


def inspection_list(conn: sqlite3.Connection) -> list[tuple[str, int, int, int]]:
    return conn.execute("""
        SELECT i.id, coalesce(a.n, 0), coalesce(o.n, 0), coalesce(f.n, 0) FROM inspections i
        LEFT JOIN (SELECT inspection, count(*) AS n FROM answers GROUP BY inspection) a ON a.inspection = i.id
        LEFT JOIN (SELECT inspection, count(*) AS n FROM observations GROUP BY inspection) o ON o.inspection = i.id
        LEFT JOIN (SELECT inspection, count(*) AS n FROM findings GROUP BY inspection) f ON f.inspection = i.id
        ORDER BY i.day, i.id""").fetchall()


def township(conn: sqlite3.Connection, name: str, day: str) -> list[tuple]:
    """Per village of the township: inspections, findings, open, overdue, closed, signboards and ledgers cut."""
    opened = {fid: deadline for fid, _, deadline in open_findings(conn, day, name)}
    out = []
    for (vid,) in conn.execute("SELECT id FROM villages WHERE township = ? AND archived = 0 ORDER BY id", (name,)).fetchall():
        inspections = conn.execute("SELECT count(*) FROM inspections WHERE village = ? AND state = 'completed' AND day <= ?", (vid, day)).fetchone()[0]
        found = [fid for (fid,) in conn.execute(
            "SELECT DISTINCT e.finding FROM events e JOIN findings f ON f.id = e.finding WHERE f.village = ? AND e.n = 1 AND e.day <= ?", (vid, day))]
        open_ = [fid for fid in found if fid in opened]
        cut = dict(conn.execute("""
            SELECT substr(a.item, 1, instr(a.item, '.') - 1) AS theme, sum(max(0, a.found - a.allowed))
            FROM answers a JOIN inspections i ON i.id = a.inspection
            WHERE i.village = ? AND i.state = 'completed' AND i.day <= ? AND a.value = 'count'
              AND a.found IS NOT NULL AND a.allowed IS NOT NULL GROUP BY theme""", (vid, day)).fetchall())
        out.append((vid, inspections, len(found), len(open_), sum(1 for f in open_ if opened[f] < day),
                    len(found) - len(open_), cut.get("signboards", 0), cut.get("ledgers", 0)))
    return out


def add_event(conn: sqlite3.Connection, fid: str, kind: str, day: str, unit: str, doc: str) -> None:
    """Append an event to ``fid``: the next number in its order (one lookup on the primary key)."""
    conn.execute("INSERT INTO events VALUES (?, (SELECT coalesce(max(n), 0) + 1 FROM events WHERE finding = ?), ?, ?, NULL, ?, NULL, ?)",
                 (fid, fid, kind, day, unit, doc))


def rebuild(conn: sqlite3.Connection) -> None:
    """The derived indexes, rebuilt from the tables."""
    conn.execute("REINDEX")
