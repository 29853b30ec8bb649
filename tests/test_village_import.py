"""Importing villages from CSV: encodings, headers, problems by row and column, and the verb."""

from __future__ import annotations

import argparse
import codecs
import io
import sys
import zipfile
from pathlib import Path

import pytest

from inspector import i18n
from inspector.cli import open_db
from inspector.commands import imports as command
from inspector.core import ids
from inspector.core.errors import UserError
from inspector.core.models import Village
from inspector.core.textwidth import width
from inspector.core.village_import import ERROR, WARNING, VillageImportError, read_villages_csv
from inspector.storage.database import Database

from .conftest import TODAY, fixed_clock

CN_HEADER = "村（社区）名称,乡镇（街道）,类型,区县,联系人,联系电话\n"
CN_ROWS = "石堰村,金鸡镇,村,綦江区,张三,13800001234\n龙溪社区,龙溪街道,社区,綦江区,李四,023-48661234\n"
EXISTING = [Village(id=ids.derived_id(None, "test", 1), name="石堰村", township="金鸡镇"),
            Village(id=ids.derived_id(None, "test", 2), name="旧村", township="金鸡镇", archived=True)]


def write(tmp_path: Path, content: str | bytes, name: str = "villages.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def where(preview) -> list[tuple[int, str, str, str]]:
    """Each problem as (row, column, short key, level)."""
    return [(p.row, p.column, p.key.rsplit(".", 1)[1], p.level) for p in preview.problems]


# -- encodings and delimiters -----------------------------------------------------


def test_utf8_with_bom_and_chinese_headers(tmp_path):
    path = write(tmp_path, "\ufeff" + CN_HEADER + CN_ROWS)
    preview = read_villages_csv(path, [])
    assert preview.encoding == "UTF-8 BOM" and preview.problems == []
    assert [(r.row, r.name, r.township, r.kind, r.county, r.contact, r.phone) for r in preview.rows] == [
        (2, "石堰村", "金鸡镇", "village", "綦江区", "张三", "13800001234"),
        (3, "龙溪社区", "龙溪街道", "community", "綦江区", "李四", "023-48661234"),
    ]


def test_utf8_without_bom(tmp_path):
    preview = read_villages_csv(write(tmp_path, CN_HEADER + CN_ROWS), [])
    assert preview.encoding == "UTF-8" and [r.name for r in preview.rows] == ["石堰村", "龙溪社区"]


def test_gb18030_with_chinese_headers(tmp_path):
    path = write(tmp_path, (CN_HEADER + CN_ROWS).replace("\n", "\r\n"), encoding="gb18030")
    preview = read_villages_csv(path, [])
    assert preview.encoding == "GB18030" and preview.problems == []
    assert [(r.name, r.township, r.phone) for r in preview.rows] == [("石堰村", "金鸡镇", "13800001234"), ("龙溪社区", "龙溪街道", "023-48661234")]


def test_english_headers_with_spaces_and_full_width_letters(tmp_path):
    text = " Name ,Ｔｏｗｎｓｈｉｐ,KIND,county,Contact Person,Tel\nShiyan,Jinji,Village,Qijiang,Zhang,13800001234\n"
    preview = read_villages_csv(write(tmp_path, text), [])
    assert preview.problems == []
    assert [(r.name, r.township, r.kind, r.county, r.contact, r.phone) for r in preview.rows] == [
        ("Shiyan", "Jinji", "village", "Qijiang", "Zhang", "13800001234")
    ]


@pytest.mark.parametrize(
    "header",
    [
        "名称,乡镇,类型,县,联系人,电话",
        "村名,街道,类型,区县,联系人,手机",
        "村(社区)名称 ,乡镇（街道）,类别,县（区）,负责人,联系电话",
        "名称（必填）,乡镇（街道）*,类型,区县,联系人,手机号码",
        "名　称,乡　镇,类　型,区　县,联系人,电　话",  # ideographic spaces inside
    ],
)
def test_header_variants(tmp_path, header):
    preview = read_villages_csv(write(tmp_path, header + "\n石堰村,金鸡镇,行政村,綦江区,张三,13800001234\n"), [])
    assert preview.problems == []
    assert [(r.name, r.township, r.kind, r.county, r.contact, r.phone) for r in preview.rows] == [
        ("石堰村", "金鸡镇", "village", "綦江区", "张三", "13800001234")
    ]


@pytest.mark.parametrize("delimiter, label", [("\t", "\t"), (";", ";")])
def test_tab_and_semicolon_separated(tmp_path, delimiter, label):
    text = f"名称{delimiter}乡镇{delimiter}电话\n石堰村{delimiter}金鸡镇{delimiter}023-1234, 转 8\n"
    preview = read_villages_csv(write(tmp_path, text), [])
    assert preview.delimiter == label
    assert [(r.name, r.township) for r in preview.rows] == [("石堰村", "金鸡镇")]


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path):
    path = write(tmp_path, codecs.BOM_UTF16_LE + "名称\t乡镇\n石堰村\t金鸡镇\n".encode("utf-16-le"), name="v.txt")
    preview = read_villages_csv(path, [])
    assert (preview.encoding, preview.delimiter) == ("UTF-16", "\t")
    assert [r.name for r in preview.rows] == ["石堰村"]


