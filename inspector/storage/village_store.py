"""One village's file: its inspections, answers, findings and finding events.

A ``VillageStore`` implements core's ``VillageRecords`` (core/repository.py).
It knows nothing of the database around it: it is handed a clock, a check to
make before each write (writable? backed up?) and a callback after it (the
summaries index), so this module and database.py do not import each other.
"""

from __future__ import annotations

import os
from collections import defaultdict
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from tinydb import Query, TinyDB

from ..core import ids, workflow
from ..core.records import Answer, Event, Finding, Inspection, Observation, replace
from . import documents
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
        device: str = "",
        new_ids: ids.IdMaker | None = None,
    ):
        self.vid = vid
        self.device = device  # who records events here (core/records.Event: their order)
        self._new_ids = new_ids or ids.IdMaker()
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
        self._answers: dict[str, dict[str, Answer]] = {}
        self._answers_gen = -1
        # Each finding's status today, with the ids of the events it was derived from (see summarize).
        self._statuses: dict[str, tuple[tuple[str, ...], workflow.FindingStatus]] = {}

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

    def _new_id(self) -> str:
        return self._new_ids(self._clock())

    # -- inspections -----------------------------------------------------------

    def inspections(self) -> list[Inspection]:
        return sorted((documents.inspection(d) for d in self.raw("inspections")), key=lambda i: (i.date, i.created_at, i.id))

    def _inspection_doc(self, iid: str) -> dict:
        doc = self.tiny.table("inspections").get(Q.id == iid)
        if doc is None:
            raise NotFound("inspection", iid)
        return doc  # type: ignore[return-value]

    def inspection(self, iid: str) -> Inspection:
        return documents.inspection(self._inspection_doc(iid))

    def add_inspection(self, *, day: str, kind: str, inspectors: list[str], template: str, template_version: str) -> Inspection:
        record = Inspection(id=self._new_id(), village=self.vid, date=date.fromisoformat(day), kind=kind,
                            inspectors=tuple(inspectors), template=template, template_version=template_version,
                            state="draft", created_at=self.now_iso())
        with self.changing():
            self.tiny.table("inspections").insert(documents.inspection_doc(record))
        return record

    def put_inspection(self, record: Inspection) -> Inspection:
        """Store a changed inspection (core made it with ``records.replace``)."""
        self._inspection_doc(record.id)
        with self.changing():
            self.tiny.table("inspections").update(documents.inspection_doc(record), Q.id == record.id)
        return record

    def update_inspection(self, iid: str, **changes: Any) -> None:
        current = documents.inspection_doc(self.inspection(iid))
        record = documents.inspection({**current, **changes})
        self.put_inspection(record)

    # -- answers (saved the moment they are given) -----------------------------

    def put_answer(self, answer: Answer) -> Answer:
        """Store ``answer`` whole (core merged what it keeps), stamped with the time."""
        return self._store_answer(documents.answer_doc(replace(answer, at=self.now_iso())))

    def save_answer(self, iid: str, item: str, **fields: Any) -> Answer:
        """Merge ``fields`` into the item's stored answer (benchmarks, tests; core uses put_answer)."""
        current = self._answer_index().get(iid, {}).get(item)
        doc = {**(documents.answer_doc(current) if current else {}), **fields, "inspection": iid, "item": item,
               "at": self.now_iso()}
        return self._store_answer(documents.answer_doc(documents.answer(doc)))

    def _store_answer(self, doc: dict) -> Answer:
        iid, item = doc["inspection"], doc["item"]
        index = self._answer_index()
        before = self._generation
        with self.changing(summary=False):
            table = self.tiny.table("answers")
            # One pass over the table (each TinyDB call reads it whole): the stored answer replaced
            # in place, or the new one added; the index says which.
            replaced = table.update(_replace_with(doc), (Q.inspection == iid) & (Q.item == item)) \
                if item in index.get(iid, {}) else []
            if not replaced:
                table.insert(doc)
            elif len(replaced) > 1:  # a hand-made file with the item twice: one answer, as before
                table.remove(doc_ids=replaced[1:])
        record = documents.answer(doc)
        if self._answers_gen == before:
            # Keep the index in step instead of rebuilding it.
            index.setdefault(iid, {})[item] = record
            self._answers_gen = self._generation
        return record

    def _answer_index(self) -> dict[str, dict[str, Answer]]:
        if self._answers_gen != self._generation:
            index: dict[str, dict[str, Answer]] = defaultdict(dict)
            for d in self.raw("answers"):
                index[d["inspection"]][d["item"]] = documents.answer(d)
            self._answers = dict(index)
            self._answers_gen = self._generation
        return self._answers

    def answers(self, iid: str) -> dict[str, Answer]:
        return dict(self._answer_index().get(iid, {}))

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

    def add_observation(self, observation: Observation) -> Observation:
        """Store a new observation; it gets its id and time here."""
        record = replace(observation, id=self._new_id(), at=self.now_iso())
        with self.changing(summary=False):
            self.tiny.table("observations").insert(documents.observation_doc(record))
        return record

    def put_observation(self, observation: Observation) -> Observation:
        """Store a changed observation (stamped with the time)."""
        if self.tiny.table("observations").get(Q.id == observation.id) is None:
            raise NotFound("observation", observation.id)
        record = replace(observation, at=self.now_iso())
        with self.changing(summary=False):
            self.tiny.table("observations").update(documents.observation_doc(record), Q.id == record.id)
        return record

    def remove_observation(self, oid: str) -> None:
        with self.changing(summary=False):
            self.tiny.table("observations").remove(Q.id == oid)
            self._tombstone("observations", oid)

    def _tombstone(self, kind: str, rid: str) -> None:
        """Note a removal, so the record does not come back from another laptop's bundle (core/sync.py)."""
        self.tiny.table("removed").insert({"kind": kind, "id": rid, "at": self.now_iso(), "device": self.device})

    def observations(self, iid: str) -> list[Observation]:
        return sorted((documents.observation(d) for d in self.raw("observations") if d["inspection"] == iid),
                      key=lambda o: (o.at, o.id))

    # -- findings and their events ---------------------------------------------

    def add_finding(self, finding: Finding, *, deadline: date, by: str) -> Finding:
        """A new finding (its id and time given here) and its 'found' event, in one write."""
        record = replace(finding, id=self._new_id(), village=self.vid, created_at=self.now_iso())
        event = self.new_event(record.id, "found", by=by, after=[], deadline=deadline, unit=record.unit,
                               person=record.person)
        with self.changing():
            self.tiny.table("findings").insert(documents.finding_doc(record))
            self.tiny.table("events").insert(documents.event_doc(event))
        return record

    def findings(self, iid: str | None = None) -> list[Finding]:
        docs = self.raw("findings")
        return sorted((documents.finding(d) for d in docs if iid is None or d.get("inspection") == iid),
                      key=lambda f: (f.created_at, f.id))

    def update_finding(self, fid: str, **changes: Any) -> Finding:
        """Edit a finding's text fields while its inspection is a draft (later: events)."""
        current = documents.finding_doc(self.finding(fid))
        record = documents.finding({**current, **{k: v for k, v in changes.items() if k != "deadline"}, "id": fid,
                                    "changed_at": self.now_iso()})
        # While the inspection is a draft the finding is not yet official: its
        # first event carries the deadline and unit and is corrected with it.
        first = {k: changes[k] for k in ("deadline", "unit", "person") if k in changes}
        self._statuses.pop(fid, None)  # its "found" event is corrected in place: derive it again
        with self.changing():
            self.tiny.table("findings").update(documents.finding_doc(record), Q.id == fid)
            if first:
                self.tiny.table("events").update(first, (Q.finding == fid) & (Q.type == "found"))
        return record

    def remove_finding(self, fid: str) -> None:
        """Drop a finding recorded by mistake on a draft inspection, with its events."""
        with self.changing():
            self.tiny.table("findings").remove(Q.id == fid)
            self.tiny.table("events").remove(Q.finding == fid)
            self._tombstone("findings", fid)

    def finding(self, fid: str) -> Finding:
        doc = self.tiny.table("findings").get(Q.id == fid)
        if doc is None:
            raise NotFound("finding", fid)
        return documents.finding(doc)

    def events(self, fid: str | None = None) -> list[Event]:
        docs = self.raw("events")
        found = [documents.event(d) for d in docs if fid is None or d["finding"] == fid]
        return sorted(found, key=lambda e: (e.finding, e.at, e.device, e.counter))

    def new_event(self, fid: str, kind: str, *, on: date | None = None, by: str, after: list[Event],
                  **fields: Any) -> Event:
        """The event ``kind`` of finding ``fid`` as this device records it now (not stored: see append_event).

        Its time is the clock's, or the latest of ``after`` (the finding's
        events) when the clock is behind it (another laptop's clock ahead of
        ours): a move made after seeing an event is ordered after it on every
        device (a hybrid logical clock, per finding). Its counter is one more
        than any this device has given in this village.
        """
        counter = 1 + max((int(d.get("counter", 0)) for d in self.raw("events") if d.get("device") == self.device), default=0)
        at = self.now_iso()
        latest = max(after, key=lambda e: e.order, default=None)
        if latest is not None and (at, self.device, counter) <= latest.order:
            # Our clock is behind (or on the same second as another device that sorts after us):
            # one second after the latest event, so the new one is ordered after it everywhere.
            at = (datetime.fromisoformat(latest.at) + timedelta(seconds=1)).isoformat(timespec="seconds")
        return Event(id=self._new_id(), finding=fid, type=kind, on=on or self.today, at=at, by=by, device=self.device,
                     counter=counter, **fields)

    def append_event(self, event: Event) -> None:
        """Store ``event`` (core.moves.make_move has checked it against the workflow)."""
        self.finding(event.finding)
        with self.changing():
            self.tiny.table("events").insert(documents.event_doc(event))

    def status(self, fid: str, as_of=None) -> workflow.FindingStatus:
        """The finding's status (core's workflow.derive): a convenience for tests and benchmarks, not in core's interface."""
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
        """The village's summary after a write: only the findings whose events changed are replayed.

        A write adds one event (or one finding); replaying every history of the
        village on each write made saving an event grow with the village's size.
        """
        tables = self.tiny.storage.read() or {}
        histories: dict[str, list[dict]] = defaultdict(list)
        for doc in tables.get("events", {}).values():
            histories[doc["finding"]].append(doc)
        statuses: dict[str, workflow.FindingStatus] = {}
        kept: dict[str, tuple[tuple[str, ...], workflow.FindingStatus]] = {}
        for doc in tables.get("findings", {}).values():
            fid = doc["id"]
            history = histories.get(fid, [])
            key = tuple(e.get("id", "") for e in history)
            known = self._statuses.get(fid)
            if known is None or known[0] != key:
                known = (key, workflow.derive([documents.event(e) for e in history]))
            kept[fid] = known
            statuses[fid] = known[1]
        self._statuses = kept
        return summarize_tables(self.vid, tables, statuses)


def _replace_with(doc: dict) -> Callable[[dict], None]:
    def replace_stored(stored: dict) -> None:
        stored.clear()
        stored.update(doc)

    return replace_stored


def summarize_tables(vid: str, tables: Mapping[str, Any], statuses: Mapping[str, workflow.FindingStatus] | None = None) -> VillageSummary:
    """A village's summary from its file's tables (the rule is core's: core/village_summary.py).

    ``statuses`` (finding id -> status today), when the caller has just
    derived them (shapes.check_village does), saves replaying every history again.
    """
    return village_summary(
        vid,
        [documents.inspection(d) for d in tables.get("inspections", {}).values()],
        [documents.finding(d) for d in tables.get("findings", {}).values()],
        [documents.event(d) for d in tables.get("events", {}).values()] if statuses is None else (),
        statuses,
    )
