"""What each kind of file must hold: one check per document kind, run on every read.

A file can parse as JSON and still not be ours (a finding without ``id``, a
registry ``id`` that is a number). Such a file would crash whatever reads it
later, far from the cause; here it is refused at once as a CorruptFile
naming the file, the record and the field. The index is a cache: entries
that do not fit are dropped and rebuilt, never reported.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Callable, Literal, Mapping

import msgspec

from ..core import workflow
from ..core.models import VILLAGE_KINDS, OpenFinding
from ..core.records import Event, Finding, Inspection
from .store_errors import CorruptFile
from . import documents
from .histories import Replayed, replay

Check = Callable[[Any], str | None]  # None when fine, else a problem key (store.problem.*)


def _type(kind: type, name: str) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) and kind is not bool:
            return f"wrong_type:{name}"
        return None if isinstance(value, kind) else f"wrong_type:{name}"

    return check


TEXT, NUMBER, LIST, TABLE, FLAG = _type(str, "text"), _type(int, "number"), _type(list, "list"), _type(dict, "table"), _type(bool, "flag")


def _date(value: Any) -> str | None:
    if not isinstance(value, str):
        return "wrong_type:date"
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return "bad_date"
    return None


def _pattern(regex: str) -> Check:
    compiled = re.compile(regex)

    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return "wrong_type:text"
        return None if compiled.search(value) else "bad_id"

    return check


def _one_of(choices: tuple[str, ...]) -> Check:
    def check(value: Any) -> str | None:
        return None if value in choices else "bad_value"

    check.choices = choices  # type: ignore[attr-defined]  # for _shape_type
    return check


ULID = r"^[0-9A-HJKMNP-TV-Z]{26}$"  # core/ids.py
ID = _pattern(ULID)
_ULID_MATCH = re.compile(ULID).match
_ALL_IDS = re.compile(r"(?:[0-9A-HJKMNP-TV-Z]{26}\n)*")
_UNIQUE = {ID}  # checks of values that never repeat (ids): remembering them would only fill memory
_FAST = {TEXT: str, NUMBER: int, LIST: list, TABLE: dict, FLAG: bool}
_ABSENT = object()

# field: (check, required). Fields not named here are free (newer features add their own).
Spec = dict[str, tuple[Check, bool]]

REGISTRY: dict[str, Spec] = {
    "villages": {
        "id": (ID, True),
        "name": (TEXT, True),
        "township": (TEXT, True),
        "kind": (_one_of(VILLAGE_KINDS), False),
        "county": (TEXT, False),
        "contact": (TEXT, False),
        "phone": (TEXT, False),
        "archived": (FLAG, False),
    },
    "filters": {"name": (TEXT, True), "filters": (TABLE, True)},
}

VILLAGE: dict[str, Spec] = {
    "inspections": {
        "id": (ID, True),
        "date": (_date, True),
        "state": (TEXT, False),
        "kind": (TEXT, False),
        "template": (TEXT, False),
        "inspectors": (LIST, False),
        "amendments": (LIST, False),
    },
    "answers": {"inspection": (TEXT, True), "item": (TEXT, True)},
    "observations": {"id": (ID, True), "inspection": (TEXT, True), "item": (TEXT, False)},
    "findings": {"id": (ID, True), "inspection": (TEXT, False), "title": (TEXT, False)},
    "events": {"id": (ID, True), "finding": (TEXT, True), "type": (TEXT, True), "on": (_date, True),
               "at": (TEXT, True), "device": (TEXT, True), "counter": (NUMBER, True), "deadline": (_date, False)},
}

META: Spec = {"schema": (NUMBER, False)}
_SHAPE_OF: dict[Check, Any] = {TEXT: str, NUMBER: int, LIST: list, TABLE: dict, FLAG: bool, _date: date,
                               ID: Annotated[str, msgspec.Meta(pattern=ULID)]}


class _StoredEvent(Event, kw_only=True):
    """An event as VILLAGE["events"] wants it, for msgspec to check while it makes the record.

    At least as strict as those rules (a text id that is a ULID; ``device`` and
    ``counter`` present), and stricter in places (every field of its type): an
    event it refuses is checked by the rules, which name it or let it through.
    A record of this kind only lives while its file is checked and its summary and rows made.
    """

    id: Annotated[str, msgspec.Meta(pattern=ULID)]
    device: str
    counter: int


class _StoredInspection(Inspection, kw_only=True):
    """An inspection as VILLAGE["inspections"] wants it (and its record, stricter), as _StoredEvent."""

    id: Annotated[str, msgspec.Meta(pattern=ULID)]


class _StoredFinding(Finding, kw_only=True):
    """A finding as VILLAGE["findings"] wants it (and its record, stricter), as _StoredEvent."""

    id: Annotated[str, msgspec.Meta(pattern=ULID)]


# The tables whose records the check makes: (what msgspec makes, the mapping when it refuses).
_STORED: dict[str, tuple[Any, Callable[[Any], Any]]] = {
    "inspections": (list[_StoredInspection], documents.inspection),
    "findings": (list[_StoredFinding], documents.finding),
    "events": (list[_StoredEvent], documents.event),
}


def _fail(path: Path, table: str, key: str, doc: Any, field: str, problem: str) -> CorruptFile:
    ident = doc.get("id") if isinstance(doc, dict) else None
    record = ident if isinstance(ident, str) and ident else f"#{key}"
    problem, _, expected = problem.partition(":")
    params: dict[str, Any] = {"table": table, "problem": problem}
    if expected:
        params["expected"] = expected
    return CorruptFile(path, "bad_record", record=record, field=field, **params)


def _compiled(spec: Spec) -> list[tuple[str, type | None, Check, bool]]:
    return [(field, _FAST.get(check), check, required) for field, (check, required) in spec.items()]


def _check_tables(path: Path, tables: Mapping[str, Any], specs: dict[str, Spec]) -> None:
    """Refuse the first record (in file order) with a field that does not fit, naming it and the field."""
    passed: set[tuple[int, str]] = set()  # (check, text) found fine: dates repeat across thousands of records
    for table, spec in {"meta": META, **specs}.items():
        _check_table(path, table, tables.get(table, {}), spec, passed)


def _check_table(path: Path, table: str, docs: Mapping[str, Any], spec: Spec, passed: set) -> None:
    """Checked a field at a time over all the records of the table (a county's
    file holds thousands of events): the common case, every value of the
    expected type, costs one comprehension per field; only records that may be
    wrong are then checked one by one, in order, as before.
    """
    try:
        # The common case, every record as it should be: checked at once, in C (msgspec).
        msgspec.convert(list(docs.values()), _shape_type(spec))
        return
    except msgspec.ValidationError:
        pass  # the rules name the first one that does not fit (or let it through: msgspec is stricter in places)
    items = list(docs.items())
    if items:
        fields = _compiled(spec)
        suspects: set[int] = {n for n, (_, doc) in enumerate(items) if type(doc) is not dict}
        for field, fast, check, required in fields:
            if fast is not None:
                suspects.update(n for n, (_, doc) in enumerate(items)
                                if type(doc) is dict and type(doc.get(field, _ABSENT)) is not fast)
            elif check is ID:
                values = [doc.get(field, _ABSENT) if type(doc) is dict else "" for _, doc in items]
                try:  # every id at once, in C: one match over them all (ids never repeat: no memo helps)
                    fine = _ALL_IDS.fullmatch("\n".join(values) + "\n") is not None
                except TypeError:  # one that is not text
                    fine = False
                if not fine:
                    match = _ULID_MATCH
                    suspects.update(n for n, v in enumerate(values) if not (type(v) is str and match(v)))
            else:  # dates, choices: each distinct text is checked once
                values = [(n, doc.get(field, _ABSENT)) for n, (_, doc) in enumerate(items) if type(doc) is dict]
                wrong = {v for v in {v for _, v in values if type(v) is str} if check(v)}
                suspects.update(n for n, v in values if (v is _ABSENT and required) or
                                (v is not _ABSENT and (type(v) is not str or v in wrong)))
        for n in sorted(suspects):
            key, doc = items[n]
            _check_one(path, table, key, doc, fields, passed)


def _check_one(path: Path, table: str, key: str, doc: Any, fields: list, passed: set) -> None:
    if type(doc) is not dict and not isinstance(doc, dict):
        raise _fail(path, table, key, doc, "-", "wrong_type:table")
    for field, fast, check, required in fields:
        value = doc.get(field, _ABSENT)
        if type(value) is fast:
            continue
        if value is _ABSENT:
            if required:
                raise _fail(path, table, key, doc, field, "missing")
            continue
        memo = (id(check), value) if type(value) is str and check not in _UNIQUE else None
        if memo in passed:
            continue
        problem = check(value)
        if problem:
            raise _fail(path, table, key, doc, field, problem)
        if memo is not None:
            passed.add(memo)


_SHAPE_TYPES: dict[int, Any] = {}


def _shape_type(spec: Spec) -> Any:
    """``list[S]``, S a msgspec Struct that refuses every record ``spec`` refuses (and a few more).

    Each check becomes the type that accepts what it accepts or less: a text
    date must be exactly YYYY-MM-DD here, where the rule reads the first ten
    characters of any text. A record this refuses is checked by the rules.
    """
    made = _SHAPE_TYPES.get(id(spec))
    if made is None:
        fields = []
        for field, (check, required) in spec.items():
            kind = _SHAPE_OF.get(check) or Literal[check.choices]  # type: ignore[attr-defined]
            fields.append((field, kind) if required else (field, kind, None))  # None: absent (null is refused)
        made = _SHAPE_TYPES[id(spec)] = list[msgspec.defstruct("Shape", fields, kw_only=True, gc=False)]  # type: ignore[misc]
    return made


def check_meta(path: Path, tables: Mapping[str, Any]) -> None:
    """Before migrating: the schema number is readable (the steps rely on it)."""
    _check_tables(path, tables, {})


def check_registry(path: Path, tables: Mapping[str, Any]) -> None:
    _check_tables(path, tables, REGISTRY)
    seen: set[str] = set()
    for key, doc in tables.get("villages", {}).items():
        if doc["id"] in seen:
            raise _fail(path, "villages", key, doc, "id", "duplicate")
        seen.add(doc["id"])


@dataclass(slots=True)
class CheckedVillage:
    """What checking a village file made on its way: its inspections and findings as
    records, and each finding's history replayed once (by finding id). The summary
    and the query cache's rows are made from these instead of making them again."""

    inspections: list[Inspection]
    findings: list[Finding]
    replayed: dict[str, Replayed]


