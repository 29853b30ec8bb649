"""F1: what the keys do, and where the data lives."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from ...i18n import t
from ..bindings import Localized


class HelpScreen(Localized, ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "action.dismiss", id="help.close"),
        Binding("f1", "dismiss", "action.dismiss", show=False),
        Binding("q", "dismiss", "action.dismiss", show=False),
    ]

    def compose(self) -> ComposeResult:
        app = self.app
        with VerticalScroll(id="help-body"):
            yield Markdown(t("help.text", db=app.db.root, today=app.today.isoformat()))  # type: ignore[attr-defined]

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
