"""Evidence kept with findings and answers: the content-addressed folder, the rules, the verbs.

Files are small bytes written by each test; the database is built through the repository
on the fixed test clock, so who and when are known.
"""

from __future__ import annotations

import hashlib
import shutil
from inspector.core.records import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from inspector import cli
from inspector.catalog.loader import load_catalog
from inspector.catalog.model import CountySettings
from inspector.core import evidence, ids
from inspector.core.errors import UserError
from inspector.core.finding_view import view_of
from inspector.core.moves import record
from inspector.core.records import Event
from inspector.core.repository import NotFound
from inspector.storage.database import Database
from inspector.storage.evidence_files import EvidenceFiles
from inspector.storage.store_errors import DiskFull, ReadOnly

from .conftest import add_finding, fixed_clock

PHOTO = b"\xff\xd8\xff\xe0 a photo of the removed signboard " + bytes(range(256))
SCAN = b"%PDF-1.4 the village's rectification report"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of the database but the lock and the query cache (a derived index)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".lock") and not p.name.startswith("index.sqlite")}


@pytest.fixture
def finding(db):
    v = db.add_village("石堰村", "金鸡镇")
    store = db.store(v.id)
    f = add_finding(store, {"title": "多余牌子", "theme": "signboards"}, deadline="2026-12-01", by="张伟")
    return v.id, f.id


@pytest.fixture
def files(tmp_path):
    return tmp_path / "camera"


# ── attaching to a finding ────────────────────────────────────────────────


def test_attach_keeps_the_file_under_its_hash_and_records_one_attach_event(db, finding, files):
    vid, fid = finding
    photo, scan = write(files, "IMG_0101.JPG", PHOTO), write(files, "整改报告.pdf", SCAN)
    attached = evidence.attach_to_finding(db, vid, fid, [photo, scan], "李娜")
    kept = db.root / "evidence" / sha(PHOTO)[:2] / f"{sha(PHOTO)[2:]}.jpg"
    assert kept.read_bytes() == PHOTO
    assert (db.root / "evidence" / sha(SCAN)[:2] / f"{sha(SCAN)[2:]}.pdf").read_bytes() == SCAN
    events = db.store(vid).events(fid)
    assert [e.type for e in events] == ["found", "attach"]
    attach = events[1]
    assert attach.by == "李娜" and attach.on == fixed_clock().date()
    assert [(f.name, f.size, f.suffix, f.sha256, f.by, f.at) for f in attach.files] == [
        ("IMG_0101.JPG", len(PHOTO), ".jpg", sha(PHOTO), "李娜", "2026-11-21T09:30:00"),
        ("整改报告.pdf", len(SCAN), ".pdf", sha(SCAN), "李娜", "2026-11-21T09:30:00"),
    ]
    assert attached.added == attach.files and attached.already == ()
    assert db.evidence.path_of(attach.files[0]) == kept
    assert db.evidence.relative_path(attach.files[0]) == f"evidence/{sha(PHOTO)[:2]}/{sha(PHOTO)[2:]}.jpg"
    assert not [p for p in (db.root / "evidence").rglob("*") if p.name.endswith(".inspector-tmp")]


def test_the_same_file_twice_is_stored_once_and_recorded_once(db, finding, files):
    vid, fid = finding
    first = write(files, "a.jpg", PHOTO)
    copy = write(files, "copy/again.jpg", PHOTO)  # the same content under another name
    evidence.attach_to_finding(db, vid, fid, [first], "李娜")
    again = evidence.attach_to_finding(db, vid, fid, [copy, first], "李娜")
    stored = [p for p in (db.root / "evidence").rglob("*") if p.is_file()]
    assert stored == [db.root / "evidence" / sha(PHOTO)[:2] / f"{sha(PHOTO)[2:]}.jpg"]
    assert again.added == () and [f.name for f in again.already] == ["again.jpg", "a.jpg"]
    assert [e.type for e in db.store(vid).events(fid)] == ["found", "attach"]  # nothing new: no second event
    # Another finding may keep the same photo: recorded there, still stored once.
    other = add_finding(db.store(vid), {"title": "另一个问题", "theme": "ledgers"}, deadline="2026-12-01", by="张伟")
    evidence.attach_to_finding(db, vid, other.id, [copy], "李娜")
    assert [f.sha256 for f in evidence.finding_files(db.store(vid).events(other.id))] == [sha(PHOTO)]
    assert [p for p in (db.root / "evidence").rglob("*") if p.is_file()] == stored


