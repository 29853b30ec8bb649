"""The classifier's vocabulary: what ``data/classifier/synonyms.toml`` holds.

Synonym rules (village words -> list words), generic words, intent cues and
the evidence a negative-list verdict needs. Reading it checks every table, so
a broken file fails ``catalog check`` with its name instead of crashing a
classification later.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

# Kinds a cue may scale or name (the classifier's decided kinds).
CUE_KINDS = ("autonomy", "assistance", "negative", "certificate_allowed", "certificate_forbidden", "unlisted")


@dataclass
class Cue:
    """Words that show what the village is asked to do; ``scale`` multiplies the scores of kinds."""

    name: str
    when: list[str]
    scale: dict[str, float]
    kind: str = ""  # the task's kind when no list item fits it ("" = unlisted)


@dataclass
class Evidence:
    """What a task must say before a negative-list item may decide it.

    ``titles``: the negative items it applies to (an item whose title contains
    one of them; empty with ``any``: every negative item). ``patterns``: regular
    expressions for the acts the item forbids (demolish, collect taxes, inspect
    a firm's boilers...), never a topic word alone.
    """

    name: str
    titles: list[str]
    patterns: list[re.Pattern]
    any: bool = False

    def applies_to(self, title: str) -> bool:
        return self.any or any(t in title for t in self.titles)

    def found(self, text: str, words: "Words | None" = None) -> list[str]:
        """The pieces of the text the patterns found (empty: no evidence).

        With ``words``, a piece that cuts a word ("道保洁" of "河道保洁") is no evidence.
        """
        out: list[str] = []
        inside = words.inside(text) if words else set()
        for pattern in self.patterns:
            pos = 0
            while (m := pattern.search(text, pos)) is not None:
                if not words or not words.cuts(text, m.start(), m.end(), inside):
                    if m.group(0) not in out:
                        out.append(m.group(0))
                    break
                pos = m.start() + 1
        return out


class Words:
    """The vocabulary's words, to cut a task into words (Chinese has no spaces).

    A task is cut into the fewest known words (unknown characters stay single);
    a character pair or a matched piece that straddles the edge of a known word
    ("人居" of "老年人居家", "道保洁" of "河道保洁") is no shared word.
    """

    def __init__(self, words: set[str]) -> None:
        self.words = {w for w in words if len(w) >= 2}
        self.longest = max((len(w) for w in self.words), default=1)

    def cut(self, text: str) -> list[str]:
        """The fewest pieces: known words, other characters one by one."""
        n = len(text)
        best: list[tuple[int, int]] = [(0, 0)] + [(n + 1, 0)] * n  # (pieces, start of last piece)
        for j in range(1, n + 1):
            for i in range(max(0, j - self.longest), j):
                if (j - i == 1 or text[i:j] in self.words) and best[i][0] + 1 < best[j][0]:
                    best[j] = (best[i][0] + 1, i)
        out, j = [], n
        while j > 0:
            i = best[j][1]
            out.append(text[i:j])
            j = i
        return out[::-1]

    def edges(self, text: str) -> tuple[set[int], set[int]]:
        """(positions strictly inside a known word, edges of a known word) of the text."""
        inside: set[int] = set()
        edges: set[int] = set()
        pos = 0
        for piece in self.cut(text):
            if len(piece) > 1:
                inside.update(range(pos + 1, pos + len(piece)))
                edges.update((pos, pos + len(piece)))
            pos += len(piece)
        return inside, edges

    def inside(self, text: str) -> set[int]:
        return self.edges(text)[0]

    def cuts(self, text: str, start: int, end: int, inside: set[int] | None = None) -> bool:
        """Whether text[start:end] begins or ends inside a word (and is no word itself)."""
        inside = self.inside(text) if inside is None else inside
        return (start in inside or end in inside) and text[start:end] not in self.words


@dataclass
class Synonyms:
    rules: list[tuple[list[str], str]] = field(default_factory=list)  # village words -> list words
    generic: list[str] = field(default_factory=list)  # words too common to decide a match
    cues: list[Cue] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    assist_acts: list[re.Pattern] = field(default_factory=list)  # notice, dissuade, report, deliver...
    not_evidence: list[re.Pattern] = field(default_factory=list)  # departments' and papers' names
    words: Words = field(default_factory=lambda: Words(set()))  # every term above, and [words]

    def evidence_for(self, title: str) -> list[Evidence]:
        return [e for e in self.evidence if e.applies_to(title)]


def _words(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise ValueError(f"{where}: 'when'/'patterns' should be a list of non-empty strings")
    return list(value)


def _patterns(value: object, where: str) -> list[re.Pattern]:
    out = []
    for text in _words(value, where):
        try:
            out.append(re.compile(text))
        except re.error as exc:
            raise ValueError(f"{where}: bad pattern {text!r} ({exc})") from None
    return out


def load_synonyms(path: Path) -> Synonyms:
    """Read the vocabulary; a missing file is an empty vocabulary, a broken one a ValueError."""
    if not path.exists():
        return Synonyms()
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    rules = []
    for n, rule in enumerate(data.get("rule", []), 1):
        if not isinstance(rule, dict) or not isinstance(rule.get("add"), str):
            raise ValueError(f"rule #{n}: needs 'when' and 'add'")
        rules.append((_words(rule.get("when"), f"rule #{n}"), rule["add"]))
    generic = data.get("generic", {})
    generic_words = _words(generic.get("words", []), "generic") if isinstance(generic, dict) else []
    cues = []
    for n, cue in enumerate(data.get("cue", []), 1):
        name = str(cue.get("name", f"#{n}"))
        scale = {str(k): float(v) for k, v in cue.get("scale", {}).items()}
        unknown = set(scale) - set(CUE_KINDS)
        if unknown:
            raise ValueError(f"cue {name!r} scales unknown kinds {sorted(unknown)}")
        if scale.get("negative", 1.0) < 1.0:
            # A negative-list task must never come out as allowed: no cue may hide one.
            raise ValueError(f"cue {name!r} scales negative down")
        kind = str(cue.get("kind", ""))
        if kind and kind not in CUE_KINDS:
            raise ValueError(f"cue {name!r} has unknown kind {kind!r}")
        cues.append(Cue(name, _words(cue.get("when"), f"cue {name!r}"), scale, kind))
    evidence = []
    for n, ev in enumerate(data.get("evidence", []), 1):
        name = str(ev.get("name", f"#{n}"))
        titles = _words(ev.get("titles", []), f"evidence {name!r}") if ev.get("titles") else []
        if not titles and not ev.get("any"):
            raise ValueError(f"evidence {name!r} needs 'titles' or 'any = true'")
        evidence.append(Evidence(name, titles, _patterns(ev.get("patterns"), f"evidence {name!r}"), bool(ev.get("any"))))
    acts = data.get("acts", {})
    acts = acts if isinstance(acts, dict) else {}
    assist = _patterns(acts["assistance"], "acts.assistance") if acts.get("assistance") else []
    ignore = _patterns(acts["not_evidence"], "acts.not_evidence") if acts.get("not_evidence") else []
    # Every term of the vocabulary is a word; [words] adds everyday words that only cut a task right.
    extra = data.get("words", {})
    terms = set(_words(extra.get("words", []), "words")) if isinstance(extra, dict) else set()
    terms |= set(generic_words) | {w for cue in cues for w in cue.when}
    for when, add in rules:
        terms |= set(when) | set(add.split())
    terms = {t for t in terms if re.fullmatch(r"[\u4e00-\u9fff]+", t)}
    return Synonyms(rules, generic_words, cues, evidence, assist, ignore, Words(terms))
