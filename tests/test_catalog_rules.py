"""The checklists' rules say what the documents say (issue 9).

Each test quotes the clause it holds the catalog to.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from inspector.catalog.loader import load_catalog
from inspector.cli import main
from inspector.core.item_text import basis_text

from .test_catalog import _copy_catalog

CHONGQING_FAMILY = ("chongqing", "cq2023_certificates", "jinji")
CQ_DOCS = ("渝府办发〔2019〕23号", "渝民发〔2021〕6号", "重庆市不应由村（社区）出具证明事项清单（2023年版）", "金鸡镇六张清单")


def _item_with(checklist, text: str):
    return [i for i in checklist.items if text in i.basis_text]


def test_target_assessment_is_ruled_out_for_purchased_services_only(catalog):
    """渝府办发〔2019〕23号 §三: "对购买基层群众性自治组织服务的事项……对工作的满意度评定以合同条款为依据，
    不再以目标考核的方式进行工作评价。" Nothing is said of assistance work, so assessing it is no violation."""
    for cid in CHONGQING_FAMILY:
        checklist = catalog.checklists[cid]
        for item_id in ("evaluations.01", "evaluations.04"):
            item = checklist.item(item_id)
            assert "不再以目标考核的方式进行工作评价" in item.basis_text, (cid, item_id)
            assert item.basis_text.startswith("渝府办发〔2019〕23号：对购买基层群众性自治组织服务的事项")
            assert "渝北区案例" not in item.basis_text
            assert "购买服务事项或协助事项" not in item.question + item.guidance
            assert "协助事项以目标考核" not in item.guidance
            assert "购买服务" in item.question
            assert "协助清单事项" in item.guidance and "不" in item.guidance  # says assistance work is not a finding here
    sichuan = catalog.checklists["sichuan"].item("evaluations.01")
    assert "不得以目标考核的方式进行工作评价" in sichuan.basis_text and sichuan.basis_text.startswith("四川省征求意见稿")


def test_must_not_issue_exceptions_are_data(catalog):
    """2023 list item 1: "……公安派出所在核实后应当出具（不动产登记情况、公证办理情况除外）"; item 8: "……（婚姻登记档案丢失、
    收养情况除外）"; item 14: "……（收养情况除外）"."""
    forbidden = {i.number: i for i in catalog.listsets["chongqing"].lists_of("certificate_forbidden")[0].items}
    assert forbidden["1"].exceptions == ["不动产登记情况", "公证办理情况"]
    assert forbidden["8"].exceptions == ["婚姻登记档案丢失", "收养情况"]
    assert forbidden["14"].exceptions == ["收养情况"]
    assert [n for n, i in forbidden.items() if i.exceptions] == ["1", "8", "14"]
    for item in forbidden.values():
        for case in item.exceptions:
            assert case in item.content  # verbatim from the list


def test_an_exception_case_is_not_counted_as_a_violation(catalog):
    """The same clauses: an exception case may be issued by the village, so the certificate checks exclude it."""
    count = catalog.checklists["cq2023_certificates"].item("certificates.02")
    assert count.answer == "count" and count.allowed == 0
    assert "例外情形之外" in count.question and "例外情形出具的不计入" in count.guidance
    assert "outside the exceptions" in count.question_en
    for cid in CHONGQING_FAMILY:
        item = catalog.checklists[cid].item("certificates.01")
        assert "第1、8、14项注明的例外情形可以由村出具，不是问题" in item.guidance, cid
        assert "items 1, 8 and 14" in item.guidance_en
        assert "（不动产登记情况、公证办理情况除外）" in item.basis_text and "（收养情况除外）" in item.basis_text
        assert "渝北区案例" not in item.basis_text


def test_rules_no_document_states_are_marked_as_county_practice(catalog):
    """No Chongqing document says which boards may stay, limits apps, duplicate reports or inspections; the Yubei
    case reports outcomes ("有效解决了村级行政事务多、检查评比多……") and does not bind. Such items say so."""
    practice = {
        "chongqing": ["signboards.01", "signboards.02", "signboards.04", "ledgers.04", "apps.01", "apps.02", "apps.03",
                      "apps.04", "evaluations.02", "evaluations.03"],
        "cq2023_certificates": ["signboards.01", "signboards.02", "signboards.03", "ledgers.04", "apps.01", "apps.02",
                                "apps.03", "apps.04", "evaluations.02", "evaluations.03"],
        "jinji": ["signboards.01", "signboards.02", "signboards.03", "ledgers.04", "apps.01", "apps.02", "apps.03",
                  "apps.04", "evaluations.02", "evaluations.03"],
        "sichuan": ["evaluations.02", "evaluations.03"],
    }
    for cid, ids in practice.items():
        checklist = catalog.checklists[cid]
        for item_id in ids:
            item = checklist.item(item_id)
            assert item.basis_kind == "practice", (cid, item_id)
            assert basis_text(item, "zh").startswith("县级做法"), (cid, item_id)
            assert basis_text(item, "en").startswith("County practice"), (cid, item_id)
            # The product's own note is a message, not data: an English screen shows no Chinese sentence of ours.
            assert "县级做法" not in item.basis_text, (cid, item_id)
            assert "渝快办" not in item.basis_text and "有效解决了" not in item.basis_text
    for cid in CHONGQING_FAMILY:
        for item in catalog.checklists[cid].items:
            if item.basis_kind == "document":
                lines = [ln for ln in item.basis_text.splitlines() if ln.strip()]
                assert all(ln.startswith(CQ_DOCS) for ln in lines), (cid, item.id, lines)
                assert "四川" not in item.basis_text and "省委、省政府" not in item.guidance


