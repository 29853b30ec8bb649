"""The task classifier, measured on labelled tasks written the way villages talk.

The development part (tests/data/classifier_cases.toml) is what the vocabulary
was tuned on; the held-out part (bench/data/tasks_holdout.tsv) is never tuned
on and is only reported by ``python -m bench.classifier_eval``.
"""

from __future__ import annotations

import json

import pytest

from bench.classifier_eval import (
    classifiers,
    false_violations,
    forbidden_missed,
    load_dev,
    load_holdout,
    negatives_missed,
    run,
)
from inspector.catalog.classifier import KINDS, Classifier, load_synonyms
from inspector.catalog.loader import DEFAULT_ROOT
from inspector.cli import main

DEV = load_dev()


@pytest.fixture(scope="module")
def classifier(catalog):
    return Classifier(catalog.default, load_synonyms(DEFAULT_ROOT / "classifier" / "synonyms.toml"))


@pytest.fixture(scope="module")
def dev_outcomes(catalog):
    outcomes, _ = run(classifiers(catalog), DEV)
    return outcomes


def test_labelled_set_is_large_and_covers_every_kind_and_set(catalog):
    holdout = load_holdout()
    assert len(DEV) + len(holdout) >= 400
    for part in (DEV, holdout):
        assert {c.kind for c in part} >= set(KINDS) | {"certificate_unlisted", "certificate_no_list"}
        assert {c.set for c in part} == set(catalog.listsets)
    # The parts are disjoint: a held-out task is not a development task.
    assert not {(c.set, c.text) for c in DEV} & {(c.set, c.text) for c in holdout}


def test_top1_kind_accuracy_is_at_least_85_percent(dev_outcomes):
    right = sum(o.right for o in dev_outcomes)
    assert right / len(dev_outcomes) >= 0.85, f"{right}/{len(dev_outcomes)}"


def test_no_negative_list_task_comes_out_as_allowed(dev_outcomes):
    assert [o.case.text for o in negatives_missed(dev_outcomes)] == []
    assert [o.case.text for o in forbidden_missed(dev_outcomes)] == []


def test_no_false_violation(dev_outcomes):
    """A task not on the negative list is never called negative (uncertain is not a violation)."""
    assert [(o.case.text, o.kind) for o in false_violations(dev_outcomes)] == []


def test_negative_outranks_assistance_for_a_disguised_task(classifier):
    result = classifier.classify("镇上让我们协助拆违，找挖机把违章的房子拆了")
    assert result.kind == "negative"
    assert result.matches[0].list_kind == "negative"
    assert result.matches[0].item == "cq2019.negative.02"
    assert "挖机" in result.evidence


def test_matches_carry_list_item_score_and_words(classifier):
    result = classifier.classify("民政办要我们帮着核实低保户家里的收入情况")
    assert result.kind == "assistance"
    top = result.matches[0]
    assert (top.listset, top.list, top.item) == ("chongqing", "cq2019.assistance", "cq2019.assistance.01")
    assert top.score > 0 and top.matched


def test_certificates(classifier):
    assert classifier.classify("派出所让村里给村民开无犯罪记录证明").kind == "certificate_forbidden"


def test_cli_json_is_stable(capsys):
    assert main(["classify", "城管让村里去街上管占道经营的摊贩", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"text", "kind", "verdict", "verdict_text", "listset", "matches",
                         "confidence", "uncertain", "candidates", "reason", "evidence", "exception"}
    assert data["kind"] == "negative" and data["verdict"] == "forbidden" and data["uncertain"] is False
    assert set(data["matches"][0]) == {"listset", "list", "list_kind", "item", "number", "title", "score",
                                       "matched", "kind", "evidence"}
    assert data["evidence"] and 0 < data["confidence"] <= 1
