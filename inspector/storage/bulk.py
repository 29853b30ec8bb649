"""Write a whole database at once (demo data, benchmarks, imports of many villages).

Each file is written once, atomically, instead of one write per document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..core.records import Village
from ..core.repository import VillageLedger
from . import documents
from .atomic import dumps, write_atomic
from .migrations import SCHEMA_VERSION


def _tables(**tables: list[dict]) -> dict[str, dict[str, dict]]:
    return {name: {str(n): doc for n, doc in enumerate(docs, 1)} for name, docs in tables.items()}


def write_database(root: Path, villages: list[Village], ledgers: Iterable[tuple[str, VillageLedger]]) -> None:
    """Create a database at ``root`` from core's records.

    ``ledgers`` yields (village id, its VillageLedger) so a county-scale build
    never holds more than one village's ledger in memory.
    """
    root.mkdir(parents=True, exist_ok=True)
    (root / "villages").mkdir(exist_ok=True)
    for vid, tables in ledgers:
        data = {"meta": {"1": {"schema": SCHEMA_VERSION, "kind": "village"}}, **_tables(
            inspections=[documents.inspection_doc(r) for r in tables.inspections],
            answers=[documents.answer_doc(r) for r in tables.answers],
            findings=[documents.finding_doc(r) for r in tables.findings],
            events=[documents.event_doc(r) for r in tables.events])}
        write_atomic(root / "villages" / f"{vid}.json", dumps(data), durable=False)
    registry = {"meta": {"1": {"schema": SCHEMA_VERSION, "kind": "registry"}}, **_tables(villages=[documents.village_doc(v) for v in villages])}
    # The registry last: a database is only a database once every village is written.
    write_atomic(root / "inspector.json", dumps(registry))
