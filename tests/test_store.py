"""The store: durable atomic writes, one writer, corrupt files, migrations, readable JSON."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from inspector.core.errors import UserError
from inspector.i18n import t
from inspector.storage import migrations
from inspector.storage.database import Database
from inspector.storage.store_errors import CorruptFile, DiskFull, NotADatabase, ReadOnly

from .conftest import add_finding, fixed_clock


def test_village_and_ledger_survive_reopen(db: Database, db_path: Path):
    v = db.add_village("石堰村", "金鸡镇")
    store = db.store(v.id)
    insp = store.add_inspection(day="2026-11-21", kind="routine", inspectors=["张伟"], template="chongqing", template_version="2026.1")
    store.save_answer(insp.id, "signboards.01", value="count", found=5, allowed=2)
    finding = add_finding(store, {"title": "多余牌子", "theme": "signboards", "unit": "镇综治办"}, deadline="2026-11-20", by="张伟")
    db.close()

    again = Database.open(db_path, clock=fixed_clock)
    assert [x.name for x in again.villages()] == ["石堰村"]
    s = again.store(v.id)
    assert s.answers(insp.id)["signboards.01"].found == 5
    assert s.finding(finding.id).title == "多余牌子"
    summary = again.summary(v.id)
    assert (summary.inspections, summary.drafts, len(summary.open)) == (1, 1, 1)
    assert summary.overdue("2026-11-21") == 1  # deadline 11-20: overdue from 11-21
    assert summary.overdue("2026-11-20") == 0
    again.close()


def test_an_answer_given_again_replaces_the_stored_one_whole(db: Database, db_path: Path):
    from inspector.core.records import Answer

    v = db.add_village("石堰村", "金鸡镇")
    store = db.store(v.id)
    insp = store.add_inspection(day="2026-11-21", kind="routine", inspectors=["张伟"], template="chongqing", template_version="2026.1")
    store.put_answer(Answer(inspection=insp.id, item="signboards.01", value="count", found=5, allowed=2, note="五块"))
    store.put_answer(Answer(inspection=insp.id, item="signboards.01", value="yes"))  # no longer a count
    store.put_answer(Answer(inspection=insp.id, item="signboards.02", value="no"))
    db.close()
    path = db_path / "villages" / f"{v.id}.json"
    stored = sorted(json.loads(path.read_text(encoding="utf-8"))["answers"].values(), key=lambda d: d["item"])
    assert [(d["item"], d["value"], "found" in d, d["note"]) for d in stored] == [
        ("signboards.01", "yes", False, ""), ("signboards.02", "no", False, "")]
    # A hand-made file with one item answered twice: the next answer leaves one.
    data = json.loads(path.read_text(encoding="utf-8"))
    data["answers"]["99"] = {**stored[0], "value": "no"}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    again = Database.open(db_path, clock=fixed_clock)
    again.store(v.id).put_answer(Answer(inspection=insp.id, item="signboards.01", value="na"))
    again.close()
    answers = json.loads(path.read_text(encoding="utf-8"))["answers"].values()
    assert sorted((d["item"], d["value"]) for d in answers) == [("signboards.01", "na"), ("signboards.02", "no")]


def test_files_are_readable_json_with_chinese(db: Database, db_path: Path):
    db.add_village("龙溪社区", "龙溪街道", kind="community")
    raw = (db_path / "inspector.json").read_text(encoding="utf-8")
    assert "龙溪社区" in raw and "\\u" not in raw
    assert json.loads(raw)["meta"]["1"]["schema"] == 3
    assert raw.count("\n") > 5  # indented, one field a line


def test_second_instance_is_read_only_and_cannot_write(db: Database, db_path: Path):
    db.add_village("石堰村", "金鸡镇")
    # A real second process, as a second copy of the app would be.
    code = textwrap.dedent(
        f"""
        from datetime import datetime
        from inspector.storage.database import Database
        from inspector.storage.store_errors import ReadOnly
        db = Database.open({str(db_path)!r}, clock=datetime.now)
        print(db.read_only, db.holder.startswith("pid {os.getpid()}"), [v.name for v in db.villages()])
        try:
            db.add_village("x", "y")
        except ReadOnly:
            print("refused")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "True True ['石堰村']"
    assert out[1] == "refused"
    assert [v.name for v in Database.open(db_path, clock=fixed_clock, read_only=True).villages()] == ["石堰村"]


def test_lock_is_released_on_close(db: Database, db_path: Path):
    db.close()
    other = Database.open(db_path, clock=fixed_clock)
    assert not other.read_only
    other.close()


def test_read_only_write_is_refused(db: Database, db_path: Path):
    db.add_village("石堰村", "金鸡镇")
    ro = Database.open(db_path, clock=fixed_clock, read_only=True)
    with pytest.raises(ReadOnly):
        ro.add_village("新村", "金鸡镇")


def test_corrupt_village_file_names_it_and_offers_backup(db: Database, db_path: Path):
    v = db.add_village("石堰村", "金鸡镇")
    store = db.store(v.id)
    insp = store.add_inspection(day="2026-11-21", kind="routine", inspectors=[], template="chongqing", template_version="1")
    store.save_answer(insp.id, "a", value="yes")  # second write of the day: backup of the first state exists
    db.close()
    path = db_path / "villages" / f"{v.id}.json"
    path.write_bytes(b'{"meta": {"1": {"schema": 3}}, "inspections": {"1": {"id": ')  # torn by something else
    before = path.read_bytes()
    with pytest.raises(CorruptFile) as err:
        again = Database.open(db_path, clock=fixed_clock)
        again.store(v.id)
    assert err.value.path == path
    assert err.value.backup is not None and err.value.backup.is_file()
    assert json.loads(err.value.backup.read_text(encoding="utf-8"))["meta"]["1"]["schema"] == 3
    assert path.read_bytes() == before  # untouched


