"""One village's file: its inspections, answers, findings and finding events.

A ``VillageStore`` implements core's ``VillageRecords`` (core/repository.py).
It knows nothing of the database around it: it is handed a clock, a check to
make before each write (writable? backed up?) and a callback after it (the
summaries index), so this module and database.py do not import each other.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from tinydb import Query, TinyDB

from ..core import workflow
from ..core.models import VillageSummary
from ..core.repository import NotFound
from ..core.village_summary import village_summary
from .tinyfile import one_write

Q = Query()


class VillageStore:
    def __init__(
        self,
        vid: str,
        tiny: TinyDB,
        path: Path,
        *,
        clock: Callable[[], datetime],
        before_write: Callable[[Path], None],
        written: Callable[["VillageStore", bool], None],
    ):
        self.vid = vid
        self.tiny = tiny
        self.path = path
        self._clock = clock
        self._before_write = before_write  # refuses (read-only copy, file made read-only) and backs up
        self._written = written  # (store, summary changed?) after each write reached the disk
        self._depth = 0  # nested changes: one write, one callback, at the outermost
        self._summary_due = False
        # Answers by inspection then item, valid for one storage generation:
        # a walk reads an inspection's answers on every key, and a search of
        # the whole table per read grew with every inspection the village had.
        self._answers: dict[str, dict[str, dict]] = {}
        self._answers_gen = -1

    @property
    def _generation(self) -> int:
        return self.tiny.storage.generation  # type: ignore[attr-defined]

    @property
    def today(self) -> date:
        return self._clock().date()

    def now_iso(self) -> str:
        return self._clock().isoformat(timespec="seconds")

    @contextmanager
    def changing(self, summary: bool = True) -> Iterator[None]:
        """One atomic write of the file for everything done inside (nested: the outermost writes).

        ``summary``: whether the change may change the village's summary (an
        answer does not); the index is told once, after the file is written.
        """
        outer = self._depth == 0
        if outer:
            self._before_write(self.path)
            self._summary_due = False
        self._depth += 1
        try:
            with one_write(self.tiny):
                yield
        finally:
            self._depth -= 1
        self._summary_due = self._summary_due or summary
        if outer:
            self._written(self, self._summary_due)

    def batch(self) -> AbstractContextManager[None]:
        """Everything done inside is one atomic write (core's ``VillageRecords.batch``)."""
        return self.changing(summary=False)  # the changes inside say whether the summary changed

    def _next_id(self, table: str, prefix: str) -> str:
        numbers = [int(d["id"].rsplit(prefix, 1)[1]) for d in self.tiny.table(table).all()]
        return f"{self.vid}-{prefix}{1 + max(numbers, default=0):04d}"

    # -- inspections -----------------------------------------------------------

    def inspections(self) -> list[dict]:
        return sorted((dict(d) for d in self.tiny.table("inspections").all()), key=lambda d: (d["date"], d["id"]))

    def inspection(self, iid: str) -> dict:
        doc = self.tiny.table("inspections").get(Q.id == iid)
        if doc is None:
            raise NotFound("inspection", iid)
        return dict(doc)

    def add_inspection(self, *, day: str, kind: str, inspectors: list[str], template: str, template_version: str) -> dict:
        doc = {
            "id": self._next_id("inspections", "I"),
            "village": self.vid,
            "date": day,
            "kind": kind,
            "inspectors": inspectors,
            "template": template,
            "template_version": template_version,
            "state": "draft",
            "created_at": self.now_iso(),
            "amendments": [],
        }
        with self.changing():
            self.tiny.table("inspections").insert(doc)
        return doc

    def update_inspection(self, iid: str, **changes: Any) -> None:
        self.inspection(iid)
        with self.changing():
            self.tiny.table("inspections").update(changes, Q.id == iid)

    # -- answers (saved the moment they are given) -----------------------------

    def save_answer(self, iid: str, item: str, **fields: Any) -> dict:
        doc = {"inspection": iid, "item": item, **fields, "at": self.now_iso()}
        index = self._answer_index()
        before = self._generation
        with self.changing(summary=False):
            self.tiny.table("answers").upsert(doc, (Q.inspection == iid) & (Q.item == item))
        if self._answers_gen == before:
            # Keep the index in step instead of rebuilding it (upsert merges into an existing answer).
            stored = index.setdefault(iid, {})
            stored[item] = {**stored.get(item, {}), **doc}
            self._answers_gen = self._generation
        return doc

    def _answer_index(self) -> dict[str, dict[str, dict]]:
        if self._answers_gen != self._generation:
            index: dict[str, dict[str, dict]] = defaultdict(dict)
            for d in self.tiny.table("answers").all():
                index[d["inspection"]][d["item"]] = dict(d)
            self._answers = dict(index)
            self._answers_gen = self._generation
        return self._answers

    def answers(self, iid: str) -> dict[str, dict]:
        return {item: dict(d) for item, d in self._answer_index().get(iid, {}).items()}

    def answer_counts(self) -> dict[str, int]:
        """Answers per inspection (one per item: an answer is upserted by inspection and item)."""
        items: dict[str, set] = defaultdict(set)
        for d in self.raw("answers"):
            items[d["inspection"]].add(d["item"])
        return {iid: len(found) for iid, found in items.items()}

    def observation_counts(self) -> dict[str, int]:
        """Observations per inspection, in one pass (not one search per inspection)."""
        counts: dict[str, int] = defaultdict(int)
        for d in self.raw("observations"):
            counts[d["inspection"]] += 1
        return dict(counts)

    # -- observations (signboards, ledgers, tasks... seen on site) ---------------

    def add_observation(self, iid: str, fields: dict[str, Any]) -> dict:
        doc = {"id": self._next_id("observations", "O"), "inspection": iid, **fields, "at": self.now_iso()}
        with self.changing(summary=False):
            self.tiny.table("observations").insert(doc)
        return doc

    def update_observation(self, oid: str, **changes: Any) -> dict:
        if self.tiny.table("observations").get(Q.id == oid) is None:
            raise NotFound("observation", oid)
        with self.changing(summary=False):
            self.tiny.table("observations").update({**changes, "at": self.now_iso()}, Q.id == oid)
        return dict(self.tiny.table("observations").get(Q.id == oid))  # type: ignore[arg-type]

    def remove_observation(self, oid: str) -> None:
        with self.changing(summary=False):
            self.tiny.table("observations").remove(Q.id == oid)

    def observations(self, iid: str) -> list[dict]:
        return sorted((dict(d) for d in self.tiny.table("observations").search(Q.inspection == iid)), key=lambda d: d["id"])

    # -- findings and their events ---------------------------------------------

    def add_finding(self, fields: dict[str, Any], *, deadline: str, by: str) -> dict:
        """A new finding and its 'found' event, in one write."""
        fid = self._next_id("findings", "F")
        doc = {"id": fid, "village": self.vid, **fields, "created_at": self.now_iso()}
        event = {
            "finding": fid,
            "seq": 1,
            "type": "found",
            "on": self.today.isoformat(),
            "at": self.now_iso(),
            "by": by,
            "deadline": deadline,
            "unit": fields.get("unit", ""),
            "person": fields.get("person", ""),
        }
        workflow.apply(None, event)
        with self.changing():
            self.tiny.table("findings").insert(doc)
            self.tiny.table("events").insert(event)
        return doc

    def findings(self, iid: str | None = None) -> list[dict]:
        docs = self.tiny.table("findings").all() if iid is None else self.tiny.table("findings").search(Q.inspection == iid)
        return sorted((dict(d) for d in docs), key=lambda d: d["id"])

    def update_finding(self, fid: str, **changes: Any) -> dict:
        """Edit a finding's text fields while its inspection is a draft (later: events)."""
        self.finding(fid)
        # While the inspection is a draft the finding is not yet official: its
        # first event carries the deadline and unit and is corrected with it.
        first = {k: changes[k] for k in ("deadline", "unit", "person") if k in changes}
        with self.changing():
            self.tiny.table("findings").update({k: v for k, v in changes.items() if k != "deadline"}, Q.id == fid)
            if first:
                self.tiny.table("events").update(first, (Q.finding == fid) & (Q.type == "found"))
        return self.finding(fid)

    def remove_finding(self, fid: str) -> None:
        """Drop a finding recorded by mistake on a draft inspection, with its events."""
        with self.changing():
            self.tiny.table("findings").remove(Q.id == fid)
            self.tiny.table("events").remove(Q.finding == fid)

    def finding(self, fid: str) -> dict:
        doc = self.tiny.table("findings").get(Q.id == fid)
        if doc is None:
            raise NotFound("finding", fid)
        return dict(doc)

    def events(self, fid: str | None = None) -> list[dict]:
        docs = self.tiny.table("events").all() if fid is None else self.tiny.table("events").search(Q.finding == fid)
        return sorted((dict(d) for d in docs), key=lambda d: (d["finding"], d["seq"]))

    def add_event(self, fid: str, kind: str, *, by: str, **payload: Any) -> workflow.FindingStatus:
        """Record one move; refused (WorkflowError) when the workflow does not allow it."""
        self.finding(fid)
        history = self.events(fid)
        event = {
            "finding": fid,
            "seq": 1 + max(e["seq"] for e in history),
            "type": kind,
            "on": self.today.isoformat(),
            "at": self.now_iso(),
            "by": by,
            **payload,
        }
        status = workflow.check_move(history, event)
        with self.changing():
            self.tiny.table("events").insert(event)
        return status

    def status(self, fid: str, as_of=None) -> workflow.FindingStatus:
        return workflow.derive(self.events(fid), as_of)

    # -- summary for the index -------------------------------------------------

    def raw(self, table: str) -> list[dict]:
        """A table's documents as stored, for reading only (no copy, no TinyDB wrapper).

        The summaries and the query cache read every record of a village; a
        TinyDB Document per record was a third of an index rebuild.
        """
        data = self.tiny.storage.read() or {}
        return list(data.get(table, {}).values())

    def summarize(self) -> VillageSummary:
        return summarize_tables(self.vid, self.tiny.storage.read() or {})


def summarize_tables(vid: str, tables: Mapping[str, Any], statuses: Mapping[str, workflow.FindingStatus] | None = None) -> VillageSummary:
    """A village's summary from its file's tables (the rule is core's: core/village_summary.py).

    ``statuses`` (finding id -> status today), when the caller has just
    derived them (shapes.check_village does), saves replaying every history again.
    """
    return village_summary(
        vid,
        tables.get("inspections", {}).values(),
        tables.get("findings", {}).values(),
        tables.get("events", {}).values(),
        statuses,
    )
