"""Dialogs of the review screen: one move of the workflow, the filter, a pick list."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ...catalog.model import SEVERITIES, THEMES
from ...core import workflow
from ...core.deadlines import DeadlineError, parse_deadline
from ...core.overdue import BUCKETS, FindingRow
from ...i18n import language, t
from ..dialogs import choice
from ..wrapped import WrappedText
from ..appref import inspector_app

FILTER_FIELDS = ("township", "village", "unit", "theme", "severity", "escalation", "bucket")


def explain(exc: workflow.WorkflowError) -> str:
    """A refused move, in words: the state named in the interface language."""
    params = dict(exc.params)
    if "state" in params:
        params["state"] = t(f"workflow.state.{params['state']}")
    if "expected" in params and params["expected"] in workflow.ESCALATIONS:
        params["expected"] = t(f"workflow.escalation.{params['expected']}")
    return t(exc.key, **params)


def precheck(kind: str, status: workflow.FindingStatus, today: date) -> None:
    """Refuse a move before its dialog opens when nothing typed in it could make it allowed.

    Raises the WorkflowError the save would raise: the state does not allow the
    move, or (escalation) the finding is not overdue or already at the top level.
    """
    allowed, _ = workflow.MOVES[kind]
    if status.state not in allowed:
        raise workflow.WorkflowError(f"workflow.refused.{kind}", state=status.state)
    if kind == "escalate":
        if not today > status.deadline:
            raise workflow.WorkflowError("workflow.escalate_not_overdue", deadline=status.deadline.isoformat())
        if status.escalation >= len(workflow.ESCALATIONS):
            raise workflow.WorkflowError("review.max_level")


class MoveDialog(ModalScreen[dict | None]):
    """Ask only for what one move needs."""

    BINDINGS = [Binding("escape", "cancel", "action.cancel", id="dialog.cancel"), Binding("ctrl+s", "save", "action.save", id="dialog.save")]

    def __init__(self, kind: str, row: FindingRow, status: workflow.FindingStatus, today: date) -> None:
        super().__init__()
        self.kind, self.row, self.status, self.today = kind, row, status, today
        self.resolved = None

    def compose(self) -> ComposeResult:
        st = self.status
        with VerticalScroll(classes="dialog"):
            yield Label(t(f"review.move_title.{self.kind}", id=self.row.id), classes="dialog-title")
            yield Static(f"{self.row.village} · {self.row.title}\n"
                         + t("review.deadline_line", deadline=st.deadline.isoformat(), original=st.original_deadline.isoformat(),
                             state=t(f"workflow.state.{st.state}")), markup=False, classes="dialog-hint")
            for ext in st.extensions:
                yield Static(t("review.extension_line", **ext), markup=False, classes="dialog-hint")
            if self.kind == "assign":
                yield Label(t("finding.field.unit"))
                yield Input(value=st.unit, id="unit", compact=True)
                yield Label(t("finding.field.person"))
                yield Input(value=st.person, id="person", compact=True)
            elif self.kind == "verify":
                yield Label(t("review.verify_result"))
                yield choice([(t("review.verify_pass"), "verify"), (t("review.verify_fail"), "verify_fail")], value="verify", allow_blank=False, id="result", compact=True)
                yield Label(t("review.verifier"))
                yield Input(value=inspector_app(self).settings.user, id="by", compact=True)
            elif self.kind == "extend":
                yield Label(t("review.new_deadline"))
                yield Input(placeholder=t("finding.deadline_hint"), id="deadline", compact=True)
                yield Static(id="deadline-resolved", markup=False)
            elif self.kind == "escalate":
                nxt = workflow.ESCALATIONS[st.escalation] if st.escalation < len(workflow.ESCALATIONS) else None
                self.level = nxt
                yield Static(t("review.next_level", level=t(f"workflow.escalation.{nxt}") if nxt else "—"), markup=False)
            if self.kind == "report":
                yield Label(t("review.evidence"))
                yield Input(id="evidence", compact=True)
            if self.kind != "assign":
                yield Label(t(f"review.note.{self.kind}"))
                yield Input(id="note", compact=True)
            yield Static("", id="error", classes="dialog-error", markup=False)
            yield WrappedText(t("review.dialog_hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        first = self.query(Input).first() if self.query(Input) else None
        if first is not None:
            first.focus()

    @on(Input.Changed, "#deadline")
    def _resolve(self, event: Input.Changed) -> None:
        label = self.query_one("#deadline-resolved", Static)
        try:
            self.resolved = parse_deadline(event.value, self.today)
            label.update("→ " + self.resolved.describe(language()))
        except DeadlineError as exc:
            self.resolved = None
            label.update("⚠ " + t(exc.key, **exc.params))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def _value(self, wid: str) -> str:
        return self.query_one(f"#{wid}", Input).value.strip() if self.query(f"#{wid}") else ""

    def action_save(self) -> None:
        payload: dict = {}
        note = self._value("note")
        if note:
            payload["note"] = note
        if self.kind == "assign":
            payload.update(unit=self._value("unit"), person=self._value("person"))
        elif self.kind == "verify":
            payload["_move"] = str(self.query_one("#result", Select).value)
            payload["verifier"] = self._value("by")
        elif self.kind == "extend":
            if self.resolved is None:
                self.query_one("#error", Static).update(t("finding.need_deadline"))
                return
            payload["deadline"] = self.resolved.day.isoformat()
        elif self.kind == "escalate":
            if self.level is None:
                self.query_one("#error", Static).update(t("review.max_level"))
                return
            payload["level"] = self.level
        elif self.kind == "report":
            evidence = [e.strip() for e in self._value("evidence").replace("，", ",").split(",") if e.strip()]
            if evidence:
                payload["evidence"] = evidence
        # Check the move here too, so the dialog says why before it closes.
        move = payload.get("_move", self.kind)
        probe = {"type": move, "on": self.today.isoformat(), "seq": 10**6, **{k: v for k, v in payload.items() if k != "_move"}}
        try:
            workflow.apply(_copy(self.status), probe)
        except workflow.WorkflowError as exc:
            self.query_one("#error", Static).update(explain(exc))
            return
        self.dismiss(payload)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _copy(status: workflow.FindingStatus) -> workflow.FindingStatus:
    from copy import deepcopy

    return deepcopy(status)


class FilterDialog(ModalScreen[dict | None]):
    BINDINGS = [Binding("escape", "cancel", "action.cancel", id="dialog.cancel"), Binding("ctrl+s", "save", "action.save", id="dialog.save")]

    def __init__(self, filters: dict[str, str], db) -> None:
        super().__init__()
        self.filters, self.db = filters, db

    def compose(self) -> ComposeResult:
        villages = self.db.villages()
        choices = {
            "township": [(name, name) for name in self.db.townships()],
            "village": [(f"{v.township} {v.name}", v.id) for v in villages],
            "theme": [(t(f"theme.{th}"), th) for th in THEMES],
            "severity": [(t(f"severity.{s}"), s) for s in SEVERITIES],
            "escalation": [(t(f"workflow.escalation.{e}"), e) for e in ("none", *workflow.ESCALATIONS)],
            "bucket": [(t(f"review.bucket.{b}"), b) for b in BUCKETS],
        }
        with VerticalScroll(classes="dialog"):
            yield Label(t("review.filter_title"), classes="dialog-title")
            for field in FILTER_FIELDS:
                yield Label(t(f"review.field.{field}"))
                if field == "unit":
                    yield Input(value=self.filters.get("unit", ""), placeholder=t("review.unit_hint"), id="f-unit", compact=True)
                else:
                    value = self.filters.get(field) or Select.NULL
                    yield choice(choices[field], prompt=t("review.no_filter"), value=value, id=f"f-{field}", compact=True)
            yield WrappedText(t("review.filter_hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(f"#f-{FILTER_FIELDS[0]}").focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        filters: dict[str, str] = {}
        for field in FILTER_FIELDS:
            if field == "unit":
                value = self.query_one("#f-unit", Input).value.strip()
            else:
                raw = self.query_one(f"#f-{field}", Select).value
                value = "" if raw is Select.NULL else str(raw)
            if value:
                filters[field] = value
        self.dismiss(filters)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PickDialog(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "action.cancel", id="dialog.cancel")]

    def __init__(self, title: str, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text, self.options = title, options

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(*[Option(label, id=value) for label, value in self.options], id="pick")

    def on_mount(self) -> None:
        pick = self.query_one("#pick", OptionList)
        pick.highlighted = 0
        pick.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
