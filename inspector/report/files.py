"""Report files: names safe on Windows and Linux, and atomic writes.

A report's file name tells what it is ("2026-11-21_金鸡镇_石堰村_检查报告.md")
and survives being copied to a Windows laptop or a USB stick: no characters
Windows forbids, no control characters, no trailing dots or spaces, no
reserved device names (CON, NUL, COM1, ...), and a bounded length (in
characters and in UTF-8 bytes: one Chinese character is three bytes, and
Linux allows 255 bytes per name).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ..atomic_file import write_file_atomic
from ..core import ids
from ..i18n import language, messages, t

EXTENSION = ".md"
MAX_CHARS = 120  # the whole name, extension included
MAX_BYTES = 240  # UTF-8 bytes of the whole name (ext4 and most others: 255)
FALLBACK = "report"
SEP = "_"

# Forbidden on Windows, plus control characters (which Linux allows but nobody wants).
_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{dev}{n}" for dev in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")
}


def _clean(part: str) -> str:
    """One part of a name: illegal characters become "-", whitespace is collapsed."""
    text = unicodedata.normalize("NFC", str(part))
    text = _ILLEGAL.sub("-", text)
    text = " ".join(text.split())
    return text.strip(" .-")


def _fits(parts: list[str]) -> bool:
    name = SEP.join(parts) + EXTENSION
    return len(name) <= MAX_CHARS and len(name.encode("utf-8")) <= MAX_BYTES


def report_filename(
    kind: str, day: str, township: str, village: str, suffix: str = "", *, lang: str | None = None, ident: str = ""
) -> str:
    """A file name for a report: ``{day}_{township}_{village}_{kind}[_{suffix}].md``.

    ``kind`` says what the report is: a code with a message ``report.file_kind.<code>``
    ("inspection" → "检查报告", in ``lang`` or the current language, so a zh
    and an en export do not overwrite each other), or any other text, used as
    it is. ``suffix`` is an optional extra part (e.g. the inspection number);
    empty parts are left out.
    Too long a name is shortened by trimming its longest parts, so the date
    and the kind stay whole.

    Unique per report: when cleaning or shortening changed the township,
    village or suffix ("a/b" and "a:b" both clean to "a-b"), a tag follows the
    village: ``ident`` (the village id, in its short form) or else a short hash of the names as
    typed, so two reports never share a file.
    """
    key = f"report.file_kind.{kind}"
    label = t(key, lang=lang) if key in messages(lang or language()) else kind
    places = [_clean(township), _clean(village)]
    typed = (township, village, suffix)
    lossy = any(_clean(x) != " ".join(unicodedata.normalize("NFC", str(x)).split()) for x in typed)
    tag = _tag(typed, ident) if lossy else ""
    stem = _stem(day, places, tag, label, suffix)
    if stem is None:  # shortening cut a place name: two long names could now meet
        stem = _stem(day, places, _tag(typed, ident), label, suffix) or FALLBACK
    # Windows reserves device names whatever the extension: "CON.md" is the console.
    if stem.split(".")[0].rstrip(" ").upper() in _RESERVED:
        stem = SEP + stem
    return stem + EXTENSION


def _tag(typed: tuple[str, ...], ident: str) -> str:
    # An id in its short form, as people read it everywhere else (and as the name has room for).
    return _clean(ids.short(ident)) or hashlib.sha1("\x00".join(map(str, typed)).encode("utf-8")).hexdigest()[:6]


def _stem(day: str, places: list[str], tag: str, label: str, suffix: str) -> str | None:
    """The joined parts, shortened to fit; None when a place was cut and there is no tag yet."""
    parts = [p for p in (_clean(day), *places, _clean(tag), _clean(label), _clean(suffix)) if p]
    parts = [p[:MAX_CHARS] for p in parts]
    while parts and not _fits(parts):
        longest = max(range(len(parts)), key=lambda i: (parts[i] != tag, len(parts[i].encode("utf-8")), i))
        parts[longest] = parts[longest][:-1].rstrip(" .-")
        parts = [p for p in parts if p]
    cut = any(place and place not in parts for place in places)
    if cut and not tag:
        return None
    return SEP.join(parts) or FALLBACK


def write_report(folder: Path, name: str, text: str | bytes) -> Path:
    """Write ``text`` as UTF-8 (or bytes as they are: a .docx, an .xlsx) to ``folder/name``
    atomically and return the path.

    The folder is created if needed. The text goes to a temporary file in the
    same folder, is flushed to disk, then replaces ``name`` in one step, so a
    reader (or a power cut) sees the old report or the new one, never half of
    one. An existing report of that name is overwritten: reports are
    regenerated from the data.
    """
    if not name or name in (".", "..") or "/" in name or "\\" in name:
        raise ValueError(f"not a plain file name: {name!r}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    write_file_atomic(target, text if isinstance(text, bytes) else text.encode("utf-8"))
    return target
