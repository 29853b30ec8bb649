"""Record one observed thing: a task, a purchased service, a certificate, a signboard...

Tasks, services and certificates go through the classifier as they are typed:
the verdict and the list item it rests on show at once. The inspector may
override the classification, with a reason that is kept.

Enter saves from every field but a dropdown, which it opens (as in every
dialog); the checkboxes toggle with space only, so Enter on them saves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select, Static
from rich.text import Text

from ..dialogs import DialogBody, DialogError
from ...catalog.classifier import KINDS, Classifier
from ...catalog.model import Catalog
from ...core.inspection import ASSIGNED_HOW, CLASSIFIED, classify_observation, is_violation
from ...core.item_text import list_item_label
from ...core.records import Observation, Override
from ...i18n import has, language, t
from ..theme_styles import tone


class SpaceCheckbox(Checkbox, inherit_bindings=False):
    """A checkbox toggled by space only: Enter belongs to the dialog (it saves)."""

    BINDINGS = [Binding("space", "toggle_button", show=False, id="observation.tick")]


class ArrowSelect(Select, inherit_bindings=False):
    """A dropdown opened by Enter, space or the arrows, as in every other dialog (Enter elsewhere saves)."""

    BINDINGS = [Binding("down,enter,space,up", "show_overlay", show=False, id="observation.open_choices")]

FLAGS = {
    "task": ("approval_document", "purchase_contract"),
    "service": ("purchase_contract", "contract_evaluation", "funds_arrived"),
}


@dataclass(frozen=True)
class DeleteObservation:
    """The dialog's answer when the inspector deletes the observation (ctrl+d)."""


