"""The sync verbs: device show|name, sync export|import|roster|folder|devices.

Each simulated laptop is its own database and its own device file (INSPECTOR_DEVICE),
with fixed device ids; the verbs run in process through cli.main. Refusals are one
line on stderr, never a traceback, and leave the database byte-identical.
"""

from __future__ import annotations

import base64
import itertools
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from inspector import cli, device
from inspector.core.moves import record
from inspector.core.records import Finding
from inspector.storage.database import Database

A_ID, B_ID, C_ID = "01JAAAAAAAAAAAAAAAAAAAAAA1", "01JBBBBBBBBBBBBBBBBBBBBBB2", "01JCCCCCCCCCCCCCCCCCCCCCC3"
TODAY = "2026-11-21"


@dataclass
class Laptop:
    root: Path
    device_file: Path
    id: str

    def use(self, monkeypatch) -> None:
        monkeypatch.setenv("INSPECTOR_DEVICE", str(self.device_file))

    def open(self, hour: int = 9, day: int = 20) -> Database:
        """Records are made the day before the verbs run (their clock is --today at the real time of day)."""
        return Database.open(self.root, clock=lambda: datetime(2026, 11, day, hour), device=self.id)


def laptop(tmp_path: Path, name: str, did: str, label: str) -> Laptop:
    folder = tmp_path / f"device-{name}"
    folder.mkdir()
    (folder / "device.json").write_text(json.dumps({"id": did, "name": label}, ensure_ascii=False), encoding="utf-8")
    return Laptop(tmp_path / f"db-{name}", folder / "device.json", did)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of the database but the lock and the query cache (a derived index)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".lock") and not p.name.startswith("index.sqlite")}


def call(capsys, lap: Laptop, monkeypatch, *argv: str) -> tuple[int, str, str]:
    lap.use(monkeypatch)
    status = cli.main(["--db", str(lap.root), "--today", TODAY, *argv])
    out = capsys.readouterr()
    return status, out.out, out.err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def a(tmp_path, monkeypatch):
    """Laptop A: one village with a finding reported done (by 张伟)."""
    lap = laptop(tmp_path, "a", A_ID, "张伟的电脑")
    lap.use(monkeypatch)
    db = lap.open()
    v = db.add_village("石堰村", "金鸡镇")
    store = db.store(v.id)
    f = store.add_finding(Finding(id="", village=v.id, title="多余牌子", theme="signboards", unit="镇综治办"),
                          deadline=date(2026, 12, 1), by="张伟")
    record(store, f.id, "assign", by="张伟", unit="镇综治办")
    record(store, f.id, "report", by="张伟", note="已摘除")
    db.close()
    return lap


@pytest.fixture
def b(tmp_path):
    lap = laptop(tmp_path, "b", B_ID, "陈静的电脑")
    lap.open().close()
    return lap


def export(capsys, lap, monkeypatch, out: Path, *extra: str) -> Path:
    status, stdout, err = call(capsys, lap, monkeypatch, "sync", "export", "--out", str(out), *extra)
    assert status == 0, err
    return out / f"{lap.id}.inspector-bundle" if out.is_dir() else out


def findings_of(lap: Laptop) -> list[str]:
    db = lap.open()
    try:
        return sorted(f.title for v in db.villages() for f in db.store(v.id).findings())
    finally:
        db.close()


# ── device ────────────────────────────────────────────────────────────────


def test_device_show_and_name(capsys, a, monkeypatch):
    status, out, err = call(capsys, a, monkeypatch, "device", "show")
    key = device.this_device().public_key
    assert status == 0 and err == ""
    assert out.splitlines() == ["设备 AAAAAAA1", "名称：张伟的电脑", "角色：未启用名册", f"密钥指纹：{device.fingerprint(key)}"]
    assert A_ID not in out  # the whole id only in JSON
    status, out, _ = call(capsys, a, monkeypatch, "device", "show", "--json")
    shown = json.loads(out)
    assert (shown["id"], shown["short_id"], shown["name"], shown["fingerprint"]) == (A_ID, "AAAAAAA1", "张伟的电脑", device.fingerprint(key))
    assert base64.b64decode(shown["public_key"]) == key
    status, out, err = call(capsys, a, monkeypatch, "device", "name", "金鸡镇一号机")
    assert status == 0 and "金鸡镇一号机" in out
    assert json.loads(a.device_file.read_text(encoding="utf-8"))["name"] == "金鸡镇一号机"


