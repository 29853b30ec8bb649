"""Search across every list of every list set: Chinese substring, or pinyin initials.

"xf" finds 消防; "fmqd" finds 负面清单. Initials are computed once per catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pypinyin import Style, lazy_pinyin

from .model import Catalog, ListItem, ListSet, PolicyList


@dataclass(frozen=True)
class Hit:
    listset: ListSet
    list: PolicyList
    item: ListItem
    where: str  # "title", "text" or "pinyin"


def initials(text: str) -> str:
    """Pinyin initials of the Chinese characters (other characters dropped)."""
    return "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore") if p).lower()


class CatalogSearch:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    @cached_property
    def _entries(self) -> list[tuple[ListSet, PolicyList, ListItem, str, str]]:
        out = []
        for s in self.catalog.listsets.values():
            for lst in s.lists:
                for item in lst.items:
                    text = "\n".join([item.title, item.content, *item.subtasks, *item.basis, item.department, item.group])
                    out.append((s, lst, item, text, initials(item.title)))
        return out

    def items(self, listset_id: str) -> list[Hit]:
        return [Hit(s, lst, item, "") for s, lst, item, _, _ in self._entries if s.id == listset_id]

    def search(self, query: str, listset_id: str | None = None) -> list[Hit]:
        """Items whose title, text or title initials contain ``query``; title hits first."""
        query = query.strip()
        if not query:
            return self.items(listset_id) if listset_id else []
        lowered = query.lower()
        ascii_query = lowered.isascii() and lowered.isalpha()
        hits: list[Hit] = []
        seen: set[str] = set()
        for s, lst, item, text, pinyin in self._entries:
            if (listset_id and s.id != listset_id) or item.id in seen:
                continue  # a list shared by several sets is shown once
            seen.add(item.id)
            if query in item.title:
                hits.append(Hit(s, lst, item, "title"))
            elif query in text or lowered in text.lower():
                hits.append(Hit(s, lst, item, "text"))
            elif ascii_query and lowered in pinyin:
                hits.append(Hit(s, lst, item, "pinyin"))
        order = {"title": 0, "pinyin": 1, "text": 2}
        return sorted(hits, key=lambda h: order[h.where])