def test_attach_is_allowed_on_a_closed_finding(db, finding, files):
    vid, fid = finding
    store = db.store(vid)
    record(store, fid, "assign", by="张伟", unit="镇综治办")
    record(store, fid, "report", by="张伟", note="已摘除")
    record(store, fid, "verify", by="张伟", verifier="王强")
    record(store, fid, "close", by="张伟")
    evidence.attach_to_finding(db, vid, fid, [write(files, "after.png", PHOTO)], "王强")
    events = store.events(fid)
    assert events[-1].type == "attach" and events[-1].files[0].name == "after.png"
    assert store.status(fid).state == "closed"


def test_an_unknown_finding_is_refused_before_any_file_is_copied(db, finding, files):
    vid, _ = finding
    with pytest.raises(NotFound):
        evidence.attach_to_finding(db, vid, "01NOSUCHFINDING00000000000", [write(files, "a.jpg", PHOTO)], "李娜")
    assert not (db.root / "evidence").exists()


# ── refusals: nothing kept, nothing recorded ──────────────────────────────


@pytest.mark.parametrize("name, data, key, params", [
    ("big.jpg", b"x" * 2048, "evidence.too_large", {"name": "big.jpg", "size": "0.0", "limit": "0.0"}),
    ("notes.exe", b"MZ", "evidence.unsupported", {"name": "notes.exe", "suffix": ".exe"}),
    ("README", b"text", "evidence.unsupported", {"name": "README", "suffix": "-"}),
    ("empty.jpg", b"", "evidence.empty", {}),
])
def test_a_refused_file_leaves_the_database_byte_identical(db, finding, files, name, data, key, params):
    vid, fid = finding
    before = snapshot(db.root)
    with pytest.raises(UserError) as err:
        evidence.attach_to_finding(db, vid, fid, [write(files, name, data)], "李娜", limit=1024)
    assert err.value.key == key
    assert params.items() <= err.value.params.items()
    assert snapshot(db.root) == before
    assert not (db.root / "evidence").exists()
    assert name in err.value.message()


def test_too_large_says_the_size_and_the_limit(db, finding, files):
    vid, fid = finding
    big = files / "big.jpg"
    files.mkdir()
    with open(big, "wb") as fh:
        fh.truncate(25 * 1024 * 1024 + 300 * 1024)  # 25.3 MB, sparse: nothing written
    with pytest.raises(UserError) as err:
        evidence.attach_to_finding(db, vid, fid, [big], "李娜")  # the default limit
    assert err.value.message() == "big.jpg 大小为 25.3 MB，超过上限 20.0 MB（县（区）设置），未保存任何文件。"


def test_one_bad_file_in_a_list_keeps_none_of_them(db, finding, files):
    vid, fid = finding
    before = snapshot(db.root)
    good = write(files, "good.jpg", PHOTO)
    with pytest.raises(UserError) as err:
        evidence.attach_to_finding(db, vid, fid, [good, files / "missing.jpg", write(files, "b.pdf", SCAN)], "李娜")
    assert err.value.key == "evidence.missing" and "missing.jpg" in err.value.message()
    assert snapshot(db.root) == before
    assert not (db.root / "evidence").exists()
    with pytest.raises(UserError) as err:
        evidence.attach_to_finding(db, vid, fid, [good, files], "李娜")  # a folder
    assert err.value.key == "evidence.not_a_file"
    assert snapshot(db.root) == before