def test_comma_wins_when_a_cell_holds_a_semicolon(tmp_path):
    text = "名称,乡镇,电话\n石堰村,金鸡镇,023-1234;138000\n"
    preview = read_villages_csv(write(tmp_path, text), [])
    assert preview.delimiter == "," and preview.rows[0].phone == "023-1234;138000"


# -- rows, columns and problems ---------------------------------------------------


def test_problems_by_row_and_column(tmp_path):
    text = (
        "名称,乡镇,类型,电话\n"  # row 1
        "石堰村,金鸡镇,村,13800001234\n"  # 2 fine
        ",金鸡镇,村,\n"  # 3 no name
        "龙洞村,,村,\n"  # 4 no township
        "新村,金鸡镇,自然村,\n"  # 5 unknown kind
        "河口村,金鸡镇,,138-0000-1234（王）\n"  # 6 odd phone: warning, imported
        "桥头村,金鸡镇,村,1.38E+10\n"  # 7 scientific notation: warning, phone left blank
        ",,,\n"  # 8 blank: ignored
        "\n"  # 9 blank line: ignored
        "沙坝社区,金鸡镇,,\n"  # 10 blank kind: community by its name
    )
    preview = read_villages_csv(write(tmp_path, text), [])
    assert where(preview) == [
        (3, "名称", "missing_name", ERROR),
        (4, "乡镇", "missing_township", ERROR),
        (5, "类型", "bad_kind", ERROR),
        (6, "电话", "phone_odd", WARNING),
        (7, "电话", "phone_scientific", WARNING),
    ]
    assert preview.problems[2].params == {"value": "自然村"}
    assert [(r.row, r.name, r.kind, r.phone) for r in preview.rows] == [
        (2, "石堰村", "village", "13800001234"),
        (6, "河口村", "village", "138-0000-1234(王)"),
        (7, "桥头村", "village", ""),
        (10, "沙坝社区", "community", ""),
    ]
    assert (preview.data_rows, preview.skipped, len(preview.errors), len(preview.warnings)) == (7, 3, 3, 2)


@pytest.mark.parametrize("value, kind", [("村", "village"), ("行政村", "village"), ("Village", "village"), ("社区", "community"), ("居委会", "community"), ("ＣＯＭＭＵＮＩＴＹ", "community")])
def test_kind_values(tmp_path, value, kind):
    preview = read_villages_csv(write(tmp_path, f"名称,乡镇,类型\n甲,金鸡镇,{value}\n"), [])
    assert preview.problems == [] and preview.rows[0].kind == kind


def test_duplicates_in_the_database_and_in_the_file(tmp_path):
    text = "名称,乡镇\n石堰村,金鸡镇\n石堰村,龙溪街道\n旧村,金鸡镇\n河口村,金鸡镇\n河口村,金鸡镇\n河口村,金鸡镇\n"
    preview = read_villages_csv(write(tmp_path, text), EXISTING)
    assert where(preview) == [
        (2, "名称", "duplicate_existing", ERROR),
        (3, "乡镇", "import_new_township", WARNING),  # 龙溪街道 is new to the database: listed
        (4, "名称", "duplicate_archived", ERROR),
        (6, "名称", "duplicate_in_file", ERROR),
        (7, "名称", "duplicate_in_file", ERROR),
    ]
    assert preview.problems[0].params == {"name": "石堰村", "township": "金鸡镇", "id": EXISTING[0].id}
    # Said with the short id people see, never the whole one.
    said = command.describe(preview.problems[0])
    assert f"（{ids.short(EXISTING[0].id)}）" in said and EXISTING[0].id not in said
    assert preview.problems[3].params == {"first": 5}
    # the same name in another township is another village
    assert [(r.row, r.name, r.township) for r in preview.rows] == [(3, "石堰村", "龙溪街道"), (5, "河口村", "金鸡镇")]


