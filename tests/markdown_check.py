"""Reading exported Markdown the way a renderer does (CommonMark + GFM tables)."""

from __future__ import annotations

from markdown_it import MarkdownIt

MD = MarkdownIt("commonmark").enable("table")


def tables(text: str) -> list[list[tuple[str, int]]]:
    """Each Markdown table as its rows: ("th" or "td", number of cells)."""
    out: list[list[tuple[str, int]]] = []
    row: list[str] = []
    for tok in MD.parse(text):
        if tok.type == "table_open":
            out.append([])
        elif tok.type == "tr_open":
            row = []
        elif tok.type in ("th_open", "td_open"):
            row.append(tok.tag)
        elif tok.type == "tr_close":
            out[-1].append((row[0], len(row)))
    return out
