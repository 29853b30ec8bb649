"""Which list a task belongs to, for a task described in a village's own words.

Matching. The task and every list item are cut into character pairs (Chinese
has no spaces; pairs are the classic cheap unit). Each pair is weighted by how
rare it is among the list passages (IDF); pairs of generic words (村民, 组织,
公司 ...) and pairs holding a function character (的, 了, 把 ...) count for
little, so a match cannot rest on them. Village words are first expanded with
the list's words (``data/classifier/synonyms.toml``, ``[[rule]]``); the added
words count less in the task's weight, as they restate words already there.
A task's pairs found in no list item count in its weight too, so a task mostly
about things no list mentions scores low.

Items are cut into short passages: each clause of the content and of every
refined sub-task, with the item's short title in front (a certificate: its
name alone, and its name with its text). A passage's score is the share of the
task's weight it covers, times (mildly) the share of the passage it covers,
times a BM25 length factor, so a short clause that covers the task beats a long
sub-task that happens to share many words. An item's score is that of its best
passage.

Intent cues (``[[cue]]`` in the same file): words that say what the village is
asked to do, whatever the topic (enforce, fine, demolish, inspect and conclude;
notice, dissuade, report; sell for a company, canvass votes, fill in a
department's own survey; act on its own initiative). A cue multiplies the
scores of the kinds it names, and may name the kind of a task no item fits.

Rules on top of the scores:
- a task asking for a certificate (证明) is matched against the certificate
  lists only; a task asking the village to sign an opinion or stamp a form
  (签意见, 盖章) against all lists; other tasks never against them;
- the must-not-issue list states its own exceptions ("（…除外）"); that text is
  not matched, and a request naming an exception barely counts against that
  item, so the allowed list wins where its purpose fits; otherwise a
  must-not-issue match close to the best allowed one wins;
- a negative-list match close to the best match wins, with a lower floor than
  the rest: a task that is on the negative list must never come out as
  allowed, and in doubt the answer is negative;
- below a floor, the task is unlisted (needs an approval document or a
  purchase contract), unless a cue names its kind.
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
# What an inspector does with each kind; stable codes for the JSON output.
VERDICTS = {
    "autonomy": "own_work",  # part of the village's own work
    "assistance": "allowed_with_support",  # department brings guidance and funds
    "negative": "forbidden",  # forbidden in any form
    "certificate_allowed": "may_issue",
    "certificate_forbidden": "must_not_issue",
    "unlisted": "needs_approval_or_contract",  # approval document or purchase contract
}
CERTIFICATE_LISTS = ("certificate_allowed", "certificate_forbidden")

FLOOR = 0.16  # below this best score the task is unlisted
NEGATIVE_FLOOR = 0.1  # ... but a negative match counts from here: when in doubt, negative
NEGATIVE_MARGIN = 0.7  # a negative match at >= 70% of the best score wins
SMOOTH = 2.0  # added to the task's weight: a few shared pairs are not a match
GENERIC_WEIGHT = 0.2  # weight factor of generic pairs and function-character pairs
BM25_K1, BM25_B = 1.2, 0.5  # length normalisation of passages (b=0: none)
EXCEPTION_COVER = 0.6  # a task covering this share of an exception phrase invokes it
EXCEPTION_FACTOR = 0.3  # ... and the item's score is multiplied by this
UNKNOWN_WEIGHT = 0.2  # share of the top IDF given to a task pair found in no list item
PASSAGE_COVER = 0.2  # exponent of the share of the passage covered (0: task coverage only)
EXPANSION_WEIGHT = 0.5  # weight, in the task's total, of pairs added by synonym rules
CERTIFICATE_MARGIN = 0.7  # a must-not-issue match at >= this share of an allowed one wins

# Asking for a certificate: matched against the certificate lists only.
CERTIFICATE_WORDS = re.compile(r"证明|开具.{0,6}证|出具")
# Asking for a signed opinion or a stamp: a certificate may fit, so those lists compete too.
OPINION_WORDS = re.compile(r"签.{0,2}意见|出.{0,2}意见|书面意见|书面同意|签字盖章|盖章")
# The must-not-issue list's own exceptions, e.g. "（婚姻登记档案丢失、收养情况除外）".
EXCEPTION = re.compile(r"[（(]([^（）()]*?)除外[）)]")
# Characters that are grammar, not topic: a pair containing one says little.
FUNCTION_CHARS = set("的了们把让要给我你他她它这那在是就还再都也啥咋喊说得着吗呢吧")

# A short parenthesised alternative inside a word: "村（居）民", "乡（镇）", "村（社区）".
ALTERNATIVE = re.compile(r"（[^（）]{1,3}）")

_CJK = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")
_CLAUSE = re.compile(r"[；;。！？]|[①②③④⑤⑥⑦⑧⑨⑩]")
SHORT_TITLE = 20  # a title this short is a heading, put in front of each clause


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
    score: float  # relative: higher is closer; the kind is decided on these (FLOOR, margins)
    matched: list[str] = field(default_factory=list)


@dataclass
class Classification:
    text: str
    kind: str
    verdict: str  # a message key: verdict.<kind>
    listset: str
    matches: list[Match]

    @property
    def verdict_code(self) -> str:
        return VERDICTS[self.kind]

    def to_json(self, verdict_text: str = "") -> dict:
        """The stable JSON form (documented in the README)."""
        return {
            "text": self.text,
            "kind": self.kind,
            "verdict": self.verdict_code,
            "verdict_text": verdict_text,
            "listset": self.listset,
            "matches": [asdict(m) for m in self.matches],
        }


@dataclass
class Cue:
    """Words that show what the village is asked to do; ``scale`` multiplies the scores of kinds."""

    name: str
    when: list[str]
    scale: dict[str, float]
    kind: str = ""  # the task's kind when no list item fits it ("" = unlisted)


@dataclass
class Synonyms:
    """What ``data/classifier/synonyms.toml`` holds."""

    rules: list[tuple[list[str], str]] = field(default_factory=list)  # village words -> list words
    generic: list[str] = field(default_factory=list)  # words too common to decide a match
    cues: list[Cue] = field(default_factory=list)


@dataclass
class _Passage:
    item: ListItem
    text: str
    pairs: set[str]
    norm: float  # BM25 length factor
    weight: float = 1.0  # total weight of its pairs


def load_synonyms(path: Path) -> Synonyms:
    if not path.exists():
        return Synonyms()
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    rules = [(list(rule["when"]), str(rule["add"])) for rule in data.get("rule", [])]
    generic = [str(w) for w in data.get("generic", {}).get("words", [])]
    cues = []
    for cue in data.get("cue", []):
        scale = {str(k): float(v) for k, v in cue.get("scale", {}).items()}
        name = cue.get("name", "?")
        unknown = set(scale) - set(KINDS)
        if unknown:
            raise ValueError(f"{path}: cue {name!r} scales unknown kinds {sorted(unknown)}")
        if scale.get("negative", 1.0) < 1.0:
            # A negative-list task must never come out as allowed: no cue may hide one.
            raise ValueError(f"{path}: cue {name!r} scales negative down")
        kind = str(cue.get("kind", ""))
        if kind and kind not in KINDS:
            raise ValueError(f"{path}: cue {name!r} has unknown kind {kind!r}")
        cues.append(Cue(str(cue.get("name", "")), [str(w) for w in cue["when"]], scale, kind))
    return Synonyms(rules, generic, cues)


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE.split(text) if len(c.strip()) >= 2]


class Classifier:
    """Built once per list set (a few ms); ``classify`` is then cheap."""

    def __init__(self, listset: ListSet, synonyms: Synonyms | list[tuple[list[str], str]] | None = None):
        self.listset = listset
        if not isinstance(synonyms, Synonyms):  # the old form: a list of (when, add) rules
            synonyms = Synonyms(rules=list(synonyms or []))
        self.synonyms = synonyms
        self.passages: list[_Passage] = []
        self.exceptions: dict[str, list[set[str]]] = {}  # item id -> pairs of each exception phrase
        self._list_of = {item.id: lst for lst in listset.lists for item in lst.items}
        texts_of: list[tuple[ListItem, str]] = []
        for item in listset.items():
            if item.kind not in KIND_OF_LIST:
                continue
            for text in self._passage_texts(item):
                texts_of.append((item, text))
        lengths = [len(pairs(t)) for _, t in texts_of]
        avg = sum(lengths) / len(lengths) if lengths else 1.0
        for (item, text), length in zip(texts_of, lengths):
            norm = (BM25_K1 + 1) / (1 + BM25_K1 * (1 - BM25_B + BM25_B * length / avg))
            self.passages.append(_Passage(item, text, set(pairs(text)), norm))
        df: Counter[str] = Counter()
        for p in self.passages:
            df.update(p.pairs)
        n = len(self.passages) or 1
        generic = {pr for word in synonyms.generic for pr in pairs(word)}
        self.weight = {}
        for pair, count in df.items():
            w = math.log(1 + n / count)
            if pair in generic or any(ch in FUNCTION_CHARS for ch in pair):
                w *= GENERIC_WEIGHT
            self.weight[pair] = w
        self.top_weight = max(self.weight.values(), default=1.0)
        for p in self.passages:
            p.weight = sum(self.weight[pr] for pr in p.pairs) or 1.0
        self.index: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(self.passages):
            for pair in p.pairs:
                self.index[pair].append(i)

    def _passage_texts(self, item: ListItem) -> list[str]:
        # "村（居）民委员会", "乡（镇）": drop the short alternative so the words stay whole.
        content = ALTERNATIVE.sub("", item.content)
        title = ALTERNATIVE.sub("", item.title)
        subtasks = [ALTERNATIVE.sub("", t) for t in item.subtasks]
        if item.kind == "certificate_forbidden":
            # The exceptions say when the item does NOT apply: keep them apart.
            # "收养情况" means "for an adoption": the trailing 情况 says nothing.
            found = [p for m in EXCEPTION.finditer(content) for p in re.split(r"[、，,]", m.group(1))]
            phrases = [re.sub(r"情况$", "", p.strip()) for p in found]
            phrases = [p for p in phrases if p]
            self.exceptions[item.id] = [set(pairs(p)) for p in phrases]
            content = EXCEPTION.sub("", content)
        if item.kind in CERTIFICATE_LISTS:
            # A certificate's name says most; match it alone, and whole with its text,
            # the unit that asks for it and how it is given ("农村土地发包人签署意见").
            return [title, f"{title}。{content}。{item.department}。{item.remarks}"]
        head = title if content and len(title) <= SHORT_TITLE else ""
        body = [content] if content else [title]
        texts = [f"{title}。{content}" if content else title]
        for part in body + subtasks:
            for clause in _clauses(part):
                texts.append(f"{head}。{clause}" if head else clause)
        return texts

    def expand(self, text: str) -> str:
        extra = [add for words, add in self.synonyms.rules if any(w in text for w in words)]
        return text + (" " + " ".join(extra) if extra else "")

    def cues(self, text: str) -> list[Cue]:
        return [cue for cue in self.synonyms.cues if any(w in text for w in cue.when)]

    def classify(self, text: str, top: int = 3) -> Classification:
        text = text.strip()
        query = self.expand(text)
        allpairs = set(pairs(query))
        qpairs = {p for p in allpairs if p in self.weight}
        unknown = [p for p in allpairs - qpairs if not any(ch in FUNCTION_CHARS for ch in p)]
        own = set(pairs(text))
        total = (
            sum(self.weight[p] * (1.0 if p in own else EXPANSION_WEIGHT) for p in qpairs)
            + SMOOTH
            + len(unknown) * UNKNOWN_WEIGHT * self.top_weight
        )
        wants_certificate = bool(CERTIFICATE_WORDS.search(text))
        may_be_certificate = wants_certificate or bool(OPINION_WORDS.search(text))
        scale: dict[str, float] = defaultdict(lambda: 1.0)
        cues = self.cues(text)
        for cue in cues:
            for kind, factor in cue.scale.items():
                scale[kind] *= factor
        hits: dict[int, set[str]] = defaultdict(set)
        for pair in qpairs:
            for i in self.index[pair]:
                hits[i].add(pair)
        best: dict[str, tuple[float, _Passage]] = {}
        for i in sorted(hits):  # in list order, so that ties are stable
            passage = self.passages[i]
            is_cert = passage.item.kind in CERTIFICATE_LISTS
            if (is_cert and not may_be_certificate) or (wants_certificate and not is_cert):
                continue
            got = sum(self.weight[p] for p in hits[i])
            score = got / total * (got / passage.weight) ** PASSAGE_COVER * passage.norm
            score *= scale[KIND_OF_LIST[passage.item.kind]]
            if self._excepted(passage.item, qpairs):
                score *= EXCEPTION_FACTOR
            if passage.item.id not in best or score > best[passage.item.id][0]:
                best[passage.item.id] = (score, passage)
        ranked = sorted(best.values(), key=lambda b: -b[0])
        matches = [self._match(score, passage, query) for score, passage in ranked[:top]]
        kind = self._decide(ranked, wants_certificate, cues)
        neg = _first(ranked, "negative")
        if kind == "negative" and neg and matches[0].list_kind != "negative":
            # Show the negative item that decided it first.
            matches = [self._match(*neg, query)] + [m for m in matches if m.item != neg[1].item.id][: top - 1]
        return Classification(text, kind, f"verdict.{kind}", self.listset.id, matches)

    def _excepted(self, item: ListItem, qpairs: set[str]) -> bool:
        """Does the task name one of the item's own exceptions ("…除外")?"""
        for phrase in self.exceptions.get(item.id, []):
            weight = sum(self.weight.get(p, 0.0) for p in phrase)
            if weight and sum(self.weight.get(p, 0.0) for p in phrase & qpairs) >= EXCEPTION_COVER * weight:
                return True
        return False

    def _decide(self, ranked: list[tuple[float, _Passage]], wants_certificate: bool, cues: list[Cue]) -> str:
        top_score, top_passage = ranked[0] if ranked else (0.0, None)
        if wants_certificate:
            # A certificate request not on the allowed list is not to be issued by default,
            # and a must-not-issue match close to an allowed one wins (a request naming
            # the item's own exception has already taken it out of the running).
            if top_passage is None or top_score < FLOOR:
                return "certificate_forbidden"
            forbidden = _first(ranked, "certificate_forbidden")
            if forbidden and forbidden[0] >= CERTIFICATE_MARGIN * top_score:
                return "certificate_forbidden"
            return KIND_OF_LIST[top_passage.item.kind]
        negative = _first(ranked, "negative")
        if negative and negative[0] >= NEGATIVE_FLOOR and negative[0] >= NEGATIVE_MARGIN * top_score:
            return "negative"
        if top_passage is None or top_score < FLOOR:
            # No item fits: what the task asks the village to do decides, else unlisted.
            return next((cue.kind for cue in cues if cue.kind), "unlisted")
        return KIND_OF_LIST[top_passage.item.kind]

    def _match(self, score: float, passage: _Passage, query: str) -> Match:
        item = passage.item
        return Match(
            listset=self.listset.id,
            list=self._list_of[item.id].id,
            list_kind=item.kind,
            item=item.id,
            number=item.number,
            title=item.title,
            score=round(score, 3),
            matched=matched_words(query, passage.text),
        )


def _first(ranked: list[tuple[float, _Passage]], list_kind: str) -> tuple[float, _Passage] | None:
    """The best-ranked match on a list of this kind."""
    return next((b for b in ranked if b[1].item.kind == list_kind), None)


def matched_words(text: str, passage: str) -> list[str]:
    """The longest pieces of the text (two characters or more) found in the passage, once each.

    Given the expanded task, the task's own words come first, then the list words
    its synonyms brought in.
    """
    words: list[str] = []
    i = 0
    while i < len(text):
        best = 0
        for j in range(len(text), i + 1, -1):
            if text[i:j] in passage and _CJK.fullmatch(text[i:j]):
                best = j - i
                break
        if best >= 2:
            if text[i : i + best] not in words:
                words.append(text[i : i + best])
            i += best
        else:
            i += 1
    return words
