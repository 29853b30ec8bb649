"""Evaluate the task classifier on tests/data/classifier_cases.toml.

Prints kind accuracy (overall, and on odd- and even-numbered cases, 1-based, so
that tuning on one half can be checked on the other), item top-1, how many
negative-list tasks came out as allowed, and ms per task. With -v, each error.
"""

import collections
import sys
import time
import tomllib

from inspector.catalog.classifier import Classifier, load_synonyms
from inspector.catalog.loader import DEFAULT_ROOT, load_catalog

ALLOWED = ("autonomy", "assistance", "unlisted", "certificate_allowed")

cat, _ = load_catalog(strict=False)
c = Classifier(cat.default, load_synonyms(DEFAULT_ROOT / "classifier" / "synonyms.toml"))
cases = tomllib.load(open("tests/data/classifier_cases.toml", "rb"))["case"]
ok = 0
half = {"odd": [0, 0], "even": [0, 0]}
conf: collections.Counter = collections.Counter()
negallowed = itemok = items = 0
t0 = time.perf_counter()
for n, case in enumerate(cases, 1):
    r = c.classify(case["text"])
    right = r.kind == case["kind"]
    ok += right
    h = half["odd" if n % 2 else "even"]
    h[0] += right
    h[1] += 1
    if not right:
        conf[(case["kind"], r.kind)] += 1
        if "-v" in sys.argv:
            print(n, case["kind"], "->", r.kind, case["text"], [(m.item, m.score, m.matched) for m in r.matches[:2]])
    if case["kind"] == "negative" and r.kind in ALLOWED:
        negallowed += 1
    if case.get("item"):
        items += 1
        itemok += bool(r.matches) and r.matches[0].item == case["item"]
dt = (time.perf_counter() - t0) / len(cases) * 1000
print(
    f"kind acc {ok}/{len(cases)} = {ok / len(cases):.1%} "
    f"(odd {half['odd'][0]}/{half['odd'][1]} = {half['odd'][0] / half['odd'][1]:.1%}, "
    f"even {half['even'][0]}/{half['even'][1]} = {half['even'][0] / half['even'][1]:.1%}); "
    f"item top1 {itemok}/{items}; negative->allowed {negallowed}; {dt:.2f} ms/task"
)
print(conf.most_common())


def score(classifier: Classifier, labelled: list[tuple[str, str]]) -> tuple[int, int, float]:
    """(right, negative tasks allowed, ms per task) over (kind, text) pairs."""
    start = time.perf_counter()
    right = allowed = 0
    for kind, text in labelled:
        got = classifier.classify(text).kind
        right += got == kind
        allowed += kind == "negative" and got in ALLOWED
    return right, allowed, (time.perf_counter() - start) / len(labelled) * 1000


# A second set, written after the vocabulary was tuned (labels not reviewed by a
# second person): a fairer estimate of what a new village's wording gets.
holdout = [tuple(line.split("\t", 1)) for line in open("bench/data/classifier_holdout.tsv", encoding="utf-8").read().splitlines() if line.strip()]
labelled = [(case["kind"], case["text"]) for case in cases]
# Baseline, side by side: the same matcher without the village-word vocabulary.
bare = Classifier(cat.default, None)
print()
print(f"{'':28} {'labelled set':>22} {'held-out set':>22}")
for name, clf in (("with synonyms and cues", c), ("baseline: lists' words only", bare)):
    a, an, at = score(clf, labelled)
    b, bn, bt = score(clf, holdout)
    print(f"{name:28} {a / len(labelled):>8.1%} ({an} neg→allowed) {b / len(holdout):>8.1%} ({bn} neg→allowed)  {max(at, bt):.2f} ms/task")
