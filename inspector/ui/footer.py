"""A footer in the interface language that never cuts a key in the middle of its word.

Bindings carry message keys as descriptions (see bindings.py); this footer
shows them translated, so a language switch only asks it to redraw.

Textual's Footer scrolls sideways when its keys do not fit, which at 80
columns shows "f2 Engl▏". This one leaves out whole keys that would not fit
(the first ones declared are kept, and F1 help always), since F1 help and the
command palette list every key of the screen anyway.
"""

from __future__ import annotations

from typing import Protocol, cast

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer

from ..core.textwidth import width
from ..i18n import has, t
from .bindings import key


class ShownKey(Protocol):
    """The public attributes of the widgets Footer composes, one per key."""

    key: str
    key_display: str
    description: str
    action: str


def key_cells(shown: ShownKey) -> int:
    """Cells a (non-compact) footer key takes: " k " then the description and one space."""
    return width(shown.key_display) + 2 + width(shown.description) + 1


class FittingFooter(Footer):
    ALWAYS = ("help",)  # actions kept whatever the width: the way to every other key

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        for widget in widgets:
            _translate(widget)
        keys = [(w, cast(ShownKey, w)) for w in widgets]
        palette = [(w, k) for w, k in keys if w.has_class("-command-palette")]
        normal = [(w, k) for w, k in keys if not w.has_class("-command-palette")]
        room = self.app.size.width - sum(key_cells(k) + 2 for _, k in palette)  # its border and padding
        kept = {id(w) for w, k in normal if k.action in self.ALWAYS}
        room -= sum(key_cells(k) for w, k in normal if id(w) in kept)
        for w, k in normal:
            if id(w) not in kept and key_cells(k) <= room:
                kept.add(id(w))
                room -= key_cells(k)
            elif id(w) not in kept:
                room = -1  # keep the order: once one key is left out, the later ones are too
        yield from (w for w, _ in normal if id(w) in kept)
        yield from (w for w, _ in palette)

    def on_resize(self) -> None:
        if self.is_attached:
            self.call_after_refresh(self.recompose)


def _translate(widget: Widget) -> None:
    shown = cast(ShownKey, widget)
    if has(shown.description) or has(key(shown.action)):  # ours, or Textual's palette key (action.command_palette)
        shown.description = t(shown.description) if has(shown.description) else t(key(shown.action))
        tooltip_key = key(shown.action).replace("action.", "tooltip.", 1)
        if has(tooltip_key):
            widget.tooltip = t(tooltip_key)
