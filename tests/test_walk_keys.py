"""The walk as an inspector expects it (issue 8): one pilot per rule, asserting stored data and screen text."""

from __future__ import annotations

import re

import pytest
from textual import events
from textual.widgets import DataTable, Input, OptionList, Static

from inspector.core.records import Override
from inspector.core.visit import open_visit
from inspector.storage.database import Database
from inspector.ui.app import Settings, make_app

from .conftest import TODAY, fixed_clock
from .test_inspection_walk import db, store_of  # noqa: F401 - the fixture: a database with one village

KEY_PATTERN = r"\b[a-z]+\.\d\d\b"


def new_inspection(db, catalog, template="chongqing") -> str:
    checklist = catalog.checklists[template]
    return store_of(db).add_inspection(day="2026-11-21", kind="routine", inspectors=["张伟"], template=template,
                                       template_version=checklist.version).id


def app_for(db, catalog, tmp_path, user="李秀英", lang="zh"):
    return make_app(db=db, catalog=catalog, today=TODAY,
                    settings=Settings(lang=lang, exports=tmp_path / "exports", user=user))


async def open_walk(pilot, iid: str):
    await pilot.pause()
    [(vid, _)] = pilot.app.db.locate("inspection", iid)
    pilot.app.open_inspection(vid, iid)
    await pilot.pause()
    return pilot.app.screen


async def go(pilot, screen, item_id: str) -> None:
    screen.go_to(item_id)
    await pilot.pause()
    assert screen.item.id == item_id


def detail(screen) -> str:
    return str(screen.query_one("#item-text", Static).render())


async def paste(pilot, text: str) -> None:
    pilot.app.focused.post_message(events.Paste(text))
    await pilot.pause()


# ── 1. the cursor rule ─────────────────────────────────────────────────────


