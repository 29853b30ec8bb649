"""The catalog browser: pick a list set, browse its lists and items, search all of them."""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Markdown, Select

from ...catalog.search import CatalogSearch, Hit
from ...core.textwidth import clip, width
from ...i18n import language, t
from ...report.markdown import escape_inline
from ..footer import FittingFooter
from ..dialogs import choice
from ..messages import LanguageChanged
from ..appref import inspector_app


SET_CELLS = 10  # a set's name in search results, clipped
MIN_TITLE = 16  # cells an item's title keeps before the set column gives way


class CatalogScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "action.back", id="catalog.back"),
        Binding("slash", "focus_search", "action.focus_search", id="catalog.search"),
        Binding("f3", "focus_search", "action.focus_search", show=False, id="catalog.focus_search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[Hit] = []

    @property
    def catalog(self):
        return inspector_app(self).catalog

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="catalog-bar"):
            yield choice(self._set_options(), value=self.catalog.default.id, allow_blank=False, id="listset")
            yield Input(placeholder=t("catalog_screen.search_placeholder"), id="search")
        with Horizontal(id="catalog-body"):
            with Vertical(id="catalog-left"):
                yield DataTable(id="items", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="catalog-right"):
                yield Markdown(id="item-detail")
        yield FittingFooter()

    def _set_options(self) -> list[tuple[str, str]]:
        lang = language()
        return [(clip(s.display_name(lang), 24), s.id) for s in self.catalog.listsets.values()]

    def on_mount(self) -> None:
        self.search_index = CatalogSearch(self.catalog)
        self.fill()
        self.query_one("#items", DataTable).focus()

    def _fit_placeholder(self) -> None:
        search = self.query_one("#search", Input)
        # The full placeholder where it fits, else the short one (never cut mid-word).
        full = t("catalog_screen.search_placeholder")
        search.placeholder = full if width(full) <= search.content_region.width - 1 else t("narrow.search_placeholder")

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_placeholder)
        # The title column takes the pane's width, known only once laid out.
        if hasattr(self, "search_index"):
            table = self.query_one("#items", DataTable)
            row = table.cursor_row
            self.fill()
            table.move_cursor(row=row)

    def on_language_changed(self, message: LanguageChanged) -> None:
        select = self.query_one("#listset", Select)
        value = select.value
        select.set_options(self._set_options())
        select.value = value
        self._fit_placeholder()
        self.fill()

    def action_back(self) -> None:
        if self.query_one("#search", Input).has_focus and self.query_one("#search", Input).value:
            self.query_one("#search", Input).value = ""
            return
        self.app.pop_screen()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Select.Changed, "#listset")
    def _set_changed(self) -> None:
        self.fill()

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self.fill()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one("#items", DataTable).focus()

    @on(DataTable.RowHighlighted, "#items")
    def _row(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.hits):
            self.show(self.hits[event.cursor_row])

    def fill(self) -> None:
        query = self.query_one("#search", Input).value
        listset = self.query_one("#listset", Select).value
        # An empty query browses the chosen set; a query searches every set.
        self.hits = self.search_index.search(query, None if query.strip() else str(listset))
        table = self.query_one("#items", DataTable)
        table.clear(columns=True)
        kinds = [t(f"list_kind.{hit.list.kind}") for hit in self.hits]
        kind_cells = max(map(width, kinds + [t("catalog_screen.col_list")]), default=0)
        # The title takes what the pane has left (the list kind, the number, a set name when searching).
        pane = self.query_one("#catalog-left").size.width or self.app.size.width // 2
        room = pane - 2 - 6 - kind_cells - 4
        # Results come from every set: say which, where the title keeps MIN_TITLE cells
        # (at 80 columns it does not, and the detail pane names the set).
        searching = bool(query.strip()) and room - (SET_CELLS + 2) >= MIN_TITLE
        if searching:
            table.add_column(t("catalog_screen.col_set"), key="set")
        table.add_column(t("catalog_screen.col_list"), key="list")
        table.add_column(t("catalog_screen.col_number"), key="number")
        title_cells = max(10, room - (SET_CELLS + 2 if searching else 0))
        table.add_column(t("catalog_screen.col_title"), key="title", width=title_cells)
        for n, (hit, kind) in enumerate(zip(self.hits, kinds)):
            row = [kind, hit.item.number, clip(distinctive(hit.item.title), title_cells)]
            table.add_row(*([clip(hit.listset.display_name(language()), SET_CELLS)] if searching else []), *row, key=f"{n}")
        self.sub_title = (
            t("catalog_screen.found", n=len(self.hits), query=query) if query.strip() else t("catalog_screen.browsing", n=len(self.hits))
        )
        if self.hits:
            self.show(self.hits[0])
        else:
            self.query_one("#item-detail", Markdown).update(t("catalog_screen.nothing") if query.strip() else "")

    def show(self, hit: Hit) -> None:
        self.query_one("#item-detail", Markdown).update(item_markdown(hit))


def item_markdown(hit: Hit) -> str:
    item, lst, s = hit.item, hit.list, hit.listset
    colon = t("punct.colon")
    lines = [f"**{escape_inline(item.title)}**", "", f"*{escape_inline(s.display_name(language()))} · {escape_inline(lst.title)} · {t('catalog_screen.number', n=item.number)}*", ""]
    if item.group:
        lines += [f"**{t('catalog_screen.group')}**{colon}{escape_inline(item.group)}", ""]
    if item.content and item.content != item.title:
        lines += [escape_inline(item.content), ""]
    if item.subtasks:
        lines += [f"**{t('catalog_screen.subtasks')}**", ""]
        lines += [f"{n}. {escape_inline(st)}" for n, st in enumerate(item.subtasks, 1)] + [""]
    if item.basis:
        lines += [f"**{t('catalog_screen.basis')}**", ""] + [f"- {escape_inline(b)}" for b in item.basis] + [""]
    if item.department:
        lines += [f"**{t('catalog_screen.department')}**{colon}{escape_inline(item.department)}", ""]
    if getattr(item, "department_2019", ""):  # 渝民发〔2021〕6号 names another unit: the 2019 one stays on record
        lines += [f"**{t('catalog_list.department_2019')}**{colon}{escape_inline(item.department_2019)}", ""]
    if getattr(item, "proof_method", ""):
        lines += [f"**{t('shell.catalog.proof_method')}**{colon}{escape_inline(item.proof_method)}", ""]
    for case in getattr(item, "exceptions", []) or []:
        lines += [f"**{t('shell.catalog.exception')}**{colon}{escape_inline(case)}", ""]
    if item.remarks:
        lines += [f"**{t('catalog_screen.remarks')}**{colon}{escape_inline(item.remarks)}", ""]
    return "\n".join(lines)


# The subject most items of a list begin with: the list is about it, so the short title leaves it out.
_SUBJECT = re.compile(r"^(村（居）民委员会|居（村）民委员会|村（社区）|村民委员会|居民委员会)(应当|应|要|须)?")


def distinctive(title: str) -> str:
    """The part of an item's title that tells it from its neighbours ("村民委员会应当支持…" -> "支持…")."""
    short = _SUBJECT.sub("", title, count=1)
    return short if len(short) >= 2 else title
