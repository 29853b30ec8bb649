from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from inspector import i18n
from inspector.catalog.loader import load_catalog
from inspector.storage.database import Database

TODAY = date(2026, 11, 21)


def fixed_clock() -> datetime:
    return datetime(2026, 11, 21, 9, 30, 0)


@pytest.fixture(autouse=True, scope="session")
def device_file(tmp_path_factory):
    """This device's identity (inspector/device.py) in a test folder, never the user's."""
    import os

    path = tmp_path_factory.mktemp("device") / "device.json"
    path.write_text('{"id": "01TESTDEV1CE0000000000000Q", "name": "test laptop"}', encoding="utf-8")  # its key is made on first use
    os.environ["INSPECTOR_DEVICE"] = str(path)
    yield path


@pytest.fixture(autouse=True)
def no_user_files(tmp_path_factory, monkeypatch):
    """Nothing of the machine's user reaches a test: the settings file (saved name, keymap beside it)
    is a test's own, not yet written, and the variables a user may have set are unset."""
    monkeypatch.setenv("INSPECTOR_SETTINGS", str(tmp_path_factory.mktemp("user") / "settings.json"))
    for name in ("INSPECTOR_DB", "INSPECTOR_TODAY", "INSPECTOR_USER", "INSPECTOR_LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def no_key_shown():
    """A message key asked for and missing would be shown as it is (``store.expected.number``): the test fails."""
    missing = i18n.watch_missing()
    yield
    assert not missing, f"message keys shown as they are: {sorted(missing)}"


@pytest.fixture(autouse=True)
def chinese():
    i18n.set_language("zh")
    yield
    i18n.set_language("zh")


@pytest.fixture(scope="session")
def catalog():
    cat, problems = load_catalog()
    assert problems == []
    return cat


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "db"


@pytest.fixture
def db(db_path: Path):
    database = Database.open(db_path, clock=fixed_clock)
    yield database
    database.close()


def add_finding(store, fields: dict, *, deadline: str, by: str):
    """A finding stored straight through the repository (what core.visit.Visit.add_finding does after its checks)."""
    from inspector.core.records import Finding

    fields = {**fields}
    if "basis" in fields:
        fields["basis"] = tuple(fields["basis"])
    record = Finding(id="", village=store.vid, **fields)
    return store.add_finding(record, deadline=date.fromisoformat(deadline), by=by)


def add_observation(store, iid: str, fields: dict):
    """An observation stored straight through the repository (Visit.observe classifies it first)."""
    from inspector.core.records import Observation

    return store.add_observation(Observation(id="", inspection=iid, **fields))