@pytest.mark.parametrize("lang, name, expected", [
    ("zh", "  ", "设备名称不能为空。"),
    ("en", "x" * 41, "A device name has at most 40 characters."),
])
def test_device_name_refused_is_one_line_and_keeps_the_name(capsys, a, monkeypatch, lang, name, expected):
    before = a.device_file.read_bytes()
    status, out, err = call(capsys, a, monkeypatch, "--lang", lang, "device", "name", name)
    assert status == 1 and out == "" and one_line(err) == expected
    assert a.device_file.read_bytes() == before


def test_device_show_names_the_role_on_the_roster(capsys, a, b, monkeypatch, tmp_path):
    a.use(monkeypatch)
    key = base64.b64encode(device.this_device().public_key).decode()
    roster = write_roster(tmp_path, [{"device": A_ID, "name": "张伟", "role": "supervisor", "public_key": key}])
    assert call(capsys, a, monkeypatch, "sync", "roster", str(roster))[0] == 0
    status, out, _ = call(capsys, a, monkeypatch, "--lang", "en", "device", "show")
    assert "Role: supervisor" in out.splitlines()


# ── export ────────────────────────────────────────────────────────────────


def test_export_into_a_folder_names_the_file_by_device_and_says_what_it_covers(capsys, a, monkeypatch, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    status, out, err = call(capsys, a, monkeypatch, "--lang", "en", "sync", "export", "--out", str(out_dir))
    path = out_dir / f"{A_ID}.inspector-bundle"
    assert status == 0 and err == ""
    assert out.strip() == f"Wrote {path}: 1 village, 4 records (everything)."  # the finding, its 3 events
    assert [p.name for p in out_dir.iterdir()] == [path.name]  # no temp file left
    from inspector.wiring import read_bundle

    bundle = read_bundle(path.read_bytes())
    assert bundle.device == A_ID and bundle.name == "张伟的电脑"
    assert [v["name"] for v in bundle.villages] == ["石堰村"]


def test_export_since_last_carries_only_what_changed(capsys, a, monkeypatch, tmp_path):
    export(capsys, a, monkeypatch, tmp_path / "all.bundle")
    status, out, _ = call(capsys, a, monkeypatch, "--lang", "en", "sync", "export", "--since", "last", "--out",
                          str(tmp_path / "since.bundle"))
    assert status == 0 and ": 0 villages, 0 records (changed since " in out
    db = a.open(day=22)  # a change after the last export
    db.add_village("新华村", "金鸡镇")
    db.close()
    _, out, _ = call(capsys, a, monkeypatch, "--lang", "en", "sync", "export", "--since", "last", "--out",
                     str(tmp_path / "since2.bundle"))
    assert ": 1 village, 0 records (changed since " in out
    _, out, _ = call(capsys, a, monkeypatch, "--lang", "en", "sync", "export", "--since", "2026-11-20", "--out",
                     str(tmp_path / "day.bundle"))
    assert ": 2 villages, 4 records (changed since 2026-11-20)" in out
    _, out, _ = call(capsys, a, monkeypatch, "--lang", "en", "sync", "export", "--since", "2026-11-22", "--out",
                     str(tmp_path / "day.bundle"))
    assert ": 1 village, 0 records (changed since 2026-11-22)" in out


def test_export_of_one_village(capsys, a, monkeypatch, tmp_path):
    db = a.open()
    db.add_village("新华村", "金鸡镇")
    db.close()
    path = export(capsys, a, monkeypatch, tmp_path / "one.bundle", "--village", "新华村")
    from inspector.wiring import read_bundle

    assert [v["name"] for v in read_bundle(path.read_bytes()).villages] == ["新华村"]


@pytest.mark.parametrize("argv, status, expected", [
    (["--since", "yesterday", "--out", "{tmp}/x.bundle"], 2, "Not a date: yesterday"),
    (["--out", "{tmp}/missing/x.bundle"], 2, "No such folder:"),
    (["--village", "不存在村", "--out", "{tmp}/x.bundle"], 1, "不存在村"),
])
def test_export_refusals_are_one_line(capsys, a, monkeypatch, tmp_path, argv, status, expected):
    argv = [x.replace("{tmp}", str(tmp_path)) for x in argv]
    got, out, err = call(capsys, a, monkeypatch, "--lang", "en", "sync", "export", *argv)
    assert got == status and expected in one_line(err)
    assert not (tmp_path / "x.bundle").exists()


# ── import ────────────────────────────────────────────────────────────────


def test_an_untrusted_device_is_refused_with_its_fingerprint_then_trusted(capsys, a, b, monkeypatch, tmp_path):
    path = export(capsys, a, monkeypatch, tmp_path / "a.inspector-bundle")
    a.use(monkeypatch)
    fp = device.fingerprint(device.this_device().public_key)
    before = snapshot(b.root)
    status, out, err = call(capsys, b, monkeypatch, "--lang", "en", "sync", "import", str(path), "--yes")
    line = one_line(err)
    assert status == 1 and out == ""
    assert "张伟的电脑 (AAAAAAA1) is not trusted here yet" in line and fp in line and "--trust" in line
    assert snapshot(b.root) == before
    status, out, err = call(capsys, b, monkeypatch, "--lang", "en", "sync", "import", str(path), "--yes", "--trust")
    assert status == 0, err
    assert f"Trusting the device 张伟的电脑 (AAAAAAA1), key fingerprint {fp}." in out
    assert "  added: 1 village, 1 finding, 3 events" in out.split("Imported:")[1]
    assert findings_of(b) == ["多余牌子"]
    # Trusted now: the next import needs no --trust, and a repeated one changes nothing.
    before = snapshot(b.root)
    status, out, err = call(capsys, b, monkeypatch, "sync", "import", str(path), "--yes")
    assert status == 0 and "没有新内容" in out
    assert {k: v for k, v in snapshot(b.root).items() if k != "inspector.json"} == \
        {k: v for k, v in before.items() if k != "inspector.json"}  # only the device's last import is noted
    status, out, _ = call(capsys, b, monkeypatch, "--lang", "en", "sync", "devices", "--json")
    (seen,) = [d for d in json.loads(out) if d["id"] == A_ID]
    assert seen["trusted"] and seen["name"] == "张伟的电脑" and seen["fingerprint"] == fp and seen["last_import"]


def test_dry_run_previews_and_changes_nothing(capsys, a, b, monkeypatch, tmp_path):
    path = export(capsys, a, monkeypatch, tmp_path / "a.inspector-bundle")
    before = snapshot(b.root)
    status, out, err = call(capsys, b, monkeypatch, "sync", "import", str(path), "--trust", "--dry-run")
    assert status == 0 and err == ""
    assert "试运行" in out and "新增村（社区）1 个：石堰村" in out and "新增：1 个村（社区）、1 个问题、3 条处理记录" in out
    assert snapshot(b.root) == before


def test_without_yes_and_without_a_terminal_the_import_is_refused(capsys, a, b, monkeypatch, tmp_path):
    path = export(capsys, a, monkeypatch, tmp_path / "a.inspector-bundle")
    before = snapshot(b.root)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    status, out, err = call(capsys, b, monkeypatch, "--lang", "en", "sync", "import", str(path), "--trust")
    assert status == 1 and "What the import will change:" in out
    assert one_line(err) == "Not imported: confirm on a terminal, or add --yes to import without asking."
    assert snapshot(b.root) == before


@pytest.mark.parametrize("answer, imported", [("y", True), ("是", True), ("n", False), ("", False)])
def test_on_a_terminal_the_import_asks_first(capsys, a, b, monkeypatch, tmp_path, answer, imported):
    path = export(capsys, a, monkeypatch, tmp_path / "a.inspector-bundle")
    before = snapshot(b.root)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: answer)
    status, out, err = call(capsys, b, monkeypatch, "sync", "import", str(path), "--trust")
    if imported:
        assert status == 0 and findings_of(b) == ["多余牌子"]
    else:
        assert status == 1 and one_line(err) == "未导入，没有任何改动。"
        assert snapshot(b.root) == before


