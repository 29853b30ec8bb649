"""The direction of imports (ARCHITECTURE.md): import-linter's contracts hold, and would catch a back-edge.

The contracts are in pyproject.toml ([tool.importlinter]). The purity test
imports every module of a layer in a fresh interpreter, found by walking the
package, so a new module is covered the day it is added.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from .conftest import add_finding

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).parent / ("lint-imports.exe" if sys.platform == "win32" else "lint-imports")


def lint_imports(cwd: Path, *, path: Path | None = None) -> subprocess.CompletedProcess:
    """``lint-imports`` on the package found first on ``path`` (default: the installed one)."""
    env = None
    if path is not None:
        import os

        env = {**os.environ, "PYTHONPATH": str(path)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo", str(CONFIG)], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8")


def test_the_import_contracts_hold():
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


PLANTS = {
    # core reaching into storage (core must speak to it through core/repository.py)
    "core": ("inspector/core/planted.py", "from ..storage import database\n",
             ["inspector.core.planted -> inspector.storage.database"]),
    # a screen opening storage itself instead of going through the wiring
    "ui": ("inspector/ui/planted.py", "from ..storage.village_store import VillageStore\n",
           ["inspector.ui.planted -> inspector.storage.village_store"]),
    # the catalog's rules drawing on Textual
    "catalog": ("inspector/catalog/planted.py", "import textual\n", ["inspector.catalog.planted -> textual"]),
}


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_a_planted_back_edge_breaks_the_contracts(tmp_path, plant):
    """A copy of the package with one wrong import: lint-imports fails and names it."""
    shutil.copytree(ROOT / "inspector", tmp_path / "inspector", ignore=shutil.ignore_patterns("__pycache__"))
    where, code, expected = PLANTS[plant]
    (tmp_path / where).write_text(code, encoding="utf-8")
    done = lint_imports(tmp_path, path=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "BROKEN" in done.stdout
    for line in expected:  # "planted" is only in the copy: the copy was linted, not the installed package
        assert line in done.stdout, done.stdout


# Every module of a layer, imported in a fresh interpreter; then what it must not have brought in.
PURITY = {
    # core and catalog: what the product knows; no terminal UI, no database engine, no file format library
    "core": (["inspector.core", "inspector.catalog"], ["textual", "rich", "tinydb", "sqlite3", "filelock", "orjson"]),
    # everything but the screens (the command line, verbs, reports, storage): no terminal UI
    "below_ui": (["inspector"], ["textual", "rich"]),
}

PROBE = """
import importlib, pkgutil, sys
packages, forbidden = sys.argv[1].split(","), sys.argv[2].split(",")
names = []
for name in packages:
    package = importlib.import_module(name)
    names.append(name)
    for info in pkgutil.walk_packages(package.__path__, name + "."):
        if info.name.startswith("inspector.ui") or info.name == "inspector.__main__":
            continue  # the app itself; __main__ would run it
        importlib.import_module(info.name)
        names.append(info.name)
print(len(names))
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in forbidden)))
"""


@pytest.mark.parametrize("layer", sorted(PURITY))
def test_every_module_of_a_layer_stays_pure(layer):
    packages, forbidden = PURITY[layer]
    done = subprocess.run([sys.executable, "-c", PROBE, ",".join(packages), ",".join(forbidden)],
                          capture_output=True, text=True, check=True)
    count, loaded = (done.stdout.splitlines() + ["", ""])[:2]
    assert int(count) > 15  # the walk found the modules (not an empty package path)
    assert loaded == ""


# -- what moved across the layers ------------------------------------------------------------


def test_a_filter_name_is_cores_rule_and_storage_keeps_any_name(db):
    from inspector.core.errors import UserError
    from inspector.core.saved_filters import save_filter

    with pytest.raises(UserError) as refused:
        save_filter(db, "  ", {"township": "金鸡镇"})
    assert refused.value.key == "saved_filter.needs_name"
    assert refused.value.message("zh") == "筛选需要一个名字。" and refused.value.message("en") == "A filter needs a name."
    assert db.saved_filters() == {}
    assert save_filter(db, " 龙溪 ", {"township": "龙溪街道"}) == "龙溪"
    db.save_filter(" as typed ", {})  # the repository itself keeps what it is given
    assert db.saved_filters() == {"龙溪": {"township": "龙溪街道"}, " as typed ": {}}


def test_a_batch_is_one_write_and_a_failed_one_leaves_the_summary_as_stored(db, monkeypatch):
    """core/visit.py changes a locked inspection through ``store.batch()`` (no ``store.db`` any more)."""
    from inspector.storage import atomic

    village = db.add_village("石堰村", "金鸡镇")
    store = db.store(village.id)
    iid = store.add_inspection(day="2026-11-20", kind="routine", inspectors=["张伟"], template="t", template_version="1").id
    writes: list[Path] = []
    real_write = atomic.write_atomic
    monkeypatch.setattr(atomic, "write_atomic", lambda path, *a, **k: (writes.append(Path(path)), real_write(path, *a, **k))[1])
    with store.batch():
        add_finding(store, {"inspection": iid, "title": "牌子"}, deadline="2026-12-01", by="张伟")
        store.update_inspection(iid, state="completed")
    assert writes == [store.path]  # one write of the file for both
    assert db.summary(village.id).findings == 1 and db.summary(village.id).drafts == 0
    with pytest.raises(RuntimeError):
        with store.batch():
            add_finding(store, {"inspection": iid, "title": "台账"}, deadline="2026-12-01", by="张伟")
            raise RuntimeError("the second half failed")
    assert len(store.findings()) == 1
    assert db.summary(village.id).findings == 1  # the index was never told of the finding that was not stored
    assert db.cache.summaries()[village.id]["summary"]["findings"] == 1


def test_storage_implements_every_member_of_cores_repository(db):
    from inspector.core.repository import QueryRows, Repository, VillageRecords

    village = db.add_village("石堰村", "金鸡镇")
    assert isinstance(db, Repository)
    assert isinstance(db.store(village.id), VillageRecords)
    assert db.queried(lambda rows: [isinstance(rows, QueryRows)]) == [True]
