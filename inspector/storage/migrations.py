"""Schema versions of the files on disk, and the steps that bring old files forward.

Each file (the registry and every village file) records its own schema
version in its ``meta`` table. Opening an older file backs it up first, then
runs the steps below in order and writes it back.

History:
  1  first prototype: village ``kind`` stored in Chinese (村 / 社区), no county.
  2  ``kind`` is ``village`` / ``community``; villages carry ``county``.
"""

from __future__ import annotations

from typing import Any, Callable

SCHEMA_VERSION = 2

Tables = dict[str, dict[str, Any]]

_KIND_V1 = {"村": "village", "社区": "community"}


def _registry_1_to_2(tables: Tables) -> None:
    for doc in tables.get("villages", {}).values():
        doc["kind"] = _KIND_V1.get(doc.get("kind"), doc.get("kind") or "village")
        doc.setdefault("county", "")


def _village_1_to_2(tables: Tables) -> None:
    # Village files had nothing that changed between 1 and 2.
    return None


STEPS: dict[str, dict[int, Callable[[Tables], None]]] = {
    "registry": {1: _registry_1_to_2},
    "village": {1: _village_1_to_2},
}


def schema_of(tables: Tables | None) -> int:
    meta = (tables or {}).get("meta", {})
    doc = meta.get("1") or next(iter(meta.values()), None)
    return int(doc.get("schema", 1)) if doc else 1


def migrate(kind: str, tables: Tables) -> int:
    """Migrate ``tables`` in place up to SCHEMA_VERSION; returns the version it had."""
    found = schema_of(tables)
    for version in range(found, SCHEMA_VERSION):
        STEPS[kind][version](tables)
    meta = tables.setdefault("meta", {})
    doc = meta.setdefault("1", {})
    doc["schema"] = SCHEMA_VERSION
    return found