def _spoil(kind: str, data: bytes) -> bytes:
    if kind == "foreign":
        return b"PK\x03\x04 a spreadsheet"
    if kind == "future_version":
        return data.replace(b"INSPECTOR-BUNDLE 1", b"INSPECTOR-BUNDLE 9", 1)
    if kind == "truncated":
        return data[: len(data) // 2]
    return data[:-30] + bytes([data[-30] ^ 1]) + data[-29:]  # tampered


@pytest.mark.parametrize("kind, lang, expected", [
    ("foreign", "en", "this is not an inspector bundle. Nothing was imported."),
    ("future_version", "en", "written by a newer version of inspector (format 9, this version reads up to 1)"),
    ("truncated", "zh", "此数据包不完整（复制时中断？），请重新复制。未导入任何内容。"),
    ("tampered", "zh", "此数据包在签名后被改动"),
    ("tampered", "en", "this bundle was changed after it was signed"),
])
def test_a_bad_bundle_is_refused_whole_naming_the_file(capsys, a, b, monkeypatch, tmp_path, kind, lang, expected):
    good = export(capsys, a, monkeypatch, tmp_path / "good.inspector-bundle")
    bad = tmp_path / "bad.inspector-bundle"
    bad.write_bytes(_spoil(kind, good.read_bytes()))
    before = snapshot(b.root)
    # The good file first: nothing at all is imported when one of the files is bad.
    status, out, err = call(capsys, b, monkeypatch, "--lang", lang, "sync", "import", str(good), str(bad), "--trust", "--yes")
    line = one_line(err)
    assert status == 2 and out == ""
    assert line.startswith(str(bad)) and expected in line
    assert snapshot(b.root) == before


def test_a_missing_file_is_one_line(capsys, b, monkeypatch, tmp_path):
    status, out, err = call(capsys, b, monkeypatch, "--lang", "en", "sync", "import", str(tmp_path / "nope.inspector-bundle"))
    assert status == 1 and "Cannot read" in one_line(err) and "nope.inspector-bundle" in err


def trusted_then_new_key(capsys, a: Laptop, b: Laptop, monkeypatch, tmp_path: Path) -> Path:
    """B trusts A from A's first bundle; then A has a new key under its id (its key file lost) and
    adds a village: A's second bundle, signed with the new key."""
    first = export(capsys, a, monkeypatch, tmp_path / "first.inspector-bundle")
    assert call(capsys, b, monkeypatch, "sync", "import", str(first), "--trust", "--yes")[0] == 0
    (a.device_file.parent / "device.key").unlink()
    a.device_file.write_text(json.dumps({"id": A_ID, "name": "张伟的电脑"}, ensure_ascii=False), encoding="utf-8")
    a.use(monkeypatch)
    db = a.open(hour=10)
    db.add_village("新华村", "金鸡镇")
    db.close()
    return export(capsys, a, monkeypatch, tmp_path / "second.inspector-bundle")


def test_a_device_signing_with_another_key_than_the_trusted_one_is_refused(capsys, a, b, monkeypatch, tmp_path):
    # The same device id with a new key (made on first use): an impostor, for all we know.
    second = trusted_then_new_key(capsys, a, b, monkeypatch, tmp_path)
    before = snapshot(b.root)
    for extra in ([], ["--trust"]):
        status, out, err = call(capsys, b, monkeypatch, "--lang", "en", "sync", "import", str(second), "--yes", *extra)
        assert status == 1 and "signed with another key" in one_line(err) and "impostor" in err
    assert snapshot(b.root) == before


# ── roster ────────────────────────────────────────────────────────────────


def write_roster(tmp_path: Path, entries: list[dict], county: str = "渝北区", name: str = "roster.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"county": county, "entries": entries}, ensure_ascii=False), encoding="utf-8")
    return path


def key_of(lap: Laptop, monkeypatch) -> str:
    lap.use(monkeypatch)
    return base64.b64encode(device.this_device().public_key).decode()


def test_a_bad_roster_is_refused_with_one_line_per_problem(capsys, b, monkeypatch, tmp_path):
    path = write_roster(tmp_path, [{"device": "01JAAAA", "name": "", "role": "boss", "public_key": "xyz", "revoked": "no"},
                                   {"device": A_ID, "name": "张伟", "role": "inspector"}], county="")
    before = snapshot(b.root)
    status, out, err = call(capsys, b, monkeypatch, "--lang", "en", "sync", "roster", str(path))
    lines = err.strip().splitlines()
    assert status == 2 and out == "" and "Traceback" not in err
    assert lines == [
        f"{path}: field county is missing or empty.",
        f"{path}: entry 1, field device: 01JAAAA is not a device id (26 characters, as inspector device show --json prints).",
        f"{path}: entry 1, field name is missing or empty.",
        f"{path}: entry 1, field role: boss is not a role (one of inspector (inspector), supervisor (supervisor)).",
        f"{path}: entry 1, field public_key is not a public key (base64 of 32 bytes).",
        f"{path}: entry 1, field revoked must be true or false.",
    ]
    assert snapshot(b.root) == before
    path.write_text("{not json", encoding="utf-8")
    status, _, err = call(capsys, b, monkeypatch, "sync", "roster", str(path))
    assert status == 2 and one_line(err) == f"{path}：不是名册文件（格式错误，第 1 行）。"


def test_under_a_roster_an_inspectors_verification_is_quarantined_and_listed(capsys, a, b, monkeypatch, tmp_path):
    db = a.open(hour=10)
    vid = db.villages()[0].id
    fid = db.store(vid).findings()[0].id
    record(db.store(vid), fid, "verify", by="张伟")
    db.close()
    roster = write_roster(tmp_path, [{"device": A_ID, "name": "张伟", "role": "inspector", "public_key": key_of(a, monkeypatch)},
                                     {"device": B_ID, "name": "陈静", "role": "supervisor", "public_key": key_of(b, monkeypatch)}])
    status, out, _ = call(capsys, b, monkeypatch, "sync", "roster", str(roster))
    assert status == 0 and out.strip() == "已启用 渝北区 的名册：2 台设备，其中督查人员 1 台，已吊销 0 台。"
    path = export(capsys, a, monkeypatch, tmp_path / "a.inspector-bundle")
    # On the roster with this key: trusted without --trust.
    status, out, err = call(capsys, b, monkeypatch, "sync", "import", str(path), "--yes")
    assert status == 0, err
    assert "  隔离：石堰村，多余牌子：张伟 的“复核通过”，该设备在名册中不是督查人员（未生效）" in out.split("已导入：")[1]
    db = b.open()
    assert db.store(vid).status(fid).state == "reported"
    db.close()


def test_a_revoked_device_is_refused_whole(capsys, a, b, monkeypatch, tmp_path):
    roster = write_roster(tmp_path, [{"device": A_ID, "name": "张伟", "role": "inspector", "public_key": key_of(a, monkeypatch),
                                      "revoked": True}])
    assert call(capsys, b, monkeypatch, "sync", "roster", str(roster))[0] == 0
    path = export(capsys, a, monkeypatch, tmp_path / "a.inspector-bundle")
    before = snapshot(b.root)
    status, out, err = call(capsys, b, monkeypatch, "--lang", "en", "sync", "import", str(path), "--yes", "--trust")
    assert status == 1 and "is revoked on the roster in force" in one_line(err)
    assert snapshot(b.root) == before


def test_a_bundle_of_another_countys_roster_is_refused(capsys, a, b, monkeypatch, tmp_path):
    theirs = write_roster(tmp_path, [{"device": A_ID, "name": "张伟", "role": "inspector"}], county="江北区", name="theirs.json")
    ours = write_roster(tmp_path, [{"device": B_ID, "name": "陈静", "role": "supervisor"}], county="渝北区", name="ours.json")
    assert call(capsys, a, monkeypatch, "sync", "roster", str(theirs))[0] == 0
    assert call(capsys, b, monkeypatch, "sync", "roster", str(ours))[0] == 0
    path = export(capsys, a, monkeypatch, tmp_path / "a.inspector-bundle")
    before = snapshot(b.root)
    status, out, err = call(capsys, b, monkeypatch, "sync", "import", str(path), "--yes", "--trust")
    assert status == 2 and one_line(err) == (f"{path}：拒绝导入。此数据包按 江北区 的名册写出，而本库现行的是 渝北区 的名册。"
                                             "未导入任何内容。")
    assert snapshot(b.root) == before


def test_two_closures_of_one_finding_are_reported_as_a_conflict(capsys, a, b, monkeypatch, tmp_path):
    path = export(capsys, a, monkeypatch, tmp_path / "a.inspector-bundle")
    assert call(capsys, b, monkeypatch, "sync", "import", str(path), "--trust", "--yes")[0] == 0
    for lap, hour in ((a, 10), (b, 11)):  # both verify and close it, A first
        db = lap.open(hour=hour)
        vid = db.villages()[0].id
        store = db.store(vid)
        fid = store.findings()[0].id
        record(store, fid, "verify", by="陈静")
        record(store, fid, "close", by="陈静")
        db.close()
    path = export(capsys, a, monkeypatch, tmp_path / "a2.inspector-bundle")
    status, out, err = call(capsys, b, monkeypatch, "--lang", "en", "sync", "import", str(path), "--yes")
    assert status == 0, err
    report = out.split("Imported:")[1]
    assert "  conflict: 石堰村, 多余牌子: verified on site no longer fits the merged history (kept on record)" in report
    assert "  conflict: 石堰村, 多余牌子: closed no longer fits the merged history (kept on record)" in report
    assert "verify" not in report and "close " not in report  # labels, not codes


# ── folder ────────────────────────────────────────────────────────────────


@pytest.fixture
def ticking(monkeypatch):
    """Every reading of the verbs' clock a second after the last: each run writes at another time of day.

    (With the real clock two runs within one second wrote byte-identical bundles
    and runs a second apart did not, so what a test saw depended on the load.)
    """
    ticks = itertools.count()
    monkeypatch.setattr(cli, "make_clock", lambda today: lambda: datetime(2026, 11, 21, 9) + timedelta(seconds=next(ticks)))


def test_folder_sync_writes_its_own_file_and_imports_the_others(capsys, a, b, monkeypatch, tmp_path, ticking):
    shared = tmp_path / "shared"
    shared.mkdir()
    status, out, err = call(capsys, a, monkeypatch, "sync", "folder", str(shared))
    assert status == 0 and err == ""
    assert sorted(p.name for p in shared.iterdir()) == [f"{A_ID}.inspector-bundle"]
    (shared / "broken.inspector-bundle").write_bytes(b"not a bundle")
    status, out, err = call(capsys, b, monkeypatch, "--lang", "en", "sync", "folder", str(shared))
    assert status == 1
    lines = err.strip().splitlines()
    assert len(lines) == 2 and "is not trusted here yet" in lines[0] and "not an inspector bundle" in lines[1]
    assert "imported 0 bundles" in out and "2 skipped" in out
    assert findings_of(b) == [] and (shared / f"{B_ID}.inspector-bundle").exists()
    status, out, err = call(capsys, b, monkeypatch, "--lang", "en", "sync", "folder", str(shared), "--trust")
    assert status == 1 and "not an inspector bundle" in one_line(err)  # the broken one is still skipped
    assert "imported 1 bundles (张伟的电脑): added 1 village, 1 finding, 3 events" in out
    assert findings_of(b) == ["多余牌子"]
    # A's next run picks up B's file (B relays what it merged: nothing new for A).
    status, out, err = call(capsys, a, monkeypatch, "--lang", "en", "sync", "folder", str(shared))
    assert "is not trusted here yet" in err
    status, out, err = call(capsys, b, monkeypatch, "--lang", "en", "sync", "folder", str(shared))
    assert "1 unchanged" in out  # A's file was read already
    assert sorted(p.name for p in shared.iterdir()) == sorted(
        [f"{A_ID}.inspector-bundle", f"{B_ID}.inspector-bundle", "broken.inspector-bundle"])  # no temp files


def test_folder_sync_rewrites_its_own_file_only_when_what_it_carries_changed(capsys, a, b, monkeypatch, tmp_path,
                                                                            ticking):
    """A file carrying the same records is kept byte for byte (a later time of writing is no change), so the
    others do not read it again and Syncthing has nothing to send; a change is written."""
    shared = tmp_path / "shared"
    shared.mkdir()
    own = shared / f"{A_ID}.inspector-bundle"
    assert call(capsys, a, monkeypatch, "sync", "folder", str(shared))[0] == 0
    first = own.read_bytes()
    assert call(capsys, a, monkeypatch, "sync", "folder", str(shared))[0] == 0
    assert own.read_bytes() == first
    _, out, _ = call(capsys, b, monkeypatch, "--lang", "en", "sync", "folder", str(shared), "--trust")
    assert "imported 1 bundles (张伟的电脑)" in out
    _, out, _ = call(capsys, b, monkeypatch, "--lang", "en", "sync", "folder", str(shared))
    assert "imported 0 bundles" in out and "1 unchanged" in out
    db = a.open(day=22)  # a change on A: its next file carries it, and B reads it
    db.add_village("新华村", "金鸡镇")
    db.close()
    assert call(capsys, a, monkeypatch, "sync", "folder", str(shared))[0] == 1  # B's file: B is not trusted by A
    assert own.read_bytes() != first
    _, out, _ = call(capsys, b, monkeypatch, "--lang", "en", "sync", "folder", str(shared))
    assert "imported 1 bundles (张伟的电脑): added 1 village" in out and "0 unchanged" in out


def test_folder_that_does_not_exist_is_refused(capsys, b, monkeypatch, tmp_path):
    status, out, err = call(capsys, b, monkeypatch, "--lang", "en", "sync", "folder", str(tmp_path / "nowhere"))
    assert status == 2 and one_line(err) == f"No such folder: {tmp_path / 'nowhere'}."


def test_devices_lists_this_device_and_those_heard_from(capsys, a, b, monkeypatch, tmp_path):
    path = export(capsys, a, monkeypatch, tmp_path / "a.inspector-bundle")
    call(capsys, b, monkeypatch, "sync", "import", str(path), "--trust", "--yes")
    status, out, err = call(capsys, b, monkeypatch, "--lang", "en", "sync", "devices")
    lines = out.splitlines()
    assert status == 0 and lines[0].split() == ["Id", "Name", "Role", "Key", "fingerprint", "Trusted", "Last", "import",
                                                 "Last", "export"]
    assert lines[2].startswith("BBBBBBB2  陈静的电脑") and "this device" in lines[2]
    assert lines[3].startswith("AAAAAAA1  张伟的电脑") and " yes " in lines[3] and "2026-11-21" in lines[3]
    assert A_ID not in out and B_ID not in out


def test_a_device_with_a_new_key_is_forgotten_then_trusted_again(capsys, a, b, monkeypatch, tmp_path):
    second = trusted_then_new_key(capsys, a, b, monkeypatch, tmp_path)  # A reinstalled
    status, out, err = call(capsys, b, monkeypatch, "sync", "import", str(second), "--yes", "--trust")
    assert status == 1 and f"inspector sync forget {A_ID[-8:]}" in one_line(err)
    before = snapshot(b.root)
    for text, expected in ((C_ID[-8:], "不认识"), (B_ID[-8:], "本机")):  # unknown; this device
        status, out, err = call(capsys, b, monkeypatch, "sync", "forget", text)
        assert status == 1 and expected in one_line(err)
    assert snapshot(b.root) == before
    status, out, err = call(capsys, b, monkeypatch, "sync", "forget", A_ID[-4:])
    assert status == 0 and "张伟的电脑" in out and A_ID[-8:] in out
    assert findings_of(b) == ["多余牌子"]  # its records stay
    status, out, err = call(capsys, b, monkeypatch, "sync", "import", str(second), "--yes")
    assert status == 1 and "--trust" in one_line(err)  # asked about like a device never seen
    assert call(capsys, b, monkeypatch, "sync", "import", str(second), "--yes", "--trust")[0] == 0
    db = b.open()
    assert sorted(v.name for v in db.villages()) == ["新华村", "石堰村"]
    db.close()


def test_a_device_on_the_roster_is_not_forgotten_here(capsys, a, b, monkeypatch, tmp_path):
    first = export(capsys, a, monkeypatch, tmp_path / "first.inspector-bundle")
    assert call(capsys, b, monkeypatch, "sync", "import", str(first), "--trust", "--yes")[0] == 0
    roster = write_roster(tmp_path, [
        {"device": A_ID, "name": "张伟", "role": "inspector", "public_key": key_of(a, monkeypatch)},
        {"device": B_ID, "name": "陈静", "role": "supervisor", "public_key": key_of(b, monkeypatch)}])
    assert call(capsys, b, monkeypatch, "sync", "roster", str(roster))[0] == 0
    status, out, err = call(capsys, b, monkeypatch, "--lang", "en", "sync", "forget", A_ID[-8:])
    assert status == 1 and "roster" in one_line(err)