def test_a_full_disk_keeps_no_half_file_and_records_nothing(db, finding, files, monkeypatch):
    vid, fid = finding
    import errno
    import os as real_os

    from inspector.storage import evidence_files

    calls = []

    def full(fd, payload):
        calls.append(len(payload))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(evidence_files, "_write_all", full)
    before = snapshot(db.root)
    with pytest.raises(DiskFull) as err:
        evidence.attach_to_finding(db, vid, fid, [write(files, "a.jpg", PHOTO)], "李娜")
    assert calls and "磁盘" in err.value.message()
    assert snapshot(db.root) == before
    assert [p for p in (db.root / "evidence").rglob("*") if p.is_file()] == []  # no temp file, no half file
    assert real_os.path.isdir(db.root / "evidence")


def test_a_temp_file_left_by_a_killed_copy_is_never_a_kept_file_and_is_removed(db, finding, files):
    vid, fid = finding
    folder = db.root / "evidence"
    folder.mkdir()
    left = folder / ".keep.999-1.inspector-tmp"
    left.write_bytes(PHOTO[:10])  # a copy killed half way
    evidence.attach_to_finding(db, vid, fid, [write(files, "a.jpg", PHOTO)], "李娜")
    assert not left.exists()
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == [f"{sha(PHOTO)[2:]}.jpg"]


# ── verify ──────────────────────────────────────────────────────────────────


def test_verify_finds_a_changed_byte_and_a_missing_file(db, finding, files):
    vid, fid = finding
    evidence.attach_to_finding(db, vid, fid, [write(files, "a.jpg", PHOTO), write(files, "b.pdf", SCAN)], "李娜")
    kept = evidence.finding_files(db.store(vid).events(fid))
    assert db.evidence.verify(kept) == []
    photo = db.evidence.path_of(kept[0])
    changed = bytearray(photo.read_bytes())
    changed[100] ^= 1
    photo.write_bytes(bytes(changed))
    db.evidence.path_of(kept[1]).unlink()
    problems = db.evidence.verify(kept)
    assert [(p.file.name, p.kind, p.path) for p in problems] == [
        ("a.jpg", "altered", photo), ("b.pdf", "missing", db.evidence.path_of(kept[1]))]


def test_keeping_an_altered_file_again_repairs_it(db, finding, files):
    vid, fid = finding
    source = write(files, "a.jpg", PHOTO)
    evidence.attach_to_finding(db, vid, fid, [source], "李娜")
    kept = evidence.finding_files(db.store(vid).events(fid))
    db.evidence.path_of(kept[0]).write_bytes(b"damaged")
    evidence.attach_to_finding(db, vid, fid, [source], "李娜")
    assert db.evidence.verify(kept) == []


# ── answers ────────────────────────────────────────────────────────────────


@pytest.fixture
def visit(db, catalog):
    from inspector.core.visit import open_visit

    v = db.add_village("石堰村", "金鸡镇")
    checklist = catalog.checklist_for(catalog.default.id)
    inspection = db.store(v.id).add_inspection(day="2026-11-21", kind="routine", inspectors=["张伟"],
                                               template=checklist.id, template_version=checklist.version)
    return open_visit(db, catalog, {}, inspection.id, v.id)


def test_attach_to_an_answer_merges_files_without_duplicates_and_keeps_the_value(db, visit, files):
    item = next(i for i in visit.checklist.items if i.answer == "yes_no")
    visit.answer(item, value=item.fail_on, note="牌子太多")
    first = evidence.attach_to_answer(visit, item, [write(files, "a.jpg", PHOTO)], "张伟", kept_in=db.evidence)
    second = evidence.attach_to_answer(visit, item.id, [write(files, "b.jpg", PHOTO), write(files, "c.pdf", SCAN)],
                                       "张伟", kept_in=db.evidence)
    answer = visit.answers()[item.id]
    assert [(f.name, f.sha256) for f in answer.files] == [("a.jpg", sha(PHOTO)), ("c.pdf", sha(SCAN))]
    assert answer.value == item.fail_on and answer.note == "牌子太多"
    assert len(first.added) == 1 and [f.name for f in second.already] == ["b.jpg"]
    # Read back from the file, not from memory.
    with Database.open(db.root, clock=fixed_clock, read_only=True) as again:
        assert again.store(visit.village_id).answers(visit.inspection_id)[item.id].files == answer.files