def check_village(path: Path, tables: Mapping[str, Any]) -> CheckedVillage:
    """Refuse a village file that does not fit, naming the first record (in file order) and field.

    Every history must be replayed to be checked (the summaries and reports derive
    the state from it).
    """
    passed: set = set()
    _check_table(path, "meta", tables.get("meta", {}), META, passed)
    made: dict[str, list] = {}
    for table, spec in VILLAGE.items():
        docs = tables.get(table, {})
        stored = _STORED.get(table)
        if stored is None:
            _check_table(path, table, docs, spec, passed)
            continue
        try:
            # The common case, every record as it should be: checked while it is made, in C.
            made[table] = msgspec.convert(list(docs.values()), stored[0])
        except msgspec.ValidationError:
            # Not so (or only stricter than the rules): the rules name the first that does not fit, or let it through.
            _check_table(path, table, docs, spec, passed)
            made[table] = [stored[1](d) for d in docs.values()]
    replayed = _replayed(made["findings"], made["events"], lambda n: _fail(
        path, "findings", list(tables["findings"])[n], list(tables["findings"].values())[n], "events", "bad_history"))
    return CheckedVillage(made["inspections"], made["findings"], replayed)


def village_records(tables: Mapping[str, Any]) -> CheckedVillage:
    """The same from a file already checked (opened the ordinary way, which checks it)."""
    findings = [documents.finding(d) for d in tables.get("findings", {}).values()]
    events = [documents.event(d) for d in tables.get("events", {}).values()]
    return CheckedVillage([documents.inspection(d) for d in tables.get("inspections", {}).values()], findings,
                          _replayed(findings, events, None))