class ObservationDialog(ModalScreen[dict[str, Any] | DeleteObservation | None]):
    """Dismissed with the typed fields (a dict of an observation's field values), DeleteObservation, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "action.cancel", id="dialog.cancel"),
        Binding("ctrl+s", "save", "action.save", id="dialog.save"),
        Binding("enter", "save", "action.save", show=False, id="observation.save_enter"),
        Binding("ctrl+d", "delete", "action.delete", id="dialog.delete"),
    ]

    def __init__(self, kind: str, classifier: Classifier, current: Observation | None = None, *, catalog: Catalog | None = None) -> None:
        super().__init__()
        self.kind, self.classifier, self.current, self.catalog = kind, classifier, current, catalog

    def compose(self) -> ComposeResult:
        c = self.current or Observation(id="", inspection="", kind=self.kind)
        with DialogBody(classes="dialog wide"):
            yield Label(t(f"observation.title.{self.kind}"), classes="dialog-title")
            yield Label(t(f"observation.what.{self.kind}"))
            yield Input(value=c.what, id="what", compact=True)
            yield Label(t(f"observation.department.{self.kind}"))
            yield Input(value=c.department, id="department", compact=True)
            if self.kind in ("task", "service"):
                yield Label(t("observation.assigned_how"))
                yield ArrowSelect([(t(f"observation.how.{h}"), h) for h in ASSIGNED_HOW], value=c.assigned_how or Select.NULL,
                                  prompt=t("walk.select_prompt"), id="assigned_how", compact=True)
                for flag in FLAGS[self.kind]:
                    yield SpaceCheckbox(t(f"observation.flag.{flag}"), value=bool(getattr(c, flag)), id=flag, compact=True)
            if self.kind not in CLASSIFIED or self.kind == "task":
                yield SpaceCheckbox(t(f"observation.marked_violation.{self.kind}"), value=c.marked_violation, id="marked_violation", compact=True)
            yield Static(id="verdict")
            if self.kind in CLASSIFIED:
                override = c.override or Override(kind="", reason="")
                yield Label(t("observation.override"))
                yield ArrowSelect([(t(f"kind_of_task.{k}"), k) for k in KINDS], value=override.kind or Select.NULL,
                                  prompt=t("walk.override_prompt"), id="override_kind", compact=True)
                yield Input(value=override.reason, placeholder=t("observation.override_reason"), id="override_reason", compact=True)
            yield Label(t("observation.note"))
            yield Input(value=c.note, id="note", compact=True)
            # Ctrl+D deletes a recorded observation: a new one has nothing to delete yet.
            yield Static(t("observation.hint" if self.current else "observation.hint_new"), classes="dialog-hint")
            yield DialogError()

    def on_mount(self) -> None:
        self.query_one("#what", Input).focus()
        self.update_verdict()

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def update_verdict(self) -> None:
        doc = self.collect()
        text = Text()
        if self.kind in CLASSIFIED and doc["what"].strip():
            cls = self._classify(doc["what"])
            if cls:
                text.append(f"{t('observation.classified')}{t('punct.colon')}", style="bold")
                # The kind, then what it means on its own line (a dash left at a line's end reads as cut off).
                text.append(t(f"kind_of_task.{cls['kind']}") + "\n" + t(f"verdict.{cls['kind']}") + "\n",
                            style=tone(self, "warning", bold=True) if cls["kind"] == "uncertain" else "")
                if cls.get("item"):
                    text.append(f"{t('observation.basis')}{t('punct.colon')}{self._item_text(cls)}\n", style="italic")
                if cls.get("reason") and has(f"classifier.reason.{cls['reason']}"):
                    why = t(f"classifier.reason.{cls['reason']}", evidence=t("punct.list_sep").join(cls.get("evidence") or []))
                    text.append(why + "\n", style="dim")
                if cls.get("candidates"):
                    # Candidates are not a basis: for "uncertain" the inspector picks (in the change below).
                    label = "classifier.candidates" if cls["kind"] == "uncertain" else "classifier.nearest"
                    text.append(t(label) + t("punct.colon") + "\n", style="bold" if cls["kind"] == "uncertain" else "dim")
                    for cand in cls["candidates"]:
                        kind = t(f"kind_of_task.{cand['kind']}") if cand.get("kind") else ""
                        text.append(f"· {self._item_text(cand)} {kind}\n", style="" if cls["kind"] == "uncertain" else "dim")
                    if cls["kind"] == "uncertain":
                        text.append(t("walk.pick_kind") + "\n", style=tone(self, "warning"))
            doc["classification"] = cls
        if is_violation(Observation(id="", inspection="", **doc)):
            text.append(t("observation.is_violation"), style=tone(self, "error", bold=True))
        self.query_one("#verdict", Static).update(text)

    def _item_text(self, ref: dict) -> str:
        """A list item as its list, number and title (never its key)."""
        if ref.get("number") and ref.get("list_kind"):
            return t("classifier.item", list=t(f"list_kind.{ref['list_kind']}"), number=ref["number"], title=ref.get("title", ""))
        if self.catalog and ref.get("item"):
            return list_item_label(self.catalog, ref["item"], language())
        return ref.get("title", "")

    def _classify(self, what: str) -> dict | None:
        # Every field's change redraws the verdict; only a change of "what" needs the classifier again.
        if getattr(self, "_classified", (None, None))[0] != what:
            self._classified = (what, classify_observation(self.classifier, self.kind, what))
        return self._classified[1]

    def collect(self) -> dict[str, Any]:
        """The fields as typed: an observation's field values (``override`` an Override or None)."""
        doc: dict[str, Any] = {"kind": self.kind, "what": self.query_one("#what", Input).value.strip(), "department": self.query_one("#department", Input).value.strip()}
        doc["note"] = self.query_one("#note", Input).value.strip()
        for flag in FLAGS.get(self.kind, ()):
            doc[flag] = self.query_one(f"#{flag}", Checkbox).value
        if self.query("#assigned_how"):
            value = self.query_one("#assigned_how", Select).value
            doc["assigned_how"] = "" if value is Select.NULL else str(value)
        if self.query("#marked_violation"):
            doc["marked_violation"] = self.query_one("#marked_violation", Checkbox).value
        if self.kind in CLASSIFIED:
            kind = self.query_one("#override_kind", Select).value
            reason = self.query_one("#override_reason", Input).value.strip()
            doc["override"] = Override(kind=str(kind), reason=reason) if kind is not Select.NULL else None
            doc["classification"] = self.current.classification if self.current else None
        return doc

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        doc = self.collect()
        if not doc["what"]:
            self.query_one("#error", Static).update(t("observation.need_what"))
            return
        cls = self._classify(doc["what"]) if self.kind in CLASSIFIED else None
        if cls and cls.get("kind") == "uncertain" and not doc.get("override"):
            self.query_one("#error", Static).update(t("walk.pick_kind"))
            return
        if doc.get("override") and not doc["override"].reason:
            self.query_one("#error", Static).update(t("inspection.override_needs_reason"))
            return
        doc.pop("classification", None)  # the visit classifies again when saving
        self.dismiss(doc)

    def action_delete(self) -> None:
        if self.current:
            self.dismiss(DeleteObservation())

    def action_cancel(self) -> None:
        self.dismiss(None)