def test_evidence_on_an_unanswered_item_leaves_it_unanswered(db, visit, files):
    item = next(i for i in visit.checklist.items if i.answer == "yes_no")
    evidence.attach_to_answer(visit, item, [write(files, "a.jpg", PHOTO)], "张伟", kept_in=db.evidence)
    assert visit.status(item) == "unanswered"
    assert [f.name for f in visit.answers()[item.id].files] == ["a.jpg"]


def test_a_refused_file_leaves_the_answer_unchanged(db, visit, files):
    item = next(i for i in visit.checklist.items if i.answer == "yes_no")
    visit.answer(item, value="no")
    before = snapshot(db.root)
    with pytest.raises(UserError):
        evidence.attach_to_answer(visit, item, [write(files, "a.bmp", PHOTO)], "张伟", kept_in=db.evidence)
    assert snapshot(db.root) == before


# ── a read-only copy ─────────────────────────────────────────────────────────


def test_a_read_only_copy_refuses_to_keep(db, finding, files):
    vid, fid = finding
    with Database.open(db.root, clock=fixed_clock) as reader:  # the writer (db) holds the lock
        assert reader.read_only
        with pytest.raises(ReadOnly):
            reader.evidence.keep(write(files, "a.jpg", PHOTO), by="李娜", at="2026-11-21T09:30:00")
        with pytest.raises(ReadOnly):
            evidence.attach_to_finding(reader, vid, fid, [write(files, "a.jpg", PHOTO)], "李娜")
    assert not (db.root / "evidence").exists()
    assert [e.type for e in db.store(vid).events(fid)] == ["found"]


# ── the county rule: a closure needs evidence ─────────────────────────────────


def _ev(n: int, kind: str, **fields) -> Event:
    return Event(id=f"E{n}", finding="F1", type=kind, on=fixed_clock().date(), at=f"2026-11-21T09:30:0{n}", **fields)


def test_closure_needs_evidence_only_when_the_county_requires_it():
    photo = evidence.EvidenceFile(sha256=sha(PHOTO), name="a.jpg", size=len(PHOTO), suffix=".jpg")
    bare = [_ev(1, "found", deadline=fixed_clock().date()), _ev(2, "verify", verifier="王强")]
    with_files = [*bare, _ev(3, "attach", files=(photo,))]
    typed_only = [*bare, _ev(3, "report", note="已整改", evidence=("IMG_0101.jpg",))]  # names typed, nothing kept
    assert evidence.closure_needs_evidence(bare, required=False) is None
    refusal = evidence.closure_needs_evidence(bare, required=True)
    assert refusal is not None and refusal.key == "evidence.closure_needs_evidence"
    assert "销号" in refusal.message()
    assert evidence.closure_needs_evidence(typed_only, required=True) is not None
    assert evidence.closure_needs_evidence(with_files, required=True) is None
    assert evidence.closure_needs_evidence([*bare, _ev(3, "attach")], required=True) is not None  # no files


def test_closure_needs_evidence_reads_a_finding_view(db, finding, files):
    vid, fid = finding
    store = db.store(vid)
    view = view_of(store.finding(fid), store.events(fid), db.today)
    assert evidence.closure_needs_evidence(view, required=True) is not None
    evidence.attach_to_finding(db, vid, fid, [write(files, "a.jpg", PHOTO)], "李娜")
    view = view_of(store.finding(fid), store.events(fid), db.today)
    assert evidence.closure_needs_evidence(view, required=True) is None


# ── county settings ────────────────────────────────────────────────────────


def _catalog_copy(tmp_path: Path) -> Path:
    from inspector.catalog.loader import DEFAULT_ROOT

    copy = tmp_path / "catalog"
    shutil.copytree(DEFAULT_ROOT, copy)
    return copy


