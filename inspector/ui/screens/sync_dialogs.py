"""The sync screen's dialogs: a line asked then worked on, the busy spinner, the preview to confirm.

Long steps (reading and checking a bundle's signature, merging, writing a
bundle) run in a thread worker that only posts a message; the dialog in front
shows a spinner meanwhile and takes no key, so nothing else reads the
database while it changes. The merge reports no progress as it goes, so a
spinner (Textual's LoadingIndicator) stands for a progress bar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, LoadingIndicator

from ...i18n import t
from ..dialogs import ConfirmDialog, DialogBody, DialogError
from ..sync_steps import SyncRefused
from ..wrapped import WrappedText

T = TypeVar("T")


@dataclass
class Outcome(Generic[T]):
    """What a job came to: its result, or the one line that says why it could not be done."""

    result: T | None = None
    error: str = ""


def run_job(job: Callable[[], T]) -> Outcome[T]:
    """Run ``job``; a refusal or any failure becomes one line (never a traceback on screen)."""
    try:
        return Outcome(result=job())
    except SyncRefused as exc:
        return Outcome(error=exc.line)
    except Exception as exc:  # noqa: BLE001 - a read-only copy, a full disk...: said in one line, nothing half-done
        message = getattr(exc, "message", None)
        text = message() if callable(message) else f"{type(exc).__name__}: {exc}"
        return Outcome(error=t("sync_ui.failed", error=str(text)[:200]))


@dataclass
class JobDone(Message):
    outcome: Outcome[Any]


class AskAndRunDialog(ModalScreen[Any]):
    """Ask one line (a folder, a file), then run ``job(text)`` in a worker.

    A refusal stays in the dialog as one line under the field, so the path
    can be corrected; success dismisses with the job's result. Esc cancels
    (None) unless the job is running.
    """

    BINDINGS = [Binding("escape", "cancel", "action.cancel", id="sync_dialog.cancel")]

    def __init__(self, title: str, value: str, hint: str, job: Callable[[str], Any]) -> None:
        super().__init__()
        self.title_text, self.value, self.hint, self.job = title, value, hint, job
        self.running = False

    def compose(self) -> ComposeResult:
        with DialogBody(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(value=self.value, id="dialog-input")
            yield WrappedText(self.hint, classes="dialog-hint")
            yield LoadingIndicator(id="busy")
            yield DialogError()

    def on_mount(self) -> None:
        self.query_one("#busy").display = False

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        if self.running:
            return
        self.running = True
        self.query_one("#error", DialogError).update("")
        self.query_one("#busy").display = True
        self.query_one(Input).disabled = True
        self._work(event.value.strip())

    @work(thread=True, exit_on_error=False, name="sync step")
    def _work(self, text: str) -> None:
        self.post_message(JobDone(run_job(lambda: self.job(text))))

    @on(JobDone)
    def _done(self, message: JobDone) -> None:
        self.running = False
        self.query_one("#busy").display = False
        field = self.query_one(Input)
        field.disabled = False
        if message.outcome.error:
            self.query_one("#error", DialogError).update(message.outcome.error)
            field.focus()
            return
        self.dismiss(message.outcome.result)

    def action_cancel(self) -> None:
        if not self.running:
            self.dismiss(None)


class BusyScreen(ModalScreen[Outcome[Any]]):
    """A spinner and what is being done, while ``job`` runs in a worker; dismissed with its Outcome."""

    def __init__(self, title: str, job: Callable[[], Any]) -> None:
        super().__init__()
        self.title_text, self.job = title, job

    def compose(self) -> ComposeResult:
        with DialogBody(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield LoadingIndicator(id="busy")

    def on_mount(self) -> None:
        self._work()

    @work(thread=True, exit_on_error=False, name="sync")
    def _work(self) -> None:
        self.post_message(JobDone(run_job(self.job)))

    @on(JobDone)
    def _done(self, message: JobDone) -> None:
        self.dismiss(message.outcome)


class LinesDialog(ConfirmDialog, inherit_bindings=False):
    """Lines to read (the trust question, the preview), then yes or no: a ConfirmDialog with its own title,
    lines and button words (its keys keep their own ids, so a keymap can move them apart)."""

    BINDINGS = [
        Binding("y", "confirm_yes", "action.confirm_yes", id="sync_lines.yes"),
        Binding("n,escape", "confirm_no", "action.confirm_no", id="sync_lines.no"),
    ]

    def __init__(self, title: str, lines: list[str], question: str, yes: str, no: str) -> None:
        super().__init__(question)
        self.title_text, self.lines, self.yes, self.no = title, lines, yes, no

    def compose(self) -> ComposeResult:
        with DialogBody(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title")
            for line in self.lines:
                yield WrappedText(f"• {line}", classes="dialog-body")
            yield WrappedText(self.question, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, id="yes", variant="primary")
                yield Button(self.no, id="no")
