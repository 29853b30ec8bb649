"""Which list a task belongs to, for a task described in a village's own words.

The task and every list item are cut into character pairs (Chinese has no
spaces; pairs are the classic cheap unit), weighted by how rare each pair is
among the items (IDF). An item's score is how much of the task's weight its
best passage covers: the title with its content, one refined sub-task, or one
clause of a negative-list category. Village words are first expanded with the
list's words (``data/classifier/synonyms.toml``).

Rules on top of the scores:
- a task asking for a certificate (证明) is matched against the certificate
  lists only, and a task that does not is never matched against them;
- a negative-list match close to the best match wins: a task that is on the
  negative list must never come out as allowed;
- below a floor, the task is unlisted (needs an approval document or a
  purchase contract).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .model import ListItem, ListSet

# The kind the classifier answers, from the kind of the list an item is on.
KIND_OF_LIST = {
    "autonomy": "autonomy",
    "power": "autonomy",  # Jinji's village-level decisions: the village's own work
    "service": "autonomy",  # Jinji's services the village handles for residents
    "assistance": "assistance",
    "negative": "negative",
    "certificate_allowed": "certificate_allowed",
    "certificate_forbidden": "certificate_forbidden",
}
KINDS = ("autonomy", "assistance", "negative", "certificate_allowed", "certificate_forbidden", "unlisted")
CERTIFICATE_LISTS = ("certificate_allowed", "certificate_forbidden")

FLOOR = 0.16  # below this best score the task is unlisted
NEGATIVE_MARGIN = 0.7  # a negative match at >= 70% of the best score wins
CERTIFICATE_WORDS = re.compile(r"证明|开具.{0,6}证|出具")
_CJK = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")
_CLAUSE = re.compile(r"[；;。]")


def pairs(text: str) -> list[str]:
    """Character pairs of each run of Chinese text, and whole Latin words."""
    out: list[str] = []
    for run in _CJK.findall(text):
        if run.isascii():
            out.append(run.lower())
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


@dataclass
class Match:
    listset: str
    list: str
    list_kind: str
    item: str
    number: str
    title: str
    score: float
    matched: list[str] = field(default_factory=list)


@dataclass
class Classification:
    text: str
    kind: str
    verdict: str  # a message key: verdict.<kind>
    listset: str
    matches: list[Match]

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "kind": self.kind,
            "verdict": self.verdict,
            "listset": self.listset,
            "matches": [asdict(m) for m in self.matches],
        }


@dataclass
class _Passage:
    item: ListItem
    text: str
    pairs: set[str]


def load_synonyms(path: Path) -> list[tuple[list[str], str]]:
    if not path.exists():
        return []
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    return [(list(rule["when"]), str(rule["add"])) for rule in data.get("rule", [])]


class Classifier:
    """Built once per list set (a few ms); ``classify`` is then cheap."""

    def __init__(self, listset: ListSet, synonyms: list[tuple[list[str], str]] | None = None):
        self.listset = listset
        self.synonyms = synonyms or []
        self.passages: list[_Passage] = []
        for item in listset.items():
            if item.kind not in KIND_OF_LIST:
                continue
            texts = [f"{item.title}。{item.content}"]
            texts += item.subtasks
            if item.kind == "negative":
                texts += [c for c in _CLAUSE.split(item.content) if c.strip()]
            for text in texts:
                self.passages.append(_Passage(item, text, set(pairs(text))))
        df: Counter[str] = Counter()
        for p in self.passages:
            df.update(p.pairs)
        n = len(self.passages) or 1
        self.idf = {pair: math.log(1 + n / count) for pair, count in df.items()}
        self.index: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(self.passages):
            for pair in p.pairs:
                self.index[pair].append(i)

    def expand(self, text: str) -> str:
        extra = [add for words, add in self.synonyms if any(w in text for w in words)]
        return text + (" " + " ".join(extra) if extra else "")

    def classify(self, text: str, top: int = 3) -> Classification:
        text = text.strip()
        query = self.expand(text)
        qpairs = set(pairs(query))
        known = [p for p in qpairs if p in self.idf]
        total = sum(self.idf[p] for p in known) + 2.0  # +2: a few common pairs are not a match
        wants_certificate = bool(CERTIFICATE_WORDS.search(text))
        best: dict[str, tuple[float, _Passage, set[str]]] = {}
        hits: dict[int, set[str]] = defaultdict(set)
        for pair in known:
            for i in self.index[pair]:
                hits[i].add(pair)
        for i, matched in hits.items():
            passage = self.passages[i]
            is_cert = passage.item.kind in CERTIFICATE_LISTS
            if is_cert != wants_certificate:
                continue
            score = sum(self.idf[p] for p in matched) / total
            current = best.get(passage.item.id)
            if current is None or score > current[0]:
                best[passage.item.id] = (score, passage, matched)
        ranked = sorted(best.values(), key=lambda b: -b[0])
        matches = [self._match(score, passage, matched, text) for score, passage, matched in ranked[:top]]
        kind = self._decide(ranked, wants_certificate)
        if kind in ("negative",) and matches and matches[0].list_kind != "negative":
            # Show the negative item that decided it first.
            neg = next(b for b in ranked if b[1].item.kind == "negative")
            matches = [self._match(*neg, text)] + [m for m in matches if m.item != neg[1].item.id][: top - 1]
        return Classification(text, kind, f"verdict.{kind}", self.listset.id, matches)

    def _decide(self, ranked: list, wants_certificate: bool) -> str:
        if not ranked:
            return "unlisted"
        top_score, top_passage, _ = ranked[0]
        if wants_certificate:
            # A certificate request not on the allowed list is not to be issued by default.
            return KIND_OF_LIST[top_passage.item.kind] if top_score >= FLOOR else "certificate_forbidden"
        negative = next((b for b in ranked if b[1].item.kind == "negative"), None)
        if negative and negative[0] >= FLOOR and negative[0] >= NEGATIVE_MARGIN * top_score:
            return "negative"
        if top_score < FLOOR:
            return "unlisted"
        return KIND_OF_LIST[top_passage.item.kind]

    def _match(self, score: float, passage: _Passage, matched: set[str], text: str) -> Match:
        item = passage.item
        lst = next(lst for lst in self.listset.lists if any(i is item for i in lst.items))
        return Match(
            listset=self.listset.id,
            list=lst.id,
            list_kind=item.kind,
            item=item.id,
            number=item.number,
            title=item.title,
            score=round(score, 3),
            matched=matched_words(text, passage.text),
        )


def matched_words(text: str, passage: str) -> list[str]:
    """The longest pieces of the task's own words (two characters or more) found in the passage."""
    words: list[str] = []
    i = 0
    while i < len(text):
        best = 0
        for j in range(len(text), i + 1, -1):
            if text[i:j] in passage and _CJK.fullmatch(text[i:j]):
                best = j - i
                break
        if best >= 2:
            words.append(text[i : i + best])
            i += best
        else:
            i += 1
    return words
