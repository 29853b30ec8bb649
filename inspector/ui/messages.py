"""Messages the app sends to its screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class LanguageChanged(Message, bubble=False):
    """The interface language changed: sent to every screen in the stack, so one below redraws too.

    A screen that shows translated text handles it (``on_language_changed``);
    the footer needs nothing, it translates when it redraws. It does not
    bubble, so the app does not hear it once per screen.
    """

    lang: str
