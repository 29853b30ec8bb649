"""Display width of text in a terminal: CJK characters take two cells."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cells: int) -> str:
    return text + " " * max(0, cells - width(text))


def clip(text: str, cells: int) -> str:
    """Cut ``text`` to at most ``cells`` cells, marking the cut with '…'."""
    if width(text) <= cells:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


# CJK line breaking (the usual 禁则 rules, as in JIS X 4051 / the W3C "clreq" note):
# these never begin a line...
NO_START = set("，。、；：？！）》」』】〕〉”’…‥·・%‰℃°,.;:?!)]}>—～ー々ゝゞ")
# ...and these never end one.
NO_END = set("（《「『【〔〈“‘([{<")
_WORD = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./@#+%&'\"")


def _units(text: str) -> list[str]:
    """Unbreakable pieces: a run of Latin letters and digits (a word, `APP`, `2026-11-21`), a space, or one other character."""
    units: list[str] = []
    for ch in text:
        if ch in _WORD and units and units[-1][-1] in _WORD:
            units[-1] += ch
        else:
            units.append(ch)
    return units


def wrap(text: str, cells: int) -> list[str]:
    """Lines of at most ``cells`` cells: Latin words whole, no closing punctuation at a line start,
    no opening punctuation at a line end; existing newlines are kept. A word longer than a line is cut."""
    if cells < 2:
        return text.split("\n")
    out: list[str] = []
    for paragraph in text.split("\n"):
        out.extend(_wrap_paragraph(paragraph, cells))
    return out


def _wrap_paragraph(text: str, cells: int) -> list[str]:
    lines: list[list[str]] = [[]]
    used = 0
    for unit in _units(text):
        w = width(unit)
        if unit == " " and not lines[-1]:
            continue  # no space at a line start
        if w > cells:  # a word longer than the line: cut it where it must be
            for ch in unit:
                if used + width(ch) > cells:
                    lines.append([])
                    used = 0
                lines[-1].append(ch)
                used += width(ch)
            continue
        if used + w <= cells:
            lines[-1].append(unit)
            used += w
            continue
        if unit == " ":
            lines.append([])
            used = 0
            continue
        # The unit goes to a new line: carry back what may not end the line, or bring
        # down what may not start it (the closing mark takes the last unit with it).
        carry = [unit]
        line = lines[-1]
        while line and (line[-1] in NO_END or carry[0][0] in NO_START) and len(line) > 1:
            carry.insert(0, line.pop())
        while line and line[-1] == " ":
            line.pop()
        lines.append(carry)
        used = sum(width(u) for u in carry)
    return ["".join(line).rstrip() for line in lines]
