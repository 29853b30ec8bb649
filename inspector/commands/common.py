"""What every verb shares: the one-line refusal and finding a village or township by what was typed."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

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
    """The one village ``text`` names (its id, or its name in ``township``); Refused otherwise.

    An id wins over a name. A name shared by villages of several townships is
    refused with every candidate and its township, so the user can pick one.
    """
    typed = (text or "").strip()
    villages = db.villages(include_archived=include_archived)
    if township:
        tkey = name_key(township)
        villages = [v for v in villages if name_key(v.township) == tkey]
        if not villages:
            raise Refused(t("cli.err.no_township", name=township) + _suggest(township, all_townships(db)))
    by_id = [v for v in villages if v.id.upper() == typed.upper()]
    if by_id:
        return by_id[0]
    key = name_key(typed)
    found = [v for v in villages if name_key(v.name) == key]
    if len(found) == 1:
        return found[0]
    if found:
        candidates = t("supervise.sep").join(t("cli.err.candidate", id=v.id, name=v.name, township=v.township) for v in found)
        raise Refused(t("cli.err.ambiguous_village", n=len(found), name=typed, candidates=candidates))
    raise Refused(t("cli.err.no_village", name=typed) + _suggest(typed, [v.name for v in villages]))


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
