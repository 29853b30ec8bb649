"""Search across every list of every list set: Chinese substring, or pinyin initials.

"xf" finds 消防; "fmqd" finds 负面清单. Initials match whole words first: the
Chinese words of the catalog whose initials are the query ("xf": 消防, 宪法,
信访...), the most frequent word first, each with the items that hold it in
the title and then in the text; items whose title initials merely contain the
letters across word boundaries come last. Initials are computed once per
catalog.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from pypinyin import Style, lazy_pinyin

from .model import Catalog, ListItem, ListSet, PolicyList

_NOT_PINYIN = "#"
WORD_SHARE = 0.1  # a word counts when it is seen at least this share as often as the most frequent one
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Hit:
    listset: ListSet
    list: PolicyList
    item: ListItem
    where: str  # "title", "text" or "pinyin"


def initials(text: str) -> str:
    """Pinyin initials of the Chinese characters (other characters dropped)."""
    return "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore") if p).lower()


def aligned_initials(text: str) -> str:
    """One letter per character of ``text``: its pinyin initial, or '#' for anything not Chinese."""
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda run: [_NOT_PINYIN] * len(run))
    if len(letters) != len(text):  # a segmentation we did not expect: go character by character
        letters = [initials(ch) or _NOT_PINYIN if _HAN.match(ch) else _NOT_PINYIN for ch in text]
    return "".join((p[:1] or _NOT_PINYIN).lower() if _HAN.match(ch) else _NOT_PINYIN for p, ch in zip(letters, text))


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

    @cached_property
    def _letters(self) -> dict[str, str]:
        """Item id -> the aligned initials of its searchable text."""
        return {item.id: aligned_initials(text) for _, _, item, text, _ in self._entries}

    def words_for(self, letters: str) -> list[str]:
        """Chinese words of the catalog whose initials are ``letters``, most frequent first."""
        n = len(letters)
        counts: Counter[str] = Counter()
        seen: set[str] = set()
        for _, _, item, text, _ in self._entries:
            if item.id in seen:
                continue
            seen.add(item.id)
            spelled = self._letters[item.id]
            start = spelled.find(letters)
            while start != -1:
                counts[text[start : start + n]] += 1
                start = spelled.find(letters, start + 1)
        ranked = sorted(counts.items(), key=lambda wc: (-wc[1], wc[0]))
        # A window seen once, or far rarer than the top word, is letters across words ("行法").
        floor = max(2, ranked[0][1] * WORD_SHARE) if ranked else 2
        return [w for w, c in ranked if c >= floor]

    def items(self, listset_id: str) -> list[Hit]:
        return [Hit(s, lst, item, "") for s, lst, item, _, _ in self._entries if s.id == listset_id]

    def _unique(self, listset_id: str | None):
        seen: set[str] = set()
        for s, lst, item, text, pinyin in self._entries:
            if (listset_id and s.id != listset_id) or item.id in seen:
                continue  # a list shared by several sets is shown once
            seen.add(item.id)
            yield s, lst, item, text, pinyin

    def search(self, query: str, listset_id: str | None = None) -> list[Hit]:
        """Items matching ``query``: exact Chinese substrings (title before text), or pinyin initials."""
        query = query.strip()
        if not query:
            return self.items(listset_id) if listset_id else []
        lowered = query.lower()
        entries = list(self._unique(listset_id))
        if lowered.isascii() and lowered.isalpha() and len(lowered) >= 2:
            hits = self._by_initials(lowered, entries)
            if hits:
                return hits
        titled = [Hit(s, lst, item, "title") for s, lst, item, _, _ in entries if query in item.title]
        texts = [Hit(s, lst, item, "text") for s, lst, item, text, _ in entries
                 if query not in item.title and (query in text or lowered in text.lower())]
        return titled + texts

    def _by_initials(self, letters: str, entries: list) -> list[Hit]:
        hits: list[Hit] = []
        placed: set[str] = set()
        for word in self.words_for(letters):
            for where in ("title", "text"):
                for s, lst, item, text, _ in entries:
                    if item.id not in placed and word in (item.title if where == "title" else text):
                        placed.add(item.id)
                        hits.append(Hit(s, lst, item, where))
        # Initials that run across word boundaries of a title, and Latin text: last.
        for s, lst, item, text, pinyin in entries:
            if item.id not in placed and (letters in pinyin or letters in text.lower()):
                placed.add(item.id)
                hits.append(Hit(s, lst, item, "pinyin"))
        return hits
