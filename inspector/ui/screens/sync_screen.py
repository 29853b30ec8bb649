"""The sync screen: this device, the devices this database knows, and the ways records travel.

Export a bundle to a folder, import a bundle file (read and checked, the
trust question for a device not seen before, the preview, then the import
report), sync with the shared folder, and set that folder. The steps are
sync_steps' (Textual-free); the dialogs are sync_dialogs'.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header
from rich.text import Text

from ...core import ids
from ...i18n import t
from .. import sync_steps as steps
from ..appref import inspector_app
from ..dialogs import MessageDialog
from ..footer import FittingFooter
from ..messages import LanguageChanged
from ..theme_styles import tone
from ..wrapped import WrappedText
from . import ReloadOnReturn
from .sync_dialogs import AskAndRunDialog, BusyScreen, LinesDialog, Outcome


class SyncScreen(ReloadOnReturn, Screen[None]):
    BINDINGS = [
        Binding("e", "export_bundle", "action.export_bundle", id="sync.export"),
        Binding("i", "import_bundle", "action.import_bundle", id="sync.import"),
        Binding("f", "sync_folder", "action.sync_folder", id="sync.folder"),
        Binding("g", "set_folder", "action.set_folder", id="sync.set_folder"),
        Binding("escape", "back", "action.back", id="sync.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield WrappedText(id="sync-me")
        yield DataTable(id="sync-devices", cursor_type="row", zebra_stripes=True)
        yield WrappedText(id="sync-hint")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#sync-devices", DataTable).focus()

    def reload_on_return(self) -> None:
        self.load()

    def on_language_changed(self, message: LanguageChanged) -> None:
        self.load()

    def load(self) -> None:
        db = inspector_app(self).db
        self.sub_title = t("sync_ui.title")
        rows = steps.known_devices(db)
        me = rows[0]
        folder = steps.shared_folder(db)
        self.query_one("#sync-me", WrappedText).set_text("\n".join([
            t("sync_ui.me", name=me.name, id=ids.short(me.id), fingerprint=me.fingerprint or t("sync.no_key")),
            t("sync_ui.folder", path=folder) if folder else t("sync_ui.no_folder"),
        ]))
        table = self.query_one("#sync-devices", DataTable)
        table.clear(columns=True)
        for key in ("name", "id", "fingerprint", "trusted", "last_sync"):
            table.add_column(t(f"sync_ui.col.{key}"), key=key)
        for d in rows:
            if d.this:
                trusted = Text(t("sync_ui.this"), style="bold")
            elif d.revoked:
                trusted = Text(t("sync.revoked"), style=tone(self, "error"))
            else:
                trusted = Text(t("sync.yes") if d.trusted else t("sync.no"), style="" if d.trusted else tone(self, "warning"))
            last = t("sync_ui.exported_at", when=steps.when(d.last_export)) if d.this and d.last_export else \
                t("sync_ui.imported_at", when=steps.when(d.last_import)) if d.last_import else t("sync_ui.never")
            table.add_row(d.name, ids.short(d.id), d.fingerprint or "-", trusted, last, key=d.id)
        self.query_one("#sync-hint", WrappedText).set_text(t("sync_ui.hint"))

    def action_back(self) -> None:
        self.app.pop_screen()

    # ── export ────────────────────────────────────────────────────────────────

    def action_export_bundle(self) -> None:
        app = inspector_app(self)
        db = app.db
        folder = Path(app.settings.exports or _exports(db))

        def job(text: str) -> tuple[Path, int, int]:
            target = Path(text).expanduser() if text else folder
            if target == folder:
                folder.mkdir(parents=True, exist_ok=True)  # the usual exports folder may not exist yet
            return steps.export_to(db, target)

        def done(result: tuple[Path, int, int] | None) -> None:
            if result is not None:
                path, villages, records = result
                self.notify(t("sync_ui.exported", path=path, n=villages, records=records), timeout=10)
                self.load()

        self.app.push_screen(AskAndRunDialog(t("sync_ui.export_title"), str(folder), t("sync_ui.export_hint"), job), done)

    # ── import: read and check, trust, preview, import, report ────────────────

    def action_import_bundle(self) -> None:
        app = inspector_app(self)
        if not app.writable():
            return
        db = app.db
        start = steps.shared_folder(db) or Path(app.settings.exports or _exports(db))

        def read(text: str) -> tuple[steps.Incoming, bool]:
            if not text:
                raise steps.SyncRefused(t("sync_ui.no_path"))
            return steps.read_and_vet(db, Path(text).expanduser())

        def checked(result: tuple[steps.Incoming, bool] | None) -> None:
            if result is None:
                return
            incoming, untrusted = result
            if untrusted:
                self.ask_trust(incoming)
            else:
                self.show_preview(incoming)

        self.app.push_screen(AskAndRunDialog(t("sync_ui.import_title"), f"{start}/", t("sync_ui.import_hint"), read),
                             checked)

    def ask_trust(self, incoming: steps.Incoming) -> None:
        who = incoming.who
        lines = [t("sync_ui.trust_device", name=who["name"], id=who["id"]),
                 t("sync_ui.trust_fingerprint", fingerprint=who["fingerprint"]),
                 t("sync_ui.trust_compare")]

        def answered(yes: bool | None) -> None:
            if yes:
                self.show_preview(incoming)
            else:
                self.notify(t("sync.not_confirmed"))

        self.app.push_screen(LinesDialog(t("sync_ui.trust_title"), lines, t("sync_ui.trust_question"),
                                         t("sync_ui.trust_yes"), t("sync_ui.trust_no")), answered)

    def show_preview(self, incoming: steps.Incoming) -> None:
        db = inspector_app(self).db

        def previewed(outcome: Outcome[Any] | None) -> None:
            if outcome is None:
                return
            if outcome.error:
                self.app.push_screen(MessageDialog(t("sync_ui.not_imported"), [outcome.error]))
                return
            report = outcome.result
            lines = steps.report_lines(report, incoming, db)
            if report.nothing_new and not report.conflicts and not report.superseded:
                self.import_now(incoming)  # nothing to ask about: only that it was seen (and trusted)
                return
            self.app.push_screen(LinesDialog(t("sync_ui.preview_title", **incoming.who), lines,
                                             t("sync_ui.preview_question"), t("sync_ui.import_yes"), t("sync_ui.import_no")),
                                 lambda yes: self.import_now(incoming) if yes else self.notify(t("sync.not_confirmed")))

        self.app.push_screen(BusyScreen(t("sync_ui.previewing", path=incoming.path.name),
                                        lambda: steps.preview(db, incoming)), previewed)

    def import_now(self, incoming: steps.Incoming) -> None:
        db = inspector_app(self).db

        def imported(outcome: Outcome[Any] | None) -> None:
            if outcome is None:
                return
            if outcome.error:
                self.app.push_screen(MessageDialog(t("sync_ui.not_imported"), [outcome.error]))
                return
            self.load()
            self.app.push_screen(MessageDialog(t("sync_ui.report_title", **incoming.who),
                                               steps.report_lines(outcome.result, incoming, db)))

        self.app.push_screen(BusyScreen(t("sync_ui.importing", path=incoming.path.name),
                                        lambda: steps.apply(db, incoming)), imported)

    # ── the shared folder ─────────────────────────────────────────────────────

    def action_sync_folder(self) -> None:
        app = inspector_app(self)
        if not app.writable():
            return
        if steps.shared_folder(app.db) is None:
            self.action_set_folder()
            return
        app.sync_shared_folder(then=self.load)

    def action_set_folder(self) -> None:
        app = inspector_app(self)
        if not app.writable():
            return
        db = app.db
        current = steps.shared_folder(db)

        def job(text: str) -> Path | None:
            folder = Path(text).expanduser().resolve() if text else None
            if folder is not None and not folder.is_dir():
                raise steps.SyncRefused(t("sync.no_folder", path=folder))
            steps.set_shared_folder(db, folder)
            return folder

        def done(folder: Path | None) -> None:
            self.load()
            if folder is not None:
                self.notify(t("sync_ui.folder_set", path=folder))
                app.sync_shared_folder(then=self.load)

        self.app.push_screen(AskAndRunDialog(t("sync_ui.folder_title"), str(current or ""), t("sync_ui.folder_hint"), job),
                             done)


def _exports(db: Any) -> Path:
    from ...paths import default_exports

    return default_exports(db.root)
