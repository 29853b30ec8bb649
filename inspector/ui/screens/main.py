"""The main screen: townships and their villages, with inspections and open and overdue findings."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from rich.text import Text

from ...core import ids
from ...i18n import t
from ..footer import FittingFooter
from ..wrapped import WrappedText
from ..theme_styles import tone
from ..messages import LanguageChanged
from ..opener import OpensReports
from . import ReloadOnReturn
from ..appref import inspector_app


class MainScreen(OpensReports, ReloadOnReturn, Screen[None]):
    BINDINGS = [
        Binding("enter", "open_village", "action.open_village", id="main.open", show=False),
        Binding("d", "resume_draft", "action.resume_draft", id="main.resume"),
        Binding("o", "review", "action.review", id="main.review"),
        Binding("a", "add_village", "action.add_village", id="main.add_village"),
        Binding("c", "catalog", "action.catalog", id="main.catalog"),
        Binding("r", "reload", "action.reload", id="main.reload"),
        Binding("s", "sync", "action.sync", id="main.sync"),
        Binding("E", "open_exports", "action.open_exports", id="main.open_exports", show=False),
        Binding("R", "open_report", "action.open_report", id="main.open_report", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield WrappedText(id="totals")
        yield WrappedText(id="sync-status")
        yield DataTable(id="villages", cursor_type="row", zebra_stripes=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.load()
        self.call_after_refresh(_warm_up)
        if self.drafts():
            self.notify(t("main.drafts_waiting", n=len(self.drafts())), timeout=8)

    def reload_on_return(self) -> None:
        self.load()

    def palette_commands(self) -> list[SystemCommand]:
        return [
            SystemCommand(t("action.review"), t("palette.review"), self.action_review),
            SystemCommand(t("action.add_village"), t("palette.add_village"), self.action_add_village),
            SystemCommand(t("action.resume_draft"), t("palette.resume_draft"), self.action_resume_draft),
            SystemCommand(t("action.catalog"), t("palette.catalog"), self.action_catalog),
            SystemCommand(t("action.reload"), t("palette.reload"), self.action_reload),
            SystemCommand(t("action.sync"), t("palette.sync"), self.action_sync),
        ]

    def action_open_village(self) -> None:
        table = self.query_one("#villages", DataTable)
        if not table.row_count:
            return
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        if key.startswith("v:"):
            from .village import VillageScreen

            self.app.push_screen(VillageScreen(key[2:]))

    @on(DataTable.RowSelected, "#villages")
    def _selected(self) -> None:
        self.action_open_village()

    def drafts(self) -> list[tuple[str, str]]:
        """(village id, inspection id) of every draft: a summary's drafts belong to its village."""
        db = inspector_app(self).db
        return [(vid, d) for vid, s in db.summaries().items() for d in s.draft_ids]

    def action_resume_draft(self) -> None:
        """Open the newest draft inspection where it stopped (after a crash, say)."""
        drafts = self.drafts()
        if not drafts:
            self.notify(t("main.no_drafts"))
            return
        db = inspector_app(self).db
        vid, iid = max(drafts, key=lambda draft: db.store(draft[0]).inspection(draft[1]).created_at)
        inspector_app(self).open_inspection(vid, iid)

    def action_add_village(self) -> None:
        from .village_dialog import VillageDialog

        db = inspector_app(self).db
        if not inspector_app(self).writable():
            return
        table = self.query_one("#villages", DataTable)
        township = ""
        if table.row_count:
            key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
            township = key[2:] if key.startswith("t:") else db.village(key[2:]).township

        def done(village) -> None:
            if village is None:
                return
            self.notify(t("village.added", id=ids.short(village.id), name=village.name, township=village.township))
            self.load()

        # The dialog saves: a refusal stays in it with the typed fields (not a toast).
        dialog = VillageDialog(township=township, townships={v.township for v in db.villages(include_archived=True)}, save=lambda values: db.add_village(**values))
        self.app.push_screen(dialog, done)

    def action_review(self) -> None:
        from .review import ReviewScreen

        self.app.push_screen(ReviewScreen())

    def action_catalog(self) -> None:
        from .catalog import CatalogScreen

        self.app.push_screen(CatalogScreen())

    def on_language_changed(self, message: LanguageChanged) -> None:
        self.load()

    def action_reload(self) -> None:
        """Read the database again; with a shared folder set, sync with it first (the refresh key of issue 11)."""
        app = inspector_app(self)
        if app.folder_sync_on():
            app.sync_shared_folder(then=self.load)
        else:
            self.load()

    def action_sync(self) -> None:
        from .sync_screen import SyncScreen

        self.app.push_screen(SyncScreen())

    def load(self) -> None:
        db = inspector_app(self).db
        today = inspector_app(self).today.isoformat()
        table = self.query_one("#villages", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_column(t("col.township_village"), key="name")
        table.add_column(t("col.kind"), key="kind")
        table.add_column(t("col.inspections"), key="inspections")
        table.add_column(t("col.open"), key="open")
        table.add_column(t("col.overdue"), key="overdue")
        villages = db.villages()
        summaries = db.summaries()
        totals = {"villages": 0, "inspections": 0, "open": 0, "overdue": 0}
        by_township: dict[str, list] = {}
        for v in villages:
            by_township.setdefault(v.township, []).append(v)
        for township, members in by_township.items():
            sums = [summaries[v.id] for v in members]
            insp = sum(s.inspections for s in sums)
            open_ = sum(len(s.open) for s in sums)
            overdue = sum(s.overdue(today) for s in sums)
            table.add_row(
                Text(township, style="bold"),
                Text(t("count.villages", n=len(members)), style="dim"),
                Text(str(insp), style="bold"),
                Text(str(open_), style="bold"),
                _overdue_text(self, overdue, bold=True),
                key=f"t:{township}",
            )
            for v in members:
                s = summaries[v.id]
                table.add_row(
                    "  " + v.name,
                    t(f"kind.{v.kind}"),
                    str(s.inspections),
                    str(len(s.open)),
                    _overdue_text(self, s.overdue(today)),
                    key=f"v:{v.id}",
                )
            totals["villages"] += len(members)
            totals["inspections"] += insp
            totals["open"] += open_
            totals["overdue"] += overdue
        table.move_cursor(row=min(row, max(table.row_count - 1, 0)))
        self.query_one("#totals", WrappedText).set_text(
            t("main.totals", townships=len(by_township), **totals) if villages else t("main.empty")
        )
        self.show_sync_status()

    def show_sync_status(self) -> None:
        """When each known device last synced here: one wrapped line, left out while this database has synced with none."""
        from ..sync_steps import status_line

        line = status_line(inspector_app(self).db)
        status = self.query_one("#sync-status", WrappedText)
        status.display = bool(line)
        status.set_text(line)


def _warm_up() -> None:
    """Import the screens the keys open once the first screen is drawn, so they open at once."""
    from . import walk, ledger, review, village  # noqa: F401  (not catalog: pinyin tables are big)


def _overdue_text(screen: Screen, n: int, bold: bool = False) -> Text:
    return Text(str(n), style=tone(screen, "error", bold=bold) if n else ("bold" if bold else ""))
