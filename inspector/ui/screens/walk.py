"""Walking a checklist on site: theme by theme, single keys, saved at every key.

Left: the current theme's check items with their state. Right: the item's
question, answer, note, evidence, finding, and (one key away) the inspector's
guidance and the basis; for list items, the observed things.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static
from rich.text import Text

from ...catalog.model import CheckItem
from ...core.errors import UserError
from ...core.evidence import attach_to_answer
from ...core import ids
from ...core.inspection import Failure, answering_observations, effective_kind, item_status, missing_requirements
from ...core.item_text import basis_text, item_label, list_item_label, numbering, render_refs
from ...core.textwidth import clip
from ...core.records import Answer, Finding, Observation
from ...core.visit import Locked, NotComplete, Visit
from ...i18n import has, language, t
from ...core.repository import RepositoryError
from ..messages import LanguageChanged
from ..dialogs import ConfirmDialog, TextDialog
from ..footer import FittingFooter
from ..theme_styles import tone
from ..opener import OpensReports
from .completion_dialog import ProblemsDialog
from .evidence_dialog import EvidenceDialog, file_line, file_state, kept_message, open_kept
from .review_dialogs import PickDialog
from .finding_dialog import FINDING_FIELDS, FindingDialog
from .observation_dialog import DeleteObservation, ObservationDialog
from ..appref import inspector_app

MARK = {"unanswered": "·", "ok": "✓", "na": "—", "fail": "✗"}


class WalkScreen(OpensReports, Screen[None]):
    BINDINGS = [
        # The footer shows the keys of the current item's kind (check_action hides the others):
        # y/n on a yes/no item, f/a on a count, y "checked" on a record item.
        Binding("y", "answer('yes')", "action.answer_yes", id="walk.answer_yes"),
        Binding("y", "answer('list')", "action.list_done", id="walk.list_done"),
        Binding("n", "answer('no')", "action.answer_no", id="walk.answer_no"),
        Binding("x", "answer('na')", "action.answer_na", id="walk.answer_na"),
        Binding("f", "count('found')", "action.count_found", id="walk.count_found"),
        Binding("a", "count('allowed')", "action.count_allowed", id="walk.count_allowed"),
        # The same keys on another kind of item: not advertised, they still answer (a hint, or n opens a record).
        Binding("y", "other_kind('answer', 'yes')", show=False, id="walk.other_yes"),
        Binding("n", "other_kind('answer', 'no')", show=False, id="walk.other_no"),
        Binding("f", "other_kind('count', 'found')", show=False, id="walk.other_found"),
        Binding("a", "other_kind('count', 'allowed')", show=False, id="walk.other_allowed"),
        Binding("o", "observe", "action.observe", id="walk.observe"),
        Binding("p", "finding", "action.finding", id="walk.finding"),
        Binding("t", "note", "action.note", id="walk.note"),
        Binding("e", "evidence", "action.evidence", show=False, id="walk.evidence"),
        Binding("w", "no_finding", "action.no_finding", show=False, id="walk.no_finding"),
        Binding("g", "toggle('guidance')", "action.toggle_guidance", show=False, id="walk.toggle_guidance"),
        Binding("b", "toggle('basis')", "action.toggle_basis", show=False, id="walk.toggle_basis"),
        Binding("left_square_bracket", "prev_theme", "action.prev_theme", key_display="[", show=False, id="walk.prev_theme"),
        Binding("right_square_bracket", "next_theme", "action.next_theme", key_display="]", show=False, id="walk.next_theme"),
        Binding("c", "complete", "action.complete", id="walk.complete"),
        Binding("escape", "back", "action.back", id="walk.back"),
        Binding("E", "open_exports", "action.open_exports", id="walk.open_exports", show=False),
        Binding("R", "open_report", "action.open_report", id="walk.open_report", show=False),
        Binding("O", "open_evidence", "action.open_evidence", id="walk.open_evidence", show=False),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_exports", "open_report"):
            return self.visit.locked  # once completed: the report has been written
        kind = self._item_kind()
        if kind is None:
            return True
        if action == "answer" and parameters in (("yes",), ("no",)):
            return kind == "yes_no"
        if action == "answer" and parameters == ("list",):
            return kind == "list"
        if action == "count":
            return kind == "count"
        return True

    def action_other_kind(self, action: str, value: str) -> None:
        """y, n, f or a on an item of another kind: what they did before (a hint; n on records opens one)."""
        (self.action_answer if action == "answer" else self.action_count)(value)

    def _item_kind(self) -> str | None:
        """The current item's answer kind, or None before the walk is laid out."""
        try:
            return self.item.answer
        except Exception:  # noqa: BLE001 - before compose there is no table and no item
            return None

    def __init__(self, visit: Visit) -> None:
        super().__init__()
        self.visit = visit
        self.themes = [th for th in visit.checklist.themes]
        self.by_theme = visit.checklist.by_theme()
        self.theme_index = 0
        self.show = {"guidance": False, "basis": False}
        self._shown_statuses: dict[str, str] = {}

    # -- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="theme-bar")
        with Horizontal(id="walk"):
            yield DataTable(id="checks", cursor_type="row")
            with VerticalScroll(id="detail"):
                yield Static(id="item-text")
                yield DataTable(id="observations", cursor_type="row")
        yield FittingFooter()

    def on_mount(self) -> None:
        self._resume_position()
        self.load()
        self.query_one("#checks", DataTable).focus()

    def on_language_changed(self, message: LanguageChanged) -> None:
        self.load(keep_row=self._row())

    @property
    def user(self) -> str:
        """Who is using the app: every write records this one name."""
        return inspector_app(self).settings.user

    def _writable(self) -> bool:
        """False (after the read-only notice) when this copy may not write."""
        return inspector_app(self).writable()

    def _store_failed(self, exc: RepositoryError) -> None:
        self.notify(exc.message(), severity="error")

    def _resume_position(self) -> None:
        """Open where the inspector stopped: the first item not yet answered."""
        for n, theme in enumerate(self.themes):
            for row, item in enumerate(self.by_theme[theme.id]):
                if self.visit.status(item) == "unanswered":
                    self.theme_index, self._start_row = n, row
                    return
        self._start_row = 0

    # -- what is shown ------------------------------------------------------------------

    @property
    def items(self) -> list[CheckItem]:
        return self.by_theme[self.themes[self.theme_index].id]

    @property
    def item(self) -> CheckItem:
        table = self.query_one("#checks", DataTable)
        return self.items[min(table.cursor_row, len(self.items) - 1)]

    def _statuses(self) -> dict[str, str]:
        answers, observations = self.visit.answers(), self.visit.observations()
        by_item: dict[str, list[Observation]] = {}
        for obs in observations:
            by_item.setdefault(obs.item, []).append(obs)
        return {item.id: item_status(item, answers.get(item.id), by_item.get(item.id, [])) for item in self.visit.checklist.items}

    def load(self, keep_row: int | None = None) -> None:
        """Rebuild the screen for the current theme (on opening, a theme switch, a language switch)."""
        lang = language()
        inspection = self.visit.inspection
        village = inspector_app(self).db.village(self.visit.village_id)
        self.sub_title = (
            f"{village.name} · {inspection.date.isoformat()} · {t('inspection.kind.' + inspection.kind)} · "
            f"{t('inspection.state.' + inspection.state)}"
        )
        statuses = self._statuses()
        table = self.query_one("#checks", DataTable)
        row = keep_row if keep_row is not None else getattr(self, "_start_row", 0)
        self._start_row = 0
        numbers = numbering(self.visit.checklist)
        with self.app.batch_update():
            table.clear(columns=True)
            table.add_column(" ", key="mark")
            table.add_column(t("inspection_screen.col_item"), key="item")
            for item in self.items:
                table.add_row(_mark(self, statuses[item.id]), f"{numbers[item.id]} {clip(item.q(lang), 30)}", key=item.id)
            table.move_cursor(row=min(row, len(self.items) - 1))
            self._theme_bar(statuses)
            self.show_item()

    def refresh_marks(self) -> None:
        """After a change: the marks, the theme bar and the item (cheaper than a rebuild at every key)."""
        statuses = self._statuses()
        table = self.query_one("#checks", DataTable)
        with self.app.batch_update():
            if statuses != self._shown_statuses:  # most keys change no mark: no redraw of the table
                for item in self.items:
                    if statuses[item.id] != self._shown_statuses.get(item.id):
                        table.update_cell(item.id, "mark", _mark(self, statuses[item.id]))
                self._theme_bar(statuses)
            self.show_item()

    def _theme_bar(self, statuses: dict[str, str]) -> None:
        self._shown_statuses = statuses
        lang = language()
        bar = Text()
        for n, theme in enumerate(self.themes):
            items = self.by_theme[theme.id]
            done = sum(statuses[i.id] != "unanswered" for i in items)
            style = "reverse bold" if n == self.theme_index else ("dim" if done == len(items) else "")
            bar.append(f" {n + 1}.{theme.label(lang)} {done}/{len(items)} ", style=style)
        bar.append(t("inspection_screen.theme_keys"), style="dim")
        self.query_one("#theme-bar", Static).update(bar)

    def show_item(self) -> None:
        self.refresh_bindings()  # the footer follows the item's kind (check_action)
        lang = language()
        visit, item = self.visit, self.item
        answer = visit.answers().get(item.id)
        observations = visit.observations(item.id)
        findings = visit.findings()
        status = item_status(item, answer, observations)
        text = Text()
        # The number sticks to the question: after a space, a CJK line would wrap whole to the next line.
        text.append(numbering(visit.checklist).get(item.id, ""), style="bold reverse")
        text.append((" " if lang == "en" else "") + item.q(lang) + "\n", style="bold")
        result = _result_text(item, answer, observations, status)
        text.append(f"{t('inspection_screen.result')}{t('punct.colon')}", style="bold")
        text.append(result + "\n", style=tone(self, "error", bold=True) if status == "fail" else "")
        if answer and answer.note:
            text.append(f"{t('inspection_screen.note')}{t('punct.colon')}{answer.note}\n")
        if answer and answer.evidence:
            text.append(f"{t('inspection_screen.evidence')}{t('punct.colon')}{t('punct.list_sep').join(answer.evidence)}\n")
        if answer and answer.files:
            kept = inspector_app(self).db.evidence
            text.append(f"{t('evidence_ui.heading')}{t('punct.colon')}\n")
            for file in answer.files:
                state = file_state(kept, file)
                text.append(f"  · {file_line(file, state)}\n", style=tone(self, "error") if state else "")
        if answer and answer.reason_no_finding:
            text.append(f"{t('inspection_screen.no_finding_reason')}{t('punct.colon')}{answer.reason_no_finding}\n")
        for finding in findings:
            if finding.item == item.id:
                text.append(f"{t('inspection_screen.finding')}{t('punct.colon')}", style="bold")
                text.append(f"{finding.title} · {finding.unit} · {visit.deadline_of(finding.id)}\n")
        if status == "fail" and item.answer != "list":
            covering = visit.covering(item)
            if covering:
                text.append(t("walk.covered", findings=t("punct.list_sep").join(f.title for f in covering)) + "\n", style=tone(self, "success"))
            elif visit.unsettled(item):
                text.append(t("inspection_screen.needs_finding") + "\n", style=tone(self, "warning"))
            missing = [] if covering else missing_requirements(item, answer)
            if missing:
                text.append(t("walk.needs", what=self._needs(item, missing, findings)) + "\n", style=tone(self, "warning"))
        elif item.requires and status != "na" and not visit.locked and not any(f.item == item.id for f in findings):
            # Once completed (or with its finding recorded) "w: why no finding" no longer applies.
            needs = self._needs(item, [m for m in ("note", "evidence") if m in item.requires], findings)
            text.append(t("walk.requires_if_fail", what=needs) + "\n", style="dim")
        text.append(_keys_hint(item) + "\n", style="dim")
        if self.show["guidance"]:
            text.append(f"\n{t('inspection_screen.guidance')}\n", style="bold")
            text.append(render_refs(item.guide(lang), visit.checklist, visit.catalog, lang) + "\n")
        if self.show["basis"]:
            text.append(f"\n{t('inspection_screen.basis')}\n", style="bold")
            if item.basis_kind == "practice":
                text.append(t("catalog_basis_kind.practice") + "\n", style="italic")
            text.append(basis_text(item, lang) + "\n")
            for ref in item.basis_items:
                list_item = visit.catalog.item(ref)
                if list_item:
                    text.append(f"· {list_item_label(visit.catalog, ref, lang, visit.checklist.listset)}\n", style="italic")
                    if list_item.content and list_item.content != list_item.title:
                        text.append(f"  {list_item.content}\n", style="dim")
        self.query_one("#item-text", Static).update(text)
        table = self.query_one("#observations", DataTable)
        table.display = item.answer == "list"
        if item.answer != "list":
            if table.row_count or table.columns:
                table.clear(columns=True)
            return
        table.clear(columns=True)
        for key in ("what", "department", "verdict", "finding"):
            table.add_column(t(f"inspection_screen.obs.{key}"), key=key)
        by_observation = {f.observation: f for f in findings}
        for obs in observations:
            kind = effective_kind(obs)
            # A record no list judges (a signboard, a ledger): its mark and what the inspector said.
            verdict = t(f"kind_of_task.{kind}") if kind else t("walk.obs_violation" if obs.violation else "walk.obs_ok")
            mark = Text(("✗ " if obs.violation else "✓ ") + verdict, style=tone(self, "error" if obs.violation else "success"))
            finding = by_observation.get(obs.id)
            flag = ids.short(finding.id) if finding else (t("inspection_screen.obs.reason") if obs.reason_no_finding else ("!" if obs.violation else ""))
            table.add_row(clip(obs.what, 18), clip(obs.department, 10), mark, flag, key=obs.id)

    def _needs(self, item: CheckItem, missing: list[str], findings: list[Finding]) -> str:
        """What is still needed; "or w, why no finding" only while no finding is recorded and the visit is open."""
        has_finding = self.visit.locked or any(f.item == item.id for f in findings)
        return t("punct.list_sep").join(t(f"walk.need.{m}_only" if m == "note" and has_finding else f"walk.need.{m}") for m in missing)

    @on(DataTable.RowHighlighted, "#checks")
    def _moved(self) -> None:
        self.show_item()

    @on(DataTable.RowSelected, "#observations")
    def _edit_observation(self, event: DataTable.RowSelected) -> None:
        if self.visit.locked:
            self.notify(t("inspection.locked"), severity="warning")
            return
        if not self._writable():
            return
        oid = str(event.row_key.value)
        current = next(o for o in self.visit.observations() if o.id == oid)
        self._open_observation(self.item, current)

    # -- answering (saved at once) ---------------------------------------------------------

    def _row(self) -> int:
        return self.query_one("#checks", DataTable).cursor_row

    def _save(self, item: CheckItem | None = None, **fields) -> bool:
        """Save fields of the item's answer; on a locked inspection, ask for an amendment."""
        item = item or self.item
        try:
            self.visit.answer(item, **fields)
        except Locked:
            self._amend(item, fields)
            return False
        except RepositoryError as exc:
            self._store_failed(exc)
            return False
        except UserError as exc:  # e.g. an answer the records contradict
            self.notify(exc.message(), severity="warning")
            return False
        self.refresh_marks()
        return True

    def _answered(self, item: CheckItem) -> None:
        """The cursor rule: a passing (or not applicable) answer moves on; a failing one stays and offers p."""
        if item.id == self.item.id and self.visit.status(item) in ("ok", "na"):
            self._advance()

    def action_answer(self, value: str) -> None:
        item = self.item
        if item.answer == "count" and value != "na":
            self.notify(t("inspection_screen.use_counts"))
            return
        if item.answer == "list" and value == "no":
            self.action_observe()
            return
        if not self._writable():
            return
        if item.answer == "list" and value == "yes":
            value = "list"  # checked: what was seen is in the records
        if self._save(item, value=value):
            self._answered(item)

    def _advance(self) -> None:
        table = self.query_one("#checks", DataTable)
        if table.cursor_row < len(self.items) - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_count(self, field: str) -> None:
        item = self.item
        if item.answer != "count":
            self.notify(t("inspection_screen.not_a_count"))
            return
        if not self._writable():
            return
        current = getattr(self.visit.answers().get(item.id), field, None)
        if current is None and field == "allowed" and item.allowed is not None:
            current = item.allowed

        def done(value: str | None) -> None:
            if value is None:
                return
            if self._save(item, value="count", **{field: int(value.strip())}):
                self._answered(item)

        self.app.push_screen(CountDialog(t(f"inspection_screen.ask_{field}"), "" if current is None else str(current)), done)

    def action_note(self) -> None:
        if not self._writable():
            return
        item = self.item
        answer = self.visit.answers().get(item.id)
        current = answer.note if answer else ""
        self.app.push_screen(TextDialog(t("inspection_screen.ask_note"), current), lambda v: v is not None and self._save(item, note=v.strip()))

    def action_evidence(self) -> None:
        """e: keep photos, scans or documents with the item's answer (copied in under their hash)."""
        if not self._writable():
            return
        app = inspector_app(self)
        item = self.item
        answer = self.visit.answers().get(item.id)
        number = numbering(self.visit.checklist).get(item.id, "")
        target = t("evidence_ui.of_item", number=number, title=clip(item.q(language()), 40))
        limit = app.catalog.county.evidence_max_bytes

        def attach(paths: list[str]):
            return attach_to_answer(self.visit, item, paths, self.user, kept_in=app.db.evidence, limit=limit)

        def done(attached) -> None:
            if attached is not None:
                self.notify(kept_message(attached, target), timeout=8)
                self.refresh_marks()

        self.app.push_screen(EvidenceDialog(target, attach, app.db.evidence, limit, kept=answer.files if answer else ()), done)

    def action_open_evidence(self) -> None:
        """O: open a file kept with the item's answer (several: pick one)."""
        answer = self.visit.answers().get(self.item.id)
        files = list(answer.files) if answer else []
        kept = inspector_app(self).db.evidence
        if not files:
            self.notify(t("evidence_ui.none"))
            return
        if len(files) == 1:
            open_kept(self, kept, files[0])
            return
        by_hash = {f.sha256: f for f in files}

        def picked(sha: str | None) -> None:
            if sha in by_hash:
                open_kept(self, kept, by_hash[sha])

        self.app.push_screen(PickDialog(t("evidence_ui.pick"), [(file_line(f, file_state(kept, f)), f.sha256) for f in files]), picked)

    # -- observations -----------------------------------------------------------------------

    def action_observe(self) -> None:
        item = self.item
        if item.answer != "list":
            self.notify(t("inspection_screen.not_a_list"))
            return
        if self.visit.locked:
            self.notify(t("inspection.locked"), severity="warning")
            return
        if not self._writable():
            return
        self._open_observation(item, None)

    def _open_observation(self, item: CheckItem, current: Observation | None) -> None:
        def done(result: dict | DeleteObservation | None) -> None:
            if result is None:
                return
            try:
                if isinstance(result, DeleteObservation):
                    if current:
                        self.visit.remove_observation(current.id)
                elif current:
                    self.visit.update_observation(current.id, result)
                else:
                    self.visit.observe(item, result)
            except RepositoryError as exc:
                self._store_failed(exc)
            except UserError as exc:
                self.notify(exc.message(), severity="error")
            except Locked:
                self.notify(t("inspection.locked"), severity="error")
            else:
                self._tell_settled()
            self.refresh_marks()

        self.visit.settled = []

        self.app.push_screen(ObservationDialog(item.observe, self.visit.classifier, current, catalog=self.visit.catalog), done)

    def _tell_settled(self) -> None:
        """The observation answered related items that had said otherwise: one notice each."""
        numbers = numbering(self.visit.checklist)
        for item in self.visit.settled:
            answering = {a.id for a in answering_observations(item, self.visit.observations(), self.visit.catalog)}
            what = next((o.what for o in self.visit.observations() if o.id in answering), "")
            self.notify(t("walk.settled_by_observation", number=numbers.get(item.id, ""), what=what), severity="warning")
        self.visit.settled = []

    # -- findings -------------------------------------------------------------------------

    def _current_failure(self) -> Failure | None:
        item = self.item
        failures = [f for f in self.visit.failures() if f.item.id == item.id]
        if item.answer == "list":
            table = self.query_one("#observations", DataTable)
            if table.has_focus and table.row_count:
                oid = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
                return next((f for f in failures if f.observation and f.observation.id == oid), None)
            return next((f for f in failures if self.visit.finding_for(f) is None), failures[0] if failures else None)
        return failures[0] if failures else None

    def _failure_to_settle(self) -> Failure | None:
        """The failure a key acts on (told when there is none), on a copy that may write."""
        failure = self._current_failure()
        if failure is None:
            self.notify(t("inspection_screen.no_failure"))
            return None
        return failure if self._writable() else None

    def action_finding(self) -> None:
        failure = self._failure_to_settle()
        if failure is None:
            return
        existing = self.visit.finding_for(failure)
        if self.visit.locked:
            if existing:
                self.notify(t("inspection.locked"), severity="warning")
                return
            # A failure with no finding on a locked visit (an amendment made it): record one, as an amendment.
            self.app.push_screen(
                TextDialog(t("inspection_screen.ask_amend_reason"), hint=t("inspection.locked")),
                lambda reason: bool(reason and reason.strip()) and self._finding_dialog(failure, amendment_reason=reason.strip()),
            )
            return
        self._finding_dialog(failure)

    def _finding_dialog(self, failure: Failure, amendment_reason: str = "", after=None) -> None:
        existing = self.visit.finding_for(failure)
        if existing:
            # The dialog edits these fields of the finding as recorded; its deadline is the one in force.
            fields = {name: getattr(existing, name) for name in FINDING_FIELDS}
            fields["deadline"] = self.visit.deadline_of(existing.id)
        else:
            fields = self.visit.prefill(failure)
        basis = [list_item_label(self.visit.catalog, ref, language(), self.visit.checklist.listset) for ref in fields.get("basis") or ()]

        def done(result: dict | None) -> None:
            if result is not None:
                try:
                    if existing:
                        self.visit.update_finding(existing.id, result)
                    else:
                        self.visit.add_finding({**fields, **result}, by=self.user, amendment_reason=amendment_reason)
                except Locked:
                    self.notify(t("inspection.locked"), severity="warning")
                except RepositoryError as exc:
                    self._store_failed(exc)
                self.refresh_marks()
            if after:
                after()

        dialog = FindingDialog(fields, inspector_app(self).today, basis=basis, found_on=self.visit.day)
        self.app.push_screen(dialog, done)

    def action_no_finding(self) -> None:
        failure = self._failure_to_settle()
        if failure is None:
            return
        target = failure.observation or self.visit.answers().get(failure.item.id)

        def done(reason: str | None) -> None:
            if reason is None:
                return
            if failure.observation:
                try:
                    self.visit.update_observation(failure.observation.id, {"reason_no_finding": reason.strip()})
                except Locked:
                    self.notify(t("inspection.locked"), severity="warning")
                except RepositoryError as exc:
                    self._store_failed(exc)
                self.refresh_marks()
            else:
                self._save(failure.item, reason_no_finding=reason.strip())

        self.app.push_screen(TextDialog(t("inspection_screen.ask_no_finding"), target.reason_no_finding if target else ""), done)

    # -- navigation, completion, amendments ------------------------------------------------

    def action_toggle(self, what: str) -> None:
        self.show[what] = not self.show[what]
        self.show_item()

    def action_prev_theme(self) -> None:
        self._theme(-1)

    def action_next_theme(self) -> None:
        self._theme(1)

    def _theme(self, step: int) -> None:
        self.theme_index = (self.theme_index + step) % len(self.themes)
        self.load(keep_row=0)

    def go_to(self, item_id: str) -> None:
        """Put the cursor on a check item, switching theme when needed."""
        for n, theme in enumerate(self.themes):
            ids = [i.id for i in self.by_theme[theme.id]]
            if item_id in ids:
                if n != self.theme_index:
                    self.theme_index = n
                    self.load(keep_row=ids.index(item_id))
                else:
                    self.query_one("#checks", DataTable).move_cursor(row=ids.index(item_id))
                self.query_one("#checks", DataTable).focus()
                return

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_complete(self) -> None:
        if self.visit.locked:
            self.notify(t("inspection.locked"))
            return
        if not self._writable():
            return
        problems = self.visit.problems()
        if problems:
            lang, checklist = language(), self.visit.checklist
            rows = []
            for key, params in problems:
                item = checklist.item(params["item"])
                label = item_label(checklist, item, lang, width=24) if item else params["item"]
                rows.append((params["item"], t(key, **{**params, "item": label})))
            self.app.push_screen(ProblemsDialog(t("inspection_screen.cannot_complete", n=len(rows)), rows), self._jump)
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.visit.complete(by=self.user)
            except NotComplete:
                return
            except RepositoryError as exc:
                self._store_failed(exc)
                return
            self.load(keep_row=self._row())
            inspector_app(self).export_visit_report(self.visit.inspection_id, self.visit.village_id)
            self.refresh_bindings()  # the keys that open the report are live now

        self.app.push_screen(ConfirmDialog(t("inspection_screen.confirm_complete")), confirmed)

    def _jump(self, item_id: str | None) -> None:
        if item_id:
            self.go_to(item_id)

    def _amend(self, item: CheckItem, fields: dict) -> None:
        def done(reason: str | None) -> None:
            if not reason or not reason.strip():
                return
            try:
                for field, value in fields.items():
                    self.visit.amend(item, field, value, reason=reason.strip(), by=self.user)
            except RepositoryError as exc:
                self._store_failed(exc)
                return
            except UserError as exc:
                self.notify(exc.message(), severity="warning")
                return
            self.notify(t("inspection_screen.amended"))
            self.refresh_marks()
            unsettled = self.visit.unsettled(item)
            if unsettled:
                # The amendment made the item fail: its finding now, then the report again.
                self.notify(t("walk.amend_needs_finding"), severity="warning")
                self._finding_dialog(unsettled[0], amendment_reason=reason.strip(), after=self._rewrite_report)
            else:
                self._rewrite_report()

        self.app.push_screen(TextDialog(t("inspection_screen.ask_amend_reason"), hint=t("inspection.locked")), done)

    def _rewrite_report(self) -> None:
        """The exported report follows the amendment; the earlier one is kept beside it."""
        from ...report.reexport import rewrite_visit_report

        app = inspector_app(self)
        try:
            path, kept = rewrite_visit_report(app.db, app.catalog, self.visit.inspection_id, app.settings.exports, app.settings.lang,
                                              self.visit.village_id)
        except OSError as exc:
            self.notify(t("walk.report_not_written", error=exc.strerror or exc), severity="error")
            return
        app.last_report = path
        self.notify(t("walk.report_rewritten", path=path, kept=kept.name) if kept else t("report.written", path=path), timeout=10)


