"""Stored documents to records and back: one pair of functions per record, and nowhere else.

A document is what a TinyDB file holds (JSON: dates as ISO text, lists);
a record is core's frozen value (core/records.py). Unknown fields in a
document are dropped on reading: the schema version (migrations.py) is
what guards a file written by a newer program.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Mapping

import msgspec

from ..core.records import Amendment, Answer, Event, EvidenceFile, Finding, Inspection, Observation, Override, Village

if TYPE_CHECKING:  # the sync records are imported where used: most commands never sync (3 ms at start)
    from ..core.sync import KnownDevice, Roster

Doc = Mapping[str, Any]


def _field_defaults(cls: type) -> dict[str, Any]:
    """Every field of a record with its default (None for the required ones): what a stored document leaves out."""
    return {f.name: (None if f.required else f.default) for f in msgspec.structs.fields(cls)}


_DAYS: dict[str, date] = {}  # the same few thousand days recur across a county's events


def _day(value: Any) -> date:
    day = _DAYS.get(value) if type(value) is str else None
    if day is None:
        day = date.fromisoformat(str(value)[:10])
        if type(value) is str and len(_DAYS) < 100_000:
            _DAYS[value] = day
    return day


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(value) if type(value) is list or type(value) is tuple else ()


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _drop_empty(doc: dict[str, Any], *names: str) -> dict[str, Any]:
    """Optional fields left out when they hold nothing, so the files stay as small as before."""
    for name in names:
        if doc.get(name) in (None, "", [], ()):
            doc.pop(name, None)
    return doc


# -- villages (the registry) ----------------------------------------------------

def village(doc: Doc) -> Village:
    return Village(
        id=doc["id"], name=doc.get("name", ""), township=doc.get("township", ""), kind=doc.get("kind", "village"),
        county=doc.get("county", ""), contact=doc.get("contact", ""), phone=doc.get("phone", ""),
        archived=bool(doc.get("archived", False)), changed_at=doc.get("changed_at", ""),
    )


def village_doc(v: Village) -> dict[str, Any]:
    return {"id": v.id, "name": v.name, "township": v.township, "kind": v.kind, "county": v.county,
            "contact": v.contact, "phone": v.phone, "archived": v.archived, "changed_at": v.changed_at}


# -- inspections ----------------------------------------------------------------

def amendment(doc: Doc) -> Amendment:
    return Amendment(at=doc.get("at", ""), by=doc.get("by", ""), item=doc.get("item", ""), field=doc.get("field", ""),
                     old=doc.get("old"), new=doc.get("new"), reason=doc.get("reason", ""))


def amendment_doc(a: Amendment) -> dict[str, Any]:
    return {"at": a.at, "by": a.by, "item": a.item, "field": a.field, "old": a.old, "new": a.new, "reason": a.reason}


_INSPECTION_DEFAULTS = _field_defaults(Inspection)


def inspection(doc: Doc) -> Inspection:
    values = dict(_INSPECTION_DEFAULTS)
    values.update(doc)  # the inspection list makes one per inspection of the county: built as event() is
    if len(values) != len(_INSPECTION_DEFAULTS):
        values = {k: v for k, v in values.items() if k in _INSPECTION_DEFAULTS}
    values["date"] = _day(values["date"])
    values["inspectors"] = _texts(values["inspectors"])
    amendments = values["amendments"]
    values["amendments"] = tuple(amendment(a) for a in amendments) if amendments else ()
    if values["village"] is None:
        values["village"] = ""
    return Inspection(**values)


# -- records as the query cache keeps them (storage/query_cache.py) --------------
# Encoded from the record itself (msgspec, fields left at their default left out) and
# decoded straight back into it, in C: the inspection list and the history queries make
# one record per row of a county. Only records made here go in, so every row decodes.

_ENCODE = msgspec.json.Encoder().encode
_INSPECTIONS = msgspec.json.Decoder(list[Inspection])
_FINDING = msgspec.json.Decoder(Finding)


def cached(record: Inspection | Finding) -> bytes:
    return _ENCODE(record)


def cached_inspections(rows: list[bytes]) -> list[Inspection]:
    return _INSPECTIONS.decode(b"[" + b",".join(rows) + b"]")


def cached_finding(row: bytes) -> Finding:
    return _FINDING.decode(row)


def inspection_doc(i: Inspection) -> dict[str, Any]:
    doc = {"id": i.id, "village": i.village, "date": i.date.isoformat(), "kind": i.kind, "inspectors": list(i.inspectors),
           "template": i.template, "template_version": i.template_version, "state": i.state,
           "created_at": i.created_at, "completed_at": i.completed_at, "completed_by": i.completed_by,
           "amendments": [amendment_doc(a) for a in i.amendments]}
    return _drop_empty(doc, "completed_at", "completed_by")


# -- evidence -------------------------------------------------------------------

def evidence_file(doc: Doc) -> EvidenceFile:
    return EvidenceFile(sha256=doc["sha256"], name=doc.get("name", ""), size=int(doc.get("size", 0)),
                        suffix=doc.get("suffix", ""), by=doc.get("by", ""), at=doc.get("at", ""))


def evidence_file_doc(e: EvidenceFile) -> dict[str, Any]:
    return {"sha256": e.sha256, "name": e.name, "size": e.size, "suffix": e.suffix, "by": e.by, "at": e.at}


def _files(value: Any) -> tuple[EvidenceFile, ...]:
    return tuple(evidence_file(d) for d in value) if isinstance(value, (list, tuple)) else ()


# -- answers --------------------------------------------------------------------

def answer(doc: Doc) -> Answer:
    return Answer(
        inspection=doc["inspection"], item=doc["item"], value=doc.get("value"), note=doc.get("note") or "",
        found=doc.get("found"), allowed=doc.get("allowed"), 
        evidence=_texts(doc.get("evidence")), files=_files(doc.get("files")),
        reason_no_finding=doc.get("reason_no_finding") or "", at=doc.get("at", ""),
    )


def answer_doc(a: Answer) -> dict[str, Any]:
    doc = {"inspection": a.inspection, "item": a.item, "value": a.value, "note": a.note, "found": a.found,
           "allowed": a.allowed, "evidence": list(a.evidence),
           "files": [evidence_file_doc(f) for f in a.files], "reason_no_finding": a.reason_no_finding, "at": a.at}
    return _drop_empty(doc, "found", "allowed", "files", "reason_no_finding")


# -- observations ---------------------------------------------------------------

def observation(doc: Doc) -> Observation:
    override = doc.get("override")
    return Observation(
        id=doc["id"], inspection=doc["inspection"], item=doc.get("item", ""), kind=doc.get("kind", ""),
        what=doc.get("what", ""), department=doc.get("department", ""), note=doc.get("note", ""),
        assigned_how=doc.get("assigned_how") or "", marked_violation=bool(doc.get("marked_violation")),
        approval_document=_flag(doc.get("approval_document")), purchase_contract=_flag(doc.get("purchase_contract")),
        contract_evaluation=_flag(doc.get("contract_evaluation")), funds_arrived=_flag(doc.get("funds_arrived")),
        override=Override(kind=str(override.get("kind", "")), reason=str(override.get("reason", "")))
        if isinstance(override, Mapping) and override.get("kind") else None,
        classification=dict(doc["classification"]) if isinstance(doc.get("classification"), Mapping) else None,
        violation=bool(doc.get("violation")), reason_no_finding=doc.get("reason_no_finding") or "", at=doc.get("at", ""),
    )


def observation_doc(o: Observation) -> dict[str, Any]:
    doc = {"id": o.id, "inspection": o.inspection, "item": o.item, "kind": o.kind, "what": o.what,
           "department": o.department, "note": o.note, "assigned_how": o.assigned_how,
           "marked_violation": o.marked_violation, "approval_document": o.approval_document,
           "purchase_contract": o.purchase_contract, "contract_evaluation": o.contract_evaluation,
           "funds_arrived": o.funds_arrived,
           "override": {"kind": o.override.kind, "reason": o.override.reason} if o.override else None,
           "classification": dict(o.classification) if o.classification is not None else None,
           "violation": o.violation, "reason_no_finding": o.reason_no_finding, "at": o.at}
    return _drop_empty(doc, "assigned_how", "approval_document", "purchase_contract", "contract_evaluation",
                       "funds_arrived", "reason_no_finding")


# -- findings and events --------------------------------------------------------

_FINDING_DEFAULTS = _field_defaults(Finding)


def finding(doc: Doc) -> Finding:
    values = dict(_FINDING_DEFAULTS)
    values.update(doc)  # built as event() is: a history query makes one per finding of the county
    if len(values) != len(_FINDING_DEFAULTS):
        values = {k: v for k, v in values.items() if k in _FINDING_DEFAULTS}
    values["basis"] = _texts(values["basis"])
    if values["village"] is None:
        values["village"] = ""
    return Finding(**values)


def finding_doc(f: Finding) -> dict[str, Any]:
    doc = {"id": f.id, "village": f.village, "inspection": f.inspection, "item": f.item, "observation": f.observation,
           "theme": f.theme, "title": f.title, "description": f.description, "basis": list(f.basis),
           "basis_text": f.basis_text, "severity": f.severity, "unit": f.unit, "person": f.person,
           "measure": f.measure, "created_at": f.created_at, "changed_at": f.changed_at}
    return _drop_empty(doc, "observation", "basis_text", "changed_at")


_EVENT_DEFAULTS = _field_defaults(Event)
_EVENT_SIZE = len(_EVENT_DEFAULTS)


def event(doc: Doc) -> Event:
    values = dict(_EVENT_DEFAULTS)
    values.update(doc)  # the stored fields are the record's, most already in their final form
    if len(values) != _EVENT_SIZE:  # a field that is not the record's (a hand-edited file): left out
        values = {k: v for k, v in values.items() if k in _EVENT_DEFAULTS}
    values["on"] = _day(values["on"])
    values["deadline"] = _day(values["deadline"]) if values["deadline"] else None
    values["evidence"] = _texts(values["evidence"]) if values["evidence"] else ()
    values["files"] = _files(values["files"]) if values["files"] else ()
    return Event(**values)


def event_doc(e: Event) -> dict[str, Any]:
    doc = {"id": e.id, "finding": e.finding, "type": e.type, "on": e.on.isoformat(), "at": e.at, "by": e.by,
           "device": e.device, "counter": e.counter, "deadline": e.deadline.isoformat() if e.deadline else None,
           "unit": e.unit, "person": e.person, "note": e.note, "level": e.level, "verifier": e.verifier,
           "evidence": list(e.evidence), "files": [evidence_file_doc(f) for f in e.files]}
    return _drop_empty(doc, "deadline", "unit", "person", "note", "level", "verifier", "evidence", "files")


# ── sync: the registry's devices and roster ──────────────────────────────────


def known_device(doc: Doc) -> KnownDevice:
    from ..core.sync import KnownDevice

    return KnownDevice(id=str(doc["id"]), name=str(doc.get("name") or ""), public_key=str(doc.get("public_key") or ""),
                       trusted=bool(doc.get("trusted", False)), last_import=str(doc.get("last_import") or ""),
                       last_export=str(doc.get("last_export") or ""), last_bundle=str(doc.get("last_bundle") or ""),
                       shared_folder=str(doc.get("shared_folder") or ""))


def known_device_doc(d: KnownDevice) -> dict[str, Any]:
    # Every field, empty ones too: the registry merges a changed device into its document (a field emptied stays empty).
    return {"id": d.id, "name": d.name, "public_key": d.public_key, "trusted": d.trusted, "last_import": d.last_import,
            "last_export": d.last_export, "last_bundle": d.last_bundle, "shared_folder": d.shared_folder}


def roster(doc: Doc) -> Roster:
    from ..core.sync import SUPERVISOR_MOVES, Roster, RosterEntry

    entries = tuple(RosterEntry(device=str(e["device"]), name=str(e.get("name") or ""), role=str(e.get("role") or ""),
                                public_key=str(e.get("public_key") or ""), revoked=bool(e.get("revoked", False)))
                    for e in doc.get("entries") or [])
    return Roster(county=str(doc.get("county") or ""), entries=entries,
                  supervisor_moves=tuple(doc.get("supervisor_moves") or SUPERVISOR_MOVES))


def roster_doc(r: Roster) -> dict[str, Any]:
    return {"county": r.county, "supervisor_moves": list(r.supervisor_moves),
            "entries": [{"device": e.device, "name": e.name, "role": e.role, "public_key": e.public_key,
                         "revoked": e.revoked} for e in r.entries]}
