"""A footer that never cuts a key in the middle of its word.

Textual's Footer scrolls sideways when its keys do not fit, which at 80
columns shows "f2 Engl▏". This one leaves out whole keys that would not fit
(the first ones declared are kept, and F1 help always), since F1 help and the
command palette list every key of the screen anyway.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from ..core.textwidth import width


def key_cells(key: FooterKey) -> int:
    """Cells a (non-compact) footer key takes: " k " then the description and one space."""
    return width(key.key_display) + 2 + width(key.description) + 1


class FittingFooter(Footer):
    ALWAYS = ("help",)  # actions kept whatever the width: the way to every other key

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        palette = [k for k in keys if k.has_class("-command-palette")]
        normal = [k for k in keys if not k.has_class("-command-palette")]
        room = self.app.size.width - sum(key_cells(k) + 2 for k in palette)  # its border and padding
        kept = {id(k) for k in normal if k.action in self.ALWAYS}
        room -= sum(key_cells(k) for k in normal if id(k) in kept)
        for k in normal:
            if id(k) not in kept and key_cells(k) <= room:
                kept.add(id(k))
                room -= key_cells(k)
            elif id(k) not in kept:
                room = -1  # keep the order: once one key is left out, the later ones are too
        yield from (k for k in normal if id(k) in kept)
        yield from palette

    def on_resize(self) -> None:
        if self.is_attached:
            self.call_after_refresh(self.recompose)
