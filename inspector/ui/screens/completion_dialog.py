"""What stops an inspection from being completed, as a list that leads to each item.

Every line names a check item by its number and question; Enter closes the
dialog and puts the walk's cursor on that item, Esc just closes it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ..dialogs import DialogBody
from ...i18n import t


class ProblemsDialog(ModalScreen[str | None]):
    """Returns the id of the check item chosen (None when closed with Esc)."""

    BINDINGS = [Binding("escape", "close", "action.close", id="dialog.close")]

    def __init__(self, title: str, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text, self.rows = title, rows

    def compose(self) -> ComposeResult:
        with DialogBody(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title")
            # Options carry no id: one item may stand on several lines (a finding and a note missing).
            yield OptionList(*[Option(text) for _, text in self.rows], id="problems")
            yield Static(t("walk.problems_hint"), classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#problems", OptionList).focus()

    @on(OptionList.OptionSelected, "#problems")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.rows[event.option_index][0])

    def action_close(self) -> None:
        self.dismiss(None)
