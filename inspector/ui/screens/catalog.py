"""The catalog browser: pick a list set, browse its lists and items, search all of them."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Markdown, Select

from ...catalog.search import CatalogSearch, Hit
from ...core.textwidth import clip
from ...i18n import language, t
from ...report.markdown import escape_inline
from ..bindings import Localized, localize


class CatalogScreen(Localized, Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "action.back", id="catalog.back"),
        Binding("slash", "focus_search", "action.focus_search", id="catalog.search"),
        Binding("f3", "focus_search", "action.focus_search", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[Hit] = []

    @property
    def catalog(self):
        return self.app.catalog  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="catalog-bar"):
            yield Select(self._set_options(), value=self.catalog.default.id, allow_blank=False, id="listset")
            yield Input(placeholder=t("catalog_screen.search_placeholder"), id="search")
        with Horizontal(id="catalog-body"):
            with Vertical(id="catalog-left"):
                yield DataTable(id="items", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="catalog-right"):
                yield Markdown(id="item-detail")
        yield Footer()

    def _set_options(self) -> list[tuple[str, str]]:
        lang = language()
        return [(clip(s.display_name(lang), 24), s.id) for s in self.catalog.listsets.values()]

    def on_mount(self) -> None:
        self.search_index = CatalogSearch(self.catalog)
        self.fill()
        self.query_one("#items", DataTable).focus()

    def refresh_language(self) -> None:
        localize(self)
        select = self.query_one("#listset", Select)
        value = select.value
        select.set_options(self._set_options())
        select.value = value
        self.query_one("#search", Input).placeholder = t("catalog_screen.search_placeholder")
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
        searching = bool(query.strip())
        if searching:  # results come from every set: say which
            table.add_column(t("catalog_screen.col_set"), key="set")
        table.add_column(t("catalog_screen.col_list"), key="list")
        table.add_column(t("catalog_screen.col_number"), key="number")
        table.add_column(t("catalog_screen.col_title"), key="title")
        for n, hit in enumerate(self.hits):
            row = [t(f"list_kind.{hit.list.kind}"), hit.item.number, clip(hit.item.title, 40)]
            table.add_row(*([clip(hit.listset.id, 9)] if searching else []), *row, key=f"{n}")
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
    lines = [f"### {escape_inline(item.title)}", "", f"*{escape_inline(s.display_name(language()))} · {escape_inline(lst.title)} · {t('catalog_screen.number', n=item.number)}*", ""]
    if item.group:
        lines += [f"**{t('catalog_screen.group')}**：{escape_inline(item.group)}", ""]
    if item.content and item.content != item.title:
        lines += [escape_inline(item.content), ""]
    if item.subtasks:
        lines += [f"**{t('catalog_screen.subtasks')}**", ""]
        lines += [f"{n}. {escape_inline(st)}" for n, st in enumerate(item.subtasks, 1)] + [""]
    if item.basis:
        lines += [f"**{t('catalog_screen.basis')}**", ""] + [f"- {escape_inline(b)}" for b in item.basis] + [""]
    if item.department:
        lines += [f"**{t('catalog_screen.department')}**：{escape_inline(item.department)}", ""]
    if item.remarks:
        lines += [f"**{t('catalog_screen.remarks')}**：{escape_inline(item.remarks)}", ""]
    lines += [f"`{item.id}`"]
    return "\n".join(lines)
