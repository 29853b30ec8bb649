"""The supervisor's review: every open finding across villages, overdue first.

Counts by bucket and a small chart at the top; a filter (saved under a name
and reopened); single keys for each move of the workflow, each asking only
for what that move needs. Rows come from the summaries index, so the screen
opens at county scale without reading the village files.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from rich.text import Text

from ...core import findings as wf
from ...core.overdue import BUCKETS, FindingRow, matches, rows_from_index
from ...core.textwidth import clip, pad, width
from ...core.visit import village_of
from ...i18n import t
from ..bindings import Localized, localize
from . import ReloadOnReturn
from .review_dialogs import FilterDialog, MoveDialog, PickDialog, explain

SORTS = ("days", "village", "unit", "deadline")
PAGE = 120  # rows added per page (a few screens): the first rows show at once at county scale


class ReviewScreen(ReloadOnReturn, Localized, Screen[None]):
    BINDINGS = [
        Binding("a", "move('assign')", "action.move_assign"),
        Binding("p", "move('progress')", "action.move_progress"),
        Binding("d", "move('report')", "action.move_report"),
        Binding("v", "move('verify')", "action.move_verify"),
        Binding("c", "move('close')", "action.move_close"),
        Binding("x", "move('extend')", "action.move_extend"),
        Binding("u", "move('escalate')", "action.move_escalate"),
        Binding("f", "filter", "action.filter"),
        Binding("s", "save_filter", "action.save_filter", show=False),
        Binding("o", "open_filter", "action.open_filter", show=False),
        Binding("t", "sort", "action.sort", show=False),
        Binding("b", "chart", "action.chart", show=False),
        Binding("l", "ledger", "action.ledger"),
        Binding("m", "more", "action.more", show=False),
        Binding("escape", "back", "action.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filters: dict[str, str] = {}
        self.sort = "days"
        self.chart_by = "unit"
        self.rows: list[FindingRow] = []
        self.shown = 0

    @property
    def today(self) -> date:
        return self.app.today  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="review-counts")
        yield Static(id="review-chart")
        yield Static(id="review-filter", markup=False)
        yield DataTable(id="review", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#review", DataTable).focus()

    def refresh_language(self) -> None:
        localize(self)
        self.load()

    def palette_commands(self) -> list[SystemCommand]:
        return [
            SystemCommand(t("action.filter"), t("palette.filter"), self.action_filter),
            SystemCommand(t("action.save_filter"), t("palette.save_filter"), self.action_save_filter),
            SystemCommand(t("action.open_filter"), t("palette.open_filter"), self.action_open_filter),
            SystemCommand(t("action.sort"), t("palette.sort"), self.action_sort),
            SystemCommand(t("action.chart"), t("palette.chart"), self.action_chart),
        ]

    # -- data ------------------------------------------------------------------------

    def load(self, keep: str | None = None) -> None:
        all_rows = rows_from_index(self.app.db, self.today)  # type: ignore[attr-defined]
        self.rows = _sorted([r for r in all_rows if matches(r, self.filters)], self.sort)
        self._counts()
        self._chart()
        self.query_one("#review-filter", Static).update(
            t("review.filter_line", filters=_describe(self.filters), sort=t(f"review.sort.{self.sort}"), n=len(self.rows))
        )
        table = self.query_one("#review", DataTable)
        table.clear(columns=True)
        for key in ("days", "village", "title", "unit", "deadline", "state", "escalation"):
            table.add_column(t(f"review.col.{key}"), key=key)
        self.shown = 0
        self._add_page()
        if keep:
            index = next((n for n, r in enumerate(self.rows) if r.id == keep), None)
            while index is not None and index >= self.shown:
                self._add_page()
            if index is not None:
                table.move_cursor(row=index)

    def _add_page(self) -> None:
        table = self.query_one("#review", DataTable)
        for row in self.rows[self.shown : self.shown + PAGE]:
            days = Text(t("review.days_overdue", n=row.days) if row.days > 0 else t("review.days_left", n=-row.days),
                        style="bold red" if row.days > 0 else ("yellow" if row.days >= -3 else ""))
            level = wf.ESCALATIONS[row.escalation - 1] if row.escalation else "none"
            table.add_row(
                days, clip(row.village, 10), clip(row.title, 26), clip(row.unit, 12), row.deadline.isoformat(),
                t(f"workflow.state.{row.state}"), t(f"workflow.escalation.{level}"), key=row.id,
            )
        self.shown = min(len(self.rows), self.shown + PAGE)

    @on(DataTable.RowHighlighted, "#review")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        # Virtual paging: the next page is added as the cursor nears the end.
        if event.cursor_row >= self.shown - 5 and self.shown < len(self.rows):
            self._add_page()

    def action_more(self) -> None:
        self._add_page()

    def _counts(self) -> None:
        counts = Counter(r.bucket for r in self.rows)
        text = Text()
        for bucket in BUCKETS:
            style = {"overdue": "bold red", "due3": "bold yellow"}.get(bucket, "bold")
            text.append(f" {t('review.bucket.' + bucket)} ", style="dim")
            text.append(str(counts.get(bucket, 0)), style=style)
            text.append("  ")
        self.query_one("#review-counts", Static).update(text)

    def _chart(self) -> None:
        """Overdue findings by responsible unit (or by village): the top few as bars."""
        key = (lambda r: r.unit or "-") if self.chart_by == "unit" else (lambda r: r.village)
        counts = Counter(key(r) for r in self.rows if r.overdue).most_common(5)
        text = Text(t(f"review.chart.{self.chart_by}") + "\n", style="bold")
        if not counts:
            text.append(t("review.chart.none"), style="dim")
        top = counts[0][1] if counts else 1
        label_width = max((width(clip(name, 14)) for name, _ in counts), default=0)
        for name, n in counts:
            text.append(" " + pad(clip(name, 14), label_width) + " ")
            text.append("█" * max(1, round(24 * n / top)), style="red")
            text.append(f" {n}\n")
        self.query_one("#review-chart", Static).update(text)

    @property
    def current(self) -> FindingRow | None:
        table = self.query_one("#review", DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    # -- moves ------------------------------------------------------------------------

    def action_move(self, kind: str) -> None:
        row = self.current
        if row is None:
            return
        if self.app.refuse_if_read_only():  # type: ignore[attr-defined]
            return
        store = self.app.db.store(village_of(row.id))  # type: ignore[attr-defined]
        status = store.status(row.id)

        def done(payload: dict | None) -> None:
            if payload is None:
                return
            move = payload.pop("_move", kind)
            try:
                store.add_event(row.id, move, by=self.app.settings.user, **payload)  # type: ignore[attr-defined]
            except wf.WorkflowError as exc:
                self.notify(explain(exc), severity="error", timeout=8)
                return
            self.notify(t("review.done", move=t(f"workflow.event.{move}"), id=row.id))
            self.load(keep=row.id)

        self.app.push_screen(MoveDialog(kind, row, status, self.today), done)

    # -- filters, sort, chart ---------------------------------------------------------

    def action_filter(self) -> None:
        def done(filters: dict | None) -> None:
            if filters is not None:
                self.filters = filters
                self.load()

        self.app.push_screen(FilterDialog(self.filters, self.app.db), done)  # type: ignore[attr-defined]

    def action_save_filter(self) -> None:
        from ..dialogs import TextDialog

        def done(name: str | None) -> None:
            if name and name.strip():
                self.app.db.save_filter(name, self.filters)  # type: ignore[attr-defined]
                self.notify(t("review.filter_saved", name=name.strip()))

        self.app.push_screen(TextDialog(t("review.ask_filter_name"), hint=_describe(self.filters)), done)

    def action_open_filter(self) -> None:
        saved = self.app.db.saved_filters()  # type: ignore[attr-defined]
        if not saved:
            self.notify(t("review.no_saved_filters"))
            return

        def done(name: str | None) -> None:
            if name:
                self.filters = dict(saved[name])
                self.load()

        self.app.push_screen(PickDialog(t("review.pick_filter"), [(f"{n}: {_describe(f)}", n) for n, f in saved.items()]), done)

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.load()

    def action_chart(self) -> None:
        self.chart_by = "village" if self.chart_by == "unit" else "unit"
        self._chart()

    def action_ledger(self) -> None:
        row = self.current
        if row:
            from .ledger import LedgerScreen

            self.app.push_screen(LedgerScreen(row.village_id, focus=row.id))

    def action_back(self) -> None:
        self.app.pop_screen()

    def reload_on_return(self) -> None:
        row = self.current
        self.load(keep=row.id if row else None)


def _sorted(rows: list[FindingRow], sort: str) -> list[FindingRow]:
    keys = {
        "days": lambda r: (-r.days, r.id),
        "village": lambda r: (r.township, r.village, -r.days, r.id),
        "unit": lambda r: (r.unit, -r.days, r.id),
        "deadline": lambda r: (r.deadline, r.id),
    }
    return sorted(rows, key=keys[sort])


def _describe(filters: dict[str, str]) -> str:
    parts = [f"{t('review.field.' + k)}={v}" for k, v in filters.items() if v]
    return "，".join(parts) if parts else t("review.no_filter")