def test_a_skipped_row_does_not_claim_its_name(tmp_path):
    text = "名称,乡镇,类型\n河口村,金鸡镇,乡村\n河口村,金鸡镇,村\n"
    preview = read_villages_csv(write(tmp_path, text), [])
    assert where(preview) == [(2, "类型", "bad_kind", ERROR)]
    assert [r.row for r in preview.rows] == [3]


def test_unknown_and_unnamed_columns_warn_once_on_the_header(tmp_path):
    text = "序号,名称,乡镇,备注,\n1,石堰村,金鸡镇,新建,x\n2,河口村,金鸡镇,,\n"
    preview = read_villages_csv(write(tmp_path, text), [])
    assert where(preview) == [(1, "备注", "unknown_column", WARNING), (1, "E", "unnamed_column", WARNING)]
    assert len(preview.rows) == 2


def test_title_rows_above_the_header_are_skipped(tmp_path):
    text = "金鸡镇村（社区）名单,,\n,,\n名称,乡镇,电话\n石堰村,金鸡镇,13800001234\n"
    preview = read_villages_csv(write(tmp_path, text, encoding="gb18030"), [])
    assert preview.header_row == 3
    assert where(preview) == [(1, "", "title_row", WARNING)]
    assert [(r.row, r.name) for r in preview.rows] == [(4, "石堰村")]


def test_a_cell_with_a_line_break_is_one_spreadsheet_row(tmp_path):
    text = '名称,乡镇,联系人\n石堰村,金鸡镇,"张三\n李四"\n,金鸡镇,\n'
    preview = read_villages_csv(write(tmp_path, text), [])
    assert where(preview) == [(3, "名称", "missing_name", ERROR)]


# -- files that cannot be imported -------------------------------------------------


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    # A fixed timestamp: zip entries otherwise carry the current time, and these
    # bytes must be the same on every run and every xdist worker.
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in (("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")):
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


UNREADABLE = [  # a broken .xlsx is read as a workbook now: see "Excel workbooks" below
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "excel"),  # old .xls
        (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR", "binary"),
        (b"name,township\n\x01\x02\x03,x\n", "binary"),
        (b"", "empty"),
        (b"\xef\xbb\xbf\r\n\r\n", "empty"),
        ("名称,乡镇,类型\n".encode(), "no_rows"),
        ("名称,乡镇\n,,\n\n".encode("gb18030"), "no_rows"),
        ("名称,类型\n石堰村,村\n".encode(), "missing_township_column"),
        ("乡镇,类型\n金鸡镇,村\n".encode(), "missing_name_column"),
        (b"a,b,c\n1,2,3\n", "missing_columns"),
        ("名称,电话,手机,乡镇\n".encode(), "duplicate_column"),
        ('名称,乡镇\n"石堰村,金鸡镇\n'.encode(), "malformed"),
        (b"name,township\n\x80\x80,x\n", "encoding"),
        ("名称,乡镇\n石堰村,金鸡镇\n".encode() + "河口村,金鸡镇\n".encode("gb18030"), "mixed_encoding"),
        (b"\xef\xbb\xbf" + "名称,乡镇\n".encode() + "河口村,金鸡镇\n".encode("gb18030"), "mixed_encoding"),
]


@pytest.mark.parametrize("content, key", UNREADABLE, ids=[f"{key}-{n}" for n, (_, key) in enumerate(UNREADABLE)])
def test_files_that_cannot_be_imported(tmp_path, content, key):
    path = write(tmp_path, content)
    with pytest.raises(VillageImportError) as caught:
        read_villages_csv(path, [])
    assert caught.value.key == f"import.error.{key}"
    assert caught.value.params["path"] == str(path)
    message = i18n.t(caught.value.key, **caught.value.params)
    assert str(path) in message and "{" not in message


def test_mixed_encoding_names_the_lines(tmp_path):
    path = write(tmp_path, "名称,乡镇\n石堰村,金鸡镇\n".encode() + "河口村,金鸡镇\n".encode("gb18030"))
    with pytest.raises(VillageImportError) as caught:
        read_villages_csv(path, [])
    assert caught.value.params == {"path": str(path), "utf8_line": 1, "other_line": 3}


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(VillageImportError) as caught:
        read_villages_csv(tmp_path / "nope.csv", [])
    assert caught.value.key == "import.error.not_found"
    with pytest.raises(VillageImportError) as caught:
        read_villages_csv(tmp_path, [])
    assert caught.value.key == "import.error.folder"


