"""Edit a finding before it is saved: every field prefilled from the check item.

The deadline accepts an ISO date or a relative one (+15d, 20wd, 20工作日,
月底...); the resolved date shows as it is typed, before anything is saved,
with a warning when it falls before the inspection or on today. The basis is
shown as the list items' names and the checklist's own clause, never as keys.
An unknown responsible unit stays empty, with a hint: the inspector names it.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from ..dialogs import DialogBody, DialogError
from ...catalog.model import SEVERITIES
from ...core import deadlines
from ...core.deadlines import DeadlineError, parse_deadline
from ...core.textwidth import clip
from ...i18n import language, t

FIELDS = ("title", "description", "unit", "person", "measure")
# What the dialog is given of a recorded finding (the basis is shown, not edited).
FINDING_FIELDS = (*FIELDS, "severity", "basis", "basis_text")


class FindingDialog(ModalScreen[dict | None]):
    BINDINGS = [Binding("escape", "cancel", "action.cancel", id="dialog.cancel"), Binding("ctrl+s", "save", "action.save", id="dialog.save")]

    def __init__(self, fields: dict[str, object], today: date, *, basis: list[str] | None = None, found_on: date | None = None) -> None:
        super().__init__()
        self.fields, self.today = fields, today
        self.basis = basis if basis is not None else list(fields.get("basis") or [])
        self.found_on = found_on
        self.resolved = None
        self.warning = None
        self._confirmed: date | None = None

    def compose(self) -> ComposeResult:
        with DialogBody(classes="dialog wide"):
            yield Label(t("finding.dialog.title"), classes="dialog-title")
            for name in FIELDS:
                yield Label(t(f"finding.field.{name}"))
                yield Input(value=str(self.fields.get(name) or ""), id=name, compact=True)
                if name == "unit":
                    yield Static(t("walk.unit_unknown"), id="unit-hint", classes="dialog-error", markup=False)
            yield Label(t("finding.field.severity"))
            yield Select([(t(f"severity.{s}"), s) for s in SEVERITIES], value=self.fields.get("severity") or "medium",
                         allow_blank=False, prompt=t("walk.select_prompt"), id="severity", compact=True)
            yield Label(t("finding.field.deadline"))
            yield Input(value=str(self.fields.get("deadline") or ""), placeholder=t("finding.deadline_hint"), id="deadline", compact=True)
            yield Static(id="deadline-resolved", markup=False)
            yield Static(t("finding.basis_line", basis=self._basis_text()), classes="dialog-hint", markup=False)
            yield DialogError()

    def _basis_text(self) -> str:
        clause = " ".join(str(self.fields.get("basis_text") or "").split())
        pieces = [*self.basis[:3], clip(clause, 80) if clause else ""]
        return t("punct.list_sep").join(p for p in pieces if p) or t("walk.basis_none")

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()
        self._unit_hint()
        self._resolve()

    @on(Input.Changed, "#unit")
    def _unit_hint(self) -> None:
        self.query_one("#unit-hint", Static).display = not self.query_one("#unit", Input).value.strip()

    @on(Input.Changed, "#deadline")
    def _resolve(self) -> None:
        self.resolved = None
        self.warning = None
        text = self.query_one("#deadline", Input).value
        label = self.query_one("#deadline-resolved", Static)
        try:
            deadline = parse_deadline(text, self.today)
        except DeadlineError as exc:
            label.update("⚠ " + t(exc.key, **exc.params))
            return
        self.resolved = deadline
        self.warning = deadlines.deadline_warning(deadline.day, self.found_on, self.today)
        text = "→ " + deadline.describe(language())
        if self.warning:
            text += "\n⚠ " + self.warning.text()
        label.update(text)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        values = {name: self.query_one(f"#{name}", Input).value.strip() for name in FIELDS}
        if not values["title"]:
            self.query_one("#error", Static).update(t("finding.need_title"))
            return
        if not values["unit"]:
            self.query_one("#error", Static).update(t("finding.need_unit"))
            return
        if self.resolved is None:
            self.query_one("#error", Static).update(t("finding.need_deadline"))
            return
        if self.warning and self._confirmed != self.resolved.day:
            # A deadline before the inspection, or today, is saved only when confirmed.
            self._confirmed = self.resolved.day
            self.query_one("#error", Static).update(t("walk.confirm_deadline"))
            return
        values["severity"] = str(self.query_one("#severity", Select).value)
        values["deadline"] = self.resolved.day.isoformat()
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)

