"""The inspection visit report: one inspection as a Markdown document.

Pure: records in (core/records.py), text out. No Textual, no Rich, no clock
(every date shown comes from the records). The fixed text comes from the message files
(``locales/*.report.toml``); the lists' and checklists' own text is shown as
the catalog has it (the checklist's question in English when there is one);
every value a user typed goes through ``escape_inline`` / ``escape_cell`` so
it can never break a table or the document.

A half-finished draft must still print: an empty field shows as "—" or as
"not checked", never as an exception. Ids show in their short form (``ids.short``).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Mapping

from ..catalog.classifier import KINDS, VERDICTS
from ..catalog.model import OBSERVED, SEVERITIES, Catalog, CheckItem, Checklist, ListItem
from ..core import ids, labels
from ..core.evidence import finding_files
from ..core.finding_view import FindingView, found_order
from ..core.inspection import CLASSIFIED, covering_findings
from ..core.records import Amendment, Answer, Finding, Inspection, Observation, Village
from ..core.textwidth import clip
from ..i18n import messages, t
from .evidence_list import EvidenceLinks, evidence_lines
from .markdown import escape_cell, escape_inline

TASK_OBSERVATIONS = ("task", "service")  # shown with their classification
MAX_BASIS_ITEMS = 5  # list items named in a ledger row's basis; the rest are counted
SHORT_BASIS = 60  # characters of a finding's basis_text kept in the ledger
DASH = "—"
AMENDED_QUESTION = 40  # display cells of a check item's question in the amendments table


def item_failed(item: CheckItem, answer: Answer | None, observations: list[Observation]) -> bool:
    """Whether the answer (and, for a list item, its observations) fails the check item.

    yes_no: the value is the item's ``fail_on``; count: more found than
    allowed; list: any observation is a violation.
    """
    if item.answer == "list":
        return any(o.violation is True for o in observations)
    if answer is None:
        return False
    if item.answer == "count":
        found, allowed = _counts(item, answer)
        return answer.value == "count" and found is not None and allowed is not None and found > allowed
    return answer.value in ("yes", "no") and answer.value == item.fail_on


def render_visit_report(
    *,
    village: Village,
    inspection: Inspection,
    checklist: Checklist,
    catalog: Catalog,
    answers: dict[str, Answer],
    observations: list[Observation],
    findings: list[FindingView],
    lang: str = "zh",
    evidence: EvidenceLinks | None = None,
) -> str:
    """The visit report of ``inspection`` in ``lang`` ("zh" or "en"), as Markdown.

    ``findings``: the inspection's findings as of the report's date (their
    unit, person and deadline are the ones in force then). ``evidence``: links
    from the report's folder to the kept files (report/evidence_list.py);
    without it the evidence is listed by name only.
    """
    report = _Report(village, inspection, checklist, catalog, answers or {}, observations or [], findings or [], lang)
    report.links = evidence
    return report.render()


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _counts(item: CheckItem | None, answer: Answer) -> tuple[int | None, int | None]:
    found = _int(answer.found)
    allowed = _int(answer.allowed) if answer.allowed is not None else None
    if allowed is None and item is not None:
        allowed = item.allowed
    return found, allowed


def _verdict(obs: Observation) -> Mapping[str, Any]:
    """The classifier's verdict kept with the observation (a mapping of its own, not a record), or an empty one."""
    return obs.classification if isinstance(obs.classification, Mapping) else {}


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A GFM table; the cells must already be escaped (and never empty)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or DASH for cell in row) + " |" for row in rows]
    return lines + [""]


