"""The message catalog: every string the user sees, in zh-CN and en.

Messages live in ``locales/zh.toml`` and ``locales/en.toml`` as nested
tables, plus one file per feature (``locales/zh.deadlines.toml``, ...); a
key is the dotted path (``main.title``) and no two files may define the same
key. Placeholders use
``str.format`` names. Chinese is the default language. An English message
that depends on a count is a table of its plural forms (``one``, ``other``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
_FOLDER = Path(__file__).parent / "locales"
_current = DEFAULT
_missing: set[str] | None = None  # keys asked for and not found, while a test watches (watch_missing)


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, full + "."))
        else:
            out[full] = str(value)
    return out


@cache
def messages(lang: str) -> dict[str, str]:
    import tomllib  # here: a process that shows no text (a rebuild worker) need not load it (4 ms)

    merged: dict[str, str] = {}
    for path in [_FOLDER / f"{lang}.toml", *sorted(_FOLDER.glob(f"{lang}.*.toml"))]:
        with open(path, "rb") as fh:
            table = _flatten(tomllib.load(fh))
        clash = set(table) & set(merged)
        if clash:
            raise ValueError(f"{path.name}: keys defined twice: {sorted(clash)}")
        merged.update(table)
    return merged


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(lang)
    _current = lang


def language() -> str:
    return _current


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The message ``key`` in the current language, formatted with ``params``.

    A missing key shows as the key itself (and a test keeps both catalogs
    complete), so a gap is visible rather than fatal.
    """
    table = messages(lang or _current)
    text = table.get(key)
    if text is None:
        text = table.get(f"{key}.{plural_form(params)}")  # a message with plural forms
    if text is None:
        if _missing is not None:
            _missing.add(key)
        return key
    return text.format(**params) if params else text


def watch_missing() -> set[str]:
    """From now on, note every key asked for and not found (the tests: a key shown as it is, is a defect)."""
    global _missing
    _missing = set()
    return _missing


def has(key: str) -> bool:
    table = messages(_current)
    return key in table or f"{key}.other" in table


PLURAL_FORMS = ("one", "other")


def plural_form(params: dict) -> str:
    """English plurals: a message may be a table {one = "...", other = "..."} chosen by its count
    (``n`` or ``count``); Chinese needs none and keeps one string."""
    count = params.get("n", params.get("count"))
    return "one" if count == 1 else "other"


def base_key(key: str) -> str:
    """The key a plural form belongs to: "count.villages.one" -> "count.villages"."""
    head, _, last = key.rpartition(".")
    return head if last in PLURAL_FORMS else key