async def test_failing_answer_stays_and_offers_p_passing_moves_on(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    async with app_for(db, catalog, tmp_path).run_test(size=(120, 40)) as pilot:
        screen = await open_walk(pilot, iid)
        answers = lambda: store_of(db).answers(iid)  # noqa: E731
        # signboards.05 fails on "yes": y stays on it and says p.
        await go(pilot, screen, "signboards.05")
        await pilot.press("y")
        await pilot.pause()
        assert answers()["signboards.05"].value == "yes"
        assert screen.item.id == "signboards.05"
        assert "按 p 登记问题" in detail(screen)
        # ...n passes: the cursor moves on (the theme's last item: it stays at the end).
        await go(pilot, screen, "ledgers.05")  # fails on "no"
        await pilot.press("n")
        await pilot.pause()
        assert screen.item.id == "ledgers.05" and "按 p 登记问题" in detail(screen)
        await go(pilot, screen, "ledgers.04")  # fails on "yes": n passes
        await pilot.press("n")
        await pilot.pause()
        assert screen.item.id == "ledgers.05"
        # Counts: found alone stays; more found than allowed stays; x (not applicable) moves on.
        await go(pilot, screen, "ledgers.02")
        await pilot.press("f", "5", "enter")
        await pilot.pause()
        assert screen.item.id == "ledgers.02"
        await pilot.press("a", "2", "enter")
        await pilot.pause()
        assert screen.item.id == "ledgers.02" and "按 p 登记问题" in detail(screen)
        assert (answers()["ledgers.02"].found, answers()["ledgers.02"].allowed) == (5, 2)
        await pilot.press("x")
        await pilot.pause()
        assert screen.item.id == "ledgers.03"
        # With the county's reference list the allowed count is known: found alone settles it.
        await go(pilot, screen, "signboards.02")
        assert screen.visit.checklist.item("signboards.02").allowed is not None
        await pilot.press("f", "2", "enter")
        await pilot.pause()
        assert screen.item.id == "signboards.03"
        assert answers()["signboards.02"].found == 2


# ── 2. Enter saves in the record dialog ───────────────────────────────────


async def test_enter_on_the_violation_checkbox_saves(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    async with app_for(db, catalog, tmp_path).run_test(size=(120, 40)) as pilot:
        screen = await open_walk(pilot, iid)
        await go(pilot, screen, "signboards.01")
        await pilot.press("o")
        await pilot.pause()
        await paste(pilot, "安全生产监管站")
        await pilot.click("#marked_violation")  # checked
        await pilot.pause()
        assert pilot.app.focused.id == "marked_violation"
        await pilot.press("enter")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "WalkScreen"
        [obs] = store_of(db).observations(iid)
        assert obs.what == "安全生产监管站" and obs.marked_violation is True and obs.violation is True


async def test_space_toggles_and_dropdowns_have_a_translated_prompt(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    async with app_for(db, catalog, tmp_path).run_test(size=(120, 40)) as pilot:
        screen = await open_walk(pilot, iid)
        await go(pilot, screen, "tasks.01")
        await pilot.press("o")
        await pilot.pause()
        dialog = pilot.app.screen
        text = " ".join(str(w.render()) for w in dialog.query("*") if hasattr(w, "render") and w.display)
        assert "Select" not in text and "请选择" in text
        dialog.query_one("#approval_document").focus()
        await pilot.press("space")
        await pilot.pause()
        assert dialog.query_one("#approval_document").value is True
        await pilot.press("escape")


# ── 3. the finding editor's prefill ───────────────────────────────────────


async def test_prefill_states_the_problem_cites_the_basis_and_fits_the_item(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    async with app_for(db, catalog, tmp_path).run_test(size=(120, 40)) as pilot:
        screen = await open_walk(pilot, iid)
        await go(pilot, screen, "certificates.04")  # the guide and forms: fails on "no"
        await pilot.press("n", "p")
        await pilot.pause()
        dialog = pilot.app.screen
        title = dialog.query_one("#title", Input).value
        assert title.startswith("村（社区）保留的依法出具证明事项，未列明设定依据") and "？" not in title
        assert dialog.query_one("#description", Input).value != "否"
        measure = dialog.query_one("#measure", Input).value
        assert "停止出具" not in measure and "办事指南" in measure
        await pilot.press("escape")
        await go(pilot, screen, "ledgers.03")  # cites the negative list
        await pilot.press("y", "p")
        await pilot.pause()
        hints = " ".join(str(s.render()) for s in pilot.app.screen.query(Static))
        assert "负面清单第 1 项" in hints and "cq2019.negative" not in hints
        await pilot.press("escape")


async def test_a_task_with_no_department_asks_for_the_unit(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    async with app_for(db, catalog, tmp_path).run_test(size=(120, 40)) as pilot:
        screen = await open_walk(pilot, iid)
        await go(pilot, screen, "tasks.01")
        await pilot.press("o")
        await pilot.pause()
        await paste(pilot, "城管让村干部上街劝离占道经营的摊贩")
        verdict = str(pilot.app.screen.query_one("#verdict", Static).render())
        assert "负面清单" in verdict and "cq2019" not in verdict
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        dialog = pilot.app.screen
        assert dialog.query_one("#unit", Input).value == ""
        assert dialog.query_one("#unit-hint", Static).display
        assert dialog.query_one("#title", Input).value == "要求村（社区）承办负面清单事项：城管让村干部上街劝离占道经营的摊贩"
        await pilot.press("ctrl+s")  # refused: the unit is required
        await pilot.pause()
        assert dialog is pilot.app.screen
        assert "责任单位" in str(dialog.query_one("#error", Static).render())
        dialog.query_one("#unit", Input).focus()
        await pilot.pause()
        await paste(pilot, "镇城管执法队")
        assert not dialog.query_one("#unit-hint", Static).display
        await pilot.press("ctrl+s")
        await pilot.pause()
        [finding] = store_of(db).findings(iid)
        assert finding.unit == "镇城管执法队"
        assert "cq2019.negative.04" in finding.basis
        events_ = store_of(db).events(finding.id)
        assert events_[0].by == "李秀英"  # the app's user, not the first inspector


# ── 4. completion: requirements shown, a list that leads to each item ────


async def test_requirements_show_on_the_item_and_the_refusal_list_leads_there(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    async with app_for(db, catalog, tmp_path).run_test(size=(120, 40)) as pilot:
        screen = await open_walk(pilot, iid)
        await go(pilot, screen, "ledgers.04")  # requires a note when it fails
        assert "如不合格，完成前需要：说明" in detail(screen)
        await pilot.press("y")
        await pilot.pause()
        assert "完成前还需要：说明" in detail(screen)
        await pilot.press("w")
        await pilot.pause()
        await paste(pilot, "已当场停止重复报送")
        await pilot.press("enter")
        await pilot.pause()
        # The reason for no finding is a written explanation: the note is no longer missing.
        assert "完成前还需要" not in detail(screen)
        problems = screen.visit.problems()
        assert not [p for p in problems if p[1]["item"] == "ledgers.04"]
        await pilot.press("c")
        await pilot.pause()
        dialog = pilot.app.screen
        options = dialog.query_one("#problems", OptionList)
        assert options.option_count == len(problems) > 12  # every one, not cut at twelve
        lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert lines[0].startswith("1.1 ")
        import re

        assert not [line for line in lines if re.search(KEY_PATTERN, line)]
        # Enter on the 20th line goes to its item, in another theme.
        target = problems[19][1]["item"]
        for _ in range(19):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is screen and screen.item.id == target


# ── 5. one observation's finding answers the items it answers ─────────────


def test_a_negative_task_with_its_finding_settles_the_negative_list_question(db, catalog):
    iid = new_inspection(db, catalog)
    visit = open_visit(db, catalog, {}, iid)
    tasks01, tasks02 = visit.checklist.item("tasks.01"), visit.checklist.item("tasks.02")
    obs = visit.observe(tasks01, {"what": "城管让村干部上街劝离占道经营的摊贩", "department": "镇城管执法队"})
    visit.answer(tasks02, value="yes")
    keys = {(k, p["item"]) for k, p in visit.problems()}
    assert ("inspection.problem.no_finding", "tasks.02") in keys  # nothing recorded yet
    failure = next(f for f in visit.failures() if f.observation and f.observation.id == obs.id)
    visit.add_finding(visit.prefill(failure), by="张伟")
    keys = {(k, p["item"]) for k, p in visit.problems()}
    assert not {k for k in keys if k[1] in ("tasks.01", "tasks.02")}
    assert visit.unsettled(tasks02) == []
    # A ledger question is not answered by a task.
    ledgers03 = visit.checklist.item("ledgers.03")
    visit.answer(ledgers03, value="yes")
    assert ("inspection.problem.no_finding", "ledgers.03") in {(k, p["item"]) for k, p in visit.problems()}


# ── 6 and 10. an amendment that makes a failure: its finding, the report again ─


async def test_amendment_prompts_for_a_finding_and_rewrites_the_report(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    visit = open_visit(db, catalog, {}, iid)
    for item in visit.checklist.items:
        if item.answer == "yes_no":
            visit.answer(item, value="yes" if item.fail_on == "no" else "no")
        elif item.answer == "count":
            visit.answer(item, value="count", found=0, allowed=1)
        else:
            visit.answer(item, value="list")
    visit.complete(by="张伟")
    app = app_for(db, catalog, tmp_path, user="李秀英")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.export_visit_report(iid)
        screen = await open_walk(pilot, iid)
        await go(pilot, screen, "signboards.05")
        await pilot.press("y")  # locked: an amendment, with its reason
        await pilot.pause()
        await paste(pilot, "复核发现牌子又挂回")
        await pilot.press("enter")
        await pilot.pause()
        dialog = pilot.app.screen
        assert type(dialog).__name__ == "FindingDialog"  # the amendment made a failure: its finding now
        dialog.query_one("#unit", Input).value = "镇综治办"
        await pilot.press("ctrl+s")
        await pilot.pause()
    store = store_of(db)
    inspection = store.inspection(iid)
    assert [(a.field, a.by) for a in inspection.amendments] == [("value", "李秀英"), ("finding", "李秀英")]
    [finding] = store.findings(iid)
    assert finding.item == "signboards.05" and store.events(finding.id)[0].by == "李秀英"
    reports = sorted(p.name for p in (tmp_path / "exports").glob("*.md"))
    assert len(reports) == 2 and any("更正前1" in name for name in reports)
    assert not any(" " in name for name in reports)  # a file name without spaces
    current = next(p for p in (tmp_path / "exports").glob("*.md") if "更正前" not in p.name).read_text(encoding="utf-8")
    earlier = next(p for p in (tmp_path / "exports").glob("*.md") if "更正前" in p.name).read_text(encoding="utf-8")
    assert "复核发现牌子又挂回" in current and "复核发现牌子又挂回" not in earlier
    assert "signboards.05" not in current


# ── 8. no internal key on the walk screen ─────────────────────────────────


async def test_guidance_names_other_items_by_number_and_title(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    async with app_for(db, catalog, tmp_path).run_test(size=(120, 40)) as pilot:
        screen = await open_walk(pilot, iid)
        await go(pilot, screen, "ledgers.02")
        await pilot.press("g", "b")
        await pilot.pause()
        text = detail(screen)
        assert "以第 2.1 项“村（社区）为部门" in text
        import re

        assert not re.search(KEY_PATTERN, text)


# ── 9. a read-only copy refuses the writing keys ──────────────────────────


async def test_read_only_copy_refuses_every_writing_key(tmp_path, catalog):
    first = Database.open(tmp_path / "db", clock=fixed_clock)
    first.add_village("石堰村", "金鸡镇", county="渝北区")
    iid = new_inspection(first, catalog)
    visit = open_visit(first, catalog, {}, iid)
    visit.answer(visit.checklist.item("signboards.05"), value="yes")
    second = Database.open(tmp_path / "db", clock=fixed_clock)  # the lock is held: read-only
    assert second.read_only
    before = (tmp_path / "db").joinpath("villages").glob("*")
    before = {p.name: p.read_bytes() for p in before}
    app = app_for(second, catalog, tmp_path)
    notices = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_walk(pilot, iid)
        app.notify = lambda message, **kw: notices.append(message)  # type: ignore[method-assign]
        for item_id, keys in (("signboards.05", "ynxtepwc"), ("signboards.02", "fa"), ("signboards.01", "o")):
            await go(pilot, screen, item_id)
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
                assert pilot.app.screen is screen, key  # no dialog opened, no crash
    assert len(notices) == 11 and all("只读" in n for n in notices)
    after = {p.name: p.read_bytes() for p in (tmp_path / "db").joinpath("villages").glob("*")}
    assert after == before
    second.close()
    first.close()


# ── 13. an uncertain verdict: candidates shown, the inspector picks ───────


async def test_uncertain_verdict_shows_candidates_and_needs_the_inspectors_choice(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    async with app_for(db, catalog, tmp_path).run_test(size=(120, 40)) as pilot:
        screen = await open_walk(pilot, iid)
        await go(pilot, screen, "tasks.01")
        await pilot.press("o")
        await pilot.pause()
        dialog = pilot.app.screen
        await paste(pilot, "村里要去查违章建筑")
        verdict = str(dialog.query_one("#verdict", Static).render())
        assert "由检查人员判断" in verdict and "候选条目" in verdict
        assert "负面清单第 2 项“拆迁拆违类”" in verdict and "协助清单第 10 项“协助查处违法建筑”" in verdict
        assert "cq2019" not in verdict
        await pilot.press("enter")  # no choice yet: refused
        await pilot.pause()
        assert pilot.app.screen is dialog and "改变分类" in str(dialog.query_one("#error", Static).render())
        dialog.query_one("#override_kind").value = "assistance"
        dialog.query_one("#override_reason", Input).value = "只是发现后报告，不拆除"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [obs] = store_of(db).observations(iid)
        assert obs.classification["kind"] == "uncertain"
        assert obs.override == Override(kind="assistance", reason="只是发现后报告，不拆除")
        assert obs.violation is False


# ── 12. a deadline on the inspection day (today) is saved only when confirmed ─


async def test_deadline_today_warns_and_needs_a_second_save(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    async with app_for(db, catalog, tmp_path).run_test(size=(120, 40)) as pilot:
        screen = await open_walk(pilot, iid)
        await go(pilot, screen, "signboards.05")
        await pilot.press("y", "p")
        await pilot.pause()
        dialog = pilot.app.screen
        dialog.query_one("#deadline", Input).value = "2026-11-21"
        await pilot.pause()
        assert "⚠" in str(dialog.query_one("#deadline-resolved", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is dialog and store_of(db).findings(iid) == []
        assert "确认" in str(dialog.query_one("#error", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        [finding] = store_of(db).findings(iid)
        assert store_of(db).status(finding.id).deadline.isoformat() == "2026-11-21"


async def test_new_inspection_in_the_future_is_refused(db, catalog, tmp_path):
    async with app_for(db, catalog, tmp_path).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter", "n")
        await pilot.pause()
        dialog = pilot.app.screen
        dialog.query_one("#date", Input).value = "2027-04-21"  # five months ahead
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is dialog and store_of(db).inspections() == []
        assert "2027-04-21" in str(dialog.query_one("#error", Static).render())


# ── QA pass: what a prefilled finding stores ──────────────────────────────


def test_negative_task_prefill_cites_its_item_and_never_offers_admission(db, catalog):
    iid = new_inspection(db, catalog)
    visit = open_visit(db, catalog, {}, iid)
    obs = visit.observe(visit.checklist.item("tasks.01"), {"what": "城管让村干部上街劝离占道经营的摊贩", "department": "镇城管执法队"})
    failure = next(f for f in visit.failures() if f.observation and f.observation.id == obs.id)
    prefill = visit.prefill(failure)
    # Negative-list work never goes to a village, not even bought as a service.
    assert "收回" in prefill["measure"] and "准入程序或签订" not in prefill["measure"]
    assert prefill["basis"] == ["cq2019.negative.04"]
    assert prefill["basis_text"].startswith("负面清单第 4 项 城市管理类：") and "占道经营" in prefill["basis_text"]


def test_unlisted_task_keeps_the_admission_or_contract_measure(db, catalog):
    iid = new_inspection(db, catalog)
    visit = open_visit(db, catalog, {}, iid)
    obs = visit.observe(visit.checklist.item("tasks.01"), {"what": "协助统计辖区内宠物犬数量", "department": "镇农业服务中心",
                                                           "override": {"kind": "unlisted", "reason": "清单均未列入"}})
    failure = next(f for f in visit.failures() if f.observation and f.observation.id == obs.id)
    assert "准入程序或签订购买服务合同" in visit.prefill(failure)["measure"]


def test_forbidden_certificate_cites_its_own_item_not_the_whole_list(db, catalog):
    iid = new_inspection(db, catalog)
    visit = open_visit(db, catalog, {}, iid)
    obs = visit.observe(visit.checklist.item("certificates.01"), {"what": "开居住证明"})
    assert obs.classification["item"] == "cq2023.certificates_forbidden.27"
    failure = next(f for f in visit.failures() if f.observation and f.observation.id == obs.id)
    prefill = visit.prefill(failure)
    assert prefill["basis"] == ["cq2023.certificates_forbidden.27"]
    text = prefill["basis_text"]
    assert text.startswith("不应出具证明事项清单第 27 项 居住证明（暂住证明）：")
    assert "第1项" not in text and "第 1 项" not in text


def test_prefill_is_stored_in_chinese_whatever_the_interface_language(db, catalog):
    from inspector import i18n

    iid = new_inspection(db, catalog)
    visit = open_visit(db, catalog, {}, iid)
    i18n.set_language("en")
    obs = visit.observe(visit.checklist.item("certificates.01"), {"what": "开居住证明"})
    visit.answer(visit.checklist.item("tasks.02"), value="yes")
    for failure in visit.failures():
        prefill = visit.prefill(failure)
        stored = " ".join(str(prefill[k]) for k in ("title", "description", "measure", "unit", "basis_text"))
        assert re.search(r"[A-Za-z]{3,}", stored) is None, stored
        if failure.observation and failure.observation.id == obs.id:
            assert prefill["unit"] == "村民委员会"


def test_prefilled_description_reads_as_an_inspectors_sentence(db, catalog):
    iid = new_inspection(db, catalog)
    visit = open_visit(db, catalog, {}, iid)
    visit.answer(visit.checklist.item("tasks.02"), value="yes")
    [failure] = [f for f in visit.failures() if f.item.id == "tasks.02"]
    description = visit.prefill(failure)["description"]
    assert description.startswith("经查，有部门或镇街要求村（社区）承办负面清单事项")
    assert "结果：" not in description and "检查第" not in description


# ── QA pass: contradicting answers, hints, footer, count dialog ───────────


def test_an_answer_the_records_contradict_is_refused_and_a_record_settles_the_answer(db, catalog):
    from inspector.core.errors import UserError

    iid = new_inspection(db, catalog)
    visit = open_visit(db, catalog, {}, iid)
    cl = visit.checklist
    visit.answer(cl.item("tasks.02"), value="no")
    # The record comes after "no": the answer follows the record, and the screen is told.
    visit.observe(cl.item("tasks.01"), {"what": "城管让村干部上街劝离占道经营的摊贩", "department": "镇城管执法队"})
    assert [i.id for i in visit.settled] == ["tasks.02"]
    assert visit.answers()["tasks.02"].value == "yes"
    # "No" afterwards is refused, naming the record.
    with pytest.raises(UserError) as refused:
        visit.answer(cl.item("tasks.02"), value="no")
    assert "城管让村干部上街劝离占道经营的摊贩" in refused.value.message() and "3.1" in refused.value.message()
    assert visit.answers()["tasks.02"].value == "yes"
    # A must-not-issue certificate recorded as a violation: 5.2 cannot be "not applicable".
    visit.observe(cl.item("certificates.01"), {"what": "开居住证明"})
    with pytest.raises(UserError) as refused:
        visit.answer(cl.item("certificates.02"), value="na")
    assert "开居住证明" in refused.value.message()
    visit.answer(cl.item("certificates.02"), value="yes")  # the consistent answer is taken


async def test_after_amending_to_pass_the_pane_does_not_offer_w(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    visit = open_visit(db, catalog, {}, iid)
    for item in visit.checklist.items:
        if item.answer == "yes_no":
            visit.answer(item, value=item.fail_on if item.id == "ledgers.04" else ("yes" if item.fail_on == "no" else "no"))
        elif item.answer == "count":
            visit.answer(item, value="count", found=0, allowed=1)
        else:
            visit.answer(item, value="list")
    ledgers04 = visit.checklist.item("ledgers.04")
    visit.answer(ledgers04, note="重复报送")
    [failure] = visit.failures()
    visit.add_finding({**visit.prefill(failure), "unit": "镇综治办"}, by="张伟")
    visit.complete(by="张伟")
    async with app_for(db, catalog, tmp_path).run_test(size=(120, 40)) as pilot:
        screen = await open_walk(pilot, iid)
        await go(pilot, screen, "ledgers.04")
        await pilot.press("n")  # amended to pass
        await pilot.pause()
        await paste(pilot, "复核后合格")
        await pilot.press("enter")
        await pilot.pause()
        assert store_of(db).answers(iid)["ledgers.04"].value == "n" + "o"
        text = detail(screen)
        assert "按w" not in text and "按 w" not in text


async def footer_keys(pilot) -> dict[str, str]:
    await pilot.pause()  # the footer recomposes after refresh_bindings
    await pilot.pause()
    return {k.key: k.description for k in pilot.app.screen.query("FittingFooter FooterKey")}


async def test_footer_shows_the_keys_of_the_items_kind(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    async with app_for(db, catalog, tmp_path).run_test(size=(160, 40)) as pilot:
        screen = await open_walk(pilot, iid)
        await go(pilot, screen, "signboards.05")  # yes/no
        keys = await footer_keys(pilot)
        assert keys.get("y") == "是" and keys.get("n") == "否" and "f" not in keys
        count_item = next(i for i in screen.visit.checklist.items if i.answer == "count")
        await go(pilot, screen, count_item.id)
        keys = await footer_keys(pilot)
        assert "y" not in keys and "n" not in keys and keys.get("f") == "发现数"
        await pilot.press("y")  # still says what to press
        await pilot.pause()
        assert any("按 f" in str(n.message) for n in pilot.app._notifications)
        await go(pilot, screen, "tasks.01")  # records
        keys = await footer_keys(pilot)
        assert keys.get("y") == "已查完" and "n" not in keys and "f" not in keys


async def test_a_bad_count_keeps_the_dialog_open_with_the_error(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    async with app_for(db, catalog, tmp_path).run_test(size=(120, 40)) as pilot:
        screen = await open_walk(pilot, iid)
        count_item = next(i for i in screen.visit.checklist.items if i.answer == "count")
        await go(pilot, screen, count_item.id)
        await pilot.press("f")
        await pilot.pause()
        dialog = pilot.app.screen
        dialog.query_one(Input).value = "abc"
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is dialog and dialog.query_one(Input).value == "abc"
        assert "“abc”不是有效的数量" in str(dialog.query_one("#count-error", Static).render())
        dialog.query_one(Input).value = "2"
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert store_of(db).answers(iid)[count_item.id].found == 2


async def test_records_table_and_verdict_read_as_words(db, catalog, tmp_path):
    iid = new_inspection(db, catalog)
    visit = open_visit(db, catalog, {}, iid)
    visit.observe(visit.checklist.item("signboards.01"), {"what": "党员活动室", "department": "镇组织办"})
    async with app_for(db, catalog, tmp_path).run_test(size=(120, 40)) as pilot:
        screen = await open_walk(pilot, iid)
        await go(pilot, screen, "signboards.01")
        table = screen.query_one("#observations", DataTable)
        cell = str(table.get_row_at(0)[2])
        assert cell == "✓ 未见违规"
        await go(pilot, screen, "tasks.01")
        await pilot.press("o")
        await pilot.pause()
        await paste(pilot, "城管让村干部上街劝离占道经营的摊贩")
        verdict = str(pilot.app.screen.query_one("#verdict", Static).render())
        assert " —" not in verdict and "负面清单事项\n禁止" in verdict
        await pilot.press("escape")
