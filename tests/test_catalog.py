"""The lists as data: counts match the documents, validation names file, item and problem."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inspector import i18n
from inspector.catalog.loader import DEFAULT_ROOT, CatalogError, load_catalog
from inspector.catalog.model import THEMES
from inspector.catalog.search import CatalogSearch, initials
from inspector.cli import main

EXPECTED = {
    "cq2019.autonomy": 23,
    "cq2019.assistance": 27,
    "cq2019.negative": 7,
    "sc.autonomy": 20,
    "sc.assistance": 32,
    "sc.negative": 7,
    "jj.power": 8,
    "jj.autonomy": 29,
    "jj.assistance": 34,
    "jj.certificates_allowed": 5,
    "cq2023.certificates_forbidden": 32,
    "jj.service": 9,
    "jj.negative": 7,
}


def all_lists(catalog):
    return {lst.id: lst for s in catalog.listsets.values() for lst in s.lists}


def test_counts_match_the_documents(catalog):
    lists = all_lists(catalog)
    assert {k: len(lists[k].items) for k in EXPECTED} == EXPECTED
    assert all(lists[k].count == EXPECTED[k] for k in EXPECTED)


def test_items_are_numbered_in_order_with_unique_ids(catalog):
    for lst in all_lists(catalog).values():
        assert [int(i.number) for i in lst.items] == list(range(1, len(lst.items) + 1)), lst.id
        assert all(i.id == f"{lst.id}.{int(i.number):02d}" for i in lst.items), lst.id


def test_chongqing_assistance_items_all_have_refined_subtasks_and_basis(catalog):
    assistance = all_lists(catalog)["cq2019.assistance"]
    assert all(item.subtasks for item in assistance.items)
    assert all(item.basis for item in assistance.items)
    first = assistance.items[0]
    assert first.title == "协助做好社会救助工作"
    assert any("最低生活保障" in s for s in first.subtasks)


def test_no_page_headers_or_html_left_in_the_text(catalog):
    for s in catalog.listsets.values():
        for item in s.items():
            text = item.text() + "".join(item.basis)
            assert "重庆市民政局规范性文件" not in text, item.id
            assert "<ol" not in text and "<p>" not in text and "<li" not in text, item.id


def test_default_set_is_chongqing_with_2023_certificates(catalog):
    default = catalog.default
    assert default.id == "chongqing"
    kinds = [lst.kind for lst in default.lists]
    assert kinds[:4] == ["autonomy", "assistance", "negative", "certificate_forbidden"]


def test_negative_lists_keep_the_seven_categories(catalog):
    titles = [i.title for i in all_lists(catalog)["cq2019.negative"].items]
    assert titles == ["行政执法类", "拆迁拆违类", "环境整治类", "城市管理类", "招商引资类", "协税护税类", "生产安全管理类"]


def test_checklists_cover_the_seven_themes_with_versions(catalog):
    assert set(catalog.checklists) == {"chongqing", "sichuan", "jinji", "cq2023_certificates"}
    for checklist in catalog.checklists.values():
        assert checklist.version
        assert [t.id for t in checklist.themes] == list(THEMES)
        assert {i.theme for i in checklist.items} == set(THEMES)
        listset = catalog.listsets[checklist.listset]
        for item in checklist.items:
            assert item.question and item.question_en and item.guidance_en
            assert item.basis_text or item.basis_kind == "practice", item.id  # a rule from the documents quotes its clause
            assert all(listset.item(ref) for ref in item.basis_items)
        observed = {i.observe for i in checklist.items if i.answer == "list"}
        assert {"signboard", "ledger", "task", "certificate", "app"} <= observed


def _copy_catalog(tmp_path: Path) -> Path:
    dest = tmp_path / "county"
    shutil.copytree(DEFAULT_ROOT, dest)
    return dest


def test_county_copy_with_edits_loads(tmp_path: Path, capsys):
    county = _copy_catalog(tmp_path)
    negative = county / "lists" / "chongqing" / "negative.toml"
    negative.write_text(negative.read_text(encoding="utf-8").replace("行政执法类", "行政执法类（本县）"), encoding="utf-8")
    catalog, problems = load_catalog(county)
    assert problems == []
    assert catalog.item("cq2019.negative.01").title == "行政执法类（本县）"
    assert main(["catalog", "check", str(county)]) == 0


def test_validation_names_file_item_and_problem(tmp_path: Path, capsys):
    county = _copy_catalog(tmp_path)
    negative = county / "lists" / "chongqing" / "negative.toml"
    text = negative.read_text(encoding="utf-8")
    text = text.replace('id = "cq2019.negative.02"', 'id = "cq2019.negative.01"', 1)  # duplicate id
    negative.write_text(text, encoding="utf-8")
    checklist = county / "checklists" / "chongqing.toml"
    ctext = checklist.read_text(encoding="utf-8")
    assert 'basis_items = ["cq2019.negative.01"' in ctext
    checklist.write_text(ctext.replace('basis_items = ["cq2019.negative.01"', 'basis_items = ["cq2019.negative.99"', 1), encoding="utf-8")
    autonomy = county / "lists" / "chongqing" / "autonomy.toml"
    autonomy.write_text(autonomy.read_text(encoding="utf-8").replace("count = 23", "count = 24"), encoding="utf-8")
    _, problems = load_catalog(county, strict=False)
    # Messages come in the interface language (Chinese here; the old English-only messages were wrong, issue 8).
    messages = [str(p) for p in problems]
    assert any("negative.toml" in m and "cq2019.negative.01" in m and "条目编号重复" in m for m in messages)
    assert any("autonomy.toml" in m and "声明共 24 项，实际有 23 项" in m for m in messages)
    assert any("chongqing.toml" in m and "cq2019.negative.99" in m and "不在清单套" in m for m in messages)
    assert main(["catalog", "check", str(county)]) == 1
    err = capsys.readouterr().err
    assert "negative.toml" in err and "cq2019.negative.01" in err
    i18n.set_language("en")
    english = [str(p) for p in problems]
    assert any("autonomy.toml" in m and "declares count = 24 but has 23 items" in m for m in english)


def test_broken_toml_is_reported_with_its_file(tmp_path: Path):
    county = _copy_catalog(tmp_path)
    (county / "lists" / "sichuan" / "negative.toml").write_text('id = "sc.negative"\n[[items]\n', encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(county)
    assert "sichuan/negative.toml" in str(err.value) and "第 2 行" in str(err.value)


def test_app_with_bad_catalog_gives_message_not_traceback(tmp_path: Path):
    county = _copy_catalog(tmp_path)
    (county / "checklists" / "jinji.toml").write_text("id = 3\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "inspector", "--catalog", str(county), "--db", str(tmp_path / "db")],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 2
    assert "jinji.toml" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "db").exists()


def test_catalog_list_json(capsys):
    assert main(["catalog", "list", "--json"]) == 0
    sets = {s["id"]: s for s in json.loads(capsys.readouterr().out)}
    assert sets["chongqing"]["default"] is True
    assert {lst["id"]: lst["items"] for lst in sets["jinji"]["lists"]}["jj.assistance"] == 34
    assert sets["sichuan"]["checklist"]["version"]


def test_search_chinese_substring_and_pinyin_initials(catalog):
    search = CatalogSearch(catalog)
    hits = search.search("消防")
    assert hits and hits[0].where == "title" and "消防" in hits[0].item.title
    assert any(h.item.id == "cq2019.assistance.07" for h in search.search("xfxc"))  # 消防宣传
    assert initials("协助开展消防宣传教育") == "xzkzxfxcjy"
    assert search.search("没有这个词语") == []
    assert len({h.item.id for h in search.search("证明")}) == len(search.search("证明"))  # shared lists once


BROKEN = {
    "deep": lambda county: (county / "lists" / "sichuan" / "negative.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8"),
    "loop": lambda county: ((county / "lists" / "sichuan" / "negative.toml").unlink(),
                            (county / "lists" / "sichuan" / "negative.toml").symlink_to(county / "lists" / "sichuan" / "negative.toml")),
    "folder": lambda county: ((county / "lists" / "sichuan" / "negative.toml").unlink(), (county / "lists" / "sichuan" / "negative.toml").mkdir()),
    "checklist_folder": lambda county: (county / "checklists" / "extra.toml").mkdir(),
    "synonyms": lambda county: (county / "classifier" / "synonyms.toml").write_text('[[rule]]\nwhen = "低保"\n', encoding="utf-8"),
    "synonyms_cue": lambda county: (county / "classifier" / "synonyms.toml").write_text(
        '[[cue]]\nname = "x"\nwhen = ["罚款"]\nscale = { negative = 0.5 }\n', encoding="utf-8"),
    "shape": lambda county: (county / "checklists" / "jinji.toml").write_text('id = "jinji"\nthemes = 3\nitems = ["x"]\n', encoding="utf-8"),
}
NAMED = {"deep": "negative.toml", "loop": "negative.toml", "folder": "negative.toml", "checklist_folder": "extra.toml",
         "synonyms": "synonyms.toml", "synonyms_cue": "synonyms.toml", "shape": "jinji.toml"}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_files_fail_check_with_a_line_naming_the_file(case: str, tmp_path: Path, capsys):
    county = _copy_catalog(tmp_path)
    BROKEN[case](county)
    assert main(["catalog", "check", str(county)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines()[1:] if NAMED[case] in ln]
    assert lines, err
    assert all(re.search(r"[\u4e00-\u9fff]", ln) for ln in lines)  # in the interface language


def test_broken_synonyms_stop_classify_with_a_message(tmp_path: Path):
    county = _copy_catalog(tmp_path)
    BROKEN["synonyms"](county)
    out = subprocess.run([sys.executable, "-m", "inspector", "--catalog", str(county), "classify", "帮低保户填表"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "synonyms.toml" in out.stderr and "Traceback" not in out.stderr


def test_unreadable_file_is_named(tmp_path: Path, monkeypatch, capsys):
    from inspector.catalog import loader

    county = _copy_catalog(tmp_path)
    target = county / "lists" / "jinji" / "power.toml"

    def guarded_open(path, *args, **kwargs):
        if Path(path) == target:
            raise PermissionError(13, "Permission denied")  # root ignores file modes, so simulate it
        return open(path, *args, **kwargs)

    monkeypatch.setattr(loader, "open", guarded_open, raising=False)
    _, problems = load_catalog(county, strict=False)
    assert [(p.file.name, p.code) for p in problems if p.file == target] == [("power.toml", "unreadable")]


def test_an_emptied_title_is_reported_not_dropped(tmp_path: Path, capsys):
    county = _copy_catalog(tmp_path)
    negative = county / "lists" / "chongqing" / "negative.toml"
    negative.write_text(negative.read_text(encoding="utf-8").replace('title = "城市管理类"', 'title = ""'), encoding="utf-8")
    catalog, problems = load_catalog(county, strict=False)
    assert (problems[0].where, problems[0].code, problems[0].params) == ("cq2019.negative.04", "empty", {"field": "title"})
    assert main(["catalog", "check", str(county)]) == 1
    assert "cq2019.negative.04" in capsys.readouterr().err


def test_a_rule_from_the_documents_must_quote_its_clause_county_practice_need_not(tmp_path: Path):
    county = _copy_catalog(tmp_path)
    path = county / "checklists" / "chongqing.toml"
    text = path.read_text(encoding="utf-8")
    # services.04 cites 渝府办发〔2019〕23号; emptying its quote is an error. signboards.02 is practice: fine empty.
    start = text.index('id = "services.04"')
    quote = text.index("basis_text = ", start)
    end = text.index("\n", quote)
    path.write_text(text[:quote] + 'basis_text = ""' + text[end:], encoding="utf-8")
    _, problems = load_catalog(county, strict=False)
    assert [(p.where, p.code) for p in problems] == [("services.04", "empty")]
