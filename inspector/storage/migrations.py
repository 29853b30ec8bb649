"""Schema versions of the files on disk, and the steps that bring old files forward.

Each file (the registry and every village file) records its own schema
version in its ``meta`` table. Opening an older file backs it up first, then
runs the steps below in order and writes it back.

History:
  1  first prototype: village ``kind`` stored in Chinese (村 / 社区), no county.
  2  ``kind`` is ``village`` / ``community``; villages carry ``county``.
  3  ids are ULIDs (core/ids.py), unique across laptops, in place of per-laptop
     counters (``V0001``, ``V0001-F0003``); events carry their own id, the
     device that recorded them and its counter, and are ordered by
     (time, device, counter) instead of a per-finding ``seq``. Village files
     are renamed after their village's new id (upgrade_ids.py does the whole
     database at once: the registry and the files must agree).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from ..core import ids

SCHEMA_VERSION = 3
MIGRATED_DEVICE = "migrated"  # the device of events recorded before devices were known

Tables = dict[str, dict[str, Any]]

_KIND_V1 = {"村": "village", "社区": "community"}


def _registry_1_to_2(tables: Tables) -> None:
    for doc in tables.get("villages", {}).values():
        doc["kind"] = _KIND_V1.get(doc.get("kind"), doc.get("kind") or "village")
        doc.setdefault("county", "")


def _village_1_to_2(tables: Tables) -> None:
    # Village files had nothing that changed between 1 and 2.
    return None


def _when(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


def village_id(doc: dict[str, Any]) -> str:
    """The new id of a village of an older registry: the same for the same village in
    two copies of one database, different for different villages that shared a number."""
    return ids.derived_id(None, "village", doc.get("id"), doc.get("name"), doc.get("township"))


def _registry_2_to_3(tables: Tables, new_ids: dict[str, str]) -> None:
    for doc in tables.get("villages", {}).values():
        doc["id"] = new_ids.get(doc["id"]) or village_id(doc)
    for doc in tables.get("filters", {}).values():
        filters = doc.get("filters") or {}
        if filters.get("village") in new_ids:
            filters["village"] = new_ids[filters["village"]]


def _village_2_to_3(tables: Tables, vid: str) -> None:
    """Every record of the village gets a ULID derived from what it was (see village_id)."""
    renamed: dict[str, str] = {}

    def new(doc: dict[str, Any], *key: Any) -> str:
        old = doc["id"]
        # The old number as milliseconds after the record's time: ids sort as the old ones did
        # (findings made in one second keep their order in the ledger).
        number = int("".join(ch for ch in old.rsplit("-", 1)[-1] if ch.isdigit()) or 0)
        when = _when(doc.get("created_at") or doc.get("at"))
        renamed[old] = ids.derived_id(when, vid, old, *key, offset_ms=number)
        return renamed[old]

    for doc in tables.get("inspections", {}).values():
        doc["id"] = new(doc, doc.get("date"), doc.get("created_at"))
        doc["village"] = vid
    for doc in tables.get("observations", {}).values():
        doc["id"] = new(doc, doc.get("what"), doc.get("at"))
    for doc in tables.get("findings", {}).values():
        doc["id"] = new(doc, doc.get("title"), doc.get("created_at"))
        doc["village"] = vid
    for doc in tables.get("answers", {}).values():
        doc["inspection"] = renamed.get(doc.get("inspection"), doc.get("inspection"))
    for doc in tables.get("observations", {}).values():
        doc["inspection"] = renamed.get(doc.get("inspection"), doc.get("inspection"))
    for doc in tables.get("findings", {}).values():
        doc["inspection"] = renamed.get(doc.get("inspection"), doc.get("inspection"))
        if doc.get("observation"):
            doc["observation"] = renamed.get(doc["observation"], doc["observation"])
    for doc in tables.get("inspections", {}).values():
        for amendment in doc.get("amendments") or []:
            if amendment.get("field") == "finding" and amendment.get("new") in renamed:
                amendment["new"] = renamed[amendment["new"]]
    # Events: in their old order (seq), each at no earlier a time than the one
    # before it, so (time, device, counter) keeps that order.
    by_finding: dict[str, list[dict]] = {}
    for doc in tables.get("events", {}).values():
        by_finding.setdefault(doc["finding"], []).append(doc)
    for old, history in by_finding.items():
        latest = ""
        for doc in sorted(history, key=lambda d: d["seq"]):
            latest = max(latest, str(doc.get("at") or doc["on"]))
            doc["at"] = latest
            doc["finding"] = renamed.get(old, old)
            doc["device"] = MIGRATED_DEVICE
            doc["counter"] = doc.pop("seq")
            doc["id"] = ids.derived_id(_when(latest), doc["finding"], "event", doc["counter"], doc.get("type"))


STEPS: dict[str, dict[int, Callable[..., None]]] = {
    "registry": {1: _registry_1_to_2, 2: _registry_2_to_3},
    "village": {1: _village_1_to_2, 2: _village_2_to_3},
}
# What each step needs besides the tables (the whole database's upgrade hands it over).
CONTEXT = {("registry", 2): "new_ids", ("village", 2): "vid"}


def schema_of(tables: Tables | None) -> int:
    meta = (tables or {}).get("meta", {})
    doc = meta.get("1") or next(iter(meta.values()), None)
    return int(doc.get("schema", 1)) if doc else 1


def migrate(kind: str, tables: Tables, **context: Any) -> int:
    """Migrate ``tables`` in place up to SCHEMA_VERSION; returns the version it had.

    ``context``: ``vid`` (the village's new id) for a village file, ``new_ids``
    (old village id -> new) for the registry, from upgrade_ids.py.
    """
    found = schema_of(tables)
    for version in range(found, SCHEMA_VERSION):
        needs = CONTEXT.get((kind, version))
        if needs is None:
            STEPS[kind][version](tables)
        elif needs in context:
            STEPS[kind][version](tables, context[needs])
        else:
            raise ValueError(f"{kind} step {version} needs {needs}")
    meta = tables.setdefault("meta", {})
    doc = meta.setdefault("1", {})
    doc["schema"] = SCHEMA_VERSION
    return found
