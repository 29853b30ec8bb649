"""Bring a schema-2 database (per-laptop ids) to schema 3 (ULIDs), the whole folder at once.

The registry and the village files must agree on every village's id, and a
village file is named after its village, so this step cannot be done file
by file as the others are (tinyfile.open_tinydb). In order:

1. every file is backed up (``backups/before-schema-3/``);
2. each village file is migrated and written under its new name;
3. the registry is migrated and written: from here the database is schema 3;
4. the old village files are removed, and the query cache (derived) with them.

A kill before 3 leaves a schema-2 registry: the next open does it again and,
the new ids being derived from the old records (migrations.village_id),
writes the same files. A kill after 3 leaves only old files nobody reads.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson

from .atomic import dumps, load_json, write_atomic
from .backups import Backups
from .migrations import SCHEMA_VERSION, schema_of, village_id
from .tinyfile import migrate_checked
from .store_errors import CorruptFile

FIRST_GLOBAL_IDS = 3  # the schema from which ids are ULIDs
TAG = f"before-schema-{FIRST_GLOBAL_IDS}"


def _read(path: Path) -> dict:
    data = load_json(path)
    if not isinstance(data, dict):
        raise CorruptFile(path, "not_tables")
    return data


def needs_upgrade(registry: Path) -> bool:
    """Whether the registry at ``registry`` predates global ids (a missing or broken one is not ours to say)."""
    try:
        data = orjson.loads(registry.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return False
    try:
        return isinstance(data, dict) and schema_of(data) < FIRST_GLOBAL_IDS
    except (TypeError, ValueError, AttributeError):
        return False  # a schema that is not a number: the ordinary open names the file and field


def upgrade(root: Path, registry_name: str, villages_name: str, backups: Backups, today: date) -> dict[str, str]:
    """Upgrade the database at ``root``; returns old village id -> new id."""
    registry_path = root / registry_name
    registry = _read(registry_path)
    folder = root / villages_name
    docs = list(registry.get("villages", {}).values())
    new_ids = {str(d.get("id")): village_id(d) for d in docs if isinstance(d, dict)}
    migrated: list[Path] = []
    for old, new in new_ids.items():
        path = folder / f"{old}.json"
        if not path.exists():
            continue
        data = _read(path)
        backups.before_change(path, today, tag=TAG)
        migrate_checked(path, "village", data, vid=new)
        write_atomic(folder / f"{new}.json", dumps(data))
        migrated.append(path)
    backups.before_change(registry_path, today, tag=TAG)
    migrate_checked(registry_path, "registry", registry, new_ids=new_ids)
    write_atomic(registry_path, dumps(registry))  # from here on the database is schema 3
    for path in migrated:
        path.unlink(missing_ok=True)  # kept in the backup
    for name in ("index.sqlite", "index.sqlite-wal", "index.sqlite-shm"):
        (root / name).unlink(missing_ok=True)  # a cache of the old ids
    assert schema_of(registry) == SCHEMA_VERSION
    return new_ids
