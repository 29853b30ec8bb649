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
from . import workflow
from .records import Amendment, Answer, Finding, Inspection, Observation, Override, replace
from .repository import NotFound, Repository, VillageRecords
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
    def inspection(self) -> Inspection:
        return self.store.inspection(self.inspection_id)

    @property
    def village_id(self) -> str:
        return self.store.vid

    @property
    def locked(self) -> bool:
        return self.inspection.completed

    @property
    def day(self) -> date:
        return self.inspection.date

    def answers(self) -> dict[str, Answer]:
        return self.store.answers(self.inspection_id)

    def observations(self, item: str | None = None) -> list[Observation]:
        obs = self.store.observations(self.inspection_id)
        return [o for o in obs if item is None or o.item == item]

    def findings(self) -> list[Finding]:
        return self.store.findings(self.inspection_id)

    def status(self, item: CheckItem) -> str:
        return rules.item_status(item, self.answers().get(item.id), self.observations(item.id))

    def failures(self) -> list[rules.Failure]:
        return rules.failures(self.checklist, self.answers(), self.observations())

    def problems(self) -> list[tuple[str, dict]]:
        return rules.completion_problems(self.checklist, self.answers(), self.observations(), self.findings(), self.catalog)

    def covering(self, item: CheckItem) -> list[Finding]:
        """Findings of observations that already answer this item (see rules.covering_findings)."""
        return rules.covering_findings(item, self.observations(), self.findings(), self.catalog)

    def unsettled(self, item: CheckItem) -> list[rules.Failure]:
        """The item's failures with neither a finding, a covering finding nor a reason."""
        out = []
        answers = self.answers()
        for failure in self.failures():
            if failure.item.id != item.id or self.finding_for(failure):
                continue
            if failure.observation is None and self.covering(item):
                continue
            if rules.reason_no_finding(failure, answers).strip():
                continue
            out.append(failure)
        return out

    def _check_open(self) -> None:
        if self.locked:
            raise Locked(self.inspection_id)

    # -- answering -----------------------------------------------------------------

    def answer(self, item: CheckItem, **fields: Any) -> Answer:
        """Save (merge) fields of an item's answer, e.g. value="no" or note="..."."""
        self._refuse_contradiction(item, fields.get("value"))  # before Locked: no amendment reason asked in vain
        self._check_open()
        return self.store.put_answer(self._merged(item, fields))

    def _merged(self, item: CheckItem, fields: dict[str, Any]) -> Answer:
        current = self.answers().get(item.id) or Answer(inspection=self.inspection_id, item=item.id)
        for name in ("evidence", "files"):
            if name in fields:
                fields[name] = tuple(fields[name])
        merged = replace(current, **fields)
        if item.answer == "count" and merged.value is None:
            merged = replace(merged, value="count")
        if item.answer == "count" and merged.allowed is None and item.allowed is not None:
            merged = replace(merged, allowed=item.allowed)
        if item.answer == "list" and merged.value is None:
            merged = replace(merged, value="list")
        return merged

    def _refuse_contradiction(self, item: CheckItem, value: Any) -> None:
        """An observation that answers the item "yes" settles it: "no" or "not applicable" is refused."""
        if value not in ("no", "na") or value == item.fail_on:
            return
        answering = rules.answering_observations(item, self.observations(), self.catalog)
        if answering:
            from .item_text import numbering

            numbers = numbering(self.checklist)
            raise UserError("walk.contradicts_observation", what=answering[0].what,
                            number=numbers.get(answering[0].item, ""), value=t(f"inspection.result.{value}"))

    def settle_related(self, observation: Observation) -> list[CheckItem]:
        """Items the observation answers "yes" that were answered otherwise: set to "yes" (returned, to tell)."""
        changed = []
        for item in self.checklist.items:
            given = self.answers().get(item.id)
            current = given.value if given else None
            if current in ("no", "na") and current != item.fail_on and \
                    any(o.id == observation.id for o in rules.answering_observations(item, [observation], self.catalog)):
                self.answer(item, value=item.fail_on)
                changed.append(item)
        return changed

    # -- observations -----------------------------------------------------------------

    def observe(self, item: CheckItem, fields: dict[str, Any]) -> Observation:
        """Record an observed thing; tasks, services and certificates are classified at once."""
        self._check_open()
        record = Observation(id="", inspection=self.inspection_id, **_observed(item, {"kind": item.observe, **fields}))
        saved = self.store.add_observation(self._judged(record))
        if item.id not in self.answers():
            self.answer(item, value="list")
        self.settled = self.settle_related(saved)
        return saved

    def update_observation(self, oid: str, fields: dict[str, Any]) -> Observation:
        self._check_open()
        current = next((o for o in self.observations() if o.id == oid), None)
        if current is None:
            raise UserError("walk.observation_gone")
        changed = replace(current, **_observed(None, fields))
        saved = self.store.put_observation(self._judged(changed))
        self.settled = self.settle_related(saved)
        return saved

    def remove_observation(self, oid: str) -> None:
        self._check_open()
        for finding in self.findings():
            if finding.observation == oid:
                self.store.remove_finding(finding.id)
        self.store.remove_observation(oid)

    def _judged(self, observation: Observation) -> Observation:
        classified = replace(observation, classification=rules.classify_observation(
            self.classifier, observation.kind, observation.what))
        if classified.override is not None and not classified.override.reason.strip():
            raise UserError("inspection.override_needs_reason")
        return replace(classified, violation=rules.is_violation(classified))

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

    def add_finding(self, fields: dict[str, Any], *, by: str, amendment_reason: str = "") -> Finding:
        """Record a finding by ``by`` (the app's user) from the finding dialog's fields (``prefill``'s, edited).

        On a completed inspection a finding may still be added for a failure an
        amendment brought (``amendment_reason`` says why); it is kept in the
        amendments with who and when, like the change that caused it.
        """
        if self.locked and not amendment_reason.strip():
            raise Locked(self.inspection_id)
        fields = dict(fields)
        deadline = fields.pop("deadline")
        deadline = deadline if isinstance(deadline, date) else date.fromisoformat(str(deadline))
        if "basis" in fields:
            fields["basis"] = tuple(fields["basis"])
        record = Finding(id="", village=self.village_id, inspection=self.inspection_id, **fields)
        if not self.locked:
            return self.store.add_finding(record, deadline=deadline, by=by)
        inspection = self.inspection
        with self.store.batch():
            saved = self.store.add_finding(record, deadline=deadline, by=by)
            amendment = Amendment(at=self.store.now_iso(), by=by, item=record.item, field="finding", old=None,
                                  new=saved.id, reason=amendment_reason)
            self.store.put_inspection(replace(inspection, amendments=(*inspection.amendments, amendment)))
        return saved

    def update_finding(self, fid: str, fields: dict[str, Any]) -> Finding:
        self._check_open()
        return self.store.update_finding(fid, **fields)

    def finding_for(self, failure: rules.Failure) -> Finding | None:
        return next((f for f in self.findings() if (f.item, f.observation) == failure.key), None)

    def deadline_of(self, fid: str) -> str:
        return workflow.derive(self.store.events(fid)).deadline.isoformat()

    # -- completion and amendments --------------------------------------------------

    def complete(self, *, by: str) -> Inspection:
        self._check_open()
        problems = self.problems()
        if problems:
            raise NotComplete(problems)
        return self.store.put_inspection(replace(self.inspection, state="completed", completed_at=self.store.now_iso(),
                                                 completed_by=by))

    def amend(self, item: CheckItem, field: str, new: Any, *, reason: str, by: str) -> Amendment:
        """A correction after completion, kept on the record with who, when and why."""
        if not self.locked:
            raise UserError("inspection.amend_only_completed")
        if not reason.strip():
            raise UserError("inspection.amend_needs_reason")
        if field == "value":
            self._refuse_contradiction(item, new)
        current = self.answers().get(item.id)
        old = getattr(current, field, None) if current else None
        amendment = Amendment(at=self.store.now_iso(), by=by, item=item.id, field=field, old=old, new=new, reason=reason)
        inspection = self.inspection
        with self.store.batch():
            self.store.put_answer(self._merged(item, {field: new}))
            self.store.put_inspection(replace(inspection, amendments=(*inspection.amendments, amendment)))
        return amendment


