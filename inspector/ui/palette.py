"""The command palette in the interface language, offering every action of the screen in front.

Textual's palette takes its prompt as a parameter; its "No matches found" is
written in English, so the commands provider answers a search that matches
nothing with one line of its own (then Textual has no reason to write its
line). Public Textual API only: no Textual method is copied or overridden.
"""

from __future__ import annotations

from functools import partial
from typing import Iterable

from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandPalette, Hit, Hits
from textual.screen import Screen
from textual.system_commands import SystemCommandsProvider

from ..i18n import has, t
from .bindings import app_keys, key, screen_actions


class LocalizedCommands(SystemCommandsProvider):
    """The app's commands (``App.get_system_commands``), saying so in the interface language when none matches."""

    async def search(self, query: str) -> Hits:
        found = False
        async for hit in super().search(query):
            found = True
            yield hit
        if not found:
            # Chosen, it only closes the palette, as Esc does.
            yield Hit(1.0, Text(t("shell.palette.no_matches"), style="not bold"), _nothing)


def _nothing() -> None:
    pass


class LocalizedPalette(CommandPalette):
    def __init__(self) -> None:
        super().__init__(providers=[LocalizedCommands], placeholder=t("shell.palette.search"), id="--command-palette")


def binding_commands(screen: Screen) -> Iterable[SystemCommand]:
    """One palette command per action of the screen's BINDINGS: the same method the key calls."""
    for action in screen_actions(screen):
        palette_key = key(action.action).replace("action.", "palette.", 1)
        help_text = t(palette_key) if has(palette_key) else action.tooltip
        keys = " / ".join(action.keys)
        yield SystemCommand(action.description, f"{keys} · {help_text}" if help_text else keys,
                            partial(screen.app.run_action, action.action, screen))


def app_commands(screen: Screen) -> Iterable[SystemCommand]:
    """The app's own actions (help, language, quit), with the keys now bound to them."""
    app = screen.app
    for action, usual, palette_key in (("help", "F1", "palette.help"), ("toggle_language", "F2", "palette.language"),
                                       ("quit", "Ctrl+Q", "palette.quit")):
        yield SystemCommand(t(f"action.{action}"), f"{app_keys(screen, action, usual)} · {t(palette_key)}",
                            partial(app.run_action, action))
