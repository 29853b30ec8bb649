"""A derived query cache beside the village files: ``<db>/index.sqlite`` (stdlib sqlite3).

The village files are the record (一村一档); this file only makes questions
across villages fast. Per village it holds:

- its summary (first screen, today's overdue list), rewritten as one row
  when a finding changes: the cost of a write no longer grows with the
  number of villages, as rewriting a whole ``index.json`` did;
- the rows the history queries read (inspections with their counts and
  figures, findings with their events), refreshed lazily, village by village, when the
  file they came from has changed.

Every row set carries the size and mtime of the file it came from, so the
whole file can be deleted, be corrupt, or be out of date, and is rebuilt
from the village files. When it cannot be written (read-only folder, full
disk), the same tables live in memory for the session.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

import msgspec
import orjson

from ..core import ids
from ..core.records import Finding, Inspection
from . import documents
from ..core.workflow import FindingStatus
from .histories import status_on
from .shapes import CheckedVillage, village_records

CACHE = "index.sqlite"
VERSION = "10"  # index.json was version 3; 6: one row per finding, with its history; 7: its timeline;
# 8: an inspection as its fields' values in order; 9: timeline days as ordinals;
# 10: inspections and findings as their records encode (documents.cached)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS summaries (vid TEXT PRIMARY KEY, mtime INTEGER, size INTEGER, summary TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS details (vid TEXT PRIMARY KEY, mtime INTEGER, size INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS inspections (
    vid TEXT NOT NULL, id TEXT NOT NULL, day TEXT NOT NULL, doc TEXT NOT NULL,
    answers INTEGER NOT NULL, observations INTEGER NOT NULL, findings INTEGER NOT NULL, figures TEXT);
CREATE INDEX IF NOT EXISTS inspections_vid ON inspections (vid);
CREATE INDEX IF NOT EXISTS inspections_day ON inspections (day, id);
CREATE TABLE IF NOT EXISTS findings (
    vid TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL, timeline TEXT NOT NULL, found TEXT NOT NULL, closed TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS findings_vid ON findings (vid, found);
CREATE INDEX IF NOT EXISTS findings_closed ON findings (closed, found);
"""
_TABLES = ("meta", "summaries", "details", "inspections", "findings", "events")  # events: up to version 5

def _connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5)
    if str(path) != ":memory:":
        # WAL: readers never wait for the writer; NORMAL: no fsync per commit
        # (a cache: a lost commit is a stale row, found by its stat and rebuilt).
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA cache_size=-32000")  # 32 MB: a rebuild's indexes stay in memory while they grow
    found = conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
    version = conn.execute("SELECT value FROM meta WHERE key='version'").fetchone() if found else None
    if version is None or version[0] != VERSION:
        # Another version (or half made): start again; the version row goes in last.
        for table in _TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.executescript(_SCHEMA)
        conn.execute("INSERT INTO meta VALUES ('version', ?)", (VERSION,))
    else:
        conn.executescript(_SCHEMA)  # a new index: made here, without a rebuild of the rows
    return conn


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _stat_of(mtime: Any, size: Any) -> list[int] | None:
    return None if mtime is None else [mtime, size]


class CacheLost(Exception):
    """The cache broke during a read: started again (empty), or a village's rows to be read again from its file."""


# A row that does not decode (a damaged cache file; rows of another build under the same version):
# no row of the file is trusted until its village is read again from its file (QueryCache._stale).
_UNREADABLE = (msgspec.DecodeError, ValueError, TypeError, IndexError)