def test_the_import_core_never_reads_the_clock():
    # Its purity (no Textual, no Rich) is tests/test_layers.py's, with every other module of core.
    source = (Path(command.__file__).parents[1] / "core" / "village_import.py").read_text(encoding="utf-8")
    assert "datetime" not in source and "today(" not in source


# -- the verb ----------------------------------------------------------------------


def namespace(file: Path, db: Path, *, dry_run: bool = False, yes: bool = False) -> argparse.Namespace:
    return argparse.Namespace(file=file, db=db, today=TODAY, lang="zh", catalog=None, dry_run=dry_run, yes=yes)


def snapshot(root: Path, *, locks: bool = True) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and (locks or not p.name.startswith(".lock"))
    }


class Terminal(io.StringIO):
    """Typed answers on a stdin that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def existing_db(db_path: Path) -> Path:
    with Database.open(db_path, clock=fixed_clock) as db:
        db.add_village("石堰村", "金鸡镇")
    return db_path


@pytest.fixture
def mixed_file(tmp_path: Path) -> Path:
    """Two good rows, one duplicate of the database, one without a township."""
    text = "\ufeff名称,乡镇,类型,电话\n石堰村,金鸡镇,村,\n河口村,金鸡镇,村,13800001234\n龙溪社区,龙溪街道,,\n沙坝村,,村,\n"
    return write(tmp_path, text)


def stored(db_path: Path) -> list[tuple[str, str, str, str, str]]:
    """(id, township, name, kind, phone) of each village, by township and name (ids made together have no order)."""
    with Database.open(db_path, clock=fixed_clock, read_only=True) as db:
        return sorted(((v.id, v.township, v.name, v.kind, v.phone) for v in db.villages()), key=lambda r: (r[1], r[2]))


def test_dry_run_shows_everything_and_writes_nothing(existing_db, mixed_file, capsys):
    (shiyan, *_), = stored(existing_db)
    before = snapshot(existing_db)
    assert command.run(namespace(mixed_file, existing_db, dry_run=True), open_db) == 1
    assert snapshot(existing_db) == before
    out = capsys.readouterr().out
    assert "UTF-8 BOM" in out and "将添加 2 个村（社区）" in out
    assert f"第 2 行，列“名称”：错误：数据库里已有 金鸡镇 石堰村（{ids.short(shiyan)}）" in out
    assert "第 5 行，列“乡镇”：错误：乡镇（街道）为空" in out
    assert "可添加 2 个，跳过 2 行" in out
    table = out.split("将添加 2 个村（社区）：\n")[1].splitlines()
    # the name column starts at the same terminal cell on every line, Chinese counting double
    cell = lambda line, text: width(line[: line.index(text)])  # noqa: E731
    assert cell(table[0], "村（社区）") == cell(table[2], "河口村") == cell(table[3], "龙溪社区")


def test_dry_run_of_a_clean_file_exits_0_and_creates_no_database(tmp_path, capsys):
    path = write(tmp_path, CN_HEADER + CN_ROWS)
    db_path = tmp_path / "new-db"
    assert command.run(namespace(path, db_path, dry_run=True), open_db) == 0
    assert not db_path.exists()
    assert "预览（--dry-run）：未写入任何内容。" in capsys.readouterr().out


def test_answering_n_writes_nothing(existing_db, mixed_file, monkeypatch, capsys):
    before = snapshot(existing_db, locks=False)
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    assert command.run(namespace(mixed_file, existing_db), open_db) == 1
    assert snapshot(existing_db, locks=False) == before
    out = capsys.readouterr().out
    assert "写入 2 个村（社区）？[y/N]" in out and "已添加 0 个村（社区），跳过 2 行" in out


@pytest.mark.parametrize("stdin", [io.StringIO("y\n"), Terminal("")], ids=["not-a-terminal", "end-of-input"])
def test_no_terminal_or_end_of_input_counts_as_no(existing_db, mixed_file, monkeypatch, capsys, stdin):
    before = snapshot(existing_db, locks=False)
    monkeypatch.setattr(sys, "stdin", stdin)
    assert command.run(namespace(mixed_file, existing_db), open_db) == 1
    assert snapshot(existing_db, locks=False) == before
    assert "已添加 0 个" in capsys.readouterr().out


def test_answering_y_writes_the_valid_rows(existing_db, mixed_file, monkeypatch):
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    assert command.run(namespace(mixed_file, existing_db), open_db) == 1  # rows were skipped
    assert sorted(name for _, _, name, _, _ in stored(existing_db)) == sorted(["石堰村", "河口村", "龙溪社区"])


def test_yes_writes_the_valid_rows_in_one_write(existing_db, mixed_file, monkeypatch, capsys):
    from inspector.storage import atomic

    writes: list[str] = []
    real = atomic.write_atomic
    monkeypatch.setattr(atomic, "write_atomic", lambda path, *a, **k: (writes.append(Path(path).name), real(path, *a, **k)))
    (shiyan, *_), = stored(existing_db)
    assert command.run(namespace(mixed_file, existing_db, yes=True), open_db) == 1
    assert writes.count("inspector.json") == 1
    rows = stored(existing_db)
    assert [r[1:] for r in rows] == [
        ("金鸡镇", "河口村", "village", "13800001234"),
        ("金鸡镇", "石堰村", "village", ""),
        ("龙溪街道", "龙溪社区", "community", ""),
    ]
    # The stored village keeps its id; each new one has its own.
    assert rows[1][0] == shiyan and len({r[0] for r in rows}) == 3 and all(ids.is_id(r[0]) for r in rows)
    assert "已添加 2 个村（社区），跳过 2 行" in capsys.readouterr().out
    # a backup of the registry as it was before the import
    assert list((existing_db / "backups").rglob("inspector.json"))


def test_yes_on_a_clean_file_exits_0_and_creates_the_database(tmp_path, capsys):
    path = write(tmp_path, CN_HEADER + CN_ROWS, encoding="gb18030")
    db_path = tmp_path / "db"
    assert command.run(namespace(path, db_path, yes=True), open_db) == 0
    assert [(t, n, k) for _, t, n, k, _ in stored(db_path)] == [("金鸡镇", "石堰村", "village"), ("龙溪街道", "龙溪社区", "community")]


def test_english_output(existing_db, mixed_file, capsys):
    i18n.set_language("en")
    assert command.run(namespace(mixed_file, existing_db, dry_run=True), open_db) == 1
    out = capsys.readouterr().out
    assert "row 5, column 乡镇: error: the township is empty" in out
    assert "Would add: 2; rows to skip: 2; warnings: 1." in out  # 龙溪街道 is a new township


def test_read_only_database_is_refused(existing_db, mixed_file, capsys):
    before = snapshot(existing_db, locks=False)
    with Database.open(existing_db, clock=fixed_clock):  # another copy holds the database
        assert command.run(namespace(mixed_file, existing_db, yes=True), open_db) == 1
    assert snapshot(existing_db, locks=False) == before
    assert "只读" in capsys.readouterr().err


@pytest.mark.parametrize("content", [xlsx_bytes(), b"", "名称,乡镇\n".encode()], ids=["xlsx", "empty", "header-only"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_bad_file_exits_2_naming_it_and_changes_nothing(existing_db, tmp_path, capsys, content, dry_run):
    path = write(tmp_path, content, name="村名单.xlsx" if content[:2] == b"PK" else "村名单.csv")
    before = snapshot(existing_db)
    assert command.run(namespace(path, existing_db, dry_run=dry_run, yes=True), open_db) == 2
    assert snapshot(existing_db) == before
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1 and str(path) in captured.err


def test_a_bad_file_does_not_create_a_database(tmp_path, capsys):
    db_path = tmp_path / "db"
    assert command.run(namespace(write(tmp_path, b""), db_path, yes=True), open_db) == 2
    assert not db_path.exists()


def test_add_parser_with_the_cli_verb_helper(tmp_path):
    def verb(sub, name, help_key):  # as cli.build_parser defines it
        return sub.add_parser(name, help=i18n.t(help_key))

    parser = argparse.ArgumentParser()
    command.add_parser(parser.add_subparsers(dest="action"), verb)
    args = parser.parse_args(["import", "v.csv", "--dry-run"])
    assert (args.action, args.file, args.dry_run, args.yes) == ("import", Path("v.csv"), True, False)
    assert parser.parse_args(["import", "v.csv", "-y"]).yes is True


# ── names as a spreadsheet hands them over (issue 8) ──────────────────────────


def test_names_are_normalised_and_hostile_names_refused(tmp_path):
    nfd = "Cafe\u0301村"  # e + combining accent: looks like "Café村"
    rows = [
        "\ufeff名称,乡镇",
        "\ufeff石\u200b堰村\u202e,金鸡镇",  # invisible characters: stripped, with a warning
        "新华村１组,金鸡镇",  # full-width digit: made plain, with a warning
        "新华村1组,金鸡镇",  # the same name once the full-width digit is plain
        f"{nfd},金鸡镇",
        "Café村,金鸡镇",  # NFC of the row above: the same name
        '"上\n下村",金鸡镇',  # a line break inside the name
        '"左\r右村",金鸡镇',
        "x" * 10_000 + ",金鸡镇",
        "正常村,金\u200b鸡镇",
    ]
    preview = read_villages_csv(write(tmp_path, "\n".join(rows) + "\n"), EXISTING)
    added = [(r.row, r.name, r.township) for r in preview.rows]
    assert added == [(3, "新华村1组", "金鸡镇"), (5, "Café村", "金鸡镇"), (10, "正常村", "金鸡镇")]
    problems = where(preview)
    assert (2, "名称", "duplicate_existing", ERROR) in problems  # 石堰村 once cleaned is already stored
    assert (2, "名称", "name_cleaned", WARNING) in problems and (3, "名称", "name_cleaned", WARNING) in problems
    assert (4, "名称", "duplicate_in_file", ERROR) in problems
    assert (6, "名称", "duplicate_in_file", ERROR) in problems
    assert (7, "名称", "name_control", ERROR) in problems  # row 7 is two lines of the file, one row
    assert (8, "名称", "name_control", ERROR) in problems
    assert (9, "名称", "name_too_long", ERROR) in problems
    assert (10, "乡镇", "name_cleaned", WARNING) in problems


def test_a_200_kb_cell_is_a_long_cell_not_an_unmatched_quote(tmp_path):
    preview = read_villages_csv(write(tmp_path, "名称,乡镇,联系人\n石堰村,金鸡镇,\"" + "长" * 200_000 + "\"\n"), [])
    assert where(preview) == [(2, "联系人", "cell_too_long", ERROR)]
    preview = read_villages_csv(write(tmp_path, "名称,乡镇\n" + "长" * 200_000 + ",金鸡镇\n"), [])
    assert where(preview) == [(2, "名称", "name_too_long", ERROR)]
    with pytest.raises(VillageImportError) as exc:  # a quote really left open is still a parse error
        read_villages_csv(write(tmp_path, '名称,乡镇\n"石堰村,金鸡镇\n河口村,金鸡镇\n'), [])
    assert exc.value.key == "import.error.malformed"


def test_big5_read_as_gb18030_is_refused_not_imported_as_mojibake(tmp_path):
    text = "名稱,鄉鎮\n石堰村,金雞鎮\n龍溪社區,龍溪街道\n新華村,統景鎮\n鳳凰村,大灣鎮\n"
    path = write(tmp_path, text.encode("big5"))
    with pytest.raises(VillageImportError) as exc:
        read_villages_csv(path, [])
    assert exc.value.key == "import.error.implausible" and exc.value.params["encoding"] == "GB18030"
    message = i18n.t(exc.value.key, **exc.value.params)
    assert str(path) in message and "UTF-8" in message


def test_utf8_read_twice_is_refused(tmp_path):
    garbled = CN_HEADER + CN_ROWS
    path = write(tmp_path, garbled.encode("utf-8").decode("latin-1").encode("utf-8"))
    with pytest.raises(VillageImportError) as exc:
        read_villages_csv(path, [])
    assert exc.value.key == "import.error.implausible"


def test_real_gbk_with_a_rare_place_name_character_is_accepted(tmp_path):
    text = "名称,乡镇\n石堰村,金鸡镇\n堃和村,金鸡镇\n" + "".join(f"新华{n}村,金鸡镇\n" for n in range(20))
    preview = read_villages_csv(write(tmp_path, text, encoding="gb18030"), [])
    assert preview.encoding == "GB18030" and len(preview.rows) == 22


def test_add_villages_checks_look_alikes_in_one_pass_and_writes_all_or_nothing(db):
    db.add_village("石堰村", "金鸡镇")
    rows = [dict(name=f"村{n}", township="金鸡镇") for n in range(500)]
    added = db.add_villages(rows)
    assert len(added) == 500 and all(map(ids.is_id, (v.id for v in added)))
    assert len({v.id for v in db.villages()}) == 501  # every one its own id, none the first village's
    before = len(db.villages())
    with pytest.raises(UserError) as err:  # a refusal with its message key (issue 10), not a ValueError
        db.add_villages([dict(name="河口村", township="金鸡镇"), dict(name="村１", township="金鸡镇")])
    assert err.value.key == "village.duplicate"
    assert len(db.villages()) == before and not any(v.name == "河口村" for v in db.villages())


# ── Excel workbooks (issue 12) ────────────────────────────────────────────────


def workbook(tmp_path: Path, rows: list[list], *, name: str = "村名单.xlsx", merges: tuple[str, ...] = (),
             title: str = "名单", more_sheets: tuple[str, ...] = (), date_cells: tuple[str, ...] = ()) -> Path:
    """A workbook built in code (deterministic): ``rows`` from A1, ``merges`` as Excel ranges."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    for ref in date_cells:
        ws[ref].number_format = "yyyy年m月d日"
    for extra in more_sheets:
        wb.create_sheet(extra).append(["名称", "乡镇"])
    path = tmp_path / name
    wb.save(path)
    return path


