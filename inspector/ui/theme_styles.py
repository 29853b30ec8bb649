"""Rich styles from the app's theme, for text that code builds (DataTable cells, Static text).

The stylesheet cannot reach the spans of a Rich Text, so these read the
theme's variables instead of naming colours: the same colours as
``$text-error`` / ``$text-warning`` / ``$text-success`` in app.tcss, and they
follow a change of theme.
"""

from __future__ import annotations

from typing import Literal

from rich.style import Style
from textual.dom import DOMNode

Tone = Literal["error", "warning", "success"]


def tone(node: DOMNode, name: Tone, *, bold: bool = False) -> Style:
    """The theme's text colour for ``name`` (overdue, due soon or uncertain, done), bold if asked."""
    colour = node.app.theme_variables.get(f"text-{name}") or node.app.theme_variables.get(name)
    return Style(color=colour, bold=bold or None)
