"""The store under faults: full disk, unwritable files, wrong shapes, kills during a backup.

Every failure must raise a typed StoreError naming the file, leave every file
of the database byte for byte as it was, and leave no temp file behind.
"""

from __future__ import annotations

import errno
from inspector.core.records import replace
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from inspector import i18n
from inspector.core.overdue import rows_as_of
from inspector.storage import atomic
from inspector.storage.backups import usable
from inspector.storage.database import Database
from inspector.storage.store_errors import CorruptFile, DiskFull, NotWritable, ReadOnly, StoreError
from inspector.core.moves import record

from .conftest import add_finding, add_observation, fixed_clock


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the record, by relative path: lock and temp files aside (see temp_files),
    and the derived query cache (index.sqlite*, rebuilt from the files, checked by its own tests)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith((".lock", "index.sqlite")) and "tmp" not in p.name
    }


def temp_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if "tmp" in p.name)


@pytest.fixture
def filled(db: Database):
    """A database with one village, an inspection and an answer; backups of today already made."""
    v = db.add_village("石堰村", "金鸡镇")
    store = db.store(v.id)
    insp = store.add_inspection(day="2026-11-21", kind="routine", inspectors=["张伟"], template="t", template_version="1")
    store.save_answer(insp.id, "signboards.01", value="yes")
    return db, store, insp.id


def enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("call", ["write", "fsync"])
def test_disk_full_raises_disk_full_and_changes_nothing(filled, db_path: Path, monkeypatch, call):
    db, store, iid = filled
    before = snapshot(db_path)
    monkeypatch.setattr(os, call, enospc)
    with pytest.raises(DiskFull) as err:
        store.save_answer(iid, "signboards.02", value="no")
    with pytest.raises(DiskFull):
        db.add_village("新华村", "金鸡镇")
    monkeypatch.undo()
    assert err.value.path == db.village_path(store.vid)
    assert snapshot(db_path) == before
    assert temp_files(db_path) == []
    assert list(store.answers(iid)) == ["signboards.01"]  # memory as on disk
    assert [v.name for v in db.villages()] == ["石堰村"]
    assert "磁盘已满" in err.value.message() and str(err.value.path) in err.value.message()
    i18n.set_language("en")
    assert err.value.message().startswith("Disk full: ") and str(err.value.path) in err.value.message()
    # Space is back: the same write goes through.
    store.save_answer(iid, "signboards.02", value="no")
    assert sorted(store.answers(iid)) == ["signboards.01", "signboards.02"]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see which file a write is for")
def test_disk_full_during_the_first_backup_of_the_day(db: Database, db_path: Path, monkeypatch):
    v = db.add_village("石堰村", "金鸡镇")
    db.store(v.id).add_inspection(day="2026-11-21", kind="routine", inspectors=[], template="t", template_version="1")
    db.close()
    later = Database.open(db_path, clock=lambda: fixed_clock().replace(day=22))  # a new day: a new backup
    before = snapshot(db_path)
    real_write = os.write

    def full_in_backups(fd, data):
        if "/backups/" in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_in_backups)
    store = later.store(v.id)
    with pytest.raises(DiskFull) as err:
        store.save_answer(store.inspections()[0].id, "x", value="yes")
    monkeypatch.undo()
    assert "backups" in err.value.path.parts  # it names the backup it could not write
    assert snapshot(db_path) == before
    assert temp_files(db_path) == []
    later.close()