def test_xlsx_with_merged_headers_dates_numbers_and_a_gb_name_column(tmp_path):
    from datetime import date as day, datetime as stamp

    rows = [
        ["綦江区村（社区）名单"],                                    # a title merged over the columns
        ["序号", "村（社区）名称", "乡镇（街道）", "联系人", None, "建档日期"],  # 联系人 merged over two sub-headers
        [None, None, None, "姓名", "电话", None],
        [1, "石堰村", "金鸡镇", "张三", 13800001234, day(2026, 11, 21)],
        [2, "垭口村", None, "李四", 2348661234.0, stamp(2026, 1, 5, 9, 30)],  # 金鸡镇 merged down over two rows
        [3, "𬇙溪社区", "龙溪街道", "王五", "023-48661234", 46000],
    ]
    merges = ("A1:F1", "D2:E2", "A2:A3", "B2:B3", "C2:C3", "F2:F3", "C4:C5")
    path = workbook(tmp_path, rows, merges=merges, date_cells=("F6",))
    preview = read_villages_csv(path, [])
    assert (preview.encoding, preview.sheet, preview.header_row, preview.data_rows) == ("xlsx", "名单", 3, 3)
    assert [(r.row, r.name, r.township, r.kind, r.contact, r.phone) for r in preview.rows] == [
        (4, "石堰村", "金鸡镇", "village", "张三", "13800001234"),  # a number: no ".0"
        (5, "垭口村", "金鸡镇", "village", "李四", "2348661234"),  # the merged township fills the row
        (6, "𬇙溪社区", "龙溪街道", "community", "王五", "023-48661234"),  # a name beyond GB2312
    ]
    # The title row is ignored with a warning; the two header rows are one header; 建档日期 is not a field.
    assert where(preview) == [(1, "", "title_row", WARNING), (3, "建档日期", "unknown_column", WARNING)]


