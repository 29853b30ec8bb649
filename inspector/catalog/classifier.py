"""Which list a task belongs to, for a task described in a village's own words.

A classification that leads to a finding against a department must rest on
evidence an inspector can see; "uncertain, you decide" is better than a
violation from a weak match. So:

- the verdict carries a confidence, the basis (``matches``: the item it rests
  on first) and the words that decided it (``evidence``); below a threshold it
  is ``uncertain`` and the candidates are shown instead of a basis;
- a negative-list verdict needs the task to ask for an act the item forbids
  (demolish, collect taxes, inspect a firm's boilers...: ``[[evidence]]`` in
  ``data/classifier/synonyms.toml``), never a topic word alone; noticing,
  dissuading, reporting, publicising, registering are assistance;
- an ``unlisted`` verdict cites no item: the nearest items are shown apart,
  as ``candidates``;
- certificates: a set without certificate lists says "judge by law"; a
  certificate on neither list is "not listed: assess it and issue according
  to the facts"; a must-not-issue item's own exceptions ("（…除外）") make
  the case issuable.

Matching. The task and every list item are cut into character pairs (Chinese
has no spaces). Each pair is weighted by how rare it is among the list
passages (IDF); generic words and function characters count for little.
Village words are first expanded with the lists' words (``[[rule]]``). Items
are cut into short passages (each clause of the content and of every refined
sub-task, with a short title in front); a passage's score is the share of the
task's weight it covers, times (mildly) the share of the passage covered,
times a length factor; an item whose title the task names gets a bonus. An
item's score is its best passage's. Intent cues (``[[cue]]``) scale kinds.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

from .model import ListItem, ListSet
from .vocabulary import Cue, Synonyms, Words, load_synonyms

__all__ = ["Classifier", "Classification", "Match", "EmptyTask", "load_synonyms", "KINDS", "RESULT_KINDS", "VERDICTS"]

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
# The kinds an inspector may set by hand (override), and that a labelled task has.
KINDS = ("autonomy", "assistance", "negative", "certificate_allowed", "certificate_forbidden", "unlisted")
# Every kind a classification may carry: the above, and the answers that are no list item's.
RESULT_KINDS = KINDS + ("certificate_exception", "certificate_unlisted", "certificate_no_list", "uncertain")
# What an inspector does with each kind; stable codes for the JSON output.
VERDICTS = {
    "autonomy": "own_work",  # part of the village's own work
    "assistance": "allowed_with_support",  # department brings guidance and funds
    "negative": "forbidden",  # forbidden in any form
    "certificate_allowed": "may_issue",
    "certificate_forbidden": "must_not_issue",
    "unlisted": "needs_approval_or_contract",  # approval document or purchase contract
    "certificate_exception": "may_issue_by_exception",  # a must-not-issue item's own stated case
    "certificate_unlisted": "assess_and_issue_by_facts",  # on neither list (Yubei practice)
    "certificate_no_list": "judge_by_law",  # the set has no certificate list
    "uncertain": "inspector_decides",
}
VIOLATION_KINDS = ("negative", "certificate_forbidden")
CERTIFICATE_LISTS = ("certificate_allowed", "certificate_forbidden")

FLOOR = 0.15  # from this best score an item fits
UNLISTED_BELOW = 0.1  # below this no item fits: unlisted; between the two the inspector decides
NEGATIVE_FLOOR = 0.05  # a negative item with its evidence counts from here
SUSPECT = 0.3  # a negative item without evidence this strong (and best by far) makes the task uncertain
SUSPECT_LEAD = 1.3  # ... "by far": this many times the best other item
ACT_MARGIN = 1.0  # negative evidence and an assistance act: uncertain if the other item scores >= this share
UNCERTAIN_BELOW = 0.25  # confidence below this: uncertain
STRONG = 0.3  # a score this high is full strength for the confidence
TOPICAL_LOOK = 12  # how many of the best items are checked for a shared topic
SMOOTH = 2.0  # added to the task's weight: a few shared pairs are not a match
GENERIC_WEIGHT = 0.2  # weight factor of generic pairs and function-character pairs
BM25_K1, BM25_B = 1.2, 0.5  # length normalisation of passages
EXCEPTION_COVER = 0.6  # a task covering this share of an exception phrase invokes it
UNKNOWN_WEIGHT = 0.2  # share of the top IDF given to a task pair found in no list item
PASSAGE_COVER = 0.2  # exponent of the share of the passage covered
EXPANSION_WEIGHT = 0.5  # weight, in the task's total, of pairs added by synonym rules
TITLE_BONUS = 0.5  # an item's score grows by up to this share when the task names its title
NAME_COVER = 0.5  # a certificate is named when the task holds this share of its name's telling pairs
CERTIFICATE_MARGIN = 0.7  # a named must-not-issue item at >= this share of an allowed one wins

# Asking for a certificate, and not checking one ("查验婚育证明").
CERTIFICATE_WORDS = re.compile(r"证明|开具.{0,6}证|出具")
CHECKING_CERTIFICATE = re.compile(r"(查验|核验|审验|核对|收集|收取|查看|检查)[^，。；,]{0,12}证明")
# Pairs of certificate names that name no certificate in particular.
NAMELESS = {"证明", "状况", "情况", "居民", "人员", "申请", "办理", "证件"}
# Asking for a signed opinion or a stamp: a certificate may fit, so those lists compete too.
OPINION_WORDS = re.compile(r"签.{0,2}意见|出.{0,2}意见|书面意见|书面同意|签字盖章|盖章")
EXCEPTION = re.compile(r"[（(]([^（）()]*?)除外[）)]")
FUNCTION_CHARS = set("的了们把让要给我你他她它这那在是就还再都也啥咋喊说得着吗呢吧")
ALTERNATIVE = re.compile(r"（[^（）]{1,3}）")  # "村（居）民", "乡（镇）"
_CJK = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")
_CLAUSE = re.compile(r"[；;。！？]|[①②③④⑤⑥⑦⑧⑨⑩]")
LONG_CLAUSE = 30  # a clause this long is also cut at its commas
SHORT_TITLE = 20  # a title this short is a heading, put in front of each clause


class EmptyTask(ValueError):
    """A task with no text cannot be classified (it would come out "unlisted")."""


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


def word_pairs(text: str, words: Words) -> list[str]:
    """Character pairs, without those that straddle the edge of a known word ("人居" of "老年人居家")."""
    out: list[str] = []
    for m in _CJK.finditer(text):
        run = m.group(0)
        if run.isascii() or len(run) == 1:
            out += pairs(run)
            continue
        _, edges = words.edges(run)
        out.extend(run[i - 1 : i + 1] for i in range(1, len(run)) if i not in edges)
    return out


@dataclass
class Match:
    listset: str
    list: str
    list_kind: str
    item: str
    number: str
    title: str
    score: float  # relative: higher is closer; comparable within one classification only
    matched: list[str] = field(default_factory=list)  # words of the task found in the item
    kind: str = ""  # the task kind this item gives
    evidence: list[str] = field(default_factory=list)  # the act or name that makes it decisive


@dataclass
class Classification:
    text: str
    kind: str  # one of RESULT_KINDS
    verdict: str  # a message key: verdict.<kind>
    listset: str
    matches: list[Match]  # the basis first; empty when the verdict rests on no item
    confidence: float = 1.0  # 0..1; below UNCERTAIN_BELOW the kind is "uncertain"
    candidates: list[Match] = field(default_factory=list)  # not a basis: what to choose from / nearest items
    reason: str = ""  # why, as a code: classify_reason.<code> in the message catalog
    evidence: list[str] = field(default_factory=list)  # the task's words that decided the verdict
    exception: str = ""  # the must-not-issue item's stated exception the task names

    @property
    def verdict_code(self) -> str:
        return VERDICTS[self.kind]

    @property
    def uncertain(self) -> bool:
        return self.kind == "uncertain"

    @property
    def basis(self) -> Match | None:
        """The list item the verdict rests on (None for unlisted, uncertain...)."""
        return self.matches[0] if self.matches else None

    @property
    def is_violation(self) -> bool:
        return self.kind in VIOLATION_KINDS

    def to_json(self, verdict_text: str = "") -> dict:
        """The stable JSON form (documented in /work/notes/classifier_api.md and the README)."""
        return {
            "text": self.text,
            "kind": self.kind,
            "verdict": self.verdict_code,
            "verdict_text": verdict_text,
            "listset": self.listset,
            "matches": [asdict(m) for m in self.matches],
            "confidence": self.confidence,
            "uncertain": self.uncertain,
            "candidates": [asdict(m) for m in self.candidates],
            "reason": self.reason,
            "evidence": self.evidence,
            "exception": self.exception,
        }


@dataclass
class _Passage:
    item: ListItem
    text: str
    pairs: set[str]
    norm: float  # BM25 length factor
    weight: float = 1.0  # total weight of its pairs


Ranked = list[tuple[float, _Passage]]


def _clauses(text: str) -> list[str]:
    out = []
    for clause in (c.strip() for c in _CLAUSE.split(text)):
        if len(clause) >= 2:
            out.append(clause)
        if len(clause) > LONG_CLAUSE:
            # "应当发展文化教育，普及科技知识，开展…活动": each duty is a passage too.
            out += [c.strip() for c in clause.split("，") if len(c.strip()) >= 4]
    return out


def set_lists(listset: ListSet) -> list:
    """The lists a set classifies against (its own and those of the sets it includes)."""
    return list(listset.lists)


def certificate_names(item: ListItem) -> list[str]:
    """The names a certificate goes by: "婚姻状况证明（婚姻关系证明、分居证明）" -> 婚姻状况, 婚姻关系, 分居."""
    names = []
    for part in re.split(r"[（）()、，,]", item.title):
        part = re.sub(r"证明$", "", part.strip())
        part = re.sub(r"^(居民|用于)", "", part)
        if len(part) >= 2:
            names.append(part)
    return names


def exception_phrases(item: ListItem) -> list[str]:
    """A must-not-issue item's stated exceptions, shortened to what a task would name."""
    found = list(getattr(item, "exceptions", []) or [])
    found += [p for m in EXCEPTION.finditer(item.content) for p in re.split(r"[、，,]", m.group(1))]
    out = []
    for phrase in found:
        for piece in re.split(r"[、，,]", phrase.replace("除外", "")):
            piece = re.sub(r"(办理)?情况$", "", piece.strip())
            if piece and piece not in out and "国家另有规定" not in piece:
                out.append(piece)
    return out


