"""Escaping text typed by users (or taken from documents) for Markdown.

Text must never break a table or the document: pipes, line breaks,
backticks, HTML, and characters that start a block (``#``, ``>``, ``-``, a
number and a dot) are neutralised. Chinese text passes through unchanged.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~])")
_BLOCK_START = re.compile(r"^(\s*)([-+=](?=\s|$)|\d+(?=[.)](?:\s|$)))")


def escape_inline(text: str) -> str:
    """One line of Markdown showing ``text`` literally (line breaks become spaces)."""
    text = " ".join(str(text).split())
    text = _SPECIAL.sub(r"\\\1", text)
    text = text.replace("&", "&amp;")
    # "- x" / "+ x" would start a list, "1. x" a numbered one: escape the marker.
    return _BLOCK_START.sub(_escape_marker, text)


def _escape_marker(m: re.Match) -> str:
    marker = m.group(2)
    return m.group(1) + (marker + "\\" if marker.isdigit() else "\\" + marker)


def escape_cell(text: str) -> str:
    """A table cell: inline-escaped, never empty (an empty cell reads as missing)."""
    return escape_inline(text) or "—"