def test_signboards_keep_rule_is_not_borrowed_from_sichuan(catalog):
    """Sichuan's draft: "凡是中央、国务院和省委、省政府没有明确规定……的牌子一律予以取消"; no Chongqing document says it,
    so the Chongqing-family checklists compare boards against the county's list instead."""
    for cid in CHONGQING_FAMILY:
        item = catalog.checklists[cid].item("signboards.01")
        assert "保留挂牌目录" in item.guidance and "协商一致" not in item.guidance
        assert "基层治理机构同意" not in item.guidance and "基层治理部门同意" not in item.guidance


def test_count_items_compare_against_county_reference_data(catalog):
    boards = catalog.references["signboards_kept"]
    assert boards.allowed == len(boards.entries) > 0
    assert catalog.references["inspection_plan"].allowed >= 0
    for cid in CHONGQING_FAMILY:
        refs = {i.reference.id: i for i in catalog.checklists[cid].items if i.reference}
        assert set(refs) == {"signboards_kept", "wall_rules", "inspection_plan"}, cid
        for ref_id, item in refs.items():
            assert item.answer == "count" and item.allowed == catalog.references[ref_id].allowed
            assert "参照数据" in item.guidance


def test_catalog_check_validates_reference_data(tmp_path: Path, capsys):
    county = _copy_catalog(tmp_path)
    (county / "reference" / "wall_rules.toml").write_text('id = "wall_rules"\ntitle = "目录"\nentries = ["甲", "甲"]\n', encoding="utf-8")
    (county / "reference" / "inspection_plan.toml").write_text('id = "inspection_plan"\ntitle = "计划"\n', encoding="utf-8")
    checklist = county / "checklists" / "sichuan.toml"
    checklist.write_text(checklist.read_text(encoding="utf-8").replace('reference = "signboards_kept"', 'reference = "no_such"'), encoding="utf-8")
    assert main(["catalog", "check", str(county)]) == 1
    err = capsys.readouterr().err
    assert "wall_rules.toml" in err and "条目重复：甲" in err
    assert "inspection_plan.toml" in err and "既没有条目" in err
    assert "sichuan.toml [signboards.02]" in err and "参照数据“no_such”不存在" in err
    assert "Traceback" not in err


def test_missing_items_complaint_line_and_rectification_deadline(catalog):
    """渝民发〔2021〕6号: "要加强督促检查，通过调查走访、电话举报等方式……对反映违规要求……经查证属实的要督促限期整改并追究相关责任。"
    It applies to Chongqing towns, so the jinji and cq2023 checklists check both."""
    for cid in ("jinji", "cq2023_certificates"):
        checklist = catalog.checklists[cid]
        complaint = [i for i in checklist.items if "举报电话" in i.question]
        deadline = _item_with(checklist, "督促限期整改")
        assert complaint and complaint[0].basis_text.startswith("渝民发〔2021〕6号：") and "电话举报" in complaint[0].basis_text
        assert deadline and "限期内整改" in deadline[0].question


def test_jinji_guidance_names_the_legal_aid_conflict(catalog):
    """Jinji assistance item 29: "协助做好法律援助申请人经济状况核查"; 2023 list item 32: "申请法律援助的经济状况证明……
    无法律法规依据，不再由基层群众性自治组织出具此项证明"."""
    item = catalog.checklists["jinji"].item("certificates.01")
    assert "第29项" in item.guidance and "第32项" in item.guidance and "不出具经济状况证明" in item.guidance
    assert "jj.assistance.29" in item.basis_items and "cq2023.certificates_forbidden.32" in item.basis_items
    assert "法律援助申请人经济状况核查" in catalog.item("jj.assistance.29").content


def test_a_set_may_include_another(catalog):
    cq2023 = catalog.listsets["cq2023_certificates"]
    assert cq2023.includes == ["chongqing"]
    assert [lst.id for lst in cq2023.own_lists] == ["cq2023.certificates_forbidden"]
    kinds = {lst.kind for lst in cq2023.lists}
    assert {"autonomy", "assistance", "negative", "certificate_forbidden"} <= kinds
    assert len({lst.id for lst in cq2023.lists}) == len(cq2023.lists)  # the shared list once
    assert cq2023.item("cq2019.assistance.01").title == "协助做好社会救助工作"
    assert cq2023.has_certificate_list and catalog.listsets["chongqing"].has_certificate_list
    assert not catalog.listsets["sichuan"].has_certificate_list
    assert not catalog.listsets["sichuan"].has_forbidden_certificate_list