def test_county_settings_are_read_with_defaults_when_absent(tmp_path):
    root = _catalog_copy(tmp_path)
    catalog, problems = load_catalog(root, strict=False)
    assert problems == [] and catalog.county.evidence_max_mb == 20 and not catalog.county.closure_needs_evidence
    (root / "county.toml").write_text("[evidence]\nmax_mb = 2.5\n[closure]\nneeds_evidence = true\n", encoding="utf-8")
    catalog, problems = load_catalog(root, strict=False)
    assert problems == []
    assert catalog.county.evidence_max_bytes == int(2.5 * 1024 * 1024) and catalog.county.closure_needs_evidence
    (root / "county.toml").unlink()
    catalog, problems = load_catalog(root, strict=False)
    assert problems == [] and catalog.county == CountySettings()


@pytest.mark.parametrize("text, fragment", [
    ('[evidence]\nmax_mb = "20"\n', "max_mb"),
    ("[evidence]\nmax_mb = true\n", "max_mb"),
    ("[evidence]\nmax_mb = 0\n", "0"),
    ('[closure]\nneeds_evidence = "yes"\n', "needs_evidence"),
    ("evidence = 5\n", "evidence"),
    ("[evidence]\nmax_size = 20\n", "max_size"),
])
def test_a_wrong_county_setting_is_a_catalog_problem(tmp_path, capsys, text, fragment):
    root = _catalog_copy(tmp_path)
    (root / "county.toml").write_text(text, encoding="utf-8")
    _, problems = load_catalog(root, strict=False)
    assert len(problems) == 1 and problems[0].file == root / "county.toml"
    status = cli.main(["catalog", "check", str(root)])
    err = capsys.readouterr().err
    assert status == 1 and "county.toml" in err and fragment in err and "Traceback" not in err


# ── the verbs ─────────────────────────────────────────────────────────────────