def test_full_tmpfs_stream_loses_nothing_acknowledged(tmp_path: Path):
    """A real 2 MB file system filled by a stream of answers."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()}); the patched-ENOSPC tests cover the logic")
    try:
        root = mount / "db"
        db = Database.open(root, clock=fixed_clock)
        v = db.add_village("石堰村", "金鸡镇")
        store = db.store(v.id)
        iid = store.add_inspection(day="2026-11-21", kind="routine", inspectors=[], template="t", template_version="1").id
        acked = []
        with pytest.raises(DiskFull):
            for n in range(100_000):
                store.save_answer(iid, f"item.{n:05d}", value="yes", note="备注" * 200)
                acked.append(f"item.{n:05d}")
        assert len(acked) > 10
        assert temp_files(root) == []
        db.close()
        again = Database.open(root, clock=fixed_clock, read_only=True)
        try:
            assert sorted(again.store(v.id).answers(iid)) == acked
        finally:
            again.close()
        for backup in (root / "backups").rglob("*.json"):
            assert backup.stat().st_size > 0 and usable(backup)
    finally:
        # Lazy: a file still open elsewhere must not leave the mount behind.
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_leftover_temp_files_are_cleaned_at_the_next_writable_open(db: Database, db_path: Path):
    db.add_village("石堰村", "金鸡镇")
    db.close()
    ours = [
        db_path / ".inspector.json.4242-1.inspector-tmp",
        db_path / "villages" / ".V0001.json.4242-3.inspector-tmp",
        db_path / "villages" / ".V0001.json.77.tmp",  # the older naming
        db_path / "backups" / "2026-11-21" / "villages" / ".V0001.json.9-1.inspector-tmp",
    ]
    theirs = [db_path / "notes.tmp", db_path / "villages" / "draft.tmp"]
    for p in ours + theirs:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"")
    Database.open(db_path, clock=fixed_clock, read_only=True).close()
    assert all(p.exists() for p in ours)  # a read-only copy never removes anything
    Database.open(db_path, clock=fixed_clock).close()
    assert not any(p.exists() for p in ours)
    assert all(p.exists() for p in theirs)


KILLED_IN_BACKUP = textwrap.dedent(
    """
    import os, sys
    from datetime import datetime
    from inspector.storage.database import Database
    real_fsync = os.fsync
    def stall(fd):
        if "backups" in os.readlink(f"/proc/self/fd/{fd}"):
            print("copying", flush=True)
            sys.stdin.readline()  # killed here, the backup half done
        real_fsync(fd)
    os.fsync = stall
    db = Database.open(sys.argv[1], clock=lambda: datetime(2026, 11, 22, 9))
    store = db.store(db.villages()[0].id)
    store.save_answer(store.inspections()[0].id, "b", value="yes")
    """
)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see which file a write is for")
def test_kill_during_a_backup_leaves_no_empty_backup(db: Database, db_path: Path):
    v = db.add_village("石堰村", "金鸡镇")
    store = db.store(v.id)
    store.save_answer(store.add_inspection(day="2026-11-21", kind="routine", inspectors=[], template="t", template_version="1").id, "a", value="yes")
    db.close()
    before = snapshot(db_path)
    proc = subprocess.Popen([sys.executable, "-c", KILLED_IN_BACKUP, str(db_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "copying\n"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert snapshot(db_path) == before  # the backup never landed half-written
    assert temp_files(db_path)  # the killed copy's temp file is there...
    again = Database.open(db_path, clock=lambda: fixed_clock().replace(day=22))
    assert temp_files(db_path) == []  # ...until the next writable open
    s = again.store(v.id)
    s.save_answer(s.inspections()[0].id, "b", value="no")
    backup = db_path / "backups" / "2026-11-22" / "villages" / f"{v.id}.json"
    assert backup.read_bytes() == before[f"villages/{v.id}.json"]
    again.close()


def test_an_empty_backup_is_remade_and_never_offered(db: Database, db_path: Path):
    v = db.add_village("石堰村", "金鸡镇")
    store = db.store(v.id)
    iid = store.add_inspection(day="2026-11-21", kind="routine", inspectors=[], template="t", template_version="1").id
    db.close()
    path = db_path / "villages" / f"{v.id}.json"
    good = path.read_bytes()
    older = db_path / "backups" / "2026-11-20" / "villages" / f"{v.id}.json"
    older.parent.mkdir(parents=True)
    older.write_bytes(good)
    empty = db_path / "backups" / "2026-11-21" / "villages" / f"{v.id}.json"  # as an older version left it
    empty.write_bytes(b"")
    path.write_bytes(b"{ torn")
    with pytest.raises(CorruptFile) as err:
        Database.open(db_path, clock=fixed_clock).store(v.id)
    assert err.value.backup == older  # the newest backup that opens, not the empty newer one
    assert str(older) in err.value.message() and str(empty) not in err.value.message()
    # Once repaired, the day's first change remakes the empty backup instead of skipping it.
    path.write_bytes(good)
    again = Database.open(db_path, clock=fixed_clock)
    again.store(v.id).save_answer(iid, "a", value="yes")
    assert empty.read_bytes() == good
    again.close()


def test_read_only_village_file_is_refused_not_replaced(filled, db_path: Path):
    db, store, iid = filled
    path = db.village_path(store.vid)
    path.chmod(0o444)
    before = snapshot(db_path)
    with pytest.raises(NotWritable) as err:
        store.save_answer(iid, "signboards.02", value="no")
    assert (err.value.path, err.value.why) == (path, "read_only_file")
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert snapshot(db_path) == before and temp_files(db_path) == []
    assert str(path) in err.value.message() and "只读" in err.value.message()
    # Other villages and the registry still take writes.
    other = db.add_village("新华村", "金鸡镇")
    db.store(other.id).add_inspection(day="2026-11-21", kind="routine", inspectors=[], template="t", template_version="1")
    path.chmod(0o644)


def test_read_only_registry_refuses_every_registry_write(filled, db_path: Path):
    db, store, _ = filled
    reg = db_path / "inspector.json"
    reg.chmod(0o444)
    before = snapshot(db_path)
    for write in (lambda: db.add_village("新华村", "金鸡镇"), lambda: db.update_village(store.vid, phone="1"),
                  lambda: db.add_villages([{"name": "新华村", "township": "金鸡镇"}]), lambda: db.save_filter("我的", {})):
        with pytest.raises(NotWritable) as err:
            write()
        assert err.value.path == reg
    assert snapshot(db_path) == before and temp_files(db_path) == []
    reg.chmod(0o644)


def test_a_write_keeps_the_mode_the_user_gave_the_file(filled):
    db, store, iid = filled
    path = db.village_path(store.vid)
    path.chmod(0o600)
    store.save_answer(iid, "signboards.02", value="no")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_lock_that_is_a_folder_is_refused_clearly(db: Database, db_path: Path):
    db.close()
    (db_path / ".lock").unlink()
    (db_path / ".lock").mkdir()
    before = snapshot(db_path)
    with pytest.raises(NotWritable) as err:
        Database.open(db_path, clock=fixed_clock)
    assert (err.value.path, err.value.why) == (db_path / ".lock", "is_directory")
    assert snapshot(db_path) == before
    Database.open(db_path, clock=fixed_clock, read_only=True).close()  # reading needs no lock


# -- as a user without root's bypass ---------------------------------------------

NOBODY = 65534


def _as_nobody(fn) -> str:
    """Run ``fn`` in a forked child that dropped root; returns what it returns (a str)."""
    if os.geteuid() != 0:
        return fn()
    i18n.messages("zh"), i18n.messages("en")  # read before dropping root
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            out = fn()
        except BaseException as exc:  # report anything, never run pytest on in the child
            out = f"unexpected {type(exc).__name__}: {exc}"
        os.write(w, out.encode("utf-8"))
        os._exit(0)
    os.close(w)
    chunks = []
    while chunk := os.read(r, 65536):
        chunks.append(chunk)
    os.close(r)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode("utf-8")


@pytest.fixture
def shared_db():
    """A database in a folder the unprivileged user owns (pytest's tmp is root's, mode 700)."""
    if os.geteuid() == 0 and not hasattr(os, "fork"):
        pytest.skip("needs fork to drop root")
    folder = Path(tempfile.mkdtemp(prefix="inspector-nobody-"))
    root = folder / "db"
    db = Database.open(root, clock=fixed_clock)
    v = db.add_village("石堰村", "金鸡镇")
    store = db.store(v.id)
    store.add_inspection(day="2026-11-21", kind="routine", inspectors=[], template="t", template_version="1")
    db.close()
    if os.geteuid() == 0:
        for p in [folder, *folder.rglob("*")]:
            os.chown(p, NOBODY, NOBODY)
    yield root
    for p in [folder, *folder.rglob("*")]:
        if p.is_dir():
            p.chmod(0o755)
    subprocess.run(["rm", "-rf", str(folder)], check=False)


def _attempt(root: Path, action: str) -> str:
    """Open and do ``action``; the outcome as one line: the error's class and path, or ok."""
    try:
        db = Database.open(root, clock=fixed_clock)
        try:
            if action == "answer":
                s = db.store(db.villages()[0].id)
                s.save_answer(s.inspections()[0].id, "x", value="yes")
            elif action == "new_village":
                db.store(db.add_village("新华村", "金鸡镇").id).add_inspection(
                    day="2026-11-21", kind="routine", inspectors=[], template="t", template_version="1")
        finally:
            db.close()
    except StoreError as exc:
        return f"{type(exc).__name__} {exc.path.relative_to(root)} {getattr(exc, 'why', '')}|{exc.message()}"
    return "ok"