def test_xlsx_cells_as_text():
    from datetime import date as day, datetime as stamp, time as clock

    from inspector.core.workbook import cell_text

    assert [cell_text(v) for v in (None, 13800001234, 13800001234.0, 2.5, 1e-7, day(2026, 11, 21),
                                   stamp(2026, 11, 21), stamp(2026, 11, 21, 9, 30), clock(8, 5), True)] == [
        "", "13800001234", "13800001234", "2.5", "0.0000001", "2026-11-21", "2026-11-21", "2026-11-21 09:30", "08:05", "TRUE"]


def test_xlsx_named_sheet_and_unknown_sheet(tmp_path):
    path = workbook(tmp_path, [["说明"], ["请看第二张表"]], more_sheets=("村名单",))
    with pytest.raises(VillageImportError) as caught:
        read_villages_csv(path, [])  # the first sheet has no header
    assert caught.value.key == "import.error.missing_columns"
    wb_path = workbook(tmp_path, [["名称", "乡镇"], ["石堰村", "金鸡镇"]], name="b.xlsx", title="第一张", more_sheets=("空表",))
    assert [r.name for r in read_villages_csv(wb_path, [], sheet="第一张").rows] == ["石堰村"]
    with pytest.raises(VillageImportError) as caught:
        read_villages_csv(wb_path, [], sheet="没有")
    assert caught.value.key == "office.import.unknown_sheet"
    message = i18n.t(caught.value.key, **caught.value.params)
    assert str(wb_path) in message and "第一张、空表" in message


