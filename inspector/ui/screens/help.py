"""F1: the keys of the screen it was opened from, the keys that work everywhere, and where the data lives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label

from ...i18n import t
from ...core.textwidth import pad, width
from ..appref import inspector_app
from ..bindings import app_keys, screen_actions
from ..wrapped import WrappedText

if TYPE_CHECKING:
    from ..app import InspectorApp


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "action.dismiss", id="help.close"),
        Binding("f1", "close", "action.dismiss", show=False, id="help.close_f1"),
        Binding("q", "close", "action.dismiss", show=False, id="help.close_q"),
    ]

    def __init__(self, under: Screen | None = None) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        # Plain text wrapped by the CJK rules (a Markdown widget would start lines with "、").
        with VerticalScroll(id="help-body"):
            for kind, text in help_lines(inspector_app(self), self.under):
                if kind == "heading":
                    yield Label(text, classes="help-heading")
                else:
                    yield WrappedText(text, classes=f"help-{kind}")

    def action_close(self) -> None:  # not action_dismiss: ModalScreen has one, with another signature
        self.dismiss(None)


def help_lines(app: InspectorApp, under: Screen | None) -> list[tuple[str, str]]:
    """The help, as (kind, text) lines: built from the screen's BINDINGS, so it lists every key the screen has."""

    def keys(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
        cells = max((width(k) for k, _ in rows), default=0)
        return [("key", f"{pad(k, cells)}  {d}") for k, d in rows]

    lines = [("heading", t("shell.help.title")), ("text", t("help.intro"))]
    if under is not None:
        rows = [(" / ".join(a.keys), a.description + (f" — {a.tooltip}" if a.tooltip else "")) for a in screen_actions(under)]
        if rows:
            lines += [("heading", t("shell.help.screen_keys"))] + keys(rows)
    def bound(action: str, usual: str) -> str:  # the user's keymap may move them
        return app_keys(under, action, usual) if under is not None else usual

    lines += [("heading", t("shell.help.global_keys"))] + keys([
        (bound("help", "F1"), t("action.help")),
        (bound("toggle_language", "F2"), t("tooltip.toggle_language")),
        ("Ctrl+P", t("shell.help.palette")),
        ("↑ ↓ PgUp PgDn", t("shell.help.move")),
        ("Esc", t("action.back")),
        (bound("quit", "Ctrl+Q"), t("action.quit")),
    ])
    colon = t("punct.colon")
    lines += [
        ("heading", t("shell.help.data")),
        ("text", f"{t('shell.help.db')}{colon}{app.db.root}"),
        ("text", f"{t('shell.help.today')}{colon}{app.today.isoformat()}"),
        ("text", f"{t('shell.help.user')}{colon}{app.settings.user}"),
        ("text", t("shell.help.durable")),
    ]
    return lines