def _observed(item: CheckItem | None, fields: dict[str, Any]) -> dict[str, Any]:
    """The observation dialog's fields as the record's (its override a typed Override)."""
    out = {k: v for k, v in fields.items() if k not in ("id", "inspection", "at", "classification", "violation")}
    override = out.get("override")
    if isinstance(override, dict):
        out["override"] = Override(kind=str(override.get("kind", "")), reason=str(override.get("reason", ""))) \
            if override.get("kind") else None
    if item is not None and "item" not in out and not fields.get("id"):
        out["item"] = item.id
    return out


def open_visit(db: Repository, catalog: Catalog, classifiers: dict[str, Classifier], inspection_id: str,
               village_id: str | None = None) -> Visit:
    """The visit of inspection ``inspection_id`` (of ``village_id`` when the caller knows it)."""
    from ..catalog.classifier import load_synonyms

    vid = village_id
    if vid is None:
        found = db.locate("inspection", inspection_id)
        if len(found) != 1:
            raise NotFound("inspection", inspection_id)
        vid, inspection_id = found[0]
    village = db.village(vid)
    store = db.store(vid)
    inspection = store.inspection(inspection_id)
    checklist = catalog.checklists.get(inspection.template)
    if checklist is None:
        raise KeyError(inspection.template)
    if checklist.listset not in classifiers:
        synonyms = load_synonyms(catalog.root / "classifier" / "synonyms.toml")
        classifiers[checklist.listset] = Classifier(catalog.listsets[checklist.listset], synonyms)
    return Visit(store, inspection_id, catalog, checklist, classifiers[checklist.listset], village.kind, village.township)