def test_corrupt_registry_is_reported_untouched(db: Database, db_path: Path):
    db.add_village("石堰村", "金鸡镇")
    db.close()
    reg = db_path / "inspector.json"
    reg.write_text("not json at all", encoding="utf-8")
    with pytest.raises(CorruptFile) as err:
        Database.open(db_path, clock=fixed_clock)
    assert err.value.path == reg
    assert reg.read_text(encoding="utf-8") == "not json at all"


def test_not_a_database(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(NotADatabase):
        Database.open(tmp_path, clock=fixed_clock)
    with pytest.raises(NotADatabase):
        Database.open(tmp_path / "notes.txt", clock=fixed_clock)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_old_schema_is_backed_up_and_migrated(db_path: Path):
    db_path.mkdir()
    v1 = {
        "meta": {"1": {"schema": 1}},
        "villages": {"1": {"id": "V0001", "name": "石堰村", "township": "金鸡镇", "kind": "社区"}},
    }
    (db_path / "inspector.json").write_text(json.dumps(v1, ensure_ascii=False), encoding="utf-8")
    db = Database.open(db_path, clock=fixed_clock)
    village = db.villages()[0]
    assert (village.kind, village.county) == ("community", "")
    assert village.id == migrations.village_id(v1["villages"]["1"])  # carried forward to a global id (schema 3)
    db.close()
    on_disk = json.loads((db_path / "inspector.json").read_text(encoding="utf-8"))
    assert on_disk["meta"]["1"]["schema"] == 3
    backup = db_path / "backups" / "before-schema-3" / "inspector.json"
    assert json.loads(backup.read_text(encoding="utf-8")) == v1


def test_failed_write_leaves_memory_and_disk_as_before(db: Database, db_path: Path, monkeypatch):
    v = db.add_village("石堰村", "金鸡镇")
    store = db.store(v.id)
    insp = store.add_inspection(day="2026-11-21", kind="routine", inspectors=[], template="t", template_version="1")
    path = db.village_path(v.id)
    before = path.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", disk_full)
    with pytest.raises(DiskFull) as err:
        store.save_answer(insp.id, "signboards.01", value="yes")
    monkeypatch.undo()
    assert err.value.path == path and path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name != path.name]  # no temp file left
    assert store.answers(insp.id) == {}
    store.save_answer(insp.id, "signboards.02", value="no")
    assert list(store.answers(insp.id)) == ["signboards.02"]


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime
    from inspector.storage import migrations
from inspector.storage.database import Database
    db = Database.open(sys.argv[1], clock=lambda: datetime(2026, 11, 21, 9))
    v = db.villages()[0]
    store = db.store(v.id)
    iid = store.inspections()[0].id
    n = 0
    while True:
        n += 1
        store.save_answer(iid, f"item.{n:05d}", value="yes", note="备注" * 50)
        if n % 7 == 0:
            add_finding(store, {"title": f"问题{n}", "theme": "ledgers"}, deadline="2026-12-01", by="kill-test")
        print(n, flush=True)
    """
)


@pytest.mark.parametrize("after", [3, 40, 111])
def test_kill_9_loses_nothing_acknowledged(db: Database, db_path: Path, after: int):
    v = db.add_village("石堰村", "金鸡镇")
    db.store(v.id).add_inspection(day="2026-11-21", kind="routine", inspectors=[], template="t", template_version="1")
    db.close()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path)], stdout=subprocess.PIPE, text=True)
    acked = 0
    assert proc.stdout is not None
    for line in proc.stdout:
        acked = int(line)
        if acked >= after:
            os.kill(proc.pid, signal.SIGKILL)  # in the middle of the next write
            break
    proc.wait()
    again = Database.open(db_path, clock=fixed_clock)
    store = again.store(v.id)
    answers = store.answers(store.inspections()[0].id)
    assert all(f"item.{n:05d}" in answers for n in range(1, acked + 1))
    assert len([f for f in store.findings()]) >= acked // 7
    # The index (a cache) agrees with the file after a kill.
    assert again.summary(v.id).findings == len(store.findings())
    again.close()


def test_edit_cannot_make_a_namesake_or_blank_name(db: Database):
    db.add_village("石堰村", "金鸡镇")
    other = db.add_village("新华村", "金鸡镇")
    # A refusal is a UserError naming its message (issue 10), never a ValueError carrying a key.
    with pytest.raises(UserError) as err:
        db.update_village(other.id, name="石堰村")
    assert (err.value.key, err.value.message("zh")) == ("village.duplicate", t("village.duplicate", name="石堰村", township="金鸡镇"))
    with pytest.raises(UserError) as err:
        db.update_village(other.id, name="  ")
    assert err.value.key == "village.need_name_township"
    assert db.village(other.id).name == "新华村"
    assert db.update_village(other.id, name=" 新华村 ", phone="1").name == "新华村"  # itself is no clash
