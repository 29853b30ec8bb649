"""The supervisor's review: every open finding across villages, overdue first.

Counts by bucket and a small chart at the top; a filter (saved under a name
and reopened); single keys for each move of the workflow, each asking only
for what that move needs. Rows are FindingViews (core.overdue.open_on): on
the database's today from the summaries index, so the screen opens at county
scale without reading the village files; on another day from the history.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from rich.text import Text

from ...core import ids, labels, workflow
from ...core.finding_view import BUCKETS, FindingView, matches, view_of
from ...core.errors import UserError
from ...core.evidence import closure_needs_evidence
from ...core.moves import Move, make_move, refusal
from ...core.saved_filters import save_filter
from ...core.overdue import open_on
from ...core.textwidth import clip, pad, width
from ...i18n import has, t
from ..footer import FittingFooter
from ..theme_styles import tone
from ..messages import LanguageChanged
from . import ReloadOnReturn
from .review_dialogs import FilterDialog, MoveDialog, PickDialog
from ..appref import inspector_app

SORTS = ("days", "village", "unit", "deadline")
TOP = 5  # bars in the chart; the rest are summed on one "others" line
MIN_TITLE = 14  # cells the finding's title keeps before other columns give way
PAGE = 120  # rows added per page (a few screens): the first rows show at once at county scale


class ReviewScreen(ReloadOnReturn, Screen[None]):
    BINDINGS = [
        Binding("a", "move('assign')", "action.move_assign", id="review.assign"),
        Binding("p", "move('progress')", "action.move_progress", id="review.progress"),
        Binding("d", "move('report')", "action.move_report", id="review.report"),
        Binding("v", "move('verify')", "action.move_verify", id="review.verify"),
        Binding("c", "move('close')", "action.move_close", id="review.close"),
        Binding("x", "move('extend')", "action.move_extend", id="review.extend"),
        Binding("u", "move('escalate')", "action.move_escalate", id="review.escalate"),
        Binding("f", "filter", "action.filter", id="review.filter"),
        Binding("s", "save_filter", "action.save_filter", show=False, id="review.save_filter"),
        Binding("o", "open_filter", "action.open_filter", show=False, id="review.open_filter"),
        Binding("t", "sort", "action.sort", show=False, id="review.sort"),
        Binding("b", "chart", "action.chart", show=False, id="review.chart"),
        Binding("l", "ledger", "action.ledger", id="review.ledger"),
        Binding("e", "attach_evidence", "action.attach_evidence", show=False, id="review.attach_evidence"),
        Binding("enter", "open_finding", "action.open_finding", show=False, id="review.open_finding"),
        Binding("m", "more", "action.more", show=False, id="review.more"),
        Binding("escape", "back", "action.back", id="review.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filters: dict[str, str] = {}
        self.sort = "days"
        self.chart_by = "unit"
        self.rows: list[FindingView] = []
        self.shown = 0

    @property
    def today(self) -> date:
        return inspector_app(self).today

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="review-counts")
        yield Static(id="review-chart")
        yield Static(id="review-filter", markup=False)
        yield DataTable(id="review", cursor_type="row", zebra_stripes=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#review", DataTable).focus()

    def on_language_changed(self, message: LanguageChanged) -> None:
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
        all_rows = open_on(inspector_app(self).db, self.today)
        self.rows = _sorted([r for r in all_rows if matches(r, self.filters)], self.sort)
        self._counts()
        self._chart()
        self.query_one("#review-filter", Static).update(
            t("review.filter_line", filters=_describe(self.filters, inspector_app(self).db), sort=t(f"review.sort.{self.sort}"), n=len(self.rows))
        )
        table = self.query_one("#review", DataTable)
        table.clear(columns=True)
        self.widths = review_columns(self.app.size.width, self._natural_widths())
        for key, cells in self.widths.items():
            table.add_column(fitted_label(f"review.col.{key}", cells), key=key, width=cells)
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
                        style=tone(self, "error", bold=True) if row.days > 0 else (tone(self, "warning") if row.days >= -3 else ""))
            state, escalation = labels.state(row.state), labels.escalation(row.escalation)
            cells = {"days": days, "village": row.village, "title": row.title, "unit": row.unit or "-",
                     "deadline": row.deadline.isoformat(), "state": state, "escalation": escalation,
                     "status": state + (f"·{escalation}" if row.escalation else "")}
            table.add_row(*(clip(cells[k], w) if isinstance(cells[k], str) else cells[k] for k, w in self.widths.items()), key=row.id)
        self.shown = min(len(self.rows), self.shown + PAGE)

    def _natural_widths(self) -> dict[str, int]:
        """The cells each column needs to show its longest value (and its header) whole."""
        days = [r.days for r in self.rows] or [0]
        def day_text(n: int) -> str:
            return t("review.days_overdue", n=n) if n > 0 else t("review.days_left", n=-n)
        states = [labels.state(s) for s in workflow.STATES]
        levels = [labels.escalation(e) for e in ("none", *workflow.ESCALATIONS)]
        natural = {
            "days": max(width(day_text(max(days))), width(day_text(min(days)))),
            "village": max((width(r.village) for r in self.rows), default=0),
            "title": max((width(r.title) for r in self.rows), default=0),
            "unit": max((width(r.unit) for r in self.rows), default=1),
            "deadline": 10,
            "state": max(map(width, states)),
            "escalation": max(map(width, levels)),
            "status": max(map(width, states)) + 1 + max(map(width, levels[1:])),
        }
        return {k: max(v, width(t(f"review.col.{k}"))) for k, v in natural.items()}

    def on_resize(self) -> None:
        if self.is_mounted and getattr(self, "widths", None) is not None:
            row = self.current
            self.load(keep=row.id if row else None)

    @on(DataTable.RowSelected, "#review")
    def _open(self) -> None:
        self.action_open_finding()

    def action_open_finding(self) -> None:
        """Enter: the finding with its whole history."""
        row = self.current
        if row:
            from .ledger import FindingHistoryDialog

            self.app.push_screen(FindingHistoryDialog(row.village_id, row.id))

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
            style = {"overdue": tone(self, "error", bold=True), "due3": tone(self, "warning", bold=True)}.get(bucket, "bold")
            text.append(f" {labels.bucket(bucket)} ", style="dim")
            text.append(str(counts.get(bucket, 0)), style=style)
            text.append("  ")
        self.query_one("#review-counts", Static).update(text)

    def _chart(self) -> None:
        """Overdue findings by responsible unit (or by village): the top five as bars, the rest as one line.

        The bars add up to the number of overdue findings, which the title states.
        """
        key = (lambda r: r.unit or "-") if self.chart_by == "unit" else (lambda r: r.village)
        counts = Counter(key(r) for r in self.rows if r.overdue)
        total = sum(counts.values())
        lines = chart_lines(counts.most_common(), TOP, t("review.chart.others", n=max(0, len(counts) - TOP)))
        text = Text(t(f"review.chart.{self.chart_by}") + (t("review.chart.total", n=total) if total else "") + "\n", style="bold")
        if not lines:
            text.append(t("review.chart.none"), style="dim")
        top = max((n for _, n in lines), default=1)
        label_width = max((width(clip(name, 14)) for name, _ in lines), default=0)
        for name, n in lines:
            text.append(" " + pad(clip(name, 14), label_width) + " ")
            text.append("█" * max(1, round(24 * n / top)), style=tone(self, "error"))
            text.append(f" {n}\n")
        self.query_one("#review-chart", Static).update(text)

    @property
    def current(self) -> FindingView | None:
        table = self.query_one("#review", DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    # -- moves ------------------------------------------------------------------------

    def action_move(self, kind: str) -> None:
        row = self.current
        if row is None:
            return
        if not inspector_app(self).writable():
            return
        app = inspector_app(self)
        store = app.db.store(row.village_id)
        # The finding with its history today (the row may come from the summaries, without events).
        view = view_of(store.finding(row.id), store.events(row.id), self.today,
                       village_id=row.village_id, village=row.village, township=row.township)
        if view is None:
            return
        refused = refusal(kind, view)
        if refused is None and kind == "close":
            refused = closure_needs_evidence(view, app.catalog.county.closure_needs_evidence)  # the county's rule, before anything is typed
        if refused is not None:  # say at once when the move cannot be made, before anything is typed
            self.notify(refused.message(), severity="warning", timeout=8)
            return

        def done(move: Move | None) -> None:
            if move is None:
                return
            try:
                make_move(store, row.id, move, close_needs_evidence=app.catalog.county.closure_needs_evidence)
            except UserError as exc:  # the workflow or the county's rule refused it: nothing recorded
                self.notify(exc.message(), severity="error", timeout=8)
                return
            self.notify(t("review.done", move=labels.event(move.kind), id=ids.short(row.id)))
            self.load(keep=row.id)

        self.app.push_screen(MoveDialog(kind, view, app.settings.user), done)

    def action_attach_evidence(self) -> None:
        """e: keep photos, scans or documents with the finding under the cursor."""
        row = self.current
        if row is None or not inspector_app(self).writable():
            return
        from .ledger import ask_evidence

        store = inspector_app(self).db.store(row.village_id)
        # The row may come from the summaries, without events: the finding's whole history says what is kept.
        view = view_of(store.finding(row.id), store.events(row.id), self.today,
                       village_id=row.village_id, village=row.village, township=row.township) or row
        ask_evidence(self, row.village_id, view, lambda: self.load(keep=row.id))

    # -- filters, sort, chart ---------------------------------------------------------

    def action_filter(self) -> None:
        def done(filters: dict | None) -> None:
            if filters is not None:
                self.filters = filters
                self.load()

        inspector_app(self).push_screen(FilterDialog(self.filters, inspector_app(self).db), done)

    def action_save_filter(self) -> None:
        from ..dialogs import TextDialog

        if not inspector_app(self).writable():
            return

        def done(name: str | None) -> None:
            if name and name.strip():
                saved = save_filter(inspector_app(self).db, name, self.filters)  # core's rule for the name
                self.notify(t("review.filter_saved", name=saved))

        self.app.push_screen(TextDialog(t("review.ask_filter_name"), hint=_describe(self.filters, inspector_app(self).db)), done)

    def action_open_filter(self) -> None:
        saved = inspector_app(self).db.saved_filters()
        if not saved:
            self.notify(t("review.no_saved_filters"))
            return

        def done(name: str | None) -> None:
            if name:
                self.filters = dict(saved[name])
                self.load()

        self.app.push_screen(PickDialog(t("review.pick_filter"), [(f"{n}: {_describe(f, inspector_app(self).db)}", n) for n, f in saved.items()]), done)

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


def _sorted(rows: list[FindingView], sort: str) -> list[FindingView]:
    keys = {
        "days": lambda r: (-r.days, r.id),
        "village": lambda r: (r.township, r.village, -r.days, r.id),
        "unit": lambda r: (r.unit, -r.days, r.id),
        "deadline": lambda r: (r.deadline, r.id),
    }
    return sorted(rows, key=keys[sort])


def _describe(filters: dict[str, str], db) -> str:
    """A filter in words: each field's label and its value's label (a village's name, never its id)."""
    named = {"theme": labels.theme, "severity": labels.severity, "escalation": labels.escalation, "bucket": labels.bucket}

    def value(field: str, v: str) -> str:
        if field == "village":
            try:
                return db.village(v).name
            except Exception:  # a saved filter naming a village since removed: show what was saved
                return ids.short(v)
        return named[field](v) if field in named else v

    parts = [f"{t('review.field.' + k)}{t('punct.colon')}{value(k, v)}" for k, v in filters.items() if v]
    return t("punct.list_sep").join(parts) if parts else t("review.no_filter")


def chart_lines(ranked: list[tuple[str, int]], top: int, others: str) -> list[tuple[str, int]]:
    """The ``top`` first of ``ranked``, then one line summing the rest (so the lines add up to the total)."""
    lines = list(ranked[:top])
    rest = sum(n for _, n in ranked[top:])
    if rest:
        lines.append((others, rest))
    return lines


def fitted_label(key: str, cells: int) -> str:
    """A column's header in ``cells``: the short label (narrow.col.*) where the full one does not fit."""
    label = t(key)
    short = "narrow.col." + key.rsplit(".", 1)[1]
    if width(label) > cells and has(short):
        label = t(short)
    return clip(label, cells)


def review_columns(total: int, natural: dict[str, int]) -> dict[str, int]:
    """Column widths (in cells) for a terminal ``total`` cells wide: every column shows, the title takes the rest.

    Where the title would drop under MIN_TITLE, the state and escalation share
    one column, then the village and unit columns shrink (to 8 cells); the title
    never takes more than its longest value needs, and what is left goes to the unit.
    """
    budget = total - 2  # the vertical scrollbar
    keys = ["days", "village", "title", "unit", "deadline", "state", "escalation"]
    caps = {"village": 16, "unit": 18}
    widths = {k: min(natural[k], caps.get(k, natural[k])) for k in keys}

    def title_room() -> int:
        return budget - sum(w for k, w in widths.items() if k != "title") - 2 * len(widths)

    if title_room() < MIN_TITLE:
        del widths["state"], widths["escalation"]
        # the state shows whole; an escalation after it as far as it fits
        widths["status"] = min(natural["status"], max(natural["state"], 12))
    for key in ("village", "unit"):
        while title_room() < MIN_TITLE and widths[key] > 8:
            widths[key] -= 1
    room = title_room()
    widths["title"] = max(8, min(room, natural["title"]))
    spare = room - widths["title"]
    if spare > 0:  # the title is whole: give the rest to the unit's name, then the village's
        for key in ("unit", "village"):
            grow = min(spare, natural[key] - widths[key])
            if grow > 0:
                widths[key] += grow
                spare -= grow
    return {k: widths[k] for k in (*keys[:5], *(["state", "escalation"] if "state" in widths else ["status"]))}