class QueryCache:
    """The cache's tables; every failure to write is swallowed (the files stay the record)."""

    def __init__(self, root: Path, *, writable: bool = True):
        self.path = Path(root) / CACHE
        self.in_memory = False
        self.failed = False  # a write was lost: rows may be stale until the next open
        self._lock = threading.Lock()  # the app may read from a worker thread
        self._stale: set[str] = set()  # villages whose rows are not trusted: to be read again from their files
        self._suspect = False  # a row did not decode: every village's rows to be read again, as each is asked for
        self.conn = self._open(writable)

    def _open(self, writable: bool) -> sqlite3.Connection:
        if writable:
            try:
                return _connect(self.path)
            except sqlite3.OperationalError:
                pass  # cannot open or write it here (folder read-only, locked): memory
            except (sqlite3.DatabaseError, OSError):
                # Not a database (corrupt, truncated): it is only a cache, start again.
                try:
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                    return _connect(self.path)
                except (sqlite3.Error, OSError):
                    pass
        self.in_memory = True
        return _connect(":memory:")

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass

    def _write(self, work: Callable[[sqlite3.Connection], None]) -> None:
        """``work`` in one transaction, or not at all."""
        with self._lock:
            try:
                with _transaction(self.conn):
                    work(self.conn)
            except sqlite3.Error:
                # A stale or missing row is found by its stat at the next open; until
                # then the Database asks an in-memory copy instead (see Database.query).
                self.failed = True

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        return list(self._stream(sql, params))

    def _stream(self, sql: str, params: Iterable[Any] = ()) -> Iterator[tuple]:
        """The rows, a batch at a time (a city's history does not sit in memory at once)."""
        with self._lock:
            try:
                cursor = self.conn.execute(sql, tuple(params))
                while batch := cursor.fetchmany(2000):
                    yield from batch
            except sqlite3.OperationalError as exc:
                raise CacheLost() from exc  # busy, or gone read-only: the caller asks again, then in memory
            except sqlite3.DatabaseError as exc:
                # Corrupt under us: start again; the caller re-reads every village from its file.
                self.conn.close()
                self.conn = self._open(not self.in_memory)
                raise CacheLost() from exc

    # -- summaries (what index.json held) ------------------------------------

    def summaries(self) -> dict[str, dict]:
        """{village id: {"stat", "summary"}}; a summary that does not parse is left out."""
        out = {}
        try:
            rows = self._rows("SELECT vid, mtime, size, summary FROM summaries")
        except CacheLost:
            return {}  # all stale: rebuilt from the files
        for vid, mtime, size, text in rows:
            try:
                out[vid] = {"stat": _stat_of(mtime, size), "summary": orjson.loads(text)}
            except (orjson.JSONDecodeError, TypeError):
                continue
        return out

    def put_summaries(self, entries: dict[str, dict]) -> None:
        rows = [(vid, *(e["stat"] or (None, None)), orjson.dumps(e["summary"]).decode()) for vid, e in entries.items()]
        self._write(lambda conn: conn.executemany("INSERT OR REPLACE INTO summaries VALUES (?, ?, ?, ?)", rows))

    def put_stats(self, stats: dict[str, list[int] | None]) -> None:
        """The village's file changed but not its summary (an answer was saved)."""
        rows = [(*(stat or (None, None)), vid) for vid, stat in stats.items()]
        self._write(lambda conn: conn.executemany("UPDATE summaries SET mtime = ?, size = ? WHERE vid = ?", rows))

    # -- details (the history queries' rows) ---------------------------------

    def detail_stats(self) -> dict[str, list[int] | None]:
        try:
            rows = self._rows("SELECT vid, mtime, size FROM details")
        except CacheLost:
            return {}
        if self._suspect:
            self._stale.update(vid for vid, _, _ in rows)
            self._suspect = False
        return {vid: _stat_of(mtime, size) for vid, mtime, size in rows if vid not in self._stale}

    def put_details(self, vid: str, stat: list[int] | None, rows: "VillageRows") -> None:
        """Replace one village's rows with those of its file as it is at ``stat``."""
        self._write(lambda conn: _put_rows(conn, vid, stat, rows))
        self._stale.discard(vid)

    def _unreadable(self) -> CacheLost:
        """A row does not decode: the caller asks again, and the rows it asks for are read again first."""
        self._suspect = True
        return CacheLost()

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Many villages written in a row: checkpoint the log rarely, and leave it small at the end."""
        self._pragma("PRAGMA wal_autocheckpoint=8000")  # 32 MB of log between checkpoints, not 4 MB
        try:
            yield
        finally:
            self._pragma("PRAGMA wal_autocheckpoint=1000")
            self._pragma("PRAGMA wal_checkpoint(TRUNCATE)")

    def _pragma(self, sql: str) -> None:
        with self._lock:
            try:
                self.conn.execute(sql).fetchall()
            except sqlite3.Error:
                pass  # only speed is at stake

    def put_villages(self, scanned: list[tuple[str, list[int] | None, dict, "VillageRows | None"]]) -> None:
        """Many villages re-read at open, in one transaction: (id, stat, summary, rows or None to keep them)."""

        def work(conn: sqlite3.Connection) -> None:
            conn.executemany(
                "INSERT OR REPLACE INTO summaries VALUES (?, ?, ?, ?)",
                [(vid, *(stat or (None, None)), orjson.dumps(summary).decode()) for vid, stat, summary, _ in scanned],
            )
            for vid, stat, _, rows in scanned:
                if rows is not None:
                    _put_rows(conn, vid, stat, rows)

        self._write(work)

    # -- queries -------------------------------------------------------------

    def open_on(self, day: str, vids: list[str] | None) -> Iterator[tuple[str, Finding, FindingStatus]]:
        """(village id, finding, its status on ``day``) for every finding open on ``day`` (ISO).

        The rows that may be open are found by their two days (found by then, not
        closed for good by then); each status is read from the finding's timeline
        (histories.status_on), exactly what workflow.derive gives on that day.
        """
        sql = "SELECT vid, doc, timeline FROM findings WHERE closed > ? AND found <= ?"
        if vids is None:
            found: Iterator[tuple] = self._stream(sql, (day, day))
        else:  # by village: one index range each
            found = (row for vid in vids for row in self._stream(
                "SELECT vid, doc, timeline FROM findings WHERE vid = ? AND found <= ? AND closed > ?", (vid, day, day)))
        try:
            for vid, doc, timeline in found:
                try:
                    status = status_on(orjson.loads(timeline), day)
                    finding = documents.cached_finding(doc) if status is not None and status.is_open else None
                except _UNREADABLE:
                    raise self._unreadable() from None
                if finding is not None:
                    yield vid, finding, status
        finally:
            found.close()  # the rows' cursor and the cache's lock let go at once, not when collected

    def found_by(self, vid: str, day: str) -> list[tuple[Finding, FindingStatus]]:
        """(finding, its status on ``day``) for each finding of the village found on or before ``day``."""
        rows = self._rows("SELECT doc, timeline FROM findings WHERE vid = ? AND found <= ? ORDER BY id, rowid", (vid, day))
        out = []
        try:
            for doc, timeline in rows:
                status = status_on(orjson.loads(timeline), day)
                if status is not None:
                    out.append((documents.cached_finding(doc), status))
        except _UNREADABLE:
            raise self._unreadable() from None
        return out

    def inspection_figures(self, vid: str) -> list[tuple[Inspection, dict]]:
        """(inspection, its figures: count answers and violations seen) for each inspection of the village."""
        rows = self._rows("SELECT doc, figures FROM inspections WHERE vid = ? ORDER BY day, id", (vid,))
        try:
            inspections = documents.cached_inspections([doc for doc, _ in rows])
            return [(i, orjson.loads(figures) if figures else _NO_FIGURES) for i, (_, figures) in zip(inspections, rows)]
        except _UNREADABLE:
            raise self._unreadable() from None

    def locate(self, kind: str, text: str) -> list[tuple[str, str]]:
        """(village id, record id) of each inspection or finding whose id is ``text`` or ends with it (core.ids)."""
        table = {"inspection": "inspections", "finding": "findings"}[kind]
        wanted = ids.typed(text)
        if len(wanted) < ids.MIN_TYPED:
            return []
        rows = self._rows(f"SELECT vid, id FROM {table} WHERE id = ? OR id LIKE ?", (wanted, "%" + wanted))
        return sorted({(vid, rid) for vid, rid in rows})

    def inspections(self, vids: list[str] | None = None, since: str | None = None) -> list[tuple[str, Inspection, int, int, int]]:
        """(village id, inspection, answers, observations, findings), by date and id."""
        where, params = [], []
        if since:
            where.append("day >= ?")
            params.append(since)
        if vids is not None:
            where.append(f"vid IN ({', '.join('?' * len(vids))})")
            params += vids
        sql = "SELECT vid, doc, answers, observations, findings FROM inspections"
        sql += (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY day, id"
        rows = self._rows(sql, params)
        try:
            inspections = documents.cached_inspections([doc for _, doc, *_ in rows])
        except _UNREADABLE:
            raise self._unreadable() from None
        return [(vid, i, a, o, f) for i, (vid, _, a, o, f) in zip(inspections, rows)]


def _put_rows(conn: sqlite3.Connection, vid: str, stat: list[int] | None, rows: "VillageRows") -> None:
    for table in ("inspections", "findings"):
        conn.execute(f"DELETE FROM {table} WHERE vid = ?", (vid,))
    conn.executemany("INSERT INTO inspections VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows.inspections)
    conn.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?)", rows.findings)
    conn.execute("INSERT OR REPLACE INTO details VALUES (?, ?, ?)", (vid, *(stat or (None, None))))


_NO_FIGURES: dict = {"counts": [], "violations": []}


class VillageRows:
    """One village's rows for the cache, taken from its file's tables (read, never changed).

    ``checked`` (shapes.check_village) when the caller has just checked the file:
    its records and replayed histories are not made again.
    """

    def __init__(self, vid: str, tables: Mapping[str, Any], checked: CheckedVillage | None = None):
        if checked is None:
            checked = village_records(tables)
        findings = sorted(checked.findings, key=attrgetter("id"))
        per_inspection: dict[str, int] = {}
        for f in findings:
            per_inspection[f.inspection] = per_inspection.get(f.inspection, 0) + 1
        # Answers by inspection and item: one per item (upserted so; in a hand-made file the last one counts).
        answers: dict[str, dict[str, dict]] = {}
        for d in tables.get("answers", {}).values():
            answers.setdefault(d["inspection"], {})[d["item"]] = d
        observations: dict[str, int] = {}
        violations: dict[str, list] = {}
        for d in tables.get("observations", {}).values():
            observations[d["inspection"]] = observations.get(d["inspection"], 0) + 1
            if d.get("violation") is True:
                violations.setdefault(d["inspection"], []).append(d.get("kind"))
        self.inspections = []
        for i in checked.inspections:
            given = answers.get(i.id, {})
            # What a township's figures count (report/township.py): count answers, violations seen.
            counts = [[item, a.get("found"), a.get("allowed")] for item, a in given.items() if a.get("value") == "count"]
            seen = violations.get(i.id, [])
            figures = _dump({"counts": counts, "violations": seen}) if counts or seen else None
            self.inspections.append((vid, i.id, i.date.isoformat(), documents.cached(i), len(given),
                                     observations.get(i.id, 0), per_inspection.get(i.id, 0), figures))
        self.findings = []
        for f in findings:
            done = checked.replayed[f.id]
            self.findings.append((vid, f.id, documents.cached(f), _dump(done.timeline), done.found, done.closed_from))

    @classmethod
    def of_store(cls, store: Any) -> "VillageRows":
        return cls(store.vid, store.tiny.storage.read() or {})


def _dump(doc: Any) -> bytes:
    # Kept as UTF-8 bytes (a BLOB): no decoding here, no encoding when SQLite stores it
    # or a worker hands it over, and orjson reads bytes as they come back.
    return orjson.dumps(doc)


def remove_old_index(root: Path) -> None:
    """index.json (version 3) is replaced by this cache; a writer removes it."""
    try:
        os.unlink(Path(root) / "index.json")
    except OSError:
        pass
