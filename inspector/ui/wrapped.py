"""Plain text wrapped by the CJK line-breaking rules (core.textwidth.wrap), re-wrapped on resize.

Textual breaks Chinese anywhere, so a line may start with "？" or split "APP";
this widget hands it lines that already fit.
"""

from __future__ import annotations

from textual.widgets import Static

from ..core.textwidth import wrap


class WrappedText(Static):
    DEFAULT_CSS = "WrappedText { height: auto; }"

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.text = text

    def set_text(self, text: str) -> None:
        self.text = text
        self._rewrap()

    def on_resize(self) -> None:
        self._rewrap()

    def _rewrap(self) -> None:
        cells = self.content_region.width or self.size.width
        if cells > 0:
            self.update("\n".join(wrap(self.text, cells)))
