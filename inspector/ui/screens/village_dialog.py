"""Add or edit a village or community."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from ...core.errors import UserError
from ...core.models import VILLAGE_KINDS, Village
from ...core.names import InvalidName, clean_name, name_key, near_names
from ...i18n import t
from ..dialogs import DialogBody, DialogError, choice
from ..wrapped import WrappedText

FIELDS = ("name", "township", "county", "contact", "phone")


class VillageDialog(ModalScreen[object]):
    """Dismissed with what ``save`` returned (or the values when there is no ``save``), or None.

    ``save`` runs inside the dialog so that a refusal (a namesake, a bad name) is shown
    here and the typed fields are kept. A township not among ``townships`` is a new one
    only when confirmed: the first save names the near townships, a second one creates it.
    """

    BINDINGS = [Binding("escape", "cancel", "action.cancel", id="dialog.cancel"), Binding("ctrl+s", "save", "action.save", id="dialog.save")]

    def __init__(
        self,
        village: Village | None = None,
        township: str = "",
        *,
        townships: Iterable[str] = (),
        save: Callable[[dict], object] | None = None,
    ) -> None:
        super().__init__()
        self.village, self.township = village, township
        self.townships = sorted(townships)
        self.save = save
        self._new_township_ok = ""  # the key of the new township the user has confirmed

    def compose(self) -> ComposeResult:
        v = self.village
        with DialogBody(classes="dialog"):
            yield Label(t("village_dialog.edit" if v else "village_dialog.add"), classes="dialog-title")
            for field in FIELDS:
                value = getattr(v, field) if v else (self.township if field == "township" else "")
                yield Label(t(f"village_dialog.{field}"))
                yield Input(value=value, id=field, compact=True)
            yield Label(t("village_dialog.kind"))
            yield choice([(t(f"kind.{k}"), k) for k in VILLAGE_KINDS], value=v.kind if v else "village", allow_blank=False, id="kind", compact=True)
            yield DialogError()
            yield WrappedText(t("review.dialog_hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        values = {f: self.query_one(f"#{f}", Input).value.strip() for f in FIELDS}
        values["kind"] = str(self.query_one("#kind", Select).value)
        error = self.query_one("#error", Static)
        if not values["name"] or not values["township"]:
            error.update(t("village.need_name_township"))
            return
        try:
            values["name"], values["township"] = clean_name(values["name"]), clean_name(values["township"])
        except InvalidName as exc:
            error.update(t(exc.key, **exc.params))
            return
        township = self._township(values["township"])
        if township is None:
            return
        values["township"] = township
        if self.save is None:
            self.dismiss(values)
            return
        try:
            result = self.save(values)
        except UserError as exc:  # e.g. a namesake in the township: keep the dialog and what was typed
            error.update(exc.message())
            return
        self.dismiss(result)

    def _township(self, typed: str) -> str | None:
        """The stored spelling of an existing township, ``typed`` for a confirmed new one, else None."""
        known = {name_key(x): x for x in self.townships}
        key = name_key(typed)
        if key in known:
            return known[key]
        if not known or self._new_township_ok == key:
            return typed
        self._new_township_ok = key  # the next save with the same township creates it
        near = near_names(typed, self.townships)
        message = t("f3.new_township_near", name=typed, near=t("supervise.sep").join(near)) if near else t("f3.new_township", name=typed)
        self.query_one("#error", Static).update(message)
        return None

    def action_cancel(self) -> None:
        self.dismiss(None)