def call(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def yesterday() -> datetime:
    return fixed_clock() - timedelta(days=1)


@pytest.fixture
def cli_db(db_path):
    """A closed database with two findings in two villages (for the verbs, which open it themselves).

    Made the day before the verbs run (their clock is --today at the real time of day): the
    findings' records come before the verbs' whatever the time of day the test runs at.
    """
    with Database.open(db_path, clock=yesterday) as db:
        a = db.add_village("石堰村", "金鸡镇")
        b = db.add_village("新华村", "金鸡镇")
        fa = add_finding(db.store(a.id), {"title": "多余牌子", "theme": "signboards"}, deadline="2026-12-01", by="张伟")
        fb = add_finding(db.store(b.id), {"title": "台账过多", "theme": "ledgers"}, deadline="2026-12-01", by="张伟")
    return db_path, (a.id, fa.id), (b.id, fb.id)


def test_evidence_add_list_and_verify(cli_db, files, capsys):
    db_path, (vid, fid), _ = cli_db
    base = ["--db", str(db_path), "--today", "2026-11-21", "--user", "李娜"]
    photo, scan = write(files, "IMG_0101.jpg", PHOTO), write(files, "报告.pdf", SCAN)
    status, out, err = call(capsys, *base, "evidence", "add", ids.short(fid), str(photo), str(scan))
    assert status == 0 and err == ""
    assert ids.short(fid) in out and "IMG_0101.jpg" in out and "石堰村" in out and fid not in out
    with Database.open(db_path, clock=fixed_clock, read_only=True) as db:
        attach = db.store(vid).events(fid)[-1]
    assert attach.type == "attach" and attach.by == "李娜" and attach.at.startswith("2026-11-21T")
    assert [f.name for f in attach.files] == ["IMG_0101.jpg", "报告.pdf"]

    status, out, err = call(capsys, *base, "evidence", "list", fid[-5:])
    assert status == 0 and "IMG_0101.jpg" in out and "报告.pdf" in out and "李娜" in out
    assert f"evidence/{sha(PHOTO)[:2]}/{sha(PHOTO)[2:]}.jpg" in out
    status, out, _ = call(capsys, *base, "evidence", "list", ids.short(fid), "--json")
    import json

    rows = json.loads(out)
    assert [(r["name"], r["sha256"], r["number"]) for r in rows] == [
        ("IMG_0101.jpg", sha(PHOTO), ids.short(fid)), ("报告.pdf", sha(SCAN), ids.short(fid))]

    status, out, err = call(capsys, *base, "evidence", "verify")
    assert status == 0 and err == "" and "2" in out

    kept = db_path / "evidence" / sha(PHOTO)[:2] / f"{sha(PHOTO)[2:]}.jpg"
    kept.write_bytes(PHOTO[:-1] + b"!")
    (db_path / "evidence" / sha(SCAN)[:2] / f"{sha(SCAN)[2:]}.pdf").unlink()
    status, out, err = call(capsys, *base, "evidence", "verify")
    lines = err.splitlines()
    assert status == 1 and out == "" and len(lines) == 3
    assert "被改动" in lines[0] and "IMG_0101.jpg" in lines[0] and ids.short(fid) in lines[0]
    assert "缺失" in lines[1] and "报告.pdf" in lines[1]
    assert "2" in lines[2] and "Traceback" not in err


def test_evidence_add_refusals_are_one_line_and_change_nothing(cli_db, files, capsys):
    db_path, (_, fid), (_, other) = cli_db
    base = ["--db", str(db_path), "--today", "2026-11-21", "--user", "李娜"]
    before = snapshot(db_path)
    good = write(files, "a.jpg", PHOTO)
    cases = [
        (["evidence", "add", ids.short(fid), str(good), str(write(files, "x.exe", b"MZ"))], 1, "x.exe"),
        (["evidence", "add", ids.short(fid), str(files / "none.jpg")], 1, "none.jpg"),
        (["evidence", "add", "ZZZZZZZZ", str(good)], 1, "ZZZZZZZZ"),
        (["evidence", "add", ids.short(fid), str(good), "--in-village", "新华村"], 1, "新华村"),
        (["evidence", "add", ids.short(fid), str(good), "--in-village", "不存在村"], 1, "不存在村"),
        (["evidence", "list", "ZZZZZZZZ"], 1, "ZZZZZZZZ"),
        (["evidence", "add", ids.short(fid)], 2, ""),
    ]
    for argv, status, fragment in cases:
        got, out, err = call(capsys, *base, *argv)
        assert got == status, (argv, err)
        assert fragment in one_line(err)
        assert snapshot(db_path) == before, argv


def test_evidence_add_honours_the_county_limit(cli_db, files, capsys, tmp_path):
    db_path, (_, fid), _ = cli_db
    root = _catalog_copy(tmp_path)
    (root / "county.toml").write_text("[evidence]\nmax_mb = 0.0001\n", encoding="utf-8")  # ~104 bytes
    before = snapshot(db_path)
    status, _, err = call(capsys, "--db", str(db_path), "--catalog", str(root), "evidence", "add", ids.short(fid),
                          str(write(files, "a.jpg", PHOTO)))
    assert status == 1 and "a.jpg" in one_line(err) and "超过上限" in err
    assert snapshot(db_path) == before


def test_an_id_end_shared_by_two_findings_is_refused_then_picked_by_village(cli_db, files, capsys, monkeypatch):
    db_path, (vid, fid), (vid2, fid2) = cli_db
    tail = fid[-4:]
    # Make both findings end alike: the second finding's id is rewritten in its village file.
    import json

    path = db_path / "villages" / f"{vid2}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    twin = fid2[:-4] + tail
    path.write_text(json.dumps(data, ensure_ascii=False).replace(fid2, twin), encoding="utf-8")
    base = ["--db", str(db_path), "--today", "2026-11-21", "--user", "李娜"]
    good = str(write(files, "a.jpg", PHOTO))
    status, _, err = call(capsys, *base, "evidence", "add", tail, good)
    line = one_line(err)
    assert status == 1 and ids.short(fid) in line and ids.short(twin) in line and "--in-village" in line
    status, out, err = call(capsys, *base, "evidence", "add", tail, good, "--in-village", "新华村")
    assert status == 0 and ids.short(twin) in out and "新华村" in out


def test_evidence_add_on_a_database_held_by_another_window_is_refused(cli_db, files, capsys):
    db_path, (_, fid), _ = cli_db
    with Database.open(db_path, clock=fixed_clock):  # another window holds the database
        before = snapshot(db_path)
        status, _, err = call(capsys, "--db", str(db_path), "evidence", "add", ids.short(fid),
                              str(write(files, "a.jpg", PHOTO)))
        assert status == 1 and str(db_path) in one_line(err)
        assert snapshot(db_path) == before


def test_verify_names_answers_by_inspection_and_item_number(db, visit, files, capsys):
    item = next(i for i in visit.checklist.items if i.answer == "yes_no")
    evidence.attach_to_answer(visit, item, [write(files, "a.jpg", PHOTO)], "张伟", kept_in=db.evidence)
    kept = visit.answers()[item.id].files[0]
    db.evidence.path_of(kept).unlink()
    root = db.root
    db.close()
    from inspector.core.item_text import numbering

    status, _, err = call(capsys, "--db", str(root), "evidence", "verify")
    assert status == 1
    line = err.splitlines()[0]
    assert ids.short(visit.inspection_id) in line and numbering(visit.checklist)[item.id] in line and item.id not in line


def test_verify_of_a_database_without_evidence_says_so(cli_db, capsys):
    db_path, _, _ = cli_db
    status, out, err = call(capsys, "--db", str(db_path), "evidence", "verify")
    assert status == 0 and err == "" and "0" in out


def test_evidence_messages_in_english(cli_db, files, capsys):
    db_path, (_, fid), _ = cli_db
    status, _, err = call(capsys, "--db", str(db_path), "--lang", "en", "evidence", "add", ids.short(fid),
                          str(write(files, "x.bmp", PHOTO)))
    line = one_line(err)
    assert status == 1 and "x.bmp" in line and "cannot be kept" in line


def test_the_store_keeps_files_outside_a_database_too(tmp_path):
    """The evidence folder alone (as a sync bundle would use it): keep, path_of, verify."""
    kept_in = EvidenceFiles(tmp_path / "db")
    source = write(tmp_path, "scan.PDF", SCAN)
    file = kept_in.keep(source, by="张伟", at="2026-11-21T09:30:00")
    assert file == evidence.EvidenceFile(sha256=sha(SCAN), name="scan.PDF", size=len(SCAN), suffix=".pdf", by="张伟",
                                         at="2026-11-21T09:30:00")
    assert kept_in.path_of(file).read_bytes() == SCAN and kept_in.verify([file]) == []
    assert kept_in.verify([replace(file, sha256="0" * 64)])[0].kind == "missing"


def test_make_move_refuses_a_close_without_evidence_when_the_county_says_so(db):
    from datetime import date

    from inspector.core.evidence import EvidenceError
    from inspector.core.moves import Move, make_move, record
    from inspector.core.records import EvidenceFile

    from .conftest import add_finding

    v = db.add_village("石堰村", "金鸡镇")
    store = db.store(v.id)
    f = add_finding(store, {"title": "多余牌子", "theme": "signboards"}, deadline="2026-12-01", by="张伟")
    for kind, extra in (("assign", {"unit": "镇综治办"}), ("report", {"note": "已摘除"}), ("verify", {})):
        record(store, f.id, kind, by="陈静", **extra)
    close = Move("close", on=date(2026, 11, 21), by="陈静")
    before = store.events(f.id)
    with pytest.raises(EvidenceError):
        make_move(store, f.id, close, close_needs_evidence=True)
    assert store.events(f.id) == before  # nothing recorded
    photo = EvidenceFile(sha256="ab" * 32, name="整改后.jpg", size=10, suffix=".jpg", by="陈静")
    record(store, f.id, "attach", by="陈静", files=(photo,))
    assert make_move(store, f.id, close, close_needs_evidence=True).state == "closed"
