"""One inspection being walked: the operations the screens and the CLI call.

Every operation saves at once through the village's store, so a kill loses
nothing already answered. A completed inspection is locked: later corrections
are amendments (who, when, what, why) kept with the inspection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..catalog.classifier import Classifier
from ..catalog.model import Catalog, CheckItem, Checklist
from ..i18n import t
from . import inspection as rules
from .repository import Repository, VillageRecords
from .errors import UserError


# What a finding stores (title, description, measure, unit, basis) is written in the
# documents' language and printed in Chinese reports, whatever the interface shows.
RECORD_LANG = "zh"


class Locked(Exception):
    """The inspection is completed: change it through an amendment."""


class NotComplete(Exception):
    def __init__(self, problems: list[tuple[str, dict]]):
        self.problems = problems
        super().__init__(f"{len(problems)} problems")


@dataclass
class Visit:
    store: VillageRecords
    inspection_id: str
    catalog: Catalog
    checklist: Checklist
    classifier: Classifier
    village_kind: str
    township: str
    # Items the last recorded observation answered "yes" in place of a contradicting answer (to tell).
    settled: list = field(default_factory=list)

    # -- reading -----------------------------------------------------------------

    @property
    def inspection(self) -> dict:
        return self.store.inspection(self.inspection_id)

    @property
    def locked(self) -> bool:
        return self.inspection.get("state") == "completed"

    @property
    def day(self) -> date:
        return date.fromisoformat(self.inspection["date"])

    def answers(self) -> dict[str, dict]:
        return self.store.answers(self.inspection_id)

    def observations(self, item: str | None = None) -> list[dict]:
        obs = self.store.observations(self.inspection_id)
        return [o for o in obs if item is None or o["item"] == item]

    def findings(self) -> list[dict]:
        return self.store.findings(self.inspection_id)

    def status(self, item: CheckItem) -> str:
        return rules.item_status(item, self.answers().get(item.id), self.observations(item.id))

    def failures(self) -> list[rules.Failure]:
        return rules.failures(self.checklist, self.answers(), self.observations())

    def problems(self) -> list[tuple[str, dict]]:
        return rules.completion_problems(self.checklist, self.answers(), self.observations(), self.findings(), self.catalog)

    def covering(self, item: CheckItem) -> list[dict]:
        """Findings of observations that already answer this item (see rules.covering_findings)."""
        return rules.covering_findings(item, self.observations(), self.findings(), self.catalog)

    def unsettled(self, item: CheckItem) -> list[rules.Failure]:
        """The item's failures with neither a finding, a covering finding nor a reason."""
        out = []
        for failure in self.failures():
            if failure.item.id != item.id or self.finding_for(failure):
                continue
            if failure.observation is None and self.covering(item):
                continue
            if str((failure.observation or self.answers().get(item.id) or {}).get("reason_no_finding", "")).strip():
                continue
            out.append(failure)
        return out

    def _check_open(self) -> None:
        if self.locked:
            raise Locked(self.inspection_id)

    # -- answering -----------------------------------------------------------------

    def answer(self, item: CheckItem, **fields: Any) -> dict:
        """Save (merge) fields of an item's answer, e.g. value="no" or note="..."."""
        self._refuse_contradiction(item, fields.get("value"))  # before Locked: no amendment reason asked in vain
        self._check_open()
        current = self.answers().get(item.id, {})
        merged = {k: v for k, v in current.items() if k not in ("inspection", "item", "at")}
        merged.update(fields)
        if item.answer == "count" and "value" not in merged:
            merged["value"] = "count"
        if item.answer == "count" and merged.get("allowed") is None and item.allowed is not None:
            merged["allowed"] = item.allowed
        if item.answer == "list" and merged.get("value") is None:
            merged["value"] = "list"
        return self.store.save_answer(self.inspection_id, item.id, **merged)

    def _refuse_contradiction(self, item: CheckItem, value: Any) -> None:
        """An observation that answers the item "yes" settles it: "no" or "not applicable" is refused."""
        if value not in ("no", "na") or value == item.fail_on:
            return
        answering = rules.answering_observations(item, self.observations(), self.catalog)
        if answering:
            from .item_text import numbering

            numbers = numbering(self.checklist)
            raise UserError("walk.contradicts_observation", what=answering[0].get("what", ""),
                            number=numbers.get(answering[0]["item"], ""), value=t(f"inspection.result.{value}"))

    def settle_related(self, observation: dict) -> list[CheckItem]:
        """Items the observation answers "yes" that were answered otherwise: set to "yes" (returned, to tell)."""
        changed = []
        for item in self.checklist.items:
            current = (self.answers().get(item.id) or {}).get("value")
            if current in ("no", "na") and current != item.fail_on and \
                    any(o["id"] == observation["id"] for o in rules.answering_observations(item, [observation], self.catalog)):
                self.answer(item, value=item.fail_on)
                changed.append(item)
        return changed

    # -- observations -----------------------------------------------------------------

    def observe(self, item: CheckItem, fields: dict[str, Any]) -> dict:
        """Record an observed thing; tasks, services and certificates are classified at once."""
        self._check_open()
        doc = self._judged({"kind": item.observe, **fields, "item": item.id})
        saved = self.store.add_observation(self.inspection_id, doc)
        if item.id not in self.answers():
            self.answer(item, value="list")
        self.settled = self.settle_related(saved)
        return saved

    def update_observation(self, oid: str, fields: dict[str, Any]) -> dict:
        self._check_open()
        current = next(o for o in self.observations() if o["id"] == oid)
        doc = self._judged({**{k: v for k, v in current.items() if k not in ("id", "inspection", "at")}, **fields})
        saved = self.store.update_observation(oid, **doc)
        self.settled = self.settle_related({**doc, "id": oid})
        return saved

    def remove_observation(self, oid: str) -> None:
        self._check_open()
        for finding in self.findings():
            if finding.get("observation") == oid:
                self.store.remove_finding(finding["id"])
        self.store.remove_observation(oid)

    def _judged(self, doc: dict) -> dict:
        doc["classification"] = rules.classify_observation(self.classifier, doc.get("kind", ""), doc.get("what", ""))
        override = doc.get("override") or {}
        if override.get("kind") and not str(override.get("reason", "")).strip():
            raise UserError("inspection.override_needs_reason")
        doc["violation"] = rules.is_violation(doc)
        return doc

    # -- findings -------------------------------------------------------------------

    def prefill(self, failure: rules.Failure) -> dict[str, Any]:
        from .item_text import numbering

        return rules.prefill_finding(
            failure.item,
            failure.observation,
            self.answers().get(failure.item.id),
            self.catalog,
            found_on=self.day,
            village_kind=self.village_kind,
            township=self.township,
            lang=RECORD_LANG,
            number=numbering(self.checklist).get(failure.item.id, ""),
        )

    def add_finding(self, fields: dict[str, Any], *, by: str, amendment_reason: str = "") -> dict:
        """Record a finding by ``by`` (the app's user).

        On a completed inspection a finding may still be added for a failure an
        amendment brought (``amendment_reason`` says why); it is kept in the
        amendments with who and when, like the change that caused it.
        """
        if self.locked and not amendment_reason.strip():
            raise Locked(self.inspection_id)
        fields = dict(fields)
        deadline = fields.pop("deadline")
        if not self.locked:
            return self.store.add_finding({**fields, "inspection": self.inspection_id}, deadline=deadline, by=by)
        inspection = self.inspection
        with self.store.batch():
            doc = self.store.add_finding({**fields, "inspection": self.inspection_id}, deadline=deadline, by=by)
            amendment = {"at": self.store.now_iso(), "by": by, "item": fields.get("item", ""), "field": "finding",
                         "old": None, "new": doc["id"], "reason": amendment_reason}
            self.store.update_inspection(self.inspection_id, amendments=[*inspection.get("amendments", []), amendment])
        return doc

    def update_finding(self, fid: str, fields: dict[str, Any]) -> dict:
        self._check_open()
        return self.store.update_finding(fid, **fields)

    def finding_for(self, failure: rules.Failure) -> dict | None:
        return next((f for f in self.findings() if (f.get("item"), f.get("observation")) == failure.key), None)

    def deadline_of(self, fid: str) -> str:
        return self.store.status(fid).deadline.isoformat()

    # -- completion and amendments --------------------------------------------------

    def complete(self, *, by: str) -> dict:
        self._check_open()
        problems = self.problems()
        if problems:
            raise NotComplete(problems)
        self.store.update_inspection(self.inspection_id, state="completed", completed_at=self.store.now_iso(), completed_by=by)
        return self.inspection

    def amend(self, item: CheckItem, field: str, new: Any, *, reason: str, by: str) -> dict:
        """A correction after completion, kept on the record with who, when and why."""
        if not self.locked:
            raise UserError("inspection.amend_only_completed")
        if not reason.strip():
            raise UserError("inspection.amend_needs_reason")
        if field == "value":
            self._refuse_contradiction(item, new)
        old = self.answers().get(item.id, {}).get(field)
        amendment = {"at": self.store.now_iso(), "by": by, "item": item.id, "field": field, "old": old, "new": new, "reason": reason}
        inspection = self.inspection
        answer = {k: v for k, v in self.answers().get(item.id, {}).items() if k not in ("inspection", "item", "at")}
        answer[field] = new
        with self.store.batch():
            self.store.save_answer(self.inspection_id, item.id, **answer)
            self.store.update_inspection(self.inspection_id, amendments=[*inspection.get("amendments", []), amendment])
        return amendment


def village_of(inspection_or_finding_id: str) -> str:
    """'V0001-I0003' -> 'V0001': ids carry their village, so one file is read."""
    return inspection_or_finding_id.split("-", 1)[0]


def open_visit(db: Repository, catalog: Catalog, classifiers: dict[str, Classifier], inspection_id: str) -> Visit:
    from ..catalog.classifier import load_synonyms

    vid = village_of(inspection_id)
    village = db.village(vid)
    store = db.store(vid)
    inspection = store.inspection(inspection_id)
    checklist = catalog.checklists.get(inspection["template"])
    if checklist is None:
        raise KeyError(inspection["template"])
    if checklist.listset not in classifiers:
        synonyms = load_synonyms(catalog.root / "classifier" / "synonyms.toml")
        classifiers[checklist.listset] = Classifier(catalog.listsets[checklist.listset], synonyms)
    return Visit(store, inspection_id, catalog, checklist, classifiers[checklist.listset], village.kind, village.township)
