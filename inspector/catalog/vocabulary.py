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

    def found(self, text: str) -> list[str]:
        """The pieces of the text the patterns found (empty: no evidence)."""
        out: list[str] = []
        for pattern in self.patterns:
            m = pattern.search(text)
            if m and m.group(0) not in out:
                out.append(m.group(0))
        return out


@dataclass
class Synonyms:
    rules: list[tuple[list[str], str]] = field(default_factory=list)  # village words -> list words
    generic: list[str] = field(default_factory=list)  # words too common to decide a match
    cues: list[Cue] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    assist_acts: list[re.Pattern] = field(default_factory=list)  # notice, dissuade, report, deliver...
    not_evidence: list[re.Pattern] = field(default_factory=list)  # departments' and papers' names

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
    return Synonyms(rules, generic_words, cues, evidence, assist, ignore)