def test_check_refuses_a_checklist_whose_set_lacks_a_list(tmp_path: Path, capsys):
    county = _copy_catalog(tmp_path)
    listset = county / "lists" / "chongqing_2023_certificates" / "listset.toml"
    listset.write_text(listset.read_text(encoding="utf-8").replace('includes = ["chongqing"]\n', ""), encoding="utf-8")
    _, problems = load_catalog(county, strict=False)
    lacking = {p.where for p in problems if p.code == "set_lacks_lists"}
    assert lacking == {"ledgers.01", "tasks.01", "services.01"}
    assert main(["catalog", "check", str(county)]) == 1
    assert "缺少本检查项归类所需的清单：自治清单、协助清单、负面清单" in capsys.readouterr().err


def test_include_cycles_and_unknown_sets_are_reported(tmp_path: Path):
    county = _copy_catalog(tmp_path)
    chongqing = county / "lists" / "chongqing" / "listset.toml"
    chongqing.write_text(chongqing.read_text(encoding="utf-8").replace("default = true", 'default = true\nincludes = ["cq2023_certificates", "nowhere"]'), encoding="utf-8")
    _, problems = load_catalog(county, strict=False)
    codes = {p.code for p in problems}
    assert {"include_cycle", "include_unknown"} <= codes


def test_chongqing_set_names_the_jinji_document_it_loads(catalog):
    chongqing = catalog.listsets["chongqing"]
    assert "jj.certificates_allowed" in {lst.id for lst in chongqing.lists}
    assert any("金鸡镇" in s for s in chongqing.sources)


def test_proof_method_has_its_own_field(catalog):
    """Jinji's may-issue list prints 证明方式 as its own column; remarks hold the 备注 column verbatim (there is none)."""
    allowed = catalog.item("jj.certificates_allowed.01")
    assert allowed.proof_method == "农村土地发包人签署意见" and allowed.remarks == ""
    for item in catalog.listsets["jinji"].lists_of("certificate_allowed")[0].items:
        assert item.proof_method and "证明方式" not in item.remarks


# 渝民发〔2021〕6号, 主管单位 column, where it differs from 2019 (seed 001, checked line by line).
DEPARTMENTS_2021 = {
    "2": ("生态环境、公安、文化旅游部门", "生态环境、公安部门"),
    "7": ("消防总队", "应急管理"),
    "8": ("公安部门、城市管理部门、市场监管部门、农业农村部门、卫生健康部门", "公安部门"),
    "10": ("城市管理部门、规划自然资源部门", "规划自然资源部门"),
    "11": ("政法部门", "政法综治部门"),
    "20": ("应急管理部", "应急管理部门"),
    "21": ("应急管理部", "应急管理部门"),
    "22": ("应急管理部", "应急管理部门"),
    "24": ("相关部门", "政府相关部门"),
    "25": ("相关部门", "政府相关部门"),
    "26": ("相关部门", "政府相关部门"),
    "27": ("相关部门", "政府相关部门"),
}


def test_assistance_items_use_the_2021_department_and_keep_2019(catalog):
    """渝民发〔2021〕6号 prints its own 主管单位 column (e.g. item 7 "消防总队"); it is newer, so it is in force."""
    items = {i.number: i for i in catalog.listsets["chongqing"].lists_of("assistance")[0].items}
    got = {n: (i.department, i.department_2019) for n, i in items.items() if i.department_2019}
    assert got == DEPARTMENTS_2021
    assert items["1"].department == "民政部门" and items["1"].department_2019 == ""


def test_catalog_list_json_shows_both_departments(capsys):
    assert main(["catalog", "list", "--json"]) == 0
    sets = {s["id"]: s for s in json.loads(capsys.readouterr().out)}
    assistance = {lst["id"]: lst for lst in sets["chongqing"]["lists"]}["cq2019.assistance"]
    entries = {e["number"]: e for e in assistance["entries"]}
    for n in ("2", "7", "8", "10"):
        assert (entries[n]["department"], entries[n]["department_2019"]) == DEPARTMENTS_2021[n]
    assert sets["cq2023_certificates"]["includes"] == ["chongqing"]
    assert sets["sichuan"]["has_certificate_list"] is False


def test_catalog_list_shows_names_not_ids(capsys):
    assert main(["catalog", "list"]) == 0
    out = capsys.readouterr().out
    assert "金鸡镇村级“六张清单”工作事项" in out and "包含：重庆市基层群众性自治组织工作事项清单" in out
    assert not re.search(r"\b(chongqing|jinji|sichuan|cq2019\.\w+|jj\.\w+)\b", out)