@pytest.mark.parametrize(
    "case, expected",
    [
        ("villages_555", "NotWritable villages/<village>.json denied"),
        ("village_000", "NotReadable villages/<village>.json "),
        ("village_444", "NotWritable villages/<village>.json read_only_file"),
        ("root_555", "NotWritable .lock denied"),
    ],
)
def test_unwritable_as_a_normal_user(shared_db: Path, case: str, expected: str):
    root = shared_db
    (village_file,) = (root / "villages").glob("*.json")
    expected = expected.replace("<village>", village_file.stem)
    target, mode, action = {
        "villages_555": (root / "villages", 0o555, "answer"),
        "village_000": (village_file, 0o000, "answer"),
        "village_444": (village_file, 0o444, "answer"),
        "root_555": (root, 0o555, "answer"),
    }[case]
    if case == "root_555":
        (root / ".lock").unlink()  # a fresh folder: the lock file must be created
    target.chmod(mode)
    before = {k: v for k, v in snapshot(root).items()} if mode else None
    outcome = _as_nobody(lambda: _attempt(root, action))
    target.chmod(0o755 if target.is_dir() else 0o644)
    kind, _, message = outcome.partition("|")
    assert kind == expected, outcome
    assert "Traceback" not in message and str(root) in message
    if before is not None:
        after = snapshot(root)
        assert {k: after[k] for k in before if k != "index.json"} == {k: v for k, v in before.items() if k != "index.json"}
    assert temp_files(root) == []


