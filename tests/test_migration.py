"""A database written before ids were global (schema 2, ``V0001``, ``V0001-F0003``) is carried forward.

The fixture in tests/fixtures/schema2_demo was written by the program as it
was before this change (`inspector --today 2026-11-21 demo --villages 3
--years 1`), with the overdue lists and each village's ledger it printed then
(expected/). Migrated, the database must give the same lists and ledgers,
apart from the ids, which are new.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from inspector import cli
from inspector.core import ids
from inspector.storage import upgrade_ids
from inspector.storage.database import Database

from .conftest import fixed_clock

FIXTURE = Path(__file__).parent / "fixtures" / "schema2_demo"
TODAY = "2026-11-21"
OLD_ID = re.compile(r"V\d{4}(?:-[FIO]\d{4})?")
NEW_ID = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{8}\b|\b[0-9A-HJKMNP-TV-Z]{26}\b")


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    root = tmp_path / "db"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("expected"))
    return root


def _counts(root: Path) -> dict[str, int]:
    counts = {"villages": len(json.loads((root / "inspector.json").read_text(encoding="utf-8"))["villages"])}
    for path in sorted((root / "villages").glob("*.json")):
        for table, docs in json.loads(path.read_text(encoding="utf-8")).items():
            if table != "meta":
                counts[table] = counts.get(table, 0) + len(docs)
    return counts


def _run(capsys, root: Path, *argv: str) -> str:
    capsys.readouterr()
    assert cli.main(["--db", str(root), "--lang", "zh", "--today", TODAY, *argv]) == 0
    return capsys.readouterr().out


def _without_ids(rows: list[dict], keys: set[str]) -> list[str]:
    return sorted(json.dumps({k: v for k, v in r.items() if k in keys and k not in ("id", "village_id")},
                             ensure_ascii=False, sort_keys=True) for r in rows)


def _lines_without_ids(text: str) -> list[str]:
    return sorted(NEW_ID.sub("<id>", OLD_ID.sub("<id>", line)) for line in text.splitlines())


def test_every_record_is_kept_and_backed_up(old_db: Path):
    before = _counts(old_db)
    originals = {p.name: p.read_bytes() for p in [old_db / "inspector.json", *(old_db / "villages").glob("*.json")]}
    Database.open(old_db, clock=fixed_clock).close()
    assert _counts(old_db) == before
    assert before["findings"] == 60 and before["events"] > 60
    registry = json.loads((old_db / "inspector.json").read_text(encoding="utf-8"))
    assert registry["meta"]["1"]["schema"] == 3
    new_ids = [v["id"] for v in registry["villages"].values()]
    assert all(ids.is_id(v) for v in new_ids)
    assert sorted(p.stem for p in (old_db / "villages").glob("*.json")) == sorted(new_ids)  # the old files are gone
    backup = old_db / "backups" / upgrade_ids.TAG
    kept = {p.name: p.read_bytes() for p in [backup / "inspector.json", *(backup / "villages").glob("*.json")]}
    assert kept == originals
    for path in (old_db / "villages").glob("*.json"):
        tables = json.loads(path.read_text(encoding="utf-8"))
        for event in tables["events"].values():
            assert ids.is_id(event["id"]) and event["device"] == "migrated" and "seq" not in event
        assert {f["village"] for f in tables["findings"].values()} == {path.stem}


@pytest.mark.parametrize("as_of", [TODAY, "2026-06-30"])
def test_the_overdue_list_is_the_same_apart_from_ids(old_db: Path, capsys, as_of: str):
    name = "overdue.json" if as_of == TODAY else f"overdue-{as_of}.json"
    expected = json.loads((FIXTURE / "expected" / name).read_text(encoding="utf-8"))
    assert expected, "the fixture has overdue findings on this date"
    got = json.loads(_run(capsys, old_db, "overdue", "--format", "json", "--as-of", as_of))
    keys = set(expected[0]) - {"extensions"}  # a count then; the list of extensions now (compared below)
    assert _without_ids(got, keys) == _without_ids(expected, keys)
    assert sorted(len(r["extensions"]) if isinstance(r["extensions"], list) else r["extensions"] for r in got) == \
        sorted(r["extensions"] for r in expected)


@pytest.mark.parametrize("village", ["凤华社区", "塘金村", "金青村"], ids=["fenghua", "tangjin", "jinqing"])
def test_each_ledger_is_the_same_apart_from_ids(old_db: Path, tmp_path: Path, capsys, village: str):
    expected = (FIXTURE / "expected" / f"{TODAY}_金鸡镇_{village}_整改台账.md").read_text(encoding="utf-8")
    out = tmp_path / "out"
    _run(capsys, old_db, "report", "village", village, "--out", str(out))
    (written,) = out.glob("*.md")
    got = written.read_text(encoding="utf-8")
    assert _lines_without_ids(got) == _lines_without_ids(expected)


def test_two_copies_of_one_database_get_the_same_ids(old_db: Path, tmp_path: Path):
    """A county hands out copies of one database: each laptop upgrades its own, and their records still merge."""
    other = tmp_path / "copy"
    shutil.copytree(old_db, other)
    for root in (old_db, other):
        Database.open(root, clock=fixed_clock).close()
    assert sorted(p.name for p in (old_db / "villages").glob("*.json")) == \
        sorted(p.name for p in (other / "villages").glob("*.json"))
    for path in (old_db / "villages").glob("*.json"):
        assert path.read_bytes() == (other / "villages" / path.name).read_bytes()


def test_an_upgrade_killed_before_the_registry_is_written_is_done_again_the_same(old_db: Path, monkeypatch):
    pristine = old_db.parent / "pristine"
    shutil.copytree(old_db, pristine)
    real = upgrade_ids.write_atomic

    def dies_at_the_registry(path: Path, payload: bytes, **kw) -> None:
        if path.name == "inspector.json":
            raise KeyboardInterrupt  # as a kill would stop it: the village files are written, the registry is not
        real(path, payload, **kw)

    monkeypatch.setattr(upgrade_ids, "write_atomic", dies_at_the_registry)
    with pytest.raises(KeyboardInterrupt):
        Database.open(old_db, clock=fixed_clock)
    assert json.loads((old_db / "inspector.json").read_text(encoding="utf-8"))["meta"]["1"]["schema"] == 2
    monkeypatch.setattr(upgrade_ids, "write_atomic", real)
    Database.open(old_db, clock=fixed_clock).close()
    Database.open(pristine, clock=fixed_clock).close()
    assert sorted(p.name for p in (old_db / "villages").glob("*.json")) == \
        sorted(p.name for p in (pristine / "villages").glob("*.json"))
    for path in (pristine / "villages").glob("*.json"):
        assert (old_db / "villages" / path.name).read_bytes() == path.read_bytes()
