"""A village's rectification ledger: all its findings over time, each with its history."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, OptionList, Static
from rich.text import Text

from ..dialogs import DialogBody
from ...core.errors import UserError
from ...core.evidence import attach_to_finding, finding_files
from .evidence_dialog import EvidenceDialog, EvidenceList, kept_message, open_kept
from ...core import ids, labels
from ...core.finding_view import FindingView, view_of, views_of
from ...core.records import Finding
from ...core.textwidth import clip
from .review import fitted_label
from ...i18n import t
from ..footer import FittingFooter
from ..theme_styles import tone
from ..messages import LanguageChanged
from ..appref import inspector_app


class LedgerScreen(Screen[None]):
    BINDINGS = [
        Binding("e", "attach_evidence", "action.attach_evidence", id="ledger.attach_evidence"),
        Binding("O", "open_evidence", "action.open_evidence", id="ledger.open_evidence"),
        Binding("escape", "back", "action.back", id="ledger.back"),
    ]

    def __init__(self, village_id: str, focus: str | None = None) -> None:
        super().__init__()
        self.village_id, self.focus_id = village_id, focus

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="ledger-body"):
            yield DataTable(id="ledger", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="ledger-detail"):
                yield Static(id="history")
                yield Static(id="evidence-heading")
                yield EvidenceList()
        yield FittingFooter()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#ledger", DataTable).focus()

    def on_language_changed(self, message: LanguageChanged) -> None:
        self.load()

    def load(self) -> None:
        db = inspector_app(self).db
        today = inspector_app(self).today
        village = db.village(self.village_id)
        self.sub_title = t("ledger.title", township=village.township, village=village.name)
        store = db.store(self.village_id)
        # Every finding of the village as of today, with its whole history: numbered 1..n in the order
        # they were found (the exported ledger's numbers), shown newest first.
        views = views_of(store.findings(), store.events(), today, village_id=village.id, village=village.name,
                         township=village.township)
        self.numbers = {v.id: n for n, v in enumerate(views, 1)}
        self.views = {v.id: v for v in reversed(views)}
        table = self.query_one("#ledger", DataTable)
        table.clear(columns=True)
        # At 80 columns the table has about 44 cells: the headers take no more than their values.
        narrow = {"found": 10, "unit": 10} if self.app.size.width < 100 else {}
        for key in ("id", "found", "title", "unit", "deadline", "state"):
            table.add_column(fitted_label(f"ledger.col.{key}", narrow[key]) if key in narrow else t(f"ledger.col.{key}"), key=key)
        focus_row = 0
        for n, view in enumerate(self.views.values()):
            state = Text(labels.state(view.state) + (f" · {t('review.days_overdue', n=view.days_overdue)}" if view.overdue else ""),
                         style=tone(self, "error") if view.overdue else ("dim" if not view.is_open else ""))
            table.add_row(str(self.numbers[view.id]), str(view.found_on or ""), clip(view.title, 20),
                          clip(view.unit, 10), view.deadline.isoformat(), state, key=view.id)
            if view.id == self.focus_id:
                focus_row = n
        if self.views:
            table.move_cursor(row=focus_row)
            self.show(list(self.views)[focus_row])

    @on(DataTable.RowHighlighted, "#ledger")
    def _moved(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None:
            self.show(str(event.row_key.value))

    def show(self, fid: str) -> None:
        self.shown_id = fid
        view = self.views[fid]
        self.query_one("#history", Static).update(history_text(self.app, view))
        show_evidence(self, view)

    @property
    def current(self) -> FindingView | None:
        fid = getattr(self, "shown_id", None)
        return self.views.get(fid) if fid and getattr(self, "views", None) else None

    def action_attach_evidence(self) -> None:
        """e: keep photos, scans or documents with the finding under the cursor."""
        view = self.current
        if view is None or not inspector_app(self).writable():
            return

        def attached() -> None:
            self.focus_id = view.id
            self.load()

        ask_evidence(self, self.village_id, view, attached)

    def action_open_evidence(self) -> None:
        open_selected(self)

    @on(OptionList.OptionSelected, "#evidence-files")
    def _open_picked(self, event: OptionList.OptionSelected) -> None:
        open_selected(self, event.option_index)

    def action_back(self) -> None:
        self.app.pop_screen()


# -- evidence, shared by the ledger, the history dialog and the review -----------------------


def show_evidence(screen, view: FindingView) -> None:
    """The finding's kept files under its history (name, size, who, when; missing or altered marked)."""
    files = finding_files(view.events)
    heading = screen.query_one("#evidence-heading", Static)
    heading.update(Text(f"{t('evidence_ui.heading')}{t('punct.colon')}", style="bold") if files else "")
    heading.display = bool(files)
    screen.query_one("#evidence-files", EvidenceList).show(inspector_app(screen).db.evidence, files)


