"""An inspection visit: answers, observations, failures, findings, completion.

Pure rules over the records (core/records.py: Answer, Observation, Finding);
the repository saves, the screens ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..catalog.classifier import Classifier
from ..catalog.model import Catalog, CheckItem, Checklist
from ..i18n import t
from .deadlines import default_deadline
from .records import Answer, Finding, Observation

INSPECTION_KINDS = ("routine", "random", "unannounced", "complaint", "followup")
ASSIGNED_HOW = ("document", "meeting", "phone", "chat_group", "verbal", "system", "other")
# Observed kinds the classifier judges (a task, a purchased service, a certificate).
CLASSIFIED = ("task", "service", "certificate")
ALLOWED_KINDS = ("autonomy", "assistance", "certificate_allowed")
VIOLATION_KINDS = ("negative", "certificate_forbidden")  # a violation in any form


@dataclass
class Failure:
    item: CheckItem
    observation: Observation | None = None

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.item.id, self.observation.id if self.observation else None)


def item_status(item: CheckItem, answer: Answer | None, observations: list[Observation]) -> str:
    """'unanswered', 'na', 'ok' or 'fail' for one check item."""
    if item.answer == "list":
        if (answer is None or answer.value in (None, "")) and not observations:
            return "unanswered"  # an answer record with only evidence kept is not an answer
        if answer and answer.value == "na":
            return "na"
        return "fail" if any(o.violation for o in observations) else "ok"
    if answer is None or answer.value in (None, ""):
        return "unanswered"
    value = answer.value
    if value == "na":
        return "na"
    if item.answer == "yes_no":
        return "fail" if value == item.fail_on else "ok"
    found, allowed = answer.found, answer.allowed
    if found is None or allowed is None:
        return "unanswered"
    return "fail" if found > allowed else "ok"


def failures(checklist: Checklist, answers: dict[str, Answer], observations: list[Observation]) -> list[Failure]:
    """Every failure: one per failing item, one per violating observation of a list item."""
    by_item: dict[str, list[Observation]] = {}
    for obs in observations:
        by_item.setdefault(obs.item, []).append(obs)
    out: list[Failure] = []
    for item in checklist.items:
        obs = by_item.get(item.id, [])
        if item_status(item, answers.get(item.id), obs) != "fail":
            continue
        if item.answer == "list":
            out.extend(Failure(item, o) for o in obs if o.violation)
        else:
            out.append(Failure(item))
    return out


def missing_requirements(item: CheckItem, answer: Answer | None) -> list[str]:
    """What a failed item still needs before completion: "note" and/or "evidence".

    The reason written for not recording a finding (``w``) is a written
    explanation too, so it stands for the note.
    """
    missing = []
    note = answer.note.strip() or answer.reason_no_finding.strip() if answer else ""
    if "note" in item.requires and not note:
        missing.append("note")
    if "evidence" in item.requires and not (answer and (answer.evidence or answer.files)):
        missing.append("evidence")
    return missing


def covering_findings(item: CheckItem, observations: list[Observation], findings: list[Finding], catalog: Catalog | None
                      ) -> list[Finding]:
    """Findings already recorded for observations that answer this yes/no item.

    An item like "has any department made the village do negative-list work?"
    fails on "yes"; when that work was recorded (under the tasks item) with
    its finding, the same fact needs no second finding. The item's basis names
    the lists it asks about; an observation judged to be on one of them, with
    a finding, and recorded under the same theme, covers it.
    """
    answering = {o.id for o in answering_observations(item, observations, catalog)}
    return [f for f in findings if f.observation in answering]


def answering_observations(item: CheckItem, observations: list[Observation], catalog: Catalog | None
                           ) -> list[Observation]:
    """Violating observations that already answer a yes/no item "yes" (see covering_findings).

    While one exists, answering the item "no" or "not applicable" contradicts the records.
    """
    if catalog is None or item.answer != "yes_no" or item.fail_on != "yes" or not item.basis_items:
        return []
    kinds = {li.kind for li in (catalog.item(i) for i in item.basis_items) if li is not None}
    if not kinds or not kinds <= set(VIOLATION_KINDS):
        return []
    # Only what was recorded under the same theme answers it (a task does not answer a ledger question);
    # check item ids are "<theme>.<two digits>" (data/README.md).
    return [o for o in observations
            if o.violation and effective_kind(o) in kinds and o.item.split(".")[0] == item.theme]


def completion_problems(
    checklist: Checklist,
    answers: dict[str, Answer],
    observations: list[Observation],
    findings: list[Finding],
    catalog: Catalog | None = None,
) -> list[tuple[str, dict]]:
    """What stops completion, as (message key, params); empty when it may be completed.

    Every params dict names the check ``item`` (and the ``observation`` when
    there is one), so a screen can take the inspector there.
    """
    problems: list[tuple[str, dict]] = []
    by_item: dict[str, list[Observation]] = {}
    for obs in observations:
        by_item.setdefault(obs.item, []).append(obs)
    for item in checklist.items:
        if item_status(item, answers.get(item.id), by_item.get(item.id, [])) == "unanswered":
            problems.append(("inspection.problem.unanswered", {"item": item.id}))
    covered = {(f.item, f.observation) for f in findings}
    for failure in failures(checklist, answers, observations):
        if failure.observation is None and covering_findings(failure.item, observations, findings, catalog):
            continue  # the observation's finding stands for this item too
        if failure.key not in covered and not reason_no_finding(failure, answers).strip():
            what = failure.observation.what if failure.observation else ""
            params = {"item": failure.item.id, "what": what}
            if failure.observation:
                params["observation"] = failure.observation.id
            problems.append(("inspection.problem.no_finding", params))
        if failure.observation is None:
            for need in missing_requirements(failure.item, answers.get(failure.item.id)):
                problems.append((f"inspection.problem.need_{need}", {"item": failure.item.id}))
    return problems


def reason_no_finding(failure: Failure, answers: dict[str, Answer]) -> str:
    """Why no finding was recorded for ``failure`` (the observation's reason, else its answer's)."""
    if failure.observation is not None:
        return failure.observation.reason_no_finding
    answer = answers.get(failure.item.id)
    return answer.reason_no_finding if answer else ""


def classification_text(kind: str, what: str) -> str:
    """What the classifier reads for an observation (a certificate is asked as one)."""
    if kind == "certificate" and "证明" not in what:
        return f"开具{what}证明"
    return what


def classify_observation(classifier: Classifier, kind: str, what: str) -> dict | None:
    if kind not in CLASSIFIED or not what.strip():
        return None
    result = classifier.classify(classification_text(kind, what))
    top = result.matches[0] if result.matches else None
    return {
        "kind": result.kind,
        "verdict": result.verdict_code,
        "listset": result.listset,
        "item": top.item if top else "",
        "title": top.title if top else "",
        "score": top.score if top else 0.0,
        "matched": top.matched if top else [],
        # Why, and how sure (see /work/notes/classifier_api.md): an "uncertain" verdict has no
        # item and lists the candidates the inspector chooses from.
        "number": top.number if top else "",
        "list_kind": top.list_kind if top else "",
        "confidence": result.confidence,
        "reason": result.reason,
        "evidence": result.evidence,
        "exception": result.exception,
        "candidates": [{"item": c.item, "number": c.number, "title": c.title, "list_kind": c.list_kind, "kind": c.kind}
                       for c in result.candidates],
    }


def effective_kind(observation: Observation) -> str | None:
    """The kind that counts: the inspector's override, else the classifier's."""
    if observation.override is not None and observation.override.kind:
        return observation.override.kind
    return (observation.classification or {}).get("kind")


def is_violation(observation: Observation) -> bool:
    """Whether an observed thing breaks the lists (the inspector may mark others by hand)."""
    kind = observation.kind
    if kind not in CLASSIFIED:
        return observation.marked_violation
    list_kind = effective_kind(observation)
    if list_kind in ("negative", "certificate_forbidden"):
        return True
    if kind == "certificate":
        # Only the must-not-issue list makes a certificate a violation (above); one on neither
        # list, under a stated exception, or in a set without certificate lists is not one.
        return observation.marked_violation
    if kind == "service":
        # A purchase needs a signed contract and satisfaction judged by it.
        return not observation.purchase_contract or observation.contract_evaluation is False
    if list_kind == "unlisted":
        return not (observation.approval_document or observation.purchase_contract)
    return observation.marked_violation


def default_unit(item: CheckItem, observation: Observation | None, village_kind: str, township: str, lang: str | None = None) -> str:
    """Who answers for it: the body that pushed the thing down; else the village or township.

    An observation recorded without its department leaves the unit empty:
    the finding dialog asks for it rather than blaming the township.
    """
    if observation is not None:
        if observation.department:
            return observation.department
        return t(f"unit.{village_kind}", lang=lang) if observation.kind == "certificate" else ""
    if item.theme in ("signboards", "certificates"):
        return t(f"unit.{village_kind}", lang=lang)
    return township


def prefill_finding(
    item: CheckItem,
    observation: Observation | None,
    answer: Answer | None,
    catalog: Catalog,
    *,
    found_on: date,
    village_kind: str,
    township: str,
    lang: str,
    number: str = "",
) -> dict[str, Any]:
    """A finding's fields from the check item (and the observation), ready to edit.

    ``lang`` is the language of what is stored (the documents' Chinese, whatever
    the interface shows): a finding is printed in reports in that language.
    """
    from .item_text import basis_text, list_item_label, measure, problem_fact, problem_title

    basis = list(item.basis_items)
    quoted = basis_text(item, lang)
    list_kind = None
    if observation:
        cls = observation.classification or {}
        list_kind = effective_kind(observation)
        # The list item that settles it is the basis, not the checklist item's whole list: the
        # classifier's when its kind is the one that counts (an override of the kind replaces it)
        # and it is on a list (an unlisted verdict cites none).
        cited = cls.get("item") if list_kind == cls.get("kind") and list_kind != "unlisted" else ""
        li = catalog.item(cited) if cited else None
        if li is not None:
            basis = [cited]
            label = list_item_label(catalog, cited, lang, cls.get("listset", ""))
            quoted = f"{label}：{li.content}" if li.content else label
        what, department = observation.what, observation.department
        description = t("finding.prefill.observed" if department else "finding.prefill.observed_no_department",
                        lang=lang, what=what, department=department)
        sep = "" if lang == "zh" else " "
        if list_kind:
            description += sep + t(f"verdict.{list_kind}", lang=lang)
        if observation.note:
            description += sep + observation.note
    else:
        fact = problem_fact(item, answer, lang)
        if fact:
            description = t("finding.prefill.found", lang=lang, number=number, fact=fact)
        else:
            description = t("finding.prefill.description", lang=lang, number=number, result=describe_answer(item, answer, lang))
        if answer and answer.note:
            description += ("" if lang == "zh" else " ") + answer.note
    deadline = default_deadline(found_on, item.period)
    return {
        "item": item.id,
        "observation": observation.id if observation else None,
        "theme": item.theme,
        "title": problem_title(item, answer, observation, list_kind, lang),
        "description": description,
        "basis": basis,
        "basis_text": quoted,
        "severity": item.severity,
        "unit": default_unit(item, observation, village_kind, township, lang),
        "person": "",
        "measure": measure(item, lang, list_kind),
        "deadline": deadline.day.isoformat(),
    }


def describe_answer(item: CheckItem, answer: Answer | None, lang: str) -> str:
    if not answer:
        return t("inspection.result.unanswered", lang=lang)
    value = answer.value
    if value == "count":
        return t("inspection.result.count", lang=lang, found=answer.found, allowed=answer.allowed)
    if value in ("yes", "no", "na"):
        return t(f"inspection.result.{value}", lang=lang)
    return t("inspection.result.list", lang=lang)