# -- valid JSON, wrong shape ----------------------------------------------------------


def _edit_json(path: Path, change) -> bytes:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path.read_bytes()


@pytest.mark.parametrize(
    "where, change, record, field",
    [
        ("village", lambda d: d["findings"]["1"].pop("id"), "#1", "id"),
        ("village", lambda d: d["events"]["1"].update(counter="一"), "<event>", "counter"),
        ("village", lambda d: d["events"].clear(), "<finding>", "events"),
        ("village", lambda d: d["inspections"]["1"].update(date="下周"), "<inspection>", "date"),
        ("registry", lambda d: d["villages"]["1"].update(id=1), "#1", "id"),
        ("registry", lambda d: d["villages"]["1"].pop("name"), "<village>", "name"),
        ("registry", lambda d: d["meta"]["1"].update(schema="二"), "#1", "schema"),
    ],
    ids=["finding-without-id", "event-counter-text", "finding-without-history", "bad-date", "registry-int-id", "village-without-name", "schema-text"],
)
def test_wrong_shape_is_reported_with_file_record_field(db: Database, db_path: Path, where, change, record, field):
    v = db.add_village("石堰村", "金鸡镇")
    store = db.store(v.id)
    insp = store.add_inspection(day="2026-11-21", kind="routine", inspectors=[], template="t", template_version="1")
    f = add_finding(store, {"title": "多余牌子", "theme": "signboards", "inspection": insp.id}, deadline="2026-12-01", by="张伟")
    record = {"<event>": store.events(f.id)[0].id, "<finding>": f.id, "<inspection>": insp.id, "<village>": v.id}.get(record, record)
    db.close()
    path = db.village_path(v.id) if where == "village" else db_path / "inspector.json"
    _edit_json(path, change)
    before = snapshot(db_path)
    with pytest.raises(CorruptFile) as err:
        again = Database.open(db_path, clock=fixed_clock)
        again.store(v.id)
    assert (err.value.path, err.value.record, err.value.field) == (path, record, field)
    message = err.value.message()
    assert str(path) in message and record in message and f"“{field}”" in message
    i18n.set_language("en")
    assert f'"{field}"' in err.value.message() and "：" not in err.value.message()
    assert snapshot(db_path) == before


