"""Dialogs of the review screen: one move of the workflow, the filter, a pick list."""

from __future__ import annotations


from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ...catalog.model import SEVERITIES, THEMES
from ...core import ids, labels, workflow
from ...core.deadlines import DeadlineError, parse_deadline
from ...core.finding_view import BUCKETS, FindingView
from ...core.moves import Move, check, next_level
from ...i18n import language, t
from ..dialogs import DialogBody, DialogError, choice
from ..wrapped import WrappedText

FILTER_FIELDS = ("township", "village", "unit", "theme", "severity", "escalation", "bucket")


class MoveDialog(ModalScreen[Move | None]):
    """Ask only for what one move needs; the typed move comes back (None: cancelled).

    Opened only when core allows the move now (``moves.refusal``); the move
    as typed is checked again before the dialog closes, so it says why at once.
    """

    BINDINGS = [Binding("escape", "cancel", "action.cancel", id="dialog.cancel"), Binding("ctrl+s", "save", "action.save", id="dialog.save")]

    def __init__(self, kind: str, view: FindingView, by: str) -> None:
        super().__init__()
        self.kind, self.view, self.by = kind, view, by
        self.today = view.as_of
        self.resolved = None
        self.level = next_level(view) if kind == "escalate" else None

    def compose(self) -> ComposeResult:
        st = self.view
        with DialogBody(classes="dialog"):
            yield Label(t(f"review.move_title.{self.kind}", id=ids.short(st.id)), classes="dialog-title")
            yield Static(f"{st.village} · {st.title}\n"
                         + t("review.deadline_line", deadline=st.deadline.isoformat(), original=st.original_deadline.isoformat(),
                             state=labels.state(st.state)), markup=False, classes="dialog-hint")
            for ext in st.extensions:
                yield Static(t("review.extension_line", **ext.to_json()), markup=False, classes="dialog-hint")
            if self.kind == "assign":
                yield Label(t("finding.field.unit"))
                yield Input(value=st.unit, id="unit", compact=True)
                yield Label(t("finding.field.person"))
                yield Input(value=st.person, id="person", compact=True)
            elif self.kind == "verify":
                yield Label(t("review.verify_result"))
                yield choice([(t("review.verify_pass"), "verify"), (t("review.verify_fail"), "verify_fail")], value="verify", allow_blank=False, id="result", compact=True)
                yield Label(t("review.verifier"))
                yield Input(value=self.by, id="by", compact=True)
            elif self.kind == "extend":
                yield Label(t("review.new_deadline"))
                yield Input(placeholder=t("finding.deadline_hint"), id="deadline", compact=True)
                yield Static(id="deadline-resolved", markup=False)
            elif self.kind == "escalate":
                yield Static(t("review.next_level", level=labels.escalation(self.level) if self.level else "—"), markup=False)
            if self.kind == "report":
                yield Label(t("review.evidence"))
                yield Input(id="evidence", compact=True)
            if self.kind != "assign":
                yield Label(t(f"review.note.{self.kind}"))
                yield Input(id="note", compact=True)
            yield DialogError()
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
        move = self._move()
        if move is None:
            return
        # Check the move as typed here too, so the dialog says why before it closes.
        refused = check(self.view.events, move)
        if refused is not None:
            self.query_one("#error", Static).update(refused.message())
            return
        self.dismiss(move)

    def _move(self) -> Move | None:
        """The move as typed; None (with the reason shown) when a field it needs is missing."""
        kind, fields = self.kind, {"note": self._value("note")}
        if kind == "assign":
            fields.update(unit=self._value("unit"), person=self._value("person"))
        elif kind == "verify":
            kind = str(self.query_one("#result", Select).value)
            fields["verifier"] = self._value("by")
        elif kind == "extend":
            if self.resolved is None:
                self.query_one("#error", Static).update(t("finding.need_deadline"))
                return None
            fields["deadline"] = self.resolved.day
        elif kind == "escalate":
            if self.level is None:
                self.query_one("#error", Static).update(t("review.max_level"))
                return None
            fields["level"] = self.level
        elif kind == "report":
            fields["evidence"] = tuple(e.strip() for e in self._value("evidence").replace("，", ",").split(",") if e.strip())
        return Move(kind=kind, on=self.today, by=self.by, **fields)

    def action_cancel(self) -> None:
        self.dismiss(None)


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
            "theme": [(labels.theme(th), th) for th in THEMES],
            "severity": [(labels.severity(s), s) for s in SEVERITIES],
            "escalation": [(labels.escalation(e), e) for e in ("none", *workflow.ESCALATIONS)],
            "bucket": [(labels.bucket(b), b) for b in BUCKETS],
        }
        with DialogBody(classes="dialog"):
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
        with DialogBody(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(*[Option(label, id=value) for label, value in self.options], id="pick", markup=False)

    def on_mount(self) -> None:
        pick = self.query_one("#pick", OptionList)
        pick.highlighted = 0
        pick.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