class Classifier:
    """Built once per list set (a few ms); ``classify`` is then cheap."""

    def __init__(self, listset: ListSet, synonyms: Synonyms | list[tuple[list[str], str]] | None = None):
        self.listset = listset
        if not isinstance(synonyms, Synonyms):  # the old form: a list of (when, add) rules
            synonyms = Synonyms(rules=list(synonyms or []))
        self.synonyms = synonyms
        lists = set_lists(listset)
        self._list_of = {item.id: lst for lst in lists for item in lst.items}
        self.has_certificate_lists = any(lst.kind in CERTIFICATE_LISTS for lst in lists)
        self.passages: list[_Passage] = []
        texts_of: list[tuple[ListItem, str]] = []
        seen: set[str] = set()
        for lst in lists:
            for item in lst.items:
                if item.kind in KIND_OF_LIST and item.id not in seen:
                    seen.add(item.id)
                    texts_of.extend((item, text) for text in self._passage_texts(item))
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
        # Pairs that say nothing of a task's topic: generic words and the assistance acts (宣传, 报告).
        act_words = [w for p in synonyms.assist_acts for w in re.findall(r"[\u4e00-\u9fff]+", p.pattern)]
        self.topicless = generic | {pr for word in act_words for pr in pairs(word)}
        self.weight: dict[str, float] = {}
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
        self.titles: dict[str, set[str]] = {}  # item id -> its title's telling pairs
        self.names: dict[str, list[str]] = {}  # certificate item id -> its names
        self.exceptions: dict[str, list[str]] = {}
        for item, _ in texts_of:
            if item.id in self.titles:
                continue
            title = ALTERNATIVE.sub("", item.title)
            self.titles[item.id] = {p for p in pairs(title) if self.weight.get(p, 0) > GENERIC_WEIGHT * self.top_weight}
            if item.kind in CERTIFICATE_LISTS:
                self.names[item.id] = certificate_names(item)
            if item.kind == "certificate_forbidden":
                self.exceptions[item.id] = exception_phrases(item)

    def _passage_texts(self, item: ListItem) -> list[str]:
        content = EXCEPTION.sub("", ALTERNATIVE.sub("", item.content))  # exceptions are matched apart
        title = ALTERNATIVE.sub("", item.title)
        subtasks = [ALTERNATIVE.sub("", t) for t in item.subtasks]
        if item.kind in CERTIFICATE_LISTS:
            # A certificate's name says most; match it alone, and whole with its text,
            # the unit that asks for it and how it is given.
            extra = getattr(item, "proof_method", "") or item.remarks
            return [title, f"{title}。{content}。{item.department}。{extra}"]
        head = title if content and len(title) <= SHORT_TITLE else ""
        body = [content] if content else [title]
        texts = [f"{title}。{content}" if content else title]
        for part in body + subtasks:
            for clause in _clauses(part):
                texts.append(f"{head}。{clause}" if head else clause)
        return texts

    # ------------------------------------------------------------ matching

    def expand(self, text: str) -> str:
        extra = [add for words, add in self.synonyms.rules if any(w in text for w in words)]
        return text + (" " + " ".join(extra) if extra else "")

    def cues(self, text: str) -> list[Cue]:
        return [cue for cue in self.synonyms.cues if any(w in text for w in cue.when)]

    def _rank(self, text: str, query: str, *, certificates: bool, others: bool) -> Ranked:
        # The task's weight counts every pair; only pairs within words may be shared.
        allpairs = set(pairs(query))
        every = {p for p in allpairs if p in self.weight}
        unknown = [p for p in allpairs - every if not any(ch in FUNCTION_CHARS for ch in p)]
        qpairs = every & set(word_pairs(query, self.synonyms.words))
        own = set(pairs(text))
        total = (
            sum(self.weight[p] * (1.0 if p in own else EXPANSION_WEIGHT) for p in every)
            + SMOOTH
            + len(unknown) * UNKNOWN_WEIGHT * self.top_weight
        )
        scale: dict[str, float] = defaultdict(lambda: 1.0)
        for cue in self.cues(text):
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
            if (is_cert and not certificates) or (not is_cert and not others):
                continue
            got = sum(self.weight[p] * (1.0 if p in own else EXPANSION_WEIGHT) for p in hits[i])
            score = got / total * (got / passage.weight) ** PASSAGE_COVER * passage.norm
            score *= scale[KIND_OF_LIST[passage.item.kind]]
            title = self.titles.get(passage.item.id)
            if title:
                # Naming an item's own title ("居住证", "民主评议") says more than sharing its clauses.
                score *= 1 + TITLE_BONUS * sum(self.weight[p] for p in title & own) / sum(self.weight[p] for p in title)
            if passage.item.id not in best or score > best[passage.item.id][0]:
                best[passage.item.id] = (score, passage)
        return sorted(best.values(), key=lambda b: -b[0])

    def _match(self, score: float, passage: _Passage, query: str, evidence: list[str] | None = None) -> Match:
        item = passage.item
        return Match(
            listset=self.listset.id,
            list=self._list_of[item.id].id,
            list_kind=item.kind,
            item=item.id,
            number=item.number,
            title=item.title,
            score=round(score, 3),
            matched=matched_words(query, passage.text, self.synonyms.words),
            kind=KIND_OF_LIST[item.kind],
            evidence=evidence or [],
        )

    def _topical(self, query: str, passage: _Passage, also: set[str] = frozenset()) -> bool:
        return any(set(pairs(w)) - self.topicless - also for w in matched_words(query, passage.text, self.synonyms.words))

    def negative_evidence(self, item: ListItem, text: str) -> list[str]:
        """The acts in the task that this negative item forbids (empty: only a topic is shared)."""
        found: list[str] = []
        for pattern in self.synonyms.not_evidence:
            text = pattern.sub("　", text)
        for ev in self.synonyms.evidence_for(item.title):
            found += [w for w in ev.found(text, self.synonyms.words) if w not in found]
        return found

    def assistance_acts(self, text: str) -> list[str]:
        return [m.group(0) for p in self.synonyms.assist_acts if (m := p.search(text))]

    # ------------------------------------------------------------ deciding

    def classify(self, text: str, top: int = 3) -> Classification:
        text = text.strip()
        if not text:
            raise EmptyTask("empty task")
        query = self.expand(text)
        if CERTIFICATE_WORDS.search(text) and not CHECKING_CERTIFICATE.search(text):
            return self._certificate(text, query, top)
        opinion = bool(OPINION_WORDS.search(text))
        ranked = self._rank(text, query, certificates=opinion, others=True)
        return self._task(text, query, ranked, top)

    def _result(self, text: str, kind: str, matches: list[Match], **kw) -> Classification:
        return Classification(text, kind, f"verdict.{kind}", self.listset.id, matches, **kw)

    def _task(self, text: str, query: str, ranked: Ranked, top: int) -> Classification:
        negatives = [(s, p) for s, p in ranked if p.item.kind == "negative"]
        nearest = [(s, p) for s, p in ranked if p.item.kind != "negative"]
        # An item fits only if it shares a topic with the task, not just "宣传" and a department's name.
        others = [(s, p) for s, p in nearest[:TOPICAL_LOOK] if self._topical(query, p)]
        best_other = others[0][0] if others else 0.0
        for score, passage in negatives:
            evidence = self.negative_evidence(passage.item, text)
            if not evidence or score < NEGATIVE_FLOOR:
                continue
            basis = self._match(score, passage, query, evidence)
            acts = self.assistance_acts(text)
            if others and others[0][1].item.kind in CERTIFICATE_LISTS and others[0][0] >= ACT_MARGIN * score:
                # "出个书面同意" for rebuilding an old house: the village is asked for an opinion, not to demolish.
                s, p = others[0]
                return self._result(text, KIND_OF_LIST[p.item.kind], [self._match(s, p, query)],
                                    confidence=_confidence(s, score), reason="certificate_listed")
            if acts and best_other >= ACT_MARGIN * score:
                # "劝阻并报告" beside "拆": which act is asked is the inspector's call.
                cands = [basis, self._match(*others[0], query)]
                return self._result(text, "uncertain", [], confidence=0.5, candidates=cands,
                                    reason="acts_conflict", evidence=evidence + acts)
            rest = [self._match(s, p, query) for s, p in ranked if p.item.id != passage.item.id][: top - 1]
            return self._result(text, "negative", [basis] + rest, confidence=_confidence(score, best_other),
                                reason="negative_act", evidence=evidence)
        cues = self.cues(text)
        cue_kind = next((cue.kind for cue in cues if cue.kind and cue.kind != "negative"), "")
        if negatives and negatives[0][0] >= SUSPECT and negatives[0][0] >= SUSPECT_LEAD * best_other and not cue_kind:
            # The task reads like negative-list work but names no act the item forbids.
            cands = [self._match(*negatives[0], query)] + [self._match(s, p, query) for s, p in others[: top - 1]]
            return self._result(text, "uncertain", [], confidence=0.3, candidates=cands, reason="negative_without_act")
        if not others or best_other < FLOOR:
            # No item fits: what the task asks the village to do decides, else unlisted.
            near = [self._match(s, p, query) for s, p in (others or nearest)[:top] if self._topical(query, p)]
            if best_other >= UNLISTED_BELOW and not cue_kind:
                return self._result(text, "uncertain", [], confidence=0.3, candidates=near, reason="weak_match")
            kind = cue_kind or "unlisted"
            confidence = round(1 - 0.5 * min(best_other, FLOOR) / FLOOR, 2)
            said = [w for cue in cues if cue.kind == cue_kind for w in cue.when if w in text] if cue_kind else []
            return self._result(text, kind, [], confidence=confidence, candidates=near,
                                reason="cue_kind" if cue_kind else "no_item_fits", evidence=said)
        score, passage = others[0]
        kind = KIND_OF_LIST[passage.item.kind]
        second = next((s for s, p in others if KIND_OF_LIST[p.item.kind] != kind), 0.0)
        confidence = _confidence(score, second)
        if confidence < UNCERTAIN_BELOW:
            per_kind: dict[str, tuple[float, _Passage]] = {}
            for s, p in others:
                per_kind.setdefault(KIND_OF_LIST[p.item.kind], (s, p))
            cands = [self._match(s, p, query) for s, p in list(per_kind.values())[:top]]
            return self._result(text, "uncertain", [], confidence=confidence, candidates=cands, reason="close_kinds")
        matches = [self._match(s, p, query) for s, p in others[:top]]
        return self._result(text, kind, matches, confidence=confidence, reason="item_fits")

    def _named(self, item_id: str, query: str, qpairs: set[str]) -> list[str]:
        """The words of a certificate's name the task uses ("健在", "收入", "无犯罪记录")."""
        out = []
        for name in self.names.get(item_id, []):
            if name in query:
                out.append(name)
                continue
            telling = {p for p in pairs(name) if p not in NAMELESS and p in self.weight}
            if telling and len(telling & qpairs) >= NAME_COVER * len(telling):
                out += [w for w in matched_words(query, name, self.synonyms.words) if set(pairs(w)) & telling and w not in out]
        return out

    def _exception(self, item_id: str, qpairs: set[str]) -> str:
        for phrase in self.exceptions.get(item_id, []):
            ppairs = set(pairs(phrase))
            weight = sum(self.weight.get(p, 1.0) for p in ppairs)
            if weight and sum(self.weight.get(p, 1.0) for p in ppairs & qpairs) >= EXCEPTION_COVER * weight:
                return phrase
        return ""

    def _certificate(self, text: str, query: str, top: int) -> Classification:
        if not self.has_certificate_lists:
            # Sichuan's draft: no list says which certificates a village may or may not issue.
            return self._result(text, "certificate_no_list", [], reason="no_certificate_list")
        ranked = self._rank(text, query, certificates=True, others=False)
        qpairs = set(pairs(query))
        named = [(s, p, self._named(p.item.id, query, qpairs)) for s, p in ranked]
        forbidden = next(((s, p, n) for s, p, n in named if p.item.kind == "certificate_forbidden" and n), None)
        allowed = next(((s, p) for s, p in ranked if p.item.kind == "certificate_allowed" and s >= FLOOR), None)
        if forbidden:
            score, passage, names = forbidden
            exception = self._exception(passage.item.id, qpairs)
            if exception and allowed:
                basis = self._match(*allowed, query)
                return self._result(text, "certificate_allowed", [basis, self._match(score, passage, query, names)],
                                    reason="certificate_exception", evidence=[exception], exception=exception)
            if exception:
                return self._result(text, "certificate_exception", [self._match(score, passage, query, names)],
                                    reason="certificate_exception", evidence=[exception], exception=exception)
            if not allowed or score >= CERTIFICATE_MARGIN * allowed[0]:
                rest = [self._match(s, p, query) for s, p in ranked if p.item.id != passage.item.id][: top - 1]
                return self._result(text, "certificate_forbidden", [self._match(score, passage, query, names)] + rest,
                                    confidence=_confidence(score, allowed[0] if allowed else 0.0),
                                    reason="certificate_named", evidence=names)
        if allowed:
            score, passage = allowed
            rest = [self._match(s, p, query) for s, p in ranked if p.item.id != passage.item.id][: top - 1]
            return self._result(text, "certificate_allowed", [self._match(score, passage, query)] + rest,
                                confidence=_confidence(score, forbidden[0] if forbidden else 0.0), reason="certificate_listed")
        nearest = [self._match(s, p, query) for s, p in ranked[:TOPICAL_LOOK] if self._topical(query, p, NAMELESS)][:top]
        if ranked and ranked[0][0] >= SUSPECT:
            return self._result(text, "uncertain", [], confidence=0.3, candidates=nearest, reason="certificate_unnamed")
        return self._result(text, "certificate_unlisted", [], candidates=nearest, reason="certificate_not_listed")


def _confidence(score: float, rival: float) -> float:
    """How sure: the score's strength times its lead over the best item of another kind."""
    strength = min(1.0, score / STRONG)
    lead = 1.0 - rival / score if score > 0 else 0.0
    return round(strength * (0.4 + 0.6 * max(0.0, lead)), 2)


def matched_words(text: str, passage: str, known: Words | None = None) -> list[str]:
    """The longest pieces of the text (two characters or more) found in the passage, once each.

    With ``known``, no piece begins or ends inside a word of the text ("道保洁" of "河道保洁").
    """
    words: list[str] = []
    inside = known.inside(text) if known else set()
    i = 0
    while i < len(text):
        best = 0
        for j in range(len(text), i + 1, -1):
            if text[i:j] in passage and _CJK.fullmatch(text[i:j]) and not (known and known.cuts(text, i, j, inside)):
                best = j - i
                break
        if best >= 2:
            if text[i : i + best] not in words:
                words.append(text[i : i + best])
            i += best
        else:
            i += 1
    return words
