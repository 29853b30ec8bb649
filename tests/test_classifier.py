"""The task classifier, measured on a labelled set written the way villages talk."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from inspector.catalog.classifier import KINDS, Classifier, load_synonyms
from inspector.catalog.loader import DEFAULT_ROOT
from inspector.cli import main

CASES = tomllib.loads((Path(__file__).parent / "data" / "classifier_cases.toml").read_text(encoding="utf-8"))["case"]
ALLOWED = {"autonomy", "assistance", "unlisted", "certificate_allowed"}


@pytest.fixture(scope="module")
def classifier(catalog):
    return Classifier(catalog.default, load_synonyms(DEFAULT_ROOT / "classifier" / "synonyms.toml"))


def test_labelled_set_is_large_and_covers_every_kind():
    assert len(CASES) >= 80
    kinds = {c["kind"] for c in CASES}
    assert kinds == set(KINDS)


def test_top1_kind_accuracy_is_at_least_85_percent(classifier):
    right = sum(classifier.classify(c["text"]).kind == c["kind"] for c in CASES)
    assert right / len(CASES) >= 0.85, f"{right}/{len(CASES)}"


def test_no_negative_list_task_comes_out_as_allowed(classifier):
    wrong = [c["text"] for c in CASES if c["kind"] == "negative" and classifier.classify(c["text"]).kind in ALLOWED]
    assert wrong == []


def test_negative_outranks_assistance_for_a_disguised_task(classifier):
    result = classifier.classify("镇上让我们协助拆违，找挖机把违章的房子拆了")
    assert result.kind == "negative"
    assert result.matches[0].list_kind == "negative"
    assert result.matches[0].item == "cq2019.negative.02"


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
    assert set(data) == {"text", "kind", "verdict", "verdict_text", "listset", "matches"}
    assert data["kind"] == "negative" and data["verdict"] == "forbidden"
    assert set(data["matches"][0]) == {"listset", "list", "list_kind", "item", "number", "title", "score", "matched"}
