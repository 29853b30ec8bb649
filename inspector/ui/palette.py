"""The command palette in the interface language, offering every action of the screen in front.

Textual's palette hard-codes its English prompt and "No matches found"; this
subclass passes the prompt and re-implements the one method that writes the
other (Textual is pinned, so the copied method cannot drift unseen).
"""

from __future__ import annotations

from functools import partial
from typing import Iterable

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandList, CommandPalette
from textual.dom import DOMNode
from textual.widgets.option_list import Option

from ..i18n import has, t
from .bindings import key, screen_actions


class LocalizedPalette(CommandPalette):
    def __init__(self) -> None:
        super().__init__(placeholder=t("shell.palette.search"), id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(t("shell.palette.no_matches"), style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)


def binding_commands(screen: DOMNode) -> Iterable[SystemCommand]:
    """One palette command per action of the screen's BINDINGS: the same method the key calls."""
    for action in screen_actions(screen):
        palette_key = key(action.action).replace("action.", "palette.", 1)
        help_text = t(palette_key) if has(palette_key) else action.tooltip
        keys = " / ".join(action.keys)
        yield SystemCommand(action.description, f"{keys} · {help_text}" if help_text else keys,
                            partial(screen.app.run_action, action.action, screen))
