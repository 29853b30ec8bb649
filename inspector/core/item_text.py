"""How check items and list items are named on screen and in findings.

Users never see an internal key (``apps.01``, ``cq2019.negative.04``): a
check item is shown as its number in the walk ("2.1", theme 2, item 1) and its
question; a list item as its list, number and title. The checklists' own text
sometimes refers to another item by key ("以 ledgers.01 的登记为准"); such
references are rewritten when shown, the data stays as it is.

Also here: the words of a finding prefilled from a failed item (a title that
states the problem, a measure that fits the item), because they are made from
the item's own question.
"""

from __future__ import annotations

import re

from ..catalog.model import Catalog, CheckItem, Checklist
from ..i18n import t
from .records import Answer, Observation
from .textwidth import clip

# A checklist item key (ledgers.01) or a list item key (cq2019.negative.04, jj.certificates_allowed.03).
_REF = re.compile(r"( ?)(?<![\w.])([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*\.\d{2})(?![\w])( ?)")
SHORT_QUESTION = 18  # display cells of a question quoted inside a sentence


def numbering(checklist: Checklist) -> dict[str, str]:
    """Item id -> "theme.item" number as the walk and the report show it ("2.3")."""
    out: dict[str, str] = {}
    for ti, items in enumerate(checklist.by_theme().values(), 1):
        for ii, item in enumerate(items, 1):
            out[item.id] = f"{ti}.{ii}"
    return out


def item_label(checklist: Checklist, item: CheckItem, lang: str, width: int | None = None) -> str:
    """ "2.1 村（社区）为部门…" : the number and the question (clipped to ``width`` cells)."""
    question = item.q(lang)
    return f"{numbering(checklist).get(item.id, '')} {clip(question, width) if width else question}".strip()


def list_item_label(catalog: Catalog, item_id: str, lang: str, listset: str = "") -> str:
    """ "负面清单第 4 项 城市管理类"; the id itself only when the catalog does not know it."""
    own = catalog.listsets.get(listset) if listset else None
    li = (own.item(item_id) if own else None) or catalog.item(item_id)
    if li is None:
        return item_id
    kind = f"report.list_kind.{li.kind}"
    return t("report.ledger.basis_item", lang=lang, list=t(kind, lang=lang), number=li.number, title=li.title)


def basis_text(item: CheckItem, lang: str) -> str:
    """The basis an item cites: the clause it quotes, preceded for county practice by a
    note in the interface language (no document of the set states such a rule)."""
    quoted = item.basis_text.strip()
    if item.basis_kind != "practice":
        return quoted
    note = t("catalog_basis_kind.practice_note", lang=lang)
    return f"{note}\n{quoted}" if quoted else note


def render_refs(text: str, checklist: Checklist, catalog: Catalog, lang: str) -> str:
    """Replace item keys inside a text by what a user can read (number and title)."""
    numbers = numbering(checklist)

    def one(match: re.Match) -> str:
        before, key, after = match.groups()
        if lang == "zh":
            before = after = ""  # "以 ledgers.01 的" was spaced for the key, not for Chinese words
        item = checklist.item(key)
        if item is not None:
            return before + t("walk.ref_item", lang=lang, number=numbers[key], question=clip(item.q(lang), SHORT_QUESTION)) + after
        if catalog.item(key) is not None:
            return before + list_item_label(catalog, key, lang, checklist.listset) + after
        return match.group(0)

    return _REF.sub(one, text)


# ── a finding's words, made from the failed item ─────────────────────────────

# "是否" phrasings and what they become when the answer is the failing one.
_AFFIRM = (("是否还", "还"), ("是否仍", "仍"), ("是否又", "又"), ("是否", ""))  # "yes" is the failure
_DENY = (("是否都", "并非都"), ("是否全部", "并非全部"), ("是否已", "未"), ("是否知晓", "不知晓"), ("是否", "未"))


def _statement(question: str, fail_on: str) -> str:
    """A Chinese yes/no question turned into the statement of its failing answer."""
    text = question.strip().rstrip("？?")
    text = text.replace("能否", "能" if fail_on == "yes" else "不能", 1)
    for old, new in _AFFIRM if fail_on == "yes" else _DENY:
        if old in text:
            return text.replace(old, new, 1)
    return text


def problem_fact(item: CheckItem, answer: Answer | None, lang: str) -> str:
    """What was found, as an inspector writes it after "经查": the failing answer as a statement."""
    if answer is None:
        return ""
    if item.answer == "count" and answer.found is not None and answer.allowed is not None:
        subject = _count_subject(item.question) if lang == "zh" else item.q(lang).rstrip("?")
        return t("finding.prefill.fact_count", lang=lang, subject=subject, found=answer.found, allowed=answer.allowed)
    if item.answer == "yes_no" and lang == "zh" and answer.value == item.fail_on:
        return _statement(item.question, item.fail_on)
    return ""


def _count_subject(question: str) -> str:
    """ "村（社区）办公场所实际悬挂的牌子有多少块？…" -> "村（社区）办公场所实际悬挂的牌子"."""
    first = re.split(r"[？?]", question, maxsplit=1)[0]
    return re.split(r"(?:共有|共|有)多少", first, maxsplit=1)[0].rstrip("，, ")


def problem_title(item: CheckItem, answer: Answer | None, observation: Observation | None, list_kind: str | None,
                  lang: str) -> str:
    """A finding's title that states the problem, not the question asked."""
    if observation is not None:
        what = observation.what
        kind = observation.kind
        if kind == "task" and list_kind in ("negative", "unlisted"):
            kind = f"task_{list_kind}"
        key = f"finding.prefill.title.{kind}"
        return t(key, lang=lang, what=what) if key in _keys(lang) else what
    if item.answer == "count":
        found, allowed = (answer.found, answer.allowed) if answer else (None, None)
        subject = _count_subject(item.question) if lang == "zh" else item.q(lang).rstrip("?")
        return t("finding.prefill.title.count", lang=lang, subject=subject, found=found, allowed=allowed)
    if lang == "zh":
        return _statement(item.question, item.fail_on)
    value = t(f"inspection.result.{(answer.value if answer else None) or item.fail_on}", lang=lang)
    return t("finding.prefill.title.answered", lang=lang, answer=value, question=item.q(lang))


def measure(item: CheckItem, lang: str, list_kind: str | None = None) -> str:
    """Rectification measures that fit the item: stop what must not be done, do what must be.

    Negative-list work may never go to a village, not even bought as a service:
    its measure is only that the department takes it back (no admission or contract route).
    """
    if list_kind == "negative":
        key = f"finding.measure_negative.{item.theme}"
        return t(key if key in _keys(lang) else "finding.measure_negative.any", lang=lang)
    if item.answer == "yes_no" and item.fail_on == "no":
        requirement = _statement(item.question, "yes") if lang == "zh" else item.q(lang)
        return t("finding.measure_do", lang=lang, requirement=requirement)
    if item.answer == "yes_no" and item.fail_on == "yes":
        key = f"finding.measure_stop.{item.theme}"
        if key in _keys(lang):
            return t(key, lang=lang)
    return t(f"finding.measure.{item.theme}", lang=lang)


def _keys(lang: str) -> dict[str, str]:
    from ..i18n import messages

    return messages(lang)
