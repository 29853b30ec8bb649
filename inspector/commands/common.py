"""What every verb shares: the one-line refusal and finding a village, township, inspection or finding by what was typed.

Ids are ULIDs (core/ids.py); people see and type their short form (``ids.short``),
or any end of it of at least ``ids.MIN_TYPED`` characters. Where what was typed
names several records, the verb refuses and lists each (short id and village),
so the user can type more of the one meant.
"""

from __future__ import annotations

import re
from dataclasses import is_dataclass
from datetime import date
from typing import Any, Mapping

from ..core import ids
from ..core.records import Record, field_names
from ..core.names import name_key, near_names
from ..i18n import t
from ..oserrors import os_reason  # noqa: F401  (verbs import it from here; the table is below storage, which uses it too)


class Refused(Exception):
    """A clear one-line message for stderr and the exit status to return (cli.main prints it)."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.message = message
        self.status = status


def _suggest(text: str, names: list[str]) -> str:
    near = near_names(text, names)
    return t("cli.err.did_you_mean", names=t("supervise.sep").join(near)) if near else ""


def find_village(db: Any, text: str, township: str | None = None, *, include_archived: bool = True):
    """The one village ``text`` names (its id or the end of it, or its name in ``township``); Refused otherwise.

    An id wins over a name. An id end shared by several villages, or a name
    shared by villages of several townships, is refused with every candidate
    (short id, name, township), so the user can pick one.
    """
    typed = (text or "").strip()
    villages = db.villages(include_archived=include_archived)
    if township:
        tkey = name_key(township)
        villages = [v for v in villages if name_key(v.township) == tkey]
        if not villages:
            raise Refused(t("cli.err.no_township", name=township) + _suggest(township, all_townships(db)))
    by_id = [v for v in villages if ids.matches(typed, v.id)] if typed else []
    if len(by_id) == 1:
        return by_id[0]
    if by_id:
        candidates = t("supervise.sep").join(
            t("commands.village_candidate", id=ids.short(v.id), name=v.name, township=v.township) for v in by_id)
        raise Refused(t("commands.several_villages", n=len(by_id), id=typed, candidates=candidates))
    key = name_key(typed)
    found = [v for v in villages if name_key(v.name) == key]
    if len(found) == 1:
        return found[0]
    if found:
        candidates = t("supervise.sep").join(
            t("cli.err.candidate", id=ids.short(v.id), name=v.name, township=v.township) for v in found)
        raise Refused(t("cli.err.ambiguous_village", n=len(found), name=typed, candidates=candidates))
    raise Refused(t("cli.err.no_village", name=typed) + _suggest(typed, [v.name for v in villages]))


UNKNOWN = {"finding": "supervise.unknown_finding", "inspection": "cli.err.no_inspection"}


def find_record(db: Any, kind: str, text: str) -> tuple[Any, str]:
    """(village, whole id) of the one ``kind`` ("finding" or "inspection") ``text`` names; Refused otherwise.

    ``text`` is the whole id or its end (``ids.matches``). None: one line saying
    what was typed. Several: one line listing each (short id and village name).
    """
    typed = (text or "").strip()
    # ids.matches again: the query's LIKE reads "_" and "%" as wildcards; only real id ends count.
    located = [(vid, rid) for vid, rid in db.locate(kind, typed) if ids.matches(typed, rid)] if typed else []
    villages = {v.id: v for v in db.villages(include_archived=True)}
    found = [(villages[vid], rid) for vid, rid in located if vid in villages]  # rows of a village no longer registered: none
    if len(found) == 1:
        return found[0]
    if not found:
        raise Refused(t(UNKNOWN[kind], id=typed))
    candidates = t("supervise.sep").join(
        t("commands.record_candidate", id=ids.short(rid), village=v.name, township=v.township) for v, rid in found)
    raise Refused(t(f"commands.several_{kind}s", n=len(found), id=typed, candidates=candidates))


def all_townships(db: Any) -> list[str]:
    """Every township with a village, archived ones included (the township still exists)."""
    return sorted({v.township for v in db.villages(include_archived=True)})


def find_township(db: Any, text: str) -> str:
    """The stored spelling of the township ``text`` names; Refused with near names otherwise."""
    key = name_key(text)
    names = all_townships(db)
    for name in names:
        if name_key(name) == key:
            return name
    raise Refused(t("cli.err.no_township", name=text) + _suggest(text, names))


def record_json(record: Any) -> dict[str, Any]:
    """A record as JSON-ready data: every field, ``number`` (the short id people see) after ``id``.

    The one rule of every verb's JSON: ``id`` is the whole id (what a program keeps),
    ``number`` its short form (what tables show and people type); other id fields
    (``village``, ``inspection``, ``finding``) are whole ids.
    """
    out: dict[str, Any] = {}
    for name in field_names(record):
        out[name] = json_value(getattr(record, name))
        if name == "id":
            out["number"] = ids.short(record.id)
    return out


def json_value(value: Any) -> Any:
    """A field's value as JSON holds it: dates as YYYY-MM-DD, tuples as lists, nested records as objects."""
    if isinstance(value, Record) or (is_dataclass(value) and not isinstance(value, type)):
        return {name: json_value(getattr(value, name)) for name in field_names(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    return value


# -- shared by the command line and the verbs (here, not in cli.py: verbs never import the command line) --

DAY_MIN, DAY_MAX = date(2000, 1, 1), date(2099, 12, 31)


def check_day(day: date) -> date:
    if not DAY_MIN <= day <= DAY_MAX:
        raise ValueError(t("cli.err.day_out_of_range", value=day.isoformat(), low=DAY_MIN.isoformat(), high=DAY_MAX.isoformat()))
    return day


def bad_date_message(text: str, key: str) -> str:
    """Why ``text`` is not a date: a wrong format (``key``), or a right format naming no day (2026-02-30)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        return t("f3.no_such_date", value=text)
    return t(key, value=text)
