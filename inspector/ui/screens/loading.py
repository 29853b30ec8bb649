"""Shown while the query index is rebuilt from the village files, instead of a frozen terminal.

The database is opened before the app starts, but a lost or outdated index
is left to rebuild here (Database.open(defer_index=True)): a thread worker
re-reads the village files and only posts messages; this screen shows how
far it is, and the app opens the main screen when it is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from ...i18n import t
from ..appref import inspector_app
from ..messages import LanguageChanged
from ..wrapped import WrappedText


class _Stopped(Exception):
    """The app is quitting: stop re-reading (the index is only a cache; the next open goes on)."""


class LoadingScreen(Screen[None]):
    DEFAULT_CSS = """
    LoadingScreen { align: center middle; }
    LoadingScreen > #loading-title { width: 72; text-style: bold; }
    LoadingScreen > #loading-why, LoadingScreen > #loading-count { width: 72; margin: 1 0; }
    LoadingScreen > ProgressBar { width: 72; }
    """

    @dataclass
    class Progress(Message):
        done: int
        total: int

    @dataclass
    class Loaded(Message):
        error: Exception | None  # what stopped it (a damaged village file...), or None when done

    def __init__(self) -> None:
        super().__init__()
        self.done = 0
        self.total = 0

    def compose(self) -> ComposeResult:
        # A plain title line, not Textual's Header: the Header's title watcher runs after
        # this screen may already be gone (the rebuild ends, F2 pressed), and then fails.
        yield Static(id="loading-title", markup=False)
        yield WrappedText(id="loading-why")
        yield ProgressBar(id="loading-bar", show_eta=False)
        yield Static(id="loading-count", markup=False)

    def on_mount(self) -> None:
        db = inspector_app(self).db
        self.total = db.index_pending
        self.refresh_language()
        self.rebuild(db)

    def on_language_changed(self, message: LanguageChanged) -> None:
        self.refresh_language()

    def refresh_language(self) -> None:
        self.query_one("#loading-title", Static).update(t("app.title"))
        self.query_one("#loading-why", WrappedText).set_text(t("index_rebuild.title") + "\n" + t("index_rebuild.why"))
        self._show()

    def _show(self) -> None:
        self.query_one("#loading-bar", ProgressBar).update(total=max(self.total, 1), progress=self.done)
        self.query_one("#loading-count", Static).update(t("index_rebuild.progress", done=self.done, total=self.total))

    @work(thread=True, exit_on_error=False, name="index rebuild")
    def rebuild(self, db) -> None:  # noqa: ANN001 - the Database; nothing else is touched from here
        worker = get_current_worker()
        step = max(1, db.index_pending // 100)  # about a hundred messages, whatever the size
        last = -step

        def told(done: int, total: int) -> None:
            nonlocal last
            if worker.is_cancelled:
                raise _Stopped()
            if done - last >= step or done >= total:
                last = done
                self.post_message(self.Progress(done, total))

        try:
            db.load_index(told)
        except _Stopped:
            return
        except Exception as exc:  # noqa: BLE001 - handed to the app, which says it in one line
            self.post_message(self.Loaded(exc))
            return
        self.post_message(self.Loaded(None))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self.done, self.total = message.done, message.total
        self._show()

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        inspector_app(self).index_loaded(message.error)