BROKEN_WORKBOOKS = [
    (xlsx_bytes(), "office.import.corrupt"),  # a zip naming xl/ parts it does not hold
    (b"PK\x03\x04" + b"\x00" * 200, "office.import.corrupt"),  # a cut-off download
    # An encrypted workbook is an OLE file holding an "EncryptedPackage" stream.
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 50,
     "office.import.encrypted"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "import.error.excel"),  # old .xls
]


@pytest.mark.parametrize("content, key", BROKEN_WORKBOOKS, ids=["no-parts", "truncated", "encrypted", "xls"])
def test_broken_protected_and_old_workbooks_are_refused(tmp_path, content, key):
    path = write(tmp_path, content, name="村名单.xlsx" if key != "import.error.excel" else "村名单.xls")
    with pytest.raises(VillageImportError) as caught:
        read_villages_csv(path, [])
    assert caught.value.key == key
    message = i18n.t(caught.value.key, **caught.value.params)
    assert str(path) in message and "{" not in message and "\n" not in message


@pytest.mark.parametrize("content", [xlsx_bytes(), BROKEN_WORKBOOKS[2][0]], ids=["corrupt", "encrypted"])
def test_a_broken_workbook_exits_2_with_one_line_and_changes_nothing(existing_db, tmp_path, capsys, content):
    path = write(tmp_path, content, name="村名单.xlsx")
    before = snapshot(existing_db)
    assert command.run(namespace(path, existing_db, yes=True), open_db) == 2
    assert snapshot(existing_db) == before
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1 and str(path) in captured.err


