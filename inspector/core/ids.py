"""Record ids: ULIDs, unique across every laptop, and the short form people read and type.

A ULID (python-ulid) is 48 bits of time and 80 random bits in 26 characters
of Crockford base32; two laptops that each add a village can never make the
same id, so their records merge. Ids sort by the time they were made.

People see the short form: the last ``SHORT`` characters, all random (the
first ones are time and alike for records made together). A short form is
resolved within one database (``matches``); where two records share one the
verbs list both (see commands/common.py).
"""

from __future__ import annotations

import hashlib
import os
import re
from datetime import datetime, timezone
from typing import Callable

SHORT = 8
MIN_TYPED = 4  # the fewest characters of a short form a verb accepts
_ID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
_CROCKFORD = str.maketrans({"I": "1", "L": "1", "O": "0"})

RandomBytes = Callable[[int], bytes]


def _ms(at: datetime | None) -> int:
    if at is None:
        return 0
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)  # the repository's clock is local wall time: any fixed zone keeps the order
    return max(0, int(at.timestamp() * 1000))


def _text(raw: bytes) -> str:
    # Imported here: python-ulid loads importlib.metadata at import, 30 ms of every command's start.
    from ulid import ULID

    return str(ULID.from_bytes(raw))


def new_id(at: datetime | None, random_bytes: RandomBytes = os.urandom) -> str:
    """A new id made at ``at`` (the repository's clock)."""
    return _text(_ms(at).to_bytes(6, "big") + random_bytes(10))


class IdMaker:
    """New ids in the order they are made, even within one millisecond (the ULID "monotonic" rule:
    the same time as the last id takes the last random part plus one), so records made
    together sort as they were made: findings of one inspection keep their order."""

    def __init__(self, random_bytes: RandomBytes = os.urandom):
        self._random = random_bytes
        self._last_ms = -1
        self._last_rand = 0

    def __call__(self, at: datetime | None) -> str:
        ms = _ms(at)
        if ms <= self._last_ms:
            ms, rand = self._last_ms, self._last_rand + 1
        else:
            rand = int.from_bytes(self._random(10), "big") >> 1  # room to count up
        self._last_ms, self._last_rand = ms, rand
        return _text(ms.to_bytes(6, "big") + rand.to_bytes(10, "big"))


def derived_id(at: datetime | None, *key: object, offset_ms: int = 0) -> str:
    """The same id every time for the same ``key``: for records carried forward from
    an older database (migrations) and for the demo, so two copies of one database
    carried forward agree, and different records never share an id."""
    digest = hashlib.sha256("\x1f".join(map(str, key)).encode("utf-8")).digest()
    return _text((_ms(at) + offset_ms).to_bytes(6, "big") + digest[:10])


def seeded(seed: int) -> RandomBytes:
    """Random bytes from ``seed``: the same ids in the same order (tests, the demo)."""
    state = [hashlib.sha256(f"inspector-ids-{seed}".encode()).digest()]

    def take(n: int) -> bytes:
        state[0] = hashlib.sha256(state[0]).digest()
        return state[0][:n]

    return take


def is_id(text: str) -> bool:
    return bool(_ID.match(text))


def short(record_id: str) -> str:
    """What people read: the random tail of the id."""
    return record_id[-SHORT:] if is_id(record_id) else record_id


def typed(text: str) -> str:
    """What a person typed, as an id's characters (upper case; I L read as 1, O as 0)."""
    return text.strip().upper().translate(_CROCKFORD)


def matches(text: str, record_id: str) -> bool:
    """Whether ``text`` (typed) names ``record_id``: the whole id, or its end of at least MIN_TYPED characters."""
    wanted = typed(text)
    return wanted == record_id or (len(wanted) >= MIN_TYPED and record_id.endswith(wanted))
