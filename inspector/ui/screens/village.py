"""A village: its details, its inspections; start a new one or open a draft."""

from __future__ import annotations

from collections import Counter
from datetime import date

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, Input, Label, Select, Static

from ...core import ids
from ...core.inspection import INSPECTION_KINDS
from ...i18n import language, t
from ..footer import FittingFooter
from ..wrapped import WrappedText
from ...core.textwidth import width, wrap
from ..dialogs import DialogBody, DialogError, choice
from ..messages import LanguageChanged
from ..opener import OpensReports
from . import ReloadOnReturn
from ..appref import inspector_app


class VillageScreen(OpensReports, ReloadOnReturn, Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "action.back", id="village.back"),
        Binding("n", "new_inspection", "action.new_inspection", id="village.new_inspection"),
        Binding("l", "ledger", "action.ledger", id="village.ledger"),
        Binding("e", "edit_village", "action.edit_village", id="village.edit_village"),
        Binding("A", "archive_village", "action.archive_village", id="village.archive_village"),
        Binding("enter", "open_inspection", "action.open_inspection", show=False, id="village.open_inspection"),
        Binding("E", "open_exports", "action.open_exports", id="village.open_exports", show=False),
        Binding("R", "open_report", "action.open_report", id="village.open_report", show=False),
    ]

    def __init__(self, village_id: str) -> None:
        super().__init__()
        self.village_id = village_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield PhraseText(id="village-info")
        yield DataTable(id="inspections", cursor_type="row", zebra_stripes=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#inspections", DataTable).focus()

    def reload_on_return(self) -> None:
        self.load()

    def on_language_changed(self, message: LanguageChanged) -> None:
        self.load()

    def palette_commands(self) -> list[SystemCommand]:
        return [SystemCommand(t("action.new_inspection"), t("palette.new_inspection"), self.action_new_inspection)]

    def load(self) -> None:
        db = inspector_app(self).db
        village = db.village(self.village_id)
        store = db.store(self.village_id)
        summary = db.summary(self.village_id)
        today = inspector_app(self).today.isoformat()
        self.sub_title = f"{village.township} · {village.name}"
        contact = " · ".join(x for x in (village.contact, village.phone) if x)
        self.query_one("#village-info", PhraseText).set_text(
            t("village_screen.info", kind=t(f"kind.{village.kind}"), county=village.county or "-", contact=contact or "-",
              open=len(summary.open), overdue=summary.overdue(today))
        )
        table = self.query_one("#inspections", DataTable)
        table.clear(columns=True)
        for key in ("date", "kind", "state", "inspectors", "findings"):
            table.add_column(t(f"village_screen.col.{key}"), key=key)
        findings_by_inspection = Counter(f.inspection for f in store.findings())
        for insp in reversed(store.inspections()):
            table.add_row(
                insp.date.isoformat(),
                t(f"inspection.kind.{insp.kind}"),
                t(f"inspection.state.{insp.state}"),
                "、".join(insp.inspectors),
                str(findings_by_inspection[insp.id]),
                key=insp.id,
            )

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_edit_village(self) -> None:
        from .village_dialog import VillageDialog

        db = inspector_app(self).db
        if not inspector_app(self).writable():
            return

        def save(values: dict):
            current = db.village(self.village_id)
            return db.update_village(self.village_id, **{k: v for k, v in values.items() if getattr(current, k) != v})

        def done(changed) -> None:
            if changed is not None:
                self.load()

        # The dialog saves: a refusal stays in it with the typed fields (not a toast).
        dialog = VillageDialog(db.village(self.village_id), townships={v.township for v in db.villages(include_archived=True)}, save=save)
        self.app.push_screen(dialog, done)

    def action_archive_village(self) -> None:
        from ..dialogs import ConfirmDialog

        db = inspector_app(self).db
        village = db.village(self.village_id)
        if not inspector_app(self).writable():
            return

        def done(yes: bool | None) -> None:
            if yes:
                changed = db.archive_village(self.village_id, archived=not village.archived)
                self.notify(t("village.unarchived" if village.archived else "village.archived", id=ids.short(changed.id), name=changed.name))
                self.app.pop_screen()

        question = "village_dialog.confirm_unarchive" if village.archived else "village_dialog.confirm_archive"
        self.app.push_screen(ConfirmDialog(t(question, name=village.name)), done)

    def action_ledger(self) -> None:
        from .ledger import LedgerScreen

        self.app.push_screen(LedgerScreen(self.village_id))

    def action_new_inspection(self) -> None:
        if not inspector_app(self).writable():
            return

        def started(result: dict | None) -> None:
            if result:
                inspector_app(self).start_inspection(self.village_id, **result)

        inspector_app(self).push_screen(NewInspectionDialog(inspector_app(self).today), started)

    def action_open_inspection(self) -> None:
        table = self.query_one("#inspections", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            inspector_app(self).open_inspection(self.village_id, key)

    @on(DataTable.RowSelected, "#inspections")
    def _selected(self) -> None:
        self.action_open_inspection()


class PhraseText(WrappedText):
    """Text in phrases (split at " · "; the hint after a run of spaces on a line of its own) that
    breaks only between phrases, so "逾期 3 个" or "按 n 开始新检查" never splits at 80 columns."""

    def _rewrap(self) -> None:
        cells = self.content_region.width or self.size.width
        if cells <= 0:
            return
        lines: list[str] = []
        for part in [p.strip() for p in self.text.split("    ") if p.strip()]:
            line = ""
            for phrase in part.split(" · "):
                joined = f"{line} · {phrase}" if line else phrase
                if width(joined) <= cells or not line:
                    line = joined
                else:
                    lines.extend(wrap(line, cells))
                    line = phrase
            lines.extend(wrap(line, cells))  # a phrase wider than the line still wraps
        self.update("\n".join(lines))


class NewInspectionDialog(ModalScreen[dict | None]):
    """Date (default today), kind, inspectors and checklist of a new inspection."""

    BINDINGS = [Binding("escape", "cancel", "action.cancel", id="dialog.cancel"), Binding("ctrl+s", "save", "action.start", id="dialog.save")]

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        catalog = inspector_app(self).catalog
        lang = language()
        default = catalog.checklist_for(catalog.default.id)
        with DialogBody(classes="dialog"):
            yield Label(t("new_inspection.title"), classes="dialog-title")
            yield Label(t("new_inspection.inspectors"))
            yield Input(value=inspector_app(self).settings.user, placeholder=t("new_inspection.inspectors_hint"), id="inspectors", compact=True)
            yield Label(t("new_inspection.date"))
            yield Input(value=self.today.isoformat(), id="date", compact=True)
            yield Label(t("new_inspection.kind"))
            yield choice([(t(f"inspection.kind.{k}"), k) for k in INSPECTION_KINDS], value="routine", allow_blank=False, id="kind", compact=True)
            yield Label(t("new_inspection.checklist"))
            yield choice(
                [(f"{c.title_en if lang == 'en' else c.title} v{c.version}", c.id) for c in catalog.checklists.values()],
                value=default.id if default else Select.NULL,
                allow_blank=False,
                id="checklist",
                compact=True,
            )
            yield DialogError()
            yield Static(t("new_inspection.hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#inspectors", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        text = self.query_one("#date", Input).value.strip()
        try:
            day = date.fromisoformat(text)
        except ValueError:
            self.query_one("#error", Static).update(t("cli.bad_date", value=text))
            return
        from ...core.deadlines import inspection_date_warning

        warning = inspection_date_warning(day, self.today)  # an inspection far in the future is refused
        if warning:
            self.query_one("#error", Static).update(warning.text())
            return
        inspectors = [n.strip() for n in self.query_one("#inspectors", Input).value.replace("，", ",").replace("、", ",").split(",") if n.strip()]
        if not inspectors:
            self.query_one("#error", Static).update(t("new_inspection.need_inspectors"))
            return
        self.dismiss({
            "day": day,
            "kind": str(self.query_one("#kind", Select).value),
            "inspectors": inspectors,
            "checklist_id": str(self.query_one("#checklist", Select).value),
        })
