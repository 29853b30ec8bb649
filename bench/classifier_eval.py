"""Evaluate the task classifier on the labelled tasks, development and held-out parts side by side.

    .venv/bin/python -m bench.classifier_eval [--part dev|holdout|both] [-v]

The labelled tasks are written the way village secretaries describe their
work, for every list set and every kind:

- development part: ``tests/data/classifier_cases.toml`` (the vocabulary and
  thresholds are tuned on it; the test suite holds it to zero negatives
  missed and zero false violations);
- held-out part: ``bench/data/tasks_holdout.tsv``, written before any tuning
  and never tuned on.

For each part it prints per-kind precision and recall, the confusion matrix,
negatives missed (a negative-list task given an allowed kind), false
violations (a task not on the negative list called negative; a certificate
not on the must-not-issue list called must-not-issue), how many came out
"uncertain" (the inspector decides: neither a miss nor a false violation),
item top-1 where the label names an item, and ms per task. With -v, every
wrong answer of the development part.
"""

from __future__ import annotations

import argparse
import time
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from inspector.catalog.classifier import RESULT_KINDS, Classifier, load_synonyms
from inspector.catalog.loader import DEFAULT_ROOT, load_catalog

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "classifier_cases.toml"
HOLDOUT = ROOT / "bench" / "data" / "tasks_holdout.tsv"
# A label names what the inspector should conclude; these answers say the same.
SAME = {"certificate_exception": "certificate_allowed"}
NOT_NEGATIVE = ("autonomy", "assistance", "unlisted", "certificate_allowed", "certificate_exception",
                "certificate_unlisted", "certificate_no_list")


@dataclass
class Case:
    set: str
    kind: str
    item: str
    text: str


@dataclass
class Outcome:
    case: Case
    kind: str  # the classifier's kind, SAME applied
    item: str  # the basis item ("" for none)

    @property
    def right(self) -> bool:
        return self.kind == self.case.kind


def load_dev(path: Path = DEV) -> list[Case]:
    cases = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
    return [Case(c.get("set", "chongqing"), c["kind"], c.get("item", ""), c["text"]) for c in cases]


def load_holdout(path: Path = HOLDOUT) -> list[Case]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            s, kind, item, text = line.split("\t")
            out.append(Case(s, kind, "" if item == "-" else item, text))
    return out


def classifiers(catalog=None) -> dict[str, Classifier]:
    catalog = catalog or load_catalog(strict=False)[0]
    synonyms = load_synonyms(catalog.root / "classifier" / "synonyms.toml")
    return {sid: Classifier(s, synonyms) for sid, s in catalog.listsets.items()}


def run(clfs: dict[str, Classifier], cases: list[Case]) -> tuple[list[Outcome], float]:
    start = time.perf_counter()
    out = []
    for case in cases:
        r = clfs[case.set].classify(case.text)
        out.append(Outcome(case, SAME.get(r.kind, r.kind), r.basis.item if r.basis else ""))
    return out, (time.perf_counter() - start) / max(1, len(cases)) * 1000


def negatives_missed(outcomes: list[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.case.kind == "negative" and o.kind in NOT_NEGATIVE]


def false_violations(outcomes: list[Outcome]) -> list[Outcome]:
    """A task not on the negative list called negative; a certificate not forbidden called forbidden."""
    return [o for o in outcomes if (o.kind == "negative" and o.case.kind != "negative")
            or (o.kind == "certificate_forbidden" and o.case.kind != "certificate_forbidden")]


def forbidden_missed(outcomes: list[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.case.kind == "certificate_forbidden" and o.kind in NOT_NEGATIVE]


def summary(outcomes: list[Outcome], ms: float) -> dict[str, str]:
    n = len(outcomes)
    right = sum(o.right for o in outcomes)
    uncertain = sum(o.kind == "uncertain" for o in outcomes)
    decided = [o for o in outcomes if o.kind != "uncertain"]
    with_item = [o for o in decided if o.case.item and o.right]
    item_ok = sum(o.item == o.case.item for o in with_item)
    return {
        "tasks": str(n),
        "kind right": f"{right}/{n} = {right / n:.1%}",
        "kind right when decided": f"{sum(o.right for o in decided)}/{len(decided)} = {sum(o.right for o in decided) / max(1, len(decided)):.1%}",
        "uncertain (inspector decides)": f"{uncertain} = {uncertain / n:.1%}",
        "negatives missed": str(len(negatives_missed(outcomes))),
        "false violations": str(len(false_violations(outcomes))),
        "must-not-issue missed": str(len(forbidden_missed(outcomes))),
        "item top-1 (right kind, item labelled)": f"{item_ok}/{len(with_item)}",
        "ms per task": f"{ms:.2f}",
    }


def per_kind(outcomes: list[Outcome]) -> list[str]:
    labels = sorted({o.case.kind for o in outcomes} | {o.kind for o in outcomes}, key=_order)
    lines = [f"  {'kind':24} {'precision':>16} {'recall':>16}"]
    for kind in labels:
        said = [o for o in outcomes if o.kind == kind]
        truth = [o for o in outcomes if o.case.kind == kind]
        p = sum(o.right for o in said)
        r = sum(o.right for o in truth)
        pt = f"{p}/{len(said)} {p / len(said):.0%}" if said else "-"
        rt = f"{r}/{len(truth)} {r / len(truth):.0%}" if truth else "-"
        lines.append(f"  {kind:24} {pt:>16} {rt:>16}")
    return lines


def confusion(outcomes: list[Outcome]) -> list[str]:
    truth = sorted({o.case.kind for o in outcomes}, key=_order)
    said = sorted({o.kind for o in outcomes}, key=_order)
    counts = Counter((o.case.kind, o.kind) for o in outcomes)
    short = {k: k.replace("certificate_", "cert_")[:10] for k in said}
    lines = ["  " + f"{'label / answer':24}" + "".join(f"{short[k]:>11}" for k in said)]
    for t in truth:
        lines.append(f"  {t:24}" + "".join(f"{counts[(t, k)] or '.':>11}" for k in said))
    return lines


def _order(kind: str) -> int:
    return RESULT_KINDS.index(kind) if kind in RESULT_KINDS else len(RESULT_KINDS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("dev", "holdout", "both"), default="both")
    parser.add_argument("-v", action="store_true", help="list the development part's wrong answers")
    args = parser.parse_args(argv)
    clfs = classifiers()
    parts = {"dev": load_dev(), "holdout": load_holdout()}
    names = ["dev", "holdout"] if args.part == "both" else [args.part]
    results = {name: run(clfs, parts[name]) for name in names}
    rows = {name: summary(*results[name]) for name in names}
    titles = {"dev": "development", "holdout": "held-out"}
    print(f"{'':40}" + "".join(f"{titles[n]:>24}" for n in names))
    for key in rows[names[0]]:
        print(f"{key:40}" + "".join(f"{rows[n][key]:>24}" for n in names))
    for name in names:
        outcomes = results[name][0]
        print(f"\n{titles[name]} part, per kind:")
        print("\n".join(per_kind(outcomes)))
        print("confusion (rows: label, columns: answer):")
        print("\n".join(confusion(outcomes)))
        bad = negatives_missed(outcomes) + false_violations(outcomes)
        for o in bad:
            print(f"  !! {o.case.set} {o.case.kind} -> {o.kind}: {o.case.text}")
    if args.v and "dev" in results:
        print("\ndevelopment part, wrong answers:")
        for o in results["dev"][0]:
            if not o.right:
                print(f"  {o.case.set:20} {o.case.kind:22} -> {o.kind:22} {o.case.text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
