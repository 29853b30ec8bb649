"""A kill during `inspector sync import` leaves the database as before or fully merged, never half.

A 30-village demo bundle is imported by a subprocess running the real verb,
SIGKILLed after a delay drawn (fixed seeds) over the measured length of an
import. After each kill the database is opened (which finishes or drops a
journalled import) and every stored record is compared with the records before
and after an import left to finish.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from inspector.storage.database import Database
from inspector.wiring import build_demo, export_bundle

TODAY = date(2026, 11, 21)
RUNS = 20
VILLAGE_TABLES = ("inspections", "answers", "observations", "findings", "events", "quarantine", "removed", "superseded")
IMPORT = """
import sys
from inspector import cli
print("go", flush=True)
sys.exit(cli.main(sys.argv[1:]))
"""

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def dump(root: Path) -> dict[str, list[str]]:
    """Every record of the database, canonical (sorted JSON): what must be all before or all after."""
    db = Database.open(root, clock=lambda: datetime(2026, 11, 21, 9))
    try:
        registry = db.registry.storage.read() or {}
        out = {name: sorted(json.dumps(d, sort_keys=True, ensure_ascii=False) for d in registry.get(name, {}).values())
               for name in ("villages", "superseded")}
        for v in db.villages(include_archived=True):
            data = db.store(v.id).tiny.storage.read() or {} if db.village_path(v.id).exists() else {}
            for table in VILLAGE_TABLES:
                out[f"{v.id}/{table}"] = sorted(json.dumps(d, sort_keys=True, ensure_ascii=False)
                                                for d in data.get(table, {}).values())
        return out
    finally:
        db.close()


def device_file(folder: Path, did: str) -> Path:
    folder.mkdir(parents=True)
    path = folder / "device.json"
    path.write_text(json.dumps({"id": did, "name": folder.name}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    base = tmp_path_factory.mktemp("kill")
    sender = device_file(base / "sender", "01JAAAAAAAAAAAAAAAAAAAAAA1")
    receiver = device_file(base / "receiver", "01JBBBBBBBBBBBBBBBBBBBBBB2")
    build_demo(base / "a", villages=30, years=1, seed=1, today=TODAY)
    build_demo(base / "b", villages=2, years=1, seed=2, today=TODAY)
    old = os.environ.get("INSPECTOR_DEVICE")
    os.environ["INSPECTOR_DEVICE"] = str(sender)
    try:
        db = Database.open(base / "a", clock=lambda: datetime(2026, 11, 21, 9))
        data, villages, _ = export_bundle(db)
        db.close()
    finally:
        if old is None:
            os.environ.pop("INSPECTOR_DEVICE", None)
        else:
            os.environ["INSPECTOR_DEVICE"] = old
    assert villages == 30
    bundle = base / "a.inspector-bundle"
    bundle.write_bytes(data)
    return base, bundle, receiver


def start(root: Path, bundle: Path, receiver: Path) -> subprocess.Popen:
    env = {**os.environ, "INSPECTOR_DEVICE": str(receiver), "INSPECTOR_LANG": "en"}
    argv = [sys.executable, "-c", IMPORT, "--db", str(root), "--today", TODAY.isoformat(),
            "sync", "import", str(bundle), "--trust", "--yes"]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "go\n"
    return proc


def test_a_kill_during_import_leaves_before_or_fully_merged(setting, tmp_path):
    base, bundle, receiver = setting
    pristine = base / "b"
    before = dump(pristine)
    # One import left to finish: the records after, and how long an import takes here.
    whole = tmp_path / "whole"
    shutil.copytree(pristine, whole)
    proc = start(whole, bundle, receiver)
    began = time.monotonic()
    out, err = proc.communicate(timeout=120)
    length = time.monotonic() - began
    assert proc.returncode == 0, err
    after = dump(whole)
    assert len(after) > len(before) and after != before
    outcomes = []
    for seed in range(RUNS):
        root = tmp_path / f"run{seed}"
        shutil.copytree(pristine, root)
        delay = random.Random(seed).uniform(0, length * 1.1)  # a little past: the device note after the merge
        proc = start(root, bundle, receiver)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        state = dump(root)
        assert state == before or state == after, f"seed {seed}: half an import after a kill at {delay:.3f}s"
        outcomes.append("before" if state == before else "after")
        shutil.rmtree(root)
    print(f"import {length:.2f}s; outcomes after kills: {outcomes.count('before')} before, {outcomes.count('after')} after")
