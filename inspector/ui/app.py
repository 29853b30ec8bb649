"""The application and its one factory, used by the CLI and by every test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from .. import i18n
from ..catalog.model import Catalog
from ..i18n import t
from ..storage.database import Database
from .bindings import localize


@dataclass
class Settings:
    """What a session can be started with."""

    lang: str = i18n.DEFAULT
    """Interface language: 'zh' (default) or 'en'."""
    demo: bool = False
    """Running on a throwaway demo database (shown in the title)."""
    exports: Path | None = None
    """Folder for Markdown reports (default: ./exports or the data folder)."""
    user: str = ""
    """Who records moves of the workflow (default: the login name)."""

    def __post_init__(self) -> None:
        if not self.user:
            import getpass

            try:
                self.user = getpass.getuser()
            except Exception:  # no login name (some containers): stay anonymous
                self.user = "?"


class InspectorApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "inspector"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("f1", "help", "action.help", id="help"),
        Binding("ctrl+q", "quit", "action.quit", id="quit", show=False, priority=True),
        Binding("f2", "toggle_language", "action.toggle_language", id="language"),
    ]

    def __init__(self, db: Database, catalog: Catalog, today: date, settings: Settings):
        self.db = db
        self.catalog = catalog
        self.today = today
        self.settings = settings
        self.classifiers: dict = {}  # one task classifier per list set, built on first use
        i18n.set_language(settings.lang)
        super().__init__()

    def on_mount(self) -> None:
        localize(self)
        self.title = t("app.title") + (t("app.demo_suffix") if self.settings.demo else "")
        self.sub_title = t("app.subtitle", db=self.db.root, today=self.today.isoformat())
        from .screens.main import MainScreen

        self.push_screen(MainScreen())
        if self.db.read_only:
            self.notify(t("store.read_only_notice", holder=self.db.holder), severity="warning", timeout=10)

    # Actions: the keys and the command palette call these same methods.

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_language(self) -> None:
        self.settings.lang = "en" if self.settings.lang == "zh" else "zh"
        i18n.set_language(self.settings.lang)
        self.on_language_changed()

    def on_language_changed(self) -> None:
        localize(self)
        self.title = t("app.title") + (t("app.demo_suffix") if self.settings.demo else "")
        self.sub_title = t("app.subtitle", db=self.db.root, today=self.today.isoformat())
        for screen in self.screen_stack:
            refresh = getattr(screen, "refresh_language", None)
            if refresh:
                refresh()

    def refuse_if_read_only(self) -> bool:
        """True (after saying so) when this copy may not write: another copy holds the database."""
        if self.db.read_only:
            self.notify(t("store.read_only_short"), severity="warning")
        return self.db.read_only

    # Inspections: shared by the village screen, the main screen and the palette.

    def start_inspection(self, village_id: str, *, day: date, kind: str, inspectors: list[str], checklist_id: str) -> None:
        checklist = self.catalog.checklists[checklist_id]
        store = self.db.store(village_id)
        inspection = store.add_inspection(
            day=day.isoformat(), kind=kind, inspectors=inspectors, template=checklist.id, template_version=checklist.version
        )
        self.open_inspection(inspection["id"])

    def open_inspection(self, inspection_id: str) -> None:
        from ..core.visit import open_visit
        from .screens.inspection import InspectionScreen

        try:
            visit = open_visit(self.db, self.catalog, self.classifiers, inspection_id)
        except KeyError as exc:
            self.notify(t("inspection.template_missing", template=exc.args[0]), severity="error")
            return
        self.push_screen(InspectionScreen(visit))

    def export_visit_report(self, inspection_id: str) -> None:
        from ..report.export import export_visit

        path = export_visit(self.db, self.catalog, inspection_id, self.settings.exports, self.settings.lang)
        self.notify(t("report.written", path=path), timeout=10)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand(t("action.help"), t("palette.help"), self.action_help)
        yield SystemCommand(t("action.toggle_language"), t("palette.language"), self.action_toggle_language)
        for command in getattr(screen, "palette_commands", lambda: [])():
            yield command
        yield SystemCommand(t("action.quit"), t("palette.quit"), self.exit)


def make_app(
    *,
    db: Database,
    catalog: Catalog,
    today: date,
    lang: str = i18n.DEFAULT,
    demo: bool = False,
    user: str = "",
    settings: Settings | None = None,
) -> InspectorApp:
    """The one way to build the app: the CLI and the tests call this."""
    settings = settings or Settings(lang=lang, demo=demo, user=user)
    return InspectorApp(db=db, catalog=catalog, today=today, settings=settings)