def open_selected(screen, index: int | None = None) -> None:
    """Open the evidence file highlighted in the screen's list (or the one at ``index``)."""
    listing = screen.query_one("#evidence-files", EvidenceList)
    if not listing.files:
        screen.notify(t("evidence_ui.none"))
        return
    file = listing.files[index] if index is not None else listing.selected
    open_kept(screen, inspector_app(screen).db.evidence, file)


def evidence_target(view: FindingView) -> str:
    return t("evidence_ui.of_finding", id=ids.short(view.id), title=clip(view.title, 30), village=view.village)


def ask_evidence(screen, village_id: str, view: FindingView, after) -> None:
    """The evidence dialog for one finding; ``after()`` once files were kept (told in one notice)."""
    app = inspector_app(screen)
    limit = app.catalog.county.evidence_max_bytes
    target = evidence_target(view)

    def attach(paths: list[str]):
        return attach_to_finding(app.db, village_id, view.id, paths, app.settings.user, limit=limit)

    def done(attached) -> None:
        if attached is not None:
            screen.notify(kept_message(attached, target), timeout=8)
            after()

    screen.app.push_screen(EvidenceDialog(target, attach, app.db.evidence, limit, kept=finding_files(view.events)), done)


def history_text(app, view: FindingView) -> Text:
    """One finding: its fields, its deadline (with the original), and every event of its history."""
    finding = view.finding
    text = Text()
    text.append(f"{ids.short(view.id)}  {view.title}\n", style="bold")
    for label, value in (("finding.field.description", finding.description), ("finding.field.unit", view.unit),
                         ("finding.field.measure", finding.measure), ("ledger.basis", _basis(app.catalog, finding))):
        if value:
            text.append(f"{t(label)}{t('punct.colon')}{value}\n")
    text.append(t("review.deadline_line", deadline=view.deadline.isoformat(), original=view.original_deadline.isoformat(),
                  state=labels.state(view.state)) + "\n")
    text.append(f"\n{t('ledger.history')}\n", style="bold")
    for ev in view.events:
        text.append(f"{ev.on.isoformat()}  ", style="dim")
        text.append(labels.event(ev.type), style="bold")
        detail = [ev.note]
        if ev.type in ("found", "extend"):
            detail.append(t("ledger.deadline", deadline=ev.deadline.isoformat() if ev.deadline else ""))
        if ev.type == "escalate":
            detail.append(labels.escalation(ev.level))
        if ev.type == "assign":
            detail.append(" ".join(x for x in (ev.unit, ev.person) if x))
        if ev.evidence:
            detail.append(t("punct.list_sep").join(ev.evidence))
        if ev.files:
            detail.append(t("punct.list_sep").join(f.name for f in ev.files))
        detail_text = " · ".join(d for d in detail if d)
        text.append(f"  {ev.by}  {detail_text}\n")
    return text


def _basis(catalog, finding: Finding) -> str:
    """The list items a finding breaks, by number and title (never the internal id)."""
    titles = []
    for ref in finding.basis:
        item = catalog.item(ref)
        titles.append(t("shell.basis_item", number=item.number, title=item.title) if item else ref)
    return t("punct.list_sep").join(titles)


class FindingHistoryDialog(ModalScreen[None]):
    """Enter on a review row: the finding with its whole history, without leaving the review."""

    BINDINGS = [Binding("escape,enter", "close", "action.close", id="dialog.close"),
                Binding("O", "open_evidence", "action.open_evidence", id="history.open_evidence")]
    AUTO_FOCUS = ""  # nothing focused: Enter still closes; Tab reaches the evidence list to pick a file

    def __init__(self, village_id: str, fid: str) -> None:
        super().__init__()
        self.village_id, self.fid = village_id, fid

    def compose(self) -> ComposeResult:
        app = inspector_app(self)
        village = app.db.village(self.village_id)
        store = app.db.store(self.village_id)
        self.view = view_of(store.finding(self.fid), store.events(self.fid), app.today, village_id=village.id,
                            village=village.name, township=village.township)
        with DialogBody(classes="dialog wide"):
            yield Static(history_text(self.app, self.view) if self.view else "", id="finding-history")
            yield Static(id="evidence-heading")
            yield EvidenceList()

    def on_mount(self) -> None:
        if self.view is not None:
            show_evidence(self, self.view)

    def action_open_evidence(self) -> None:
        open_selected(self)

    @on(OptionList.OptionSelected, "#evidence-files")
    def _open_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        open_selected(self, event.option_index)

    def action_close(self) -> None:
        self.dismiss(None)
