"""The application and its one factory, used by the CLI and by every test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from platformdirs import user_log_path
from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from .. import i18n
from ..catalog.model import Catalog
from ..i18n import t
from ..core.repository import Repository
from .messages import LanguageChanged
from .theme_styles import tone


@dataclass
class Settings:
    """What a session can be started with."""

    lang: str = i18n.DEFAULT
    """Interface language: 'zh' (default) or 'en'."""
    demo: bool = False
    """Running on a throwaway demo database (shown in the title)."""
    exports: Path | None = None
    """Folder for reports (default: exports/ beside the database, see paths.default_exports)."""
    user: str = ""
    """Who is using the app (`--user`); empty: the saved name, else the login name."""
    ask_user: bool = False
    """Ask once, at start, who is using the app, unless a name is saved (the CLI sets it when no --user)."""
    crash_log: Path | None = None
    """Where an unexpected error's trace is written (default: the platform's user log folder)."""
    keymap: Path | None = None
    """The user's keymap file (binding id = keys, see settings.load_keymap); None: the declared keys (tests)."""

    def __post_init__(self) -> None:
        from ..settings import clean_text, load_user, login_name

        given = clean_text(self.user)
        saved = load_user()
        # The caller asks to ask only when no --user was given; never once a name is saved.
        self.ask_user = self.ask_user and not saved
        self.user = given or saved or login_name()


class InspectorApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "inspector"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("f1", "help", "action.help", id="help"),
        Binding("ctrl+q", "quit", "action.quit", id="quit", show=False, priority=True),
        Binding("f2", "toggle_language", "action.toggle_language", id="language"),
    ]

    def __init__(self, db: Repository, catalog: Catalog, today: date, settings: Settings):
        self.db = db
        self.catalog = catalog
        self.today = today
        self.settings = settings
        self.classifiers: dict = {}  # one task classifier per list set, built on first use
        self.load_error: Exception | None = None  # what stopped the index rebuild; the CLI says it on exit
        i18n.set_language(settings.lang)
        super().__init__()

    def on_mount(self) -> None:
        if self.settings.keymap is not None:
            from .bindings import apply_user_keymap

            apply_user_keymap(self, self.settings.keymap)
        self.title = t("app.title") + (t("app.demo_suffix") if self.settings.demo else "")
        self.sub_title = t("app.subtitle", db=self.db.root, today=self.today.isoformat())
        if self.db.index_pending:
            # The query index must be rebuilt first: say so with a progress bar, then open (index_loaded).
            from .screens.loading import LoadingScreen

            self.push_screen(LoadingScreen())
        else:
            self._open_main()

    def _open_main(self, replace: bool = False) -> None:
        from .screens.main import MainScreen

        (self.switch_screen if replace else self.push_screen)(MainScreen())
        if self.db.read_only:
            self.notify(t("store.read_only_notice", holder=self.db.holder), severity="warning", timeout=10)
            return
        if self.settings.ask_user:
            self.ask_user()
        if self.folder_sync_on():
            self.call_after_refresh(self.sync_shared_folder)

    # Sync: the shared folder (issue 11), at start and on the main screen's refresh key.

    def folder_sync_on(self) -> bool:
        """Whether this database syncs with a shared folder now: one is set, and this is neither a read-only copy nor the demo."""
        from .sync_steps import shared_folder

        return not self.db.read_only and not self.settings.demo and shared_folder(self.db) is not None

    def sync_shared_folder(self, then: Callable[[], None] | None = None) -> None:
        """``inspector sync folder`` in a worker behind a spinner; a summary, and the details when something needs a look."""
        from .dialogs import MessageDialog
        from .screens.sync_dialogs import BusyScreen, Outcome
        from .sync_steps import FolderResult, shared_folder, sync_folder

        folder = shared_folder(self.db)
        if folder is None or self.db.read_only:
            return

        def done(outcome: Outcome[FolderResult] | None) -> None:
            if then is not None:
                then()
            if outcome is None:
                return
            if outcome.error or outcome.result is None:
                self.notify(outcome.error, severity="error", timeout=10)
                return
            result = outcome.result
            self.notify(result.summary(), severity="warning" if result.needs_attention else "information", timeout=10)
            if result.needs_attention:
                self.push_screen(MessageDialog(t("sync_ui.folder_report"), [*result.skipped, *result.lines]))

        self.push_screen(BusyScreen(t("sync_ui.syncing", path=folder), lambda: sync_folder(self.db, folder)), done)

    def index_loaded(self, error: Exception | None) -> None:
        """The loading screen's rebuild ended: the main screen, or quit and let the CLI say what stopped it."""
        if error is not None:
            self.load_error = error
            self.exit(return_code=2)
            return
        self._open_main(replace=True)

    @property
    def loading(self) -> bool:
        """The index is still being rebuilt: only the loading screen is up."""
        return bool(self.db.index_pending) and self.load_error is None

    def ask_user(self) -> None:
        """Ask once who is using the app, and save it: every write records this name."""
        from .dialogs import TextDialog

        def done(name: str | None) -> None:
            from ..settings import SettingsError, save_user

            if not name or not name.strip():
                return  # asked again next start; the login name stands meanwhile
            try:
                self.settings.user = save_user(name)
            except SettingsError as exc:
                self.notify(t(exc.key, **exc.params), severity="error")
                self.call_later(self.ask_user)
                return
            except OSError as exc:  # the name still holds for this session
                self.settings.user = name.strip()
                self.notify(t("shell.user_not_saved", error=exc.strerror or exc), severity="warning")
                return
            self.settings.ask_user = False
            self.notify(t("shell.user_saved", user=self.settings.user))

        self.push_screen(TextDialog(t("shell.ask_user"), value=self.settings.user, hint=t("shell.ask_user_hint")), done)

    # Actions: the keys and the command palette call these same methods.

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen) and not self.loading:
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_language(self) -> None:
        self.settings.lang = "en" if self.settings.lang == "zh" else "zh"
        i18n.set_language(self.settings.lang)
        self.title = t("app.title") + (t("app.demo_suffix") if self.settings.demo else "")
        self.sub_title = t("app.subtitle", db=self.db.root, today=self.today.isoformat())
        for screen in self.screen_stack:  # the screens below redraw too, so going back shows one language
            screen.post_message(LanguageChanged(self.settings.lang))
        self.refresh_bindings()  # the footer redraws its (translated) descriptions

    def writable(self) -> bool:
        """May this copy write? When not (another copy holds the database), say so and return False.

        Every key that writes asks this first, before opening its dialog, so a
        read-only copy refuses with one notice instead of failing on save.
        """
        if self.db.read_only:
            self.notify(t("store.read_only_short"), severity="warning")
            return False
        return True

    def refuse_if_read_only(self) -> bool:
        """The inverse of writable(), kept for callers written before it."""
        return not self.writable()

    # Inspections: shared by the village screen, the main screen and the palette.

    def start_inspection(self, village_id: str, *, day: date, kind: str, inspectors: list[str], checklist_id: str) -> None:
        checklist = self.catalog.checklists[checklist_id]
        store = self.db.store(village_id)
        inspection = store.add_inspection(
            day=day.isoformat(), kind=kind, inspectors=inspectors, template=checklist.id, template_version=checklist.version
        )
        self.open_inspection(village_id, inspection.id)

    def open_inspection(self, village_id: str, inspection_id: str) -> None:
        """Walk inspection ``inspection_id`` of village ``village_id`` (the screens know both: an id names no village)."""
        from ..core.visit import open_visit
        from .screens.walk import WalkScreen

        try:
            visit = open_visit(self.db, self.catalog, self.classifiers, inspection_id, village_id)
        except KeyError as exc:
            self.notify(t("inspection.template_missing", template=exc.args[0]), severity="error")
            return
        self.push_screen(WalkScreen(visit))

    def export_visit_report(self, inspection_id: str, village_id: str | None = None) -> None:
        from ..report.export import export_visit

        path = export_visit(self.db, self.catalog, inspection_id, self.settings.exports, self.settings.lang, village_id)
        self.last_report = path  # the report key (R) opens it
        self.notify(t("report.written", path=path), timeout=10)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from .palette import LocalizedPalette

        if self.use_command_palette and not CommandPalette.is_open(self) and not self.loading:
            self.push_screen(LocalizedPalette())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The screen's own actions (from its BINDINGS), then the app's: the same methods as the keys."""
        from .palette import app_commands, binding_commands

        seen: set[str] = set()
        commands = [*binding_commands(screen), *getattr(screen, "palette_commands", lambda: [])(), *app_commands(screen)]
        for command in commands:
            if command.title not in seen:
                seen.add(command.title)
                yield command

    # The last resort: an error nothing else caught.

    def _handle_exception(self, error: Exception) -> None:
        """Write the trace to a log file and leave one line (not a traceback) for the terminal.

        Textual's App has no public hook for this; overriding _handle_exception is
        the way its maintainers point to (textual#5325). Errors after exit began are
        echoes of the first and are dropped.
        """
        if self._exit:
            return
        path = self._write_crash_log(error)
        super()._handle_exception(error)
        line = t("shell.crashed", error=f"{type(error).__name__}: {error}"[:200], path=path or "-")
        self._exit_renderables[:] = [Text(line, style=tone(self, "error", bold=True))]

    def _write_crash_log(self, error: BaseException) -> Path | None:
        import traceback

        path = self.settings.crash_log or user_log_path("inspector", appauthor=False) / "crash.log"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(f"--- {self.db.now_iso()} db={self.db.root}\n")
                fh.write("".join(traceback.format_exception(error)))
        except OSError:
            return None
        return path


def make_app(
    *,
    db: Repository,
    catalog: Catalog,
    today: date,
    lang: str = i18n.DEFAULT,
    demo: bool = False,
    user: str = "",
    ask_user: bool = False,
    keymap: Path | None = None,
    settings: Settings | None = None,
) -> InspectorApp:
    """The one way to build the app: the CLI and the tests call this."""
    settings = settings or Settings(lang=lang, demo=demo, user=user, ask_user=ask_user, keymap=keymap)
    return InspectorApp(db=db, catalog=catalog, today=today, settings=settings)