def _shorten(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _when(stamp: object) -> str:
    """"2026-11-21T16:02:00" as "2026-11-21 16:02"; anything else as it is."""
    text = str(stamp or "")
    day, sep, time = text.partition("T")
    return f"{day} {time[:5]}" if sep and len(time) >= 5 else text


class _Report:
    def __init__(self, village, inspection, checklist, catalog, answers, observations, findings, lang):
        self.village: Village = village
        self.insp: Inspection = inspection
        self.checklist: Checklist = checklist
        self.catalog: Catalog = catalog
        self.answers: dict[str, Answer] = {k: v for k, v in answers.items() if isinstance(v, Answer)}
        self.lang = lang
        self.links: EvidenceLinks | None = None
        self.groups = checklist.by_theme()
        self.themes = {th.id: th for th in checklist.themes}
        # Numbers "2.3" (theme 2, item 3) and the order used to sort everything.
        self.number: dict[str, str] = {}
        order: list[str] = []
        for ti, items in enumerate(self.groups.values(), 1):
            for ii, item in enumerate(items, 1):
                self.number[item.id] = f"{ti}.{ii}"
                order.append(item.id)
        self.order = {iid: n for n, iid in enumerate(order)}
        # In checklist order, then in the order they were made (ids sort so: core/ids.IdMaker).
        self.observations = sorted((o for o in observations if isinstance(o, Observation)),
                                   key=lambda o: (self._item_order(o.item), o.id))
        views = sorted((v for v in findings if isinstance(v, FindingView)),
                       key=lambda v: (self._item_order(v.finding.item), found_order(v)))
        self.views = {id(v.finding): v for v in views}  # a record's status, by the record
        self.findings = [v.finding for v in views]
        self.serial = {f.id: n for n, f in enumerate(self.findings, 1)}
        self.obs_by_item: dict[str, list[Observation]] = {}
        for o in self.observations:
            self.obs_by_item.setdefault(o.item, []).append(o)
        self.serials_by_item: dict[str, list[int]] = {}
        self.serials_by_obs: dict[str, list[int]] = {}
        for n, f in enumerate(self.findings, 1):
            self.serials_by_item.setdefault(f.item, []).append(n)
            if f.observation:
                self.serials_by_obs.setdefault(f.observation, []).append(n)

    # ── helpers ──────────────────────────────────────────────────────────

    def t(self, key: str, **params: object) -> str:
        return t(key, lang=self.lang, **params)

    def label(self, prefix: str, code: object) -> str:
        """The message ``prefix.code``, or the code itself (escaped) when there is none."""
        key = f"{prefix}.{code}"
        return self.t(key) if key in messages(self.lang) else escape_inline(str(code or "")) or DASH

    def severity(self, code: str) -> str:
        return escape_inline(labels.severity(code, self.lang)) or DASH

    def join(self, pieces: list[str], sep_key: str = "report.sep") -> str:
        return self.t(sep_key).join(p for p in pieces if p)

    def _item_order(self, item_id: str) -> int:
        return self.order.get(item_id, len(self.order))

    def list_item(self, item_id: str) -> ListItem | None:
        own = self.catalog.listsets.get(self.checklist.listset)
        return (own.item(item_id) if own else None) or self.catalog.item(item_id)

    def list_item_label(self, item_id: object, fallback_title: object = "") -> str:
        li = self.list_item(str(item_id)) if item_id else None
        if li is None:
            return escape_inline(fallback_title or item_id or "")
        return self.t(
            "report.ledger.basis_item",
            list=self.label("report.list_kind", li.kind),
            number=escape_inline(li.number),
            title=escape_inline(li.title),
        )

    def numbers(self, serials: list[int]) -> str:
        return self.join([str(n) for n in serials]) if serials else ""

    # ── sections ─────────────────────────────────────────────────────────

    def render(self) -> str:
        lines: list[str] = []
        for section in (self.head, self.basics, self.summary, self.results, self.ledger, self.evidence, self.tasks,
                        self.other_observations, self.amendments, self.signatures):
            lines += section()
        return "\n".join(lines).rstrip("\n") + "\n"

    def draft(self) -> bool:
        return not self.insp.completed

    def head(self) -> list[str]:
        key = "report.title_draft" if self.draft() else "report.title"
        lines = ["# " + self.t(key, village=escape_inline(self.village.name) or DASH), ""]
        if self.draft():
            lines += ["> " + self.t("report.draft_notice"), ""]
        return lines

    def basics(self) -> list[str]:
        insp, v = self.insp, self.village
        version = insp.template_version or self.checklist.version
        title = self.checklist.title_en if self.lang == "en" and self.checklist.title_en else self.checklist.title
        if self.draft():
            state = self.t("report.state.draft")
        elif insp.completed_at:
            state = self.t("report.state.completed_at", at=escape_inline(_when(insp.completed_at)))
        else:
            state = self.t("report.state.completed")
        fields = [
            ("id", escape_inline(ids.short(insp.id))),
            ("date", insp.date.isoformat()),
            ("kind", self.label("report.kind", insp.kind)),
            ("inspectors", self.join([escape_inline(p) for p in insp.inspectors])),
            ("county", escape_inline(v.county)),
            ("township", escape_inline(v.township)),
            ("village", self.t("report.field.village_value", name=escape_inline(v.name),
                               kind=self.label("report.village_kind", v.kind))),
            ("checklist", self.t("report.field.checklist_value", title=escape_inline(title),
                                 version=escape_inline(version))),  # the title names it; its id is a key
            ("state", state),
        ]
        colon = "：" if self.lang == "zh" else ": "
        lines = ["## " + self.t("report.section.basics"), ""]
        lines += [f"- **{self.t('report.field.' + name)}**{colon}{value or DASH}" for name, value in fields]
        if version != self.checklist.version:
            lines += ["", self.t("report.field.version_differs", used=escape_inline(version),
                                 current=escape_inline(self.checklist.version))]
        return lines + [""]

    def summary(self) -> list[str]:
        total = answered = na = failed = silent = 0
        for items in self.groups.values():
            for item in items:
                total += 1
                answer = self.answers.get(item.id)
                obs = self.obs_by_item.get(item.id, [])
                if not obs and not (answer and answer.value):
                    continue
                answered += 1
                if not obs and answer.value == "na":
                    na += 1
                if item_failed(item, answer, obs):
                    failed += 1
                    silent += not (self.serials_by_item.get(item.id)
                                   or covering_findings(item, self.observations, self.findings, self.catalog))
        sev = Counter(f.severity for f in self.findings)
        by_sev = [self.t("report.summary.count", label=self.severity(s), n=sev[s]) for s in SEVERITIES]
        by_sev += [self.t("report.summary.count", label=self.severity(s), n=n)
                   for s, n in sev.items() if s not in SEVERITIES]
        lines = ["## " + self.t("report.section.summary"), ""]
        lines.append("- " + self.t("report.summary.items", total=total, answered=answered, na=na,
                                   unanswered=total - answered, failed=failed))
        if silent:
            lines.append("- " + self.t("report.summary.failed_without_finding", n=silent))
        lines.append("- " + self.t("report.summary.findings", n=len(self.findings), by_severity=self.join(by_sev)))
        if self.observations:
            kinds = Counter(o.kind for o in self.observations)
            ordered = [k for k in OBSERVED if kinds[k]] + sorted(k for k in kinds if k not in OBSERVED)
            by_kind = [self.t("report.summary.count", label=self.label("report.observed", k), n=kinds[k]) for k in ordered]
            violations = sum(1 for o in self.observations if o.violation is True)
            lines.append("- " + self.t("report.summary.observations", n=len(self.observations),
                                       by_kind=self.join(by_kind), violations=violations))
        else:
            lines.append("- " + self.t("report.summary.observations_none"))
        tasks = [o for o in self.observations if o.kind in TASK_OBSERVATIONS]
        if tasks:
            kinds = Counter(self.effective_kind(o) or "none" for o in tasks)
            ordered = [k for k in (*KINDS, "none") if kinds[k]] + sorted(k for k in kinds if k not in (*KINDS, "none"))
            by_kind = [self.t("report.summary.count", label=self.label("report.task_kind", k), n=kinds[k]) for k in ordered]
            lines.append("- " + self.t("report.summary.tasks", by_kind=self.join(by_kind)))
        return lines + [""]

    def results(self) -> list[str]:
        lines = ["## " + self.t("report.section.results"), ""]
        header = [self.t("report.col.item"), self.t("report.col.result"), self.t("report.col.note")]
        for theme_id, items in self.groups.items():
            if not items:
                continue
            theme = self.themes.get(theme_id)
            lines += ["### " + (escape_inline(theme.label(self.lang)) if theme else escape_inline(theme_id)), ""]
            rows = [[f"{self.number[i.id]} {escape_inline(i.q(self.lang))}", *self.result_cells(i, i.id)] for i in items]
            lines += _table(header, rows)
        known = set(self.number)
        orphans = sorted({*self.answers, *self.obs_by_item} - known - {""})
        if orphans:
            lines += ["### " + self.t("report.other_items"), ""]
            lines += _table(header, [[escape_cell(i), *self.result_cells(None, i)] for i in orphans])
        return lines

    def result_cells(self, item: CheckItem | None, item_id: str) -> list[str]:
        answer = self.answers.get(item_id) or Answer(inspection=self.insp.id, item=item_id)
        obs = self.obs_by_item.get(item_id, [])
        value = answer.value
        if obs or value == "list" or (item is not None and item.answer == "list" and value and value != "na"):
            violations = sum(1 for o in obs if o.violation is True)
            result = self.t("report.result.list", n=len(obs), violations=violations)
        elif value == "count":
            found, allowed = _counts(item, answer)
            result = self.t("report.result.count", found=DASH if found is None else found,
                            allowed=DASH if allowed is None else allowed)
        elif value in ("yes", "no", "na"):
            result = self.t(f"report.result.{value}")
        elif value:
            result = escape_inline(value)
        else:
            result = self.t("report.result.unanswered")
        failed = item is not None and item_failed(item, answer, obs)
        if failed:
            result = self.t("report.result.fail", result=result)
        notes = [escape_inline(answer.note)]
        if answer.evidence:
            notes.append(self.t("report.note.evidence", files=self.join([escape_inline(e) for e in answer.evidence])))
        serials = self.serials_by_item.get(item_id, [])
        if not serials and failed and item is not None:
            # A finding recorded for an observation that answers this item stands for it too.
            serials = [self.serial[f.id] for f in covering_findings(item, self.observations, self.findings, self.catalog)]
        if serials:
            notes.append(self.t("report.note.findings", numbers=self.numbers(serials)))
        elif failed:
            reason = escape_inline(answer.reason_no_finding)
            notes.append(self.t("report.note.no_finding_reason", reason=reason) if reason else self.t("report.note.no_finding"))
        return [result, self.join(notes, "report.clause_sep") or DASH]

    def ledger(self) -> list[str]:
        lines = ["## " + self.t("report.section.findings"), ""]
        if not self.findings:
            return lines + [self.t("report.ledger.none"), ""]
        cols = ("no", "problem", "basis", "unit", "measure", "deadline")
        rows = []
        for n, f in enumerate(self.findings, 1):
            title = escape_inline(f.title) or DASH
            view = self.views[id(f)]
            severity = escape_inline(labels.severity(view.severity, self.lang)) or DASH
            description = escape_inline(f.description)
            if description.startswith(title):
                # "城管工作站（区城市管理局）。" already says the title: once, with the severity.
                title, description = description.rstrip("。. "), ""
            problem = (self.t("report.ledger.problem_description", title=title, severity=severity, description=description)
                       if description else self.t("report.ledger.problem", title=title, severity=severity))
            unit, person = escape_inline(view.unit), escape_inline(view.person)
            unit_cell = self.t("report.ledger.unit_person", unit=unit or DASH, person=person) if person else unit
            rows.append([str(n), problem, self.basis(f), unit_cell, escape_cell(f.measure),
                         view.deadline.isoformat()])
        return lines + _table([self.t(f"report.col.{c}") for c in cols], rows)

    def evidence(self) -> list[str]:
        """The kept files, by finding then by checklist item; no section when there are none.

        The file names typed before evidence was kept stay in the results' notes, unlinked.
        """
        groups: list[tuple[str, list]] = []
        for n, f in enumerate(self.findings, 1):
            files = finding_files(self.views[id(f)].events)
            if files:
                groups.append((self.t("report.evidence.finding", no=n, title=escape_inline(f.title) or DASH), files))
        items = sorted((a for a in self.answers.values() if a.files), key=lambda a: (self._item_order(a.item), a.item))
        for answer in items:
            check = self.checklist.item(answer.item)
            if check is not None and answer.item in self.number:
                head = self.t("report.evidence.item", number=self.number[answer.item],
                              question=escape_inline(check.q(self.lang)))
            else:
                head = escape_inline(answer.item) or DASH
            groups.append((head, list(answer.files)))
        if not groups:
            return []
        lines = ["## " + self.t("report.evidence.section"), ""]
        for head, files in groups:
            lines += ["### " + head, ""] + evidence_lines(files, self.links, self.lang) + [""]
        return lines

    def basis(self, finding: Finding) -> str:
        items = finding.basis
        pieces = [self.list_item_label(i) for i in items[:MAX_BASIS_ITEMS]]
        if len(items) > MAX_BASIS_ITEMS:
            pieces.append(self.t("report.ledger.basis_more", n=len(items)))
        text = _shorten(finding.basis_text, SHORT_BASIS)
        return self.join([self.join(pieces), escape_inline(text)], "report.clause_sep") or DASH

    def effective_kind(self, obs: Observation) -> str:
        override_kind = obs.override.kind if obs.override else ""
        return str(override_kind or _verdict(obs).get("kind") or "")

    def tasks(self) -> list[str]:
        lines = ["## " + self.t("report.section.tasks"), ""]
        tasks = [o for o in self.observations if o.kind in TASK_OBSERVATIONS]
        if not tasks:
            return lines + [self.t("report.task.none"), ""]
        cols = ("no", "what", "department", "classification", "list_item", "admission", "violation")
        rows = []
        for n, o in enumerate(tasks, 1):
            what = [escape_inline(o.what)]
            if o.assigned_how:
                what.append(self.t("report.task.assigned_how", how=self.label("observation.how", o.assigned_how)))
            what.append(escape_inline(o.note))
            rows.append([str(n), self.join(what, "report.clause_sep"), escape_cell(o.department),
                         self.classification(o), self.matched_item(o), self.admission(o), self.violation(o)])
        return lines + _table([self.t(f"report.col.{c}") for c in cols], rows)

    def classification(self, obs: Observation) -> str:
        cls = _verdict(obs)
        override = obs.override
        if override and override.kind:
            kind = override.kind
            return self.t("report.task.override", kind=self.label("report.task_kind", kind),
                          verdict=self.label("report.verdict", VERDICTS.get(kind, "")),
                          original=self.label("report.task_kind", cls.get("kind") or "none"),
                          reason=escape_inline(override.reason) or DASH)
        if cls.get("kind"):
            kind = cls["kind"]
            return self.t("report.task.classification", kind=self.label("report.task_kind", kind),
                          verdict=self.label("report.verdict", cls.get("verdict") or VERDICTS.get(kind, "")))
        return self.t("report.task_kind.none")

    def matched_item(self, obs: Observation) -> str:
        cls = _verdict(obs)
        override_kind = obs.override.kind if obs.override else ""
        if override_kind and override_kind != cls.get("kind"):
            return DASH  # the inspector's kind replaces the match
        if cls.get("kind") == "unlisted":
            return DASH  # an unlisted verdict rests on no list item (a nearest one is not a basis)
        return self.list_item_label(cls.get("item"), cls.get("title", "")) or DASH

    def admission(self, obs: Observation) -> str:
        def has(value: object) -> str:
            key = "has" if value is True else "has_not" if value is False else "unknown"
            return self.t(f"report.task.{key}")

        pieces = [self.t("report.task.approval", value=has(obs.approval_document)),
                  self.t("report.task.contract", value=has(obs.purchase_contract))]
        if obs.kind == "service" or obs.contract_evaluation is not None:
            pieces.append(self.t("report.task.contract_evaluation", value=has(obs.contract_evaluation)))
        return self.join(pieces, "report.clause_sep")

    def violation(self, obs: Observation) -> str:
        value = obs.violation
        cell = self.t(f"report.bool.{'yes' if value else 'no'}") if isinstance(value, bool) else DASH
        serials = self.serials_by_obs.get(obs.id, [])
        if serials:
            cell += self.t("report.clause_sep") + self.t("report.note.findings", numbers=self.numbers(serials))
        return cell

    def other_observations(self) -> list[str]:
        rest = [o for o in self.observations if o.kind not in TASK_OBSERVATIONS]
        if not rest:
            return []
        cols = ("no", "kind", "what", "department", "violation", "note")
        # A certificate is classified too: its verdict (and an inspector's change, with the reason) goes with it.
        rows = [[str(n), self.label("report.observed", o.kind), escape_cell(o.what),
                 escape_cell(o.department), self.violation(o),
                 self.join([self.classification(o) if o.kind in CLASSIFIED else "", escape_cell(o.note)],
                           "report.clause_sep") or DASH]
                for n, o in enumerate(rest, 1)]
        return ["## " + self.t("report.section.observations"), ""] + _table([self.t(f"report.col.{c}") for c in cols], rows)

    def amendments(self) -> list[str]:
        amendments = [a for a in self.insp.amendments if isinstance(a, Amendment)]
        if not amendments:
            return []
        cols = ("time", "by", "field", "old", "new", "reason")
        rows = []
        for a in amendments:
            item = a.item
            check = self.checklist.item(item)
            target = (f"{self.number[item]} {escape_inline(clip(check.q(self.lang), AMENDED_QUESTION))}"
                      if check is not None and item in self.number else escape_inline(item))
            field = a.field
            change = " · ".join(p for p in (target, self.label("walk.field", field) if field else "") if p)
            rows.append([escape_cell(_when(a.at)), escape_cell(a.by), change or DASH,
                         self.amended_value(field, a.old), self.amended_value(field, a.new),
                         escape_cell(a.reason)])
        return ["## " + self.t("report.section.amendments"), ""] + _table([self.t(f"report.col.{c}") for c in cols], rows)

    def amended_value(self, field: str, value: object) -> str:
        """An amended answer's value as its label ("是", "不适用"), a finding as its number."""
        if field == "value" and isinstance(value, str) and f"walk.value.{value}" in messages(self.lang):
            return self.t(f"walk.value.{value}")
        if field == "finding" and value in self.serial:
            return self.t("report.note.findings", numbers=self.serial[value])
        return self.value(value)

    def value(self, value: object) -> str:
        if isinstance(value, bool):
            return self.t(f"report.bool.{'yes' if value else 'no'}")
        if value is None:
            return DASH
        if isinstance(value, (list, tuple)):
            return self.join([escape_inline(v) for v in value]) or DASH
        if isinstance(value, dict):
            return escape_cell(json.dumps(value, ensure_ascii=False, sort_keys=True))
        return escape_cell(value)

    def signatures(self) -> list[str]:
        return ["", self.t("report.sign.inspectors"), "", self.t("report.sign.village"), ""]
