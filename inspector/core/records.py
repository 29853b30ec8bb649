"""The domain records: what a database holds, as typed, frozen values.

Storage maps its documents to these and back in one place per record
(``storage/documents.py``); everything above storage (core, reports, verbs,
screens) reads these and never a stored document. Frozen: a record is a
value read at one moment; a change goes through core, which asks the
repository to store a new one.

Why msgspec Structs (not the standard library's frozen dataclasses, which
the first version of this module used): an index rebuild or a history query
makes a record of every event of a county, and a Struct is built in C (an
event in 0.26 µs, against 1.9 µs for a frozen dataclass) and defined without
generating code at import (the nine dataclasses cost 11 ms at every start). msgspec also
decodes JSON straight into these records, checking each field's type as it
goes: the query cache reads its rows that way (storage/query_cache.py).
``replace`` below is the one way to make a changed copy.

Ids are ULIDs (core/ids.py): unique across laptops, so records made on
several devices can be merged. Users see the short form (``ids.short``).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, Mapping

import msgspec

VILLAGE_KINDS = ("village", "community")


class Record(msgspec.Struct, frozen=True, kw_only=True, gc=False, omit_defaults=True):
    """What every record is: frozen, built by keyword. ``gc=False``: a record holds
    only values (text, days, tuples, other records), never a cycle, so the garbage
    collector need not track the hundreds of thousands a county's history makes.
    ``omit_defaults``: encoded for the query cache, a field left at its default is left out."""


class Village(Record):
    id: str
    name: str
    township: str
    kind: str = "village"
    county: str = ""
    contact: str = ""
    phone: str = ""
    archived: bool = False
    changed_at: str = ""  # when a field was last changed (sync: the later version wins, core/sync.py)


class Amendment(Record):
    """A correction to a completed inspection: who, when, which item and field, old and new, why."""

    at: str
    by: str
    item: str
    field: str
    old: Any = None
    new: Any = None
    reason: str = ""


class Inspection(Record):
    id: str
    village: str
    date: date
    kind: str = ""
    inspectors: tuple[str, ...] = ()
    template: str = ""
    template_version: str = ""
    state: str = "draft"  # draft | completed
    created_at: str = ""
    completed_at: str = ""
    completed_by: str = ""
    amendments: tuple[Amendment, ...] = ()

    @property
    def completed(self) -> bool:
        return self.state == "completed"


class EvidenceFile(Record):
    """A photo, scan or document kept with a finding or an answer, by the hash of its content.

    The file itself is ``<db>/evidence/<sha256[:2]>/<sha256[2:]><suffix>`` (storage/evidence_files.py):
    the same file attached twice is stored once, and a file travels between laptops by its hash.
    """

    sha256: str
    name: str  # the file's name when it was attached (what people recognise)
    size: int
    suffix: str  # ".jpg", ".pdf"... lower case: the kind of file
    by: str = ""
    at: str = ""


class Answer(Record):
    """An inspector's answer to one checklist item on one inspection (saved the moment it is given)."""

    inspection: str
    item: str
    value: str | None = None  # yes | no | na | count | list (see the item's answer kind)
    note: str = ""
    found: int | None = None  # a count item: how many were found
    allowed: int | None = None  # a count item: how many the documents allow
    evidence: tuple[str, ...] = ()  # file names typed before evidence was kept (schema 2)
    files: tuple[EvidenceFile, ...] = ()  # evidence kept with the answer
    reason_no_finding: str = ""
    at: str = ""


class Override(Record):
    """The inspector's own judgement of an observation's list kind, with the reason."""

    kind: str
    reason: str


class Observation(Record):
    """A thing seen on site (a signboard, a ledger, a task, a purchased service...)."""

    id: str
    inspection: str
    item: str = ""
    kind: str = ""
    what: str = ""
    department: str = ""
    note: str = ""
    assigned_how: str = ""
    marked_violation: bool = False
    approval_document: bool | None = None
    purchase_contract: bool | None = None
    contract_evaluation: bool | None = None  # False: judged by targets, not by the contract
    funds_arrived: bool | None = None
    override: Override | None = None
    # The classifier's verdict when it was saved (core.inspection.classify_observation):
    # kept as it said it, for the record, so it is a mapping of its own fields.
    classification: Mapping[str, Any] | None = None
    violation: bool = False
    reason_no_finding: str = ""
    at: str = ""


class Finding(Record):
    """A problem found on an inspection; its life (state, deadline...) is in its events."""

    id: str
    village: str
    inspection: str = ""
    item: str = ""
    observation: str | None = None
    theme: str = ""
    title: str = ""
    description: str = ""
    basis: tuple[str, ...] = ()
    basis_text: str = ""
    severity: str = ""
    unit: str = ""
    person: str = ""
    measure: str = ""
    created_at: str = ""
    changed_at: str = ""  # when its text was last edited (on a draft); sync's later version wins

    @classmethod
    def listed(cls, *, id: str, village: str, title: str, theme: str, severity: str) -> "Finding":
        """The finding as a list row knows it (the summaries index): the other fields empty."""
        return cls(id=id, village=village, title=title, theme=theme, severity=severity)


class Event(Record):
    """One move in a finding's life. Never edited: the history is the record.

    Ordered by (``at``, ``device``, ``counter``): the time it was recorded,
    the device that recorded it and that device's counter, so that the events
    of one finding recorded on several laptops have one order everywhere.
    ``on`` is the day the move counts from (the "as of" cut).
    """

    id: str
    finding: str
    type: str
    on: date
    at: str
    by: str = ""
    device: str = ""
    counter: int = 0
    deadline: date | None = None
    unit: str = ""
    person: str = ""
    note: str = ""
    level: str = ""  # escalate: reminder | summons | criticism
    verifier: str = ""
    evidence: tuple[str, ...] = ()  # file names typed with a report (before evidence was kept)
    files: tuple[EvidenceFile, ...] = ()  # attach: the evidence kept with the finding

    @property
    def order(self) -> tuple[str, str, int]:
        return (self.at, self.device, self.counter)


def field_names(record: Any) -> tuple[str, ...]:
    """The fields of a record or record type, in order; like ``replace``, also of the dataclasses beside them."""
    if isinstance(record, msgspec.Struct) or (isinstance(record, type) and issubclass(record, msgspec.Struct)):
        return record.__struct_fields__
    return tuple(f.name for f in dataclasses.fields(record))


def replace(record: Any, /, **changes: Any) -> Any:
    """A copy of ``record`` with ``changes``; a name that is not one of its fields is a TypeError.

    Also takes the few dataclasses beside the records (core.sync's devices and roster)."""
    if isinstance(record, msgspec.Struct):
        return msgspec.structs.replace(record, **changes)
    return dataclasses.replace(record, **changes)


__all__ = [
    "Amendment", "Answer", "Event", "EvidenceFile", "Finding", "Inspection", "Observation", "Override", "VILLAGE_KINDS",
    "Record", "Village", "field_names", "replace",
]
