"""The message catalogs are complete, and the core never imports Textual or Rich."""

from __future__ import annotations

import re
from pathlib import Path

from inspector import i18n

PACKAGE = Path(__file__).resolve().parents[1] / "inspector"


def test_both_catalogs_have_the_same_keys():
    # An English message with plural forms ("x.one", "x.other") stands for the one Chinese "x".
    zh, en = {i18n.base_key(k) for k in i18n.messages("zh")}, {i18n.base_key(k) for k in i18n.messages("en")}
    assert sorted(zh - en) == []
    assert sorted(en - zh) == []


def test_placeholders_match_between_languages():
    zh, en = i18n.messages("zh"), i18n.messages("en")
    field = re.compile(r"{(\w+)}")
    for key in zh:
        forms = [en[key]] if key in en else [en[f"{key}.{form}"] for form in i18n.PLURAL_FORMS]
        for text in forms:
            assert set(field.findall(zh[key])) == set(field.findall(text)), key


def test_english_plurals_follow_the_count():
    assert i18n.t("count.villages", "en", n=1) == "1 village"
    assert i18n.t("count.villages", "en", n=3) == "3 villages"
    assert i18n.t("count.villages", "zh", n=1) == "1 个村（社区）"


def test_every_literal_key_used_in_code_exists():
    used: set[str] = set()
    pattern = re.compile(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z_0-9]+)+)["']""")
    binding = re.compile(r"""Binding\([^)]*?["'](action\.[a-z_]+)["']""")
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(pattern.findall(text)) | set(binding.findall(text))
    assert used, "no keys found: the pattern is wrong"
    missing = sorted(k for k in used if k not in i18n.messages("zh"))
    assert missing == []


def test_translation_changes_with_language():
    assert i18n.t("action.help", lang="zh") == "帮助"
    assert i18n.t("action.help", lang="en") == "Help"
