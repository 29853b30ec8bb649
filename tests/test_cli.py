"""The command line: global options anywhere, clear errors with status 2, nothing created."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from inspector import __version__
from inspector.cli import main
from inspector.core import ids


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "inspector", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_version():
    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"inspector {__version__}"


def test_global_options_before_or_after_the_verb(tmp_path: Path, capsys):
    db = tmp_path / "db"
    assert main(["--db", str(db), "village", "add", "石堰村", "--township", "金鸡镇"]) == 0
    # A second township must be confirmed (issue 8: a typo must not create a township).
    assert main(["village", "add", "龙溪社区", "--township", "龙溪街道", "--new-township", "--kind", "community", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["village", "list", "--json", "--db", str(db)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["kind"]) for r in rows] == [("石堰村", "village"), ("龙溪社区", "community")]
    # JSON: the whole id and the short form ("number") people see in tables.
    assert all(ids.is_id(r["id"]) and r["number"] == ids.short(r["id"]) for r in rows) and rows[0]["id"] != rows[1]["id"]
    assert main(["--db", str(db), "--lang", "en", "village", "list"]) == 0
    out = capsys.readouterr().out
    assert "Township" in out and "石堰村" in out
    assert [line.split()[0] for line in out.splitlines()[2:]] == [r["number"] for r in rows]
    assert not any(r["id"] in out for r in rows)


def test_env_variables(tmp_path: Path):
    db = tmp_path / "db"
    out = run("village", "add", "石堰村", "--township", "金鸡镇", env={"INSPECTOR_DB": str(db)})
    assert out.returncode == 0, out.stderr
    assert (db / "inspector.json").exists()


def test_duplicate_village_is_refused(tmp_path: Path, capsys):
    db = tmp_path / "db"
    main(["--db", str(db), "village", "add", "石堰村", "--township", "金鸡镇"])
    assert main(["--db", str(db), "village", "add", "石堰村", "--township", "金鸡镇"]) == 1
    assert "已有名为“石堰村”" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--lang", "fr", "village", "list"], "fr"),
        (["--today", "2026-13-01", "village", "list"], "2026-13-01"),
        (["village", "list", "--today", "yesterday"], "yesterday"),
        (["--db", "{file}", "village", "list"], "notes.txt"),
        (["--db", "{folder}", "village", "list"], "others"),
        (["--db", "{missing}", "village", "list"], "nowhere"),
        (["village", "frobnicate"], "frobnicate"),
    ],
)
def test_bad_arguments_one_line_exit_2_nothing_created(tmp_path: Path, args: list[str], fragment: str):
    (tmp_path / "others").mkdir()
    (tmp_path / "others" / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "notes.txt").write_text("hello")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    args = [a.format(file=tmp_path / "notes.txt", folder=tmp_path / "others", missing=tmp_path / "nowhere" / "db") for a in args]
    out = run(*args, env={"INSPECTOR_DB": str(tmp_path / "unused")} if "--db" not in args else None)
    assert out.returncode == 2
    lines = [line for line in out.stderr.splitlines() if line.strip() and not line.startswith("usage")]
    assert len(lines) == 1 and fragment in lines[0], out.stderr
    assert "Traceback" not in out.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_corrupt_database_message_names_file_and_backup(tmp_path: Path):
    db = tmp_path / "db"
    assert run("--db", str(db), "village", "add", "石堰村", "--township", "金鸡镇").returncode == 0
    assert run("--db", str(db), "village", "add", "新华村", "--township", "金鸡镇").returncode == 0
    registry = db / "inspector.json"
    registry.write_text("{ broken", encoding="utf-8")
    out = run("--db", str(db), "village", "list")
    assert out.returncode == 2
    assert str(registry) in out.stderr and "backups" in out.stderr
    assert registry.read_text(encoding="utf-8") == "{ broken"


def test_demo_is_deterministic_for_a_seed(tmp_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    for path in (a, b):
        out = run("demo", "--db", str(path), "--villages", "4", "--years", "1", "--seed", "3", "--today", "2026-11-21")
        assert out.returncode == 0, out.stderr
    assert (a / "inspector.json").read_bytes() == (b / "inspector.json").read_bytes()
    for village in (a / "villages").iterdir():
        assert village.read_bytes() == (b / "villages" / village.name).read_bytes()
    out = run("demo", "--db", str(a), "--villages", "4", "--today", "2026-11-21")
    assert out.returncode == 2  # never overwrites a database


def test_demo_database_has_overdue_findings(tmp_path: Path, capsys):
    db = tmp_path / "demo"
    assert main(["demo", "--db", str(db), "--villages", "6", "--years", "2", "--seed", "1", "--today", "2026-11-21"]) == 0
    capsys.readouterr()
    assert main(["village", "list", "--json", "--db", str(db), "--today", "2026-11-21"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 6
    assert all(r["inspections"] == 8 for r in rows)
    assert sum(r["overdue_findings"] for r in rows) > 0
    assert sum(r["open_findings"] for r in rows) > sum(r["overdue_findings"] for r in rows)
