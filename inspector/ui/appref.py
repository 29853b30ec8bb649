"""The running app, typed: screens and dialogs read ``db``, ``today``, ``settings`` through this.

Textual types ``self.app`` as a plain ``App``, which knows none of them; one
cast here instead of an ignore at every use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from .app import InspectorApp


def inspector_app(node: DOMNode) -> InspectorApp:
    """``node.app`` as the InspectorApp it is (every screen of this package runs in one)."""
    return cast("InspectorApp", node.app)
