"""One village's file: its inspections, answers, findings and finding events."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from tinydb import Query, TinyDB

from ..core import workflow
from ..core.models import OpenFinding, VillageSummary
from .errors import NotFound

if TYPE_CHECKING:
    from .database import Database

Q = Query()


class VillageStore:
    def __init__(self, db: "Database", vid: str, tiny: TinyDB):
        self.db = db
        self.vid = vid
        self.tiny = tiny
        # Answers by inspection then item, valid for one storage generation:
        # a walk reads an inspection's answers on every key, and a search of
        # the whole table per read grew with every inspection the village had.
        self._answers: dict[str, dict[str, dict]] = {}
        self._answers_gen = -1

    @property
    def _generation(self) -> int:
        return self.tiny.storage.generation  # type: ignore[attr-defined]

    @property
    def path(self) -> Path:
        return self.db.village_path(self.vid)

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
            "created_at": self.db.now_iso(),
            "amendments": [],
        }
        with self.db.changing(self):
            self.tiny.table("inspections").insert(doc)
        return doc

    def update_inspection(self, iid: str, **changes: Any) -> None:
        self.inspection(iid)
        with self.db.changing(self):
            self.tiny.table("inspections").update(changes, Q.id == iid)

    # -- answers (saved the moment they are given) -----------------------------

    def save_answer(self, iid: str, item: str, **fields: Any) -> dict:
        doc = {"inspection": iid, "item": item, **fields, "at": self.db.now_iso()}
        index = self._answer_index()
        before = self._generation
        with self.db.changing(self, summary=False):
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
        doc = {"id": self._next_id("observations", "O"), "inspection": iid, **fields, "at": self.db.now_iso()}
        with self.db.changing(self, summary=False):
            self.tiny.table("observations").insert(doc)
        return doc

    def update_observation(self, oid: str, **changes: Any) -> dict:
        if self.tiny.table("observations").get(Q.id == oid) is None:
            raise NotFound("observation", oid)
        with self.db.changing(self, summary=False):
            self.tiny.table("observations").update({**changes, "at": self.db.now_iso()}, Q.id == oid)
        return dict(self.tiny.table("observations").get(Q.id == oid))  # type: ignore[arg-type]

    def remove_observation(self, oid: str) -> None:
        with self.db.changing(self, summary=False):
            self.tiny.table("observations").remove(Q.id == oid)

    def observations(self, iid: str) -> list[dict]:
        return sorted((dict(d) for d in self.tiny.table("observations").search(Q.inspection == iid)), key=lambda d: d["id"])

    # -- findings and their events ---------------------------------------------

    def add_finding(self, fields: dict[str, Any], *, deadline: str, by: str) -> dict:
        """A new finding and its 'found' event, in one write."""
        fid = self._next_id("findings", "F")
        doc = {"id": fid, "village": self.vid, **fields, "created_at": self.db.now_iso()}
        event = {
            "finding": fid,
            "seq": 1,
            "type": "found",
            "on": self.db.today.isoformat(),
            "at": self.db.now_iso(),
            "by": by,
            "deadline": deadline,
            "unit": fields.get("unit", ""),
            "person": fields.get("person", ""),
        }
        workflow.apply(None, event)
        with self.db.changing(self):
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
        with self.db.changing(self):
            self.tiny.table("findings").update({k: v for k, v in changes.items() if k != "deadline"}, Q.id == fid)
            if first:
                self.tiny.table("events").update(first, (Q.finding == fid) & (Q.type == "found"))
        return self.finding(fid)

    def remove_finding(self, fid: str) -> None:
        """Drop a finding recorded by mistake on a draft inspection, with its events."""
        with self.db.changing(self):
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
            "on": self.db.today.isoformat(),
            "at": self.db.now_iso(),
            "by": by,
            **payload,
        }
        status = workflow.check_move(history, event)
        with self.db.changing(self):
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
    """A village's summary from its file's tables.

    ``statuses`` (finding id -> status today), when the caller has just
    derived them (shapes.check_village does), saves replaying every history again.
    """
    inspections = list(tables.get("inspections", {}).values())
    findings = list(tables.get("findings", {}).values())
    if statuses is None:
        by_finding: dict[str, list[dict]] = defaultdict(list)
        for ev in tables.get("events", {}).values():
            by_finding[ev["finding"]].append(ev)
        statuses = {f["id"]: workflow.derive(by_finding[f["id"]]) for f in findings}
    open_: list[OpenFinding] = []
    for f in findings:
        st = statuses[f["id"]]
        if st.is_open:
            open_.append(
                OpenFinding(
                    id=f["id"],
                    village=vid,
                    title=f.get("title", ""),
                    theme=f.get("theme", ""),
                    severity=f.get("severity", ""),
                    unit=st.unit,
                    deadline=st.deadline.isoformat(),
                    state=st.state,
                    escalation=st.escalation,
                    original_deadline=st.original_deadline.isoformat(),
                    extensions=len(st.extensions),
                )
            )
    return VillageSummary(
        inspections=len(inspections),
        drafts=sum(1 for i in inspections if i.get("state") == "draft"),
        draft_ids=sorted(i["id"] for i in inspections if i.get("state") == "draft"),
        findings=len(findings),
        open=open_,
    )