def _spoil_cache(db_path: Path, how: str) -> None:
    cache = db_path / "index.sqlite"
    if how in ("garbage", "truncated"):
        for suffix in ("-wal", "-shm"):
            Path(f"{cache}{suffix}").unlink(missing_ok=True)
        cache.write_bytes(b"not a database at all" if how == "garbage" else cache.read_bytes()[:1000])
        return
    conn = sqlite3.connect(cache)
    with conn:
        if how == "other-version":
            conn.execute("UPDATE meta SET value = '999' WHERE key = 'version'")
        elif how == "summary-not-json":
            conn.execute("UPDATE summaries SET summary = '{not json'")
        elif how == "open-finding-without-fields":
            conn.execute("""UPDATE summaries SET summary = '{"open": [{"id": 1}]}'""")
        elif how == "stale-stat":
            conn.execute("UPDATE summaries SET summary = '{}', size = size + 1")
    conn.close()


@pytest.mark.parametrize("how", ["garbage", "truncated", "other-version", "summary-not-json", "open-finding-without-fields", "stale-stat", "deleted"])
def test_a_query_cache_that_does_not_fit_is_rebuilt(db: Database, db_path: Path, how: str):
    v = db.add_village("石堰村", "金鸡镇")
    store = db.store(v.id)
    add_finding(store, {"title": "多余牌子", "theme": "signboards"}, deadline="2026-11-20", by="张伟")
    db.close()
    record = snapshot(db_path)
    if how == "deleted":
        for name in ("index.sqlite", "index.sqlite-wal", "index.sqlite-shm"):
            (db_path / name).unlink(missing_ok=True)
    else:
        _spoil_cache(db_path, how)
    again = Database.open(db_path, clock=fixed_clock)
    assert [f.title for f in again.open_findings()] == ["多余牌子"]
    assert [r.title for r in rows_as_of(again, fixed_clock().date())] == ["多余牌子"]
    again.close()
    assert snapshot(db_path) == record  # the record is never touched by a cache repair
    third = Database.open(db_path, clock=fixed_clock)  # and the repaired cache is used as is
    assert third.cache.in_memory is False and [f.title for f in third.open_findings()] == ["多余牌子"]
    third.close()


def test_an_old_index_json_is_removed_and_its_summaries_rebuilt(db: Database, db_path: Path):
    v = db.add_village("石堰村", "金鸡镇")
    add_finding(db.store(v.id), {"title": "多余牌子", "theme": "signboards"}, deadline="2026-11-20", by="张伟")
    db.close()
    for name in ("index.sqlite", "index.sqlite-wal", "index.sqlite-shm"):
        (db_path / name).unlink(missing_ok=True)
    (db_path / "index.json").write_text(json.dumps({"version": 3, "villages": {}}), encoding="utf-8")
    again = Database.open(db_path, clock=fixed_clock)
    assert [f.title for f in again.open_findings()] == ["多余牌子"]
    again.close()
    assert not (db_path / "index.json").exists()


# -- the caches behind the faster lookups stay true ----------------------------------


