"""Names of villages and townships: one normal form, one identity, one set of rules.

Used by `village add/edit`, the CSV import and the settings, so a name typed,
pasted from a web page or read from a spreadsheet is stored the same way.

Stored form: NFC, invisible characters removed (zero-width spaces, BOMs,
bidirectional overrides: category Cf), full-width ASCII letters and digits
made ASCII, runs of spaces made one. Full NFKC is not used for the stored
form because it would also turn Chinese full-width punctuation ("（一组）")
into ASCII, which official documents do not use; it is used for the identity
key, so every look-alike of a stored name counts as the same name.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from .errors import UserError

MAX_NAME = 50  # characters: the longest real names (社区 with a full 街道 prefix) are ~20

_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for c in range(r[0], r[1] + 1)}
_SPACES = re.compile(r"[ \u3000\u00a0]+")


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf"


def clean_text(text: str) -> str:
    """The stored form of a short label (see the module docstring). Control characters are kept,
    so that ``name_problem`` can refuse them rather than have them silently joined."""
    text = unicodedata.normalize("NFC", str(text))
    text = "".join(ch for ch in text if not _invisible(ch)).translate(_FULLWIDTH_ALNUM)
    return _SPACES.sub(" ", text).strip()


def name_key(text: str) -> str:
    """What two names must share to be the same name (look-alikes included)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", clean_text(text))).casefold()


def name_problem(name: str) -> tuple[str, dict] | None:
    """Why ``name`` (already cleaned) cannot be a name: (message key, params), or None."""
    if not name:
        return "names.empty", {}
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return "names.control", {}
    if len(name) > MAX_NAME:
        return "names.too_long", {"n": len(name), "limit": MAX_NAME}
    return None


class InvalidName(UserError, ValueError):
    """A name that cannot be stored; ``key``/``params`` give the message (a ValueError too, as before)."""


def clean_name(text: str) -> str:
    """The stored form of ``text``, or InvalidName saying why it cannot be a name."""
    name = clean_text(text)
    problem = name_problem(name)
    if problem:
        raise InvalidName(problem[0], **problem[1])
    return name


def near_names(text: str, names: list[str], n: int = 3) -> list[str]:
    """Up to ``n`` of ``names`` that look like ``text`` (a typo, a missing 镇), best first."""
    keys = {name_key(x): x for x in names}
    key = name_key(text)
    close = difflib.get_close_matches(key, list(keys), n=n, cutoff=0.5)
    # A name that contains the other ("金鸡" for "金鸡镇") is near whatever the ratio says.
    contained = [k for k in keys if key and (key in k or k in key) and k not in close]
    return [keys[k] for k in (close + contained)[:n]]