def _replayed(findings: list[Finding], records: list[Event], refused: Callable[[int], Exception] | None
              ) -> dict[str, Replayed]:
    """Each finding's history replayed; a history that does not replay raises ``refused(its position)``
    (None: the workflow's own error, for a file checked already)."""
    events: dict[str, list[Event]] = {}
    for ev in records:
        events.setdefault(ev.finding, []).append(ev)
    replayed: dict[str, Replayed] = {}
    for n, f in enumerate(findings):
        try:
            replayed[f.id] = replay(events.get(f.id, []))
        except (workflow.WorkflowError, KeyError, ValueError, TypeError):
            if refused is None:
                raise
            raise refused(n) from None
    return replayed


CHECKS = {"registry": check_registry, "village": check_village}

_OPEN_FIELDS = set(OpenFinding.__dataclass_fields__)
_OPEN_REQUIRED = {n for n, f in OpenFinding.__dataclass_fields__.items() if f.default is dataclasses.MISSING}


def index_entry_fits(entry: Any) -> bool:
    """An index entry the summaries can be built from; anything else is rebuilt."""
    if not isinstance(entry, dict) or not isinstance(entry.get("summary"), dict):
        return False
    stat = entry.get("stat")
    if stat is not None and not (isinstance(stat, list) and len(stat) == 2 and all(isinstance(n, int) for n in stat)):
        return False
    summary = entry["summary"]
    for name in ("inspections", "drafts", "findings"):
        if not isinstance(summary.get(name, 0), int):
            return False
    if not isinstance(summary.get("draft_ids", []), list) or not isinstance(summary.get("open", []), list):
        return False
    # "extensions" was a count before the index kept each extension: such an entry is rebuilt.
    return all(isinstance(f, dict) and set(f) <= _OPEN_FIELDS and _OPEN_REQUIRED <= set(f)
               and isinstance(f.get("extensions", []), list) for f in summary.get("open", []))