def _mark(screen: Screen, status: str) -> Text:
    styles = {"fail": tone(screen, "error", bold=True), "ok": tone(screen, "success")}
    return Text(MARK[status], style=styles.get(status, ""))


def _result_text(item: CheckItem, answer: Answer | None, observations: list[Observation], status: str) -> str:
    found, allowed = (answer.found, answer.allowed) if answer else (None, None)
    if item.answer == "count" and status != "na" and (found is not None or allowed is not None):
        def shown(n: object) -> object:
            return "—" if n is None else n

        return t("inspection.result.count", found=shown(found), allowed=shown(allowed))
    if status == "unanswered":
        return t("inspection.result.unanswered")
    if status == "na":
        return t("inspection.result.na")
    if item.answer == "count":
        return t("inspection.result.count", found=found, allowed=allowed)
    if item.answer == "list":
        bad = sum(1 for o in observations if o.violation)
        return t("inspection_screen.list_result", n=len(observations), bad=bad)
    return t(f"inspection.result.{answer.value if answer else None}")


def _keys_hint(item: CheckItem) -> str:
    return t(f"inspection_screen.keys.{item.answer}")


class CountDialog(TextDialog):
    """A count: a bad value keeps the dialog open with the error under the input (nothing typed is lost)."""

    @on(Input.Submitted)
    def _check_number(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if value.isascii() and value.isdigit():  # a whole number, not negative: TextDialog closes with it
            return
        event.prevent_default()  # TextDialog's own handler would close the dialog
        event.stop()
        message = t("inspection_screen.bad_number", value=event.value)
        errors = self.query("#count-error")
        if errors:
            errors.first(Static).update(message)
        else:
            self.query_one("#dialog-input", Input).parent.mount(
                Static(message, id="count-error", classes="dialog-error", markup=False), after="#dialog-input")
