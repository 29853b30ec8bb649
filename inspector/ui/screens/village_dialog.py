"""Add or edit a village or community."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from ...core.models import VILLAGE_KINDS, Village
from ...i18n import t
from ..dialogs import choice
from ..wrapped import WrappedText

FIELDS = ("name", "township", "county", "contact", "phone")


class VillageDialog(ModalScreen[dict | None]):
    BINDINGS = [Binding("escape", "cancel", "action.cancel", id="dialog.cancel"), Binding("ctrl+s", "save", "action.save", id="dialog.save")]

    def __init__(self, village: Village | None = None, township: str = "") -> None:
        super().__init__()
        self.village, self.township = village, township

    def compose(self) -> ComposeResult:
        v = self.village
        with VerticalScroll(classes="dialog"):
            yield Label(t("village_dialog.edit" if v else "village_dialog.add"), classes="dialog-title")
            for field in FIELDS:
                value = getattr(v, field) if v else (self.township if field == "township" else "")
                yield Label(t(f"village_dialog.{field}"))
                yield Input(value=value, id=field, compact=True)
            yield Label(t("village_dialog.kind"))
            yield choice([(t(f"kind.{k}"), k) for k in VILLAGE_KINDS], value=v.kind if v else "village", allow_blank=False, id="kind", compact=True)
            yield Static("", id="error", classes="dialog-error", markup=False)
            yield WrappedText(t("review.dialog_hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        values = {f: self.query_one(f"#{f}", Input).value.strip() for f in FIELDS}
        values["kind"] = str(self.query_one("#kind", Select).value)
        if not values["name"] or not values["township"]:
            self.query_one("#error", Static).update(t("village.need_name_township"))
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)
