"""The check of a village file has two ways through, and they must agree.

The common case is checked in C while the records are made (msgspec: a shape
type per table, the record types for inspections, findings and events); only
when that refuses do the rules of storage/shapes.py look at the file, naming
the first record and field that does not fit. So the fast way must never let
through what the rules refuse, and the records it makes must be exactly those
the ordinary mapping (storage/documents.py) makes from the same documents.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.storage import documents, shapes
from inspector.storage.store_errors import CorruptFile

ULID = "01FVVR72H0V7J80EJNDA7CFYG7"
# What a hand-edited or damaged file may hold in any field: right and wrong types,
# dates that are not days, ids that are almost ULIDs, nested records good and bad.
VALUES = [
    "x", "", "2022-02-14", "2022-02-30", "2022-02-14T09:00:00", "2022-2-14", ULID, ULID.lower(), ULID + "\n", ULID[:-1],
    "ILOU" + ULID[4:], None, 0, 3, -1, True, False, 1.5, 2**63, [], ["a"], [1], [None], {}, {"kind": "x"},
    [{"at": "a", "by": "b", "item": "i", "field": "f"}], [{"at": "a"}],
    [{"sha256": "0" * 64, "name": "a.jpg", "size": 3, "suffix": ".jpg"}], [{"sha256": "0" * 64, "size": 3.0}],
    "village", "community", "found", "report",
]
CHECKED = settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


FILE = [{"sha256": "0" * 64, "name": "a.jpg", "size": 3, "suffix": ".jpg", "by": "王", "at": "2022-02-14T10:00:00"}]
# A record of each table that fits, every field of its record given.
GOOD = {
    "inspections": {"id": ULID, "village": ULID, "date": "2022-02-14", "kind": "followup", "inspectors": ["陈静"],
                    "template": "chongqing", "template_version": "2026.2", "state": "completed", "created_at": "t",
                    "completed_at": "t", "completed_by": "陈静",
                    "amendments": [{"at": "a", "by": "b", "item": "i", "field": "f", "old": 1, "new": 2, "reason": "r"}]},
    "answers": {"inspection": ULID, "item": "signboards.01", "value": "no", "note": "", "at": "t"},
    "observations": {"id": ULID, "inspection": ULID, "item": "signboards.01", "what": "牌子"},
    "findings": {"id": ULID, "village": ULID, "inspection": ULID, "item": "x", "observation": None, "theme": "ledgers",
                 "title": "t", "description": "d", "basis": ["b"], "basis_text": "", "severity": "medium", "unit": "u",
                 "person": "p", "measure": "m", "created_at": "t", "changed_at": "t"},
    "events": {"id": ULID, "finding": ULID, "type": "found", "on": "2022-02-14", "at": "t", "by": "陈静", "device": "d",
               "counter": 1, "deadline": "2022-03-01", "unit": "u", "person": "p", "note": "n", "level": "",
               "verifier": "", "evidence": ["a.jpg"], "files": FILE},
    "villages": {"id": ULID, "name": "石桥村", "township": "城关镇", "kind": "village", "county": "", "contact": "",
                 "phone": "", "archived": False},
}


def _docs(table: str) -> st.SearchStrategy[dict]:
    """GOOD[table] with a few of its fields (or one more) taken out or changed to any of VALUES."""
    names = sorted({*GOOD[table], "note"})

    @st.composite
    def build(draw: st.DrawFn) -> dict:
        doc = dict(GOOD[table])
        for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
            if draw(st.booleans()):
                doc.pop(name, None)
            else:
                doc[name] = draw(st.sampled_from(VALUES))
        return doc

    return build()


def _rules_accept(table: str, spec: shapes.Spec, doc: dict) -> bool:
    try:
        shapes._check_one(Path("v.json"), table, "1", doc, shapes._compiled(spec), set())
    except CorruptFile:
        return False
    return True


def _fast_accepts(kind: object, doc: dict) -> list | None:
    try:
        return msgspec.convert([doc], kind)
    except msgspec.ValidationError:
        return None


SHAPED = [(t, s) for t, s in shapes.VILLAGE.items() if t not in shapes._STORED] + [("villages", shapes.REGISTRY["villages"])]


@pytest.mark.parametrize(("table", "spec"), SHAPED, ids=[t for t, _ in SHAPED])
@CHECKED
@given(data=st.data())
def test_a_shape_type_refuses_whatever_the_rules_refuse(table, spec, data):
    doc = data.draw(_docs(table))
    if _fast_accepts(shapes._shape_type(spec), doc) is not None:
        assert _rules_accept(table, spec, doc), doc


RECORDED = sorted(shapes._STORED)


@pytest.mark.parametrize("table", RECORDED)
@CHECKED
@given(data=st.data())
def test_a_record_made_while_checking_is_the_one_the_mapping_makes(table, data):
    kind, mapping = shapes._STORED[table]
    doc = data.draw(_docs(table))
    made = _fast_accepts(kind, doc)
    if made is None:
        return  # the rules decide (the other test, and the examples below)
    assert _rules_accept(table, shapes.VILLAGE[table], doc), doc
    assert msgspec.structs.asdict(made[0]) == msgspec.structs.asdict(mapping(doc))


@pytest.mark.parametrize("table", sorted(GOOD))
def test_a_record_that_fits_goes_the_fast_way(table):
    spec = shapes.REGISTRY["villages"] if table == "villages" else shapes.VILLAGE[table]
    kind = shapes._STORED[table][0] if table in shapes._STORED else shapes._shape_type(spec)
    assert _fast_accepts(kind, GOOD[table]) is not None
    assert _rules_accept(table, spec, GOOD[table])


def _village(**tables: dict) -> dict:
    fid, iid, eid = "01FVVY7AW0N1V5F9WMN0K69NXD", "01FVVQBKM0JG8QB90CSVJSP1AF", "01FVVR72H0V7J80EJNDA7CFYG8"
    base = {
        "meta": {"1": {"schema": 3, "kind": "village"}},
        "inspections": {"1": {"id": iid, "village": ULID, "date": "2022-02-14", "state": "completed"}},
        "findings": {"1": {"id": fid, "village": ULID, "inspection": iid, "title": "牌子"}},
        "events": {"1": {"id": eid, "finding": fid, "type": "found", "on": "2022-02-14", "at": "2022-02-14T09:00:00",
                         "by": "陈静", "device": "d", "counter": 1, "deadline": "2022-03-01", "unit": "镇综治办"}},
    }
    for table, changes in tables.items():
        base[table]["1"] = {**base[table]["1"], **changes}
    return base


@pytest.mark.parametrize(("table", "change", "field", "problem"), [
    ("events", {"counter": True}, "counter", "wrong_type"),
    ("events", {"on": "2022-02-30"}, "on", "bad_date"),
    ("events", {"device": None}, "device", "wrong_type"),
    ("inspections", {"date": 20220214}, "date", "wrong_type"),
    ("findings", {"id": ULID.lower()}, "id", "bad_id"),
], ids=["bool-counter", "no-such-day", "null-device", "number-date", "lower-case-id"])
def test_a_record_that_does_not_fit_is_named_with_its_field(table, change, field, problem):
    tables = _village(**{table: change})
    with pytest.raises(CorruptFile) as caught:
        shapes.check_village(Path("v.json"), tables)
    assert (caught.value.params["table"], caught.value.field, caught.value.params["problem"]) == (table, field, problem)


def test_a_missing_required_field_is_named():
    tables = _village()
    del tables["events"]["1"]["device"]
    with pytest.raises(CorruptFile) as caught:
        shapes.check_village(Path("v.json"), tables)
    assert (caught.value.params["table"], caught.value.field, caught.value.params["problem"]) == ("events", "device", "missing")


def test_what_only_the_rules_accept_is_read_the_ordinary_way():
    # A day written with its time: the rules read its first ten characters, msgspec wants the day alone.
    tables = _village(inspections={"date": "2022-02-14T09:00:00"}, events={"deadline": "2022-03-01T18:00:00"})
    checked = shapes.check_village(Path("v.json"), tables)
    assert checked.inspections == [documents.inspection(tables["inspections"]["1"])]
    (replayed,) = checked.replayed.values()
    assert replayed.status.deadline.isoformat() == "2022-03-01"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_refusal_of_a_record_reads_in_the_interface_language(lang):
    from inspector import i18n

    i18n.set_language(lang)
    problems = ["missing", "wrong_type:text", "wrong_type:number", "wrong_type:list", "wrong_type:table",
                "wrong_type:flag", "wrong_type:date", "bad_date", "bad_id", "bad_value", "duplicate", "bad_history"]
    for table in [*shapes.VILLAGE, *shapes.REGISTRY, "meta"]:
        for problem in problems:
            text = shapes._fail(Path("v.json"), table, "1", {"id": ULID}, "counter", problem).message()
            rest = text.replace("v.json", "").replace(ULID, "").replace("counter", "")
            assert "store." not in rest and "_" not in rest, text  # no message key shown as it is
            if lang == "zh":
                assert "记录记录" not in rest and not any(c.isascii() and c.isalpha() for c in rest), text
            else:
                assert not any("\u4e00" <= c <= "\u9fff" or c in "，。：“”（）" for c in rest), text
