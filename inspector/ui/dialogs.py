"""Small typed dialogs: each returns its result through dismiss()."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from ..i18n import t
from .wrapped import WrappedText


class DialogBody(VerticalScroll, can_focus=False):
    """Every dialog's body: no taller than the screen (app.tcss, `.dialog`), scrolled by its fields.

    Not focusable itself, so Tab goes from field to field; Textual scrolls the
    focused field into view, which keeps the lower fields reachable at 80×24.
    """


class DialogError(Static):
    """A dialog's error line: shown where the inspector looks, even below the fold."""

    DEFAULT_CLASSES = "dialog-error"

    def __init__(self, *, id: str = "error") -> None:
        super().__init__("", id=id, markup=False)

    def update(self, content="", *args, **kwargs) -> None:
        super().update(content, *args, **kwargs)
        if str(content):
            self.scroll_visible(animate=False)  # after the refresh, so the new text is laid out


class TextDialog(ModalScreen[str | None]):
    """Ask for one line of text. Esc cancels (None); Enter accepts."""

    BINDINGS = [Binding("escape", "cancel", "action.cancel", id="dialog.cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "", hint: str = "") -> None:
        super().__init__()
        self.title_text, self.value, self.placeholder, self.hint = title, value, placeholder, hint

    def compose(self) -> ComposeResult:
        with DialogBody(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(value=self.value, placeholder=self.placeholder, id="dialog-input")
            yield WrappedText(self.hint, classes="dialog-hint")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "confirm_yes", "action.confirm_yes", id="confirm.yes"),
        Binding("n,escape", "confirm_no", "action.confirm_no", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with DialogBody(classes="dialog"):
            yield WrappedText(self.question, classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("dialog.yes"), id="yes", variant="primary")
                yield Button(t("dialog.no"), id="no")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_confirm_yes(self) -> None:
        self.dismiss(True)

    def action_confirm_no(self) -> None:
        self.dismiss(False)


class MessageDialog(ModalScreen[None]):
    """A list of messages (e.g. what stops an inspection from being completed)."""

    BINDINGS = [Binding("escape,enter", "close", "action.close", id="dialog.close")]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.title_text, self.lines = title, lines

    def compose(self) -> ComposeResult:
        with DialogBody(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            for line in self.lines:
                yield WrappedText(f"• {line}", classes="dialog-body")

    def action_close(self) -> None:
        self.dismiss(None)


def choice(options, *, prompt: str | None = None, **kwargs) -> Select:
    """A dropdown whose empty choice reads in the interface language (Textual's own says "Select")."""
    return Select(options, prompt=prompt if prompt is not None else t("shell.select_prompt"), **kwargs)