def test_xlsx_import_verb_dry_run_then_one_write(existing_db, tmp_path, capsys):
    path = workbook(tmp_path, [["名称", "乡镇", "电话"], ["河口村", "金鸡镇", 13900001111], ["石堰村", "金鸡镇", None],
                               ["新华社区", "龙溪街道", None]])
    before = snapshot(existing_db)
    assert command.run(namespace(path, existing_db, dry_run=True), open_db) == 1  # a duplicate of a stored village: an error row
    out = capsys.readouterr().out
    assert f"读取 {path}：Excel 工作簿，工作表“名单”，表头在第 1 行，数据 3 行。" in out
    assert "第 3 行，列“名称”：错误" in out and snapshot(existing_db) == before
    assert command.run(namespace(path, existing_db, yes=True), open_db) == 1  # written, with a skipped row
    assert [(name, township, phone) for _, township, name, _, phone in stored(existing_db)] == [
        ("河口村", "金鸡镇", "13900001111"), ("石堰村", "金鸡镇", ""), ("新华社区", "龙溪街道", "")]


def test_sheet_option_on_a_csv_is_refused(tmp_path):
    path = write(tmp_path, CN_HEADER + CN_ROWS)
    with pytest.raises(VillageImportError) as caught:
        read_villages_csv(path, [], sheet="名单")
    assert caught.value.key == "office.import.sheet_for_csv"


# -- a township typo is not a new township (F3) ------------------------------------


def test_a_township_near_an_existing_one_is_refused_unless_new_township(tmp_path):
    existing = [Village(id=ids.derived_id(None, "test", 1), name="岩田村", township="石船镇")]
    text = "名称,乡镇\n白云村,石船\n河口村,龙溪街道\n上坝村,龙溪街道\n"
    path = write(tmp_path, text)
    preview = read_villages_csv(path, existing)
    assert where(preview) == [(2, "乡镇", "import_near_township", ERROR), (3, "乡镇", "import_new_township", WARNING)]
    assert preview.problems[0].params == {"name": "石船", "near": "石船镇"}
    assert "是不是：石船镇" in command.describe(preview.problems[0])
    assert [r.row for r in preview.rows] == [3, 4]
    accepted = read_villages_csv(path, existing, new_township=True)
    assert where(accepted) == [(2, "乡镇", "import_new_township", WARNING), (3, "乡镇", "import_new_township", WARNING)]
    assert [(r.row, r.township) for r in accepted.rows] == [(2, "石船"), (3, "龙溪街道"), (4, "龙溪街道")]


def test_import_command_refuses_the_typo_row_and_new_township_accepts_it(tmp_path, capsys):
    from inspector.cli import main

    db = tmp_path / "db"
    assert main(["--db", str(db), "village", "add", "岩田村", "--township", "石船镇"]) == 0
    path = write(tmp_path, "名称,乡镇\n白云村,石船\n")
    assert main(["--db", str(db), "village", "import", str(path), "--yes"]) == 1
    out = capsys.readouterr().out
    assert "第 2 行" in out or "2" in out
    assert "石船镇" in out
    assert main(["--db", str(db), "village", "import", str(path), "--yes", "--new-township"]) == 0
    with Database.open(db, clock=fixed_clock) as opened:
        assert sorted(opened.townships()) == ["石船", "石船镇"]