def test_village_lookup_follows_registry_writes(db: Database):
    a = db.add_village("石堰村", "金鸡镇")
    assert db.village(a.id).name == "石堰村"
    db.update_village(a.id, name="石堰社区", kind="community")
    assert (db.village(a.id).name, db.village(a.id).kind) == ("石堰社区", "community")
    added = db.add_villages([{"name": "新华村", "township": "金鸡镇"}, {"name": "龙溪村", "township": "龙溪镇"}])
    assert [db.village(v.id).name for v in added] == ["新华村", "龙溪村"]
    assert [(v.township, v.name) for v in db.villages()] == sorted([("金鸡镇", "石堰社区"), ("金鸡镇", "新华村"), ("龙溪镇", "龙溪村")])
    db.store(added[1].id)  # found by id without a scan


def test_answers_index_follows_writes_and_failed_writes(filled, monkeypatch):
    db, store, iid = filled
    other = store.add_inspection(day="2026-11-22", kind="routine", inspectors=[], template="t", template_version="1").id
    store.save_answer(other, "a", value="no", note="一")
    store.save_answer(other, "a", value="yes")  # merged into the stored answer
    assert store.answers(other)["a"].value == "yes" and store.answers(other)["a"].note == "一"
    assert list(store.answers(iid)) == ["signboards.01"]
    monkeypatch.setattr(os, "write", enospc)
    with pytest.raises(DiskFull):
        store.save_answer(other, "b", value="no")
    monkeypatch.undo()
    assert list(store.answers(other)) == ["a"]
    with pytest.raises(RuntimeError):  # a batch that fails half-way leaves nothing behind
        with db.changing(store, summary=False):
            store.save_answer(other, "c", value="no")
            raise RuntimeError
    assert list(store.answers(other)) == ["a"]
    fresh = Database.open(db.root, clock=fixed_clock, read_only=True)
    assert fresh.store(store.vid).answers(other) == store.answers(other)


# -- the read-only second copy: every write path refuses ------------------------------


def test_every_write_of_a_read_only_copy_is_refused(db: Database, db_path: Path):
    v = db.add_village("石堰村", "金鸡镇")
    s = db.store(v.id)
    iid = s.add_inspection(day="2026-11-21", kind="routine", inspectors=[], template="t", template_version="1").id
    oid = add_observation(s, iid, {"item": "tasks.01", "what": "代收税费"}).id
    fid = add_finding(s, {"title": "多余牌子", "theme": "signboards", "inspection": iid}, deadline="2026-12-01", by="张伟").id
    before = snapshot(db_path)
    ro = Database.open(db_path, clock=fixed_clock, read_only=True)
    assert ro.read_only is True
    r = ro.store(v.id)
    writes = {
        "add_village": lambda: ro.add_village("新华村", "金鸡镇"),
        "add_villages": lambda: ro.add_villages([{"name": "新华村", "township": "金鸡镇"}]),
        "update_village": lambda: ro.update_village(v.id, phone="1"),
        "archive_village": lambda: ro.archive_village(v.id),
        "save_filter": lambda: ro.save_filter("我的", {"township": "金鸡镇"}),
        "add_inspection": lambda: r.add_inspection(day="2026-11-21", kind="routine", inspectors=[], template="t", template_version="1"),
        "update_inspection": lambda: r.update_inspection(iid, state="completed"),
        "save_answer": lambda: r.save_answer(iid, "a", value="yes"),
        "add_observation": lambda: add_observation(r, iid, {"item": "tasks.01"}),
        "put_observation": lambda: r.put_observation(replace(r.observations(iid)[0], what="x")),
        "remove_observation": lambda: r.remove_observation(oid),
        "add_finding": lambda: add_finding(r, {"title": "x"}, deadline="2026-12-01", by="张伟"),
        "update_finding": lambda: r.update_finding(fid, title="y"),
        "remove_finding": lambda: r.remove_finding(fid),
        "add_event": lambda: record(r, fid, "assign", by="张伟", unit="镇民政办"),
    }
    for name, write in writes.items():
        with pytest.raises(ReadOnly):
            write()
    ro.close()
    assert snapshot(db_path) == before
