"""Catalog search: whole-word initials and exact substrings first (issue 9)."""

from __future__ import annotations

from inspector.catalog.search import CatalogSearch, aligned_initials


def _text(hit) -> str:
    item = hit.item
    return "\n".join([item.title, item.content, *item.subtasks, *item.basis, item.department, item.group])


def test_xf_lists_every_fire_item_before_any_other(catalog):
    """Seen: `xf` gave 15 hits including 宪法 and 宣传, and only 6 of the 17 消防 items."""
    search = CatalogSearch(catalog)
    hits = search.search("xf")
    fire = [h for h in hits if "消防" in _text(h)]
    expected = {i.id for s in catalog.listsets.values() for i in s.items() if "消防" in "\n".join(
        [i.title, i.content, *i.subtasks, *i.basis, i.department, i.group])}
    assert {h.item.id for h in fire} == expected and len(expected) >= 17
    assert hits[: len(fire)] == fire  # all of them first
    assert [h.where for h in fire][:1] == ["title"]
    assert not any("宣传" in h.item.title and "消防" not in _text(h) for h in hits[: len(fire)])


def test_initials_are_aligned_with_the_characters():
    assert aligned_initials("消防，宪法ab") == "xf#xf##"


def test_chinese_query_title_hits_before_text_hits(catalog):
    hits = CatalogSearch(catalog).search("居住证")
    wheres = [h.where for h in hits]
    assert wheres and wheres == sorted(wheres, key=lambda w: w != "title")
    assert all("居住证" in _text(h) for h in hits)
