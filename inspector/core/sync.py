"""The rules for putting together what several laptops recorded (pure: storage applies them).

- **Events** are never edited: a finding's history is the union of every
  device's events (by id), and its state is derived from them in
  (time, device, counter) order (workflow.derive keeps the moves it cannot
  apply as conflicts).
- **Other records** (a village's contact, an inspection, an answer, an
  observation, a finding's text) may be changed on two laptops: the version
  with the latest change time wins, ties going to the larger content hash,
  so every device picks the same one whatever order bundles arrive in. The
  version that lost is kept (``Superseded``) and listed in the import report.
- **Removals** (a finding or observation recorded by mistake on a draft) travel
  as tombstones, so a removed record does not come back from another laptop.
- **Roles**: under a roster, the moves only a supervisor may make (verify,
  close, extend, escalate by default) are accepted only from supervisor
  devices; an imported event that breaks this is quarantined, never applied.

Each rule is a join (commutative, associative, idempotent), which is what
makes an import order-independent and a repeated import change nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

Doc = Mapping[str, Any]

SUPERVISOR_MOVES = ("verify", "verify_fail", "close", "extend", "escalate", "reopen")
ROLES = ("inspector", "supervisor")


def content_hash(doc: Doc) -> str:
    """The hash of a record's content, the same on every device (keys sorted, UTF-8)."""
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def changed_at(kind: str, doc: Doc) -> str:
    """When a record was last changed, as far as its own fields say (ISO text; "" when unknown)."""
    if kind == "villages":
        return str(doc.get("changed_at", ""))
    if kind == "inspections":
        stamps = [str(doc.get("created_at", "")), str(doc.get("completed_at", ""))]
        stamps += [str(a.get("at", "")) for a in doc.get("amendments") or [] if isinstance(a, Mapping)]
        return max(stamps)
    if kind in ("answers", "observations"):
        return str(doc.get("at", ""))
    return str(doc.get("changed_at") or doc.get("created_at", ""))


def winner(kind: str, ours: Doc, theirs: Doc) -> Doc:
    """The version every device keeps: latest change, then larger content hash."""
    if ours == theirs:
        return ours
    key_ours = (changed_at(kind, ours), content_hash(ours))
    key_theirs = (changed_at(kind, theirs), content_hash(theirs))
    return ours if key_ours >= key_theirs else theirs


def record_key(kind: str, doc: Doc) -> str:
    """What identifies a record of ``kind`` across devices (an answer: its inspection and item)."""
    if kind == "answers":
        return f"{doc.get('inspection')}/{doc.get('item')}"
    return str(doc.get("id"))


@dataclass(frozen=True)
class Superseded:
    """A version of a record that lost to another device's (kept, listed in the import report)."""

    kind: str
    key: str
    doc: Mapping[str, Any]
    winner_hash: str


@dataclass(frozen=True)
class RosterEntry:
    device: str
    name: str
    role: str  # inspector | supervisor
    public_key: str = ""  # base64; a device on the roster with another key is refused
    revoked: bool = False


@dataclass(frozen=True)
class Roster:
    """Who may do what: a county's list of devices and their roles (distributed by supervisors)."""

    county: str
    entries: tuple[RosterEntry, ...] = ()
    supervisor_moves: tuple[str, ...] = SUPERVISOR_MOVES

    def entry(self, device: str) -> RosterEntry | None:
        return next((e for e in self.entries if e.device == device), None)

    def may(self, device: str, move: str) -> bool:
        """Whether ``device`` may have made ``move`` (an event type)."""
        if move not in self.supervisor_moves:
            return True
        entry = self.entry(device)
        return entry is not None and not entry.revoked and entry.role == "supervisor"

    def revoked(self, device: str) -> bool:
        entry = self.entry(device)
        return entry is not None and entry.revoked


@dataclass
class MergeReport:
    """What an import did (or, dry, would do): counts, conflicts, quarantined events, duplicates."""

    device: str = ""
    device_name: str = ""
    new_villages: list[str] = field(default_factory=list)  # names
    added: dict[str, int] = field(default_factory=dict)  # kind -> records new here
    changed: dict[str, int] = field(default_factory=dict)  # kind -> records replaced by a later version
    superseded: list[Superseded] = field(default_factory=list)  # versions that lost (ours or theirs)
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)  # (village, finding title, event type)
    quarantined: list[tuple[str, str, str, str]] = field(default_factory=list)  # (village, finding, event type, device)
    removed: int = 0  # records removed by tombstones
    possible_duplicates: list[tuple[str, str]] = field(default_factory=list)  # (township, name) of two villages

    @property
    def nothing_new(self) -> bool:
        return not (self.new_villages or any(self.added.values()) or any(self.changed.values()) or self.removed
                    or self.quarantined)

    def count(self, table: dict[str, int], kind: str, n: int = 1) -> None:
        table[kind] = table.get(kind, 0) + n


# ── the devices a database knows, and whether to take a bundle from one ───────


@dataclass(frozen=True)
class KnownDevice:
    """What a database keeps of a device (the registry's "devices" table; storage maps it).

    ``public_key`` is the key (base64) its bundles were signed with when it was
    first trusted; ``last_bundle`` the sha256 of the last file imported from it
    (folder sync skips a file it has read already); ``last_export`` and
    ``shared_folder`` are kept on this device's own entry only (when it last
    wrote its bundle; the folder this database syncs with, the app's setting).
    Revocation is the roster's, never kept here.
    """

    id: str
    name: str = ""
    public_key: str = ""
    trusted: bool = False
    last_import: str = ""  # ISO time
    last_export: str = ""  # ISO time
    last_bundle: str = ""
    shared_folder: str = ""


Trust = Literal["trusted", "ask", "impostor", "revoked"]


def trust(known: KnownDevice | None, roster: Roster | None, device_id: str, public_key: str,
          this: tuple[str, str] | None = None) -> Trust:
    """Whether a bundle signed by ``device_id`` with ``public_key`` (base64) may be imported here.

    ``trusted``: this device itself (``this`` = its id and key), a device trusted
    before with this key, or one on the roster with this key. ``ask``: a device
    never trusted (the user compares its fingerprint first). ``impostor``: this
    device's id, the roster's or a trusted device's with another key.
    ``revoked``: revoked on the roster. The last two are refused whatever the user says.
    """
    if this is not None and device_id == this[0]:
        return "trusted" if public_key == this[1] else "impostor"
    entry = roster.entry(device_id) if roster is not None else None
    if entry is not None and entry.revoked:
        return "revoked"
    if entry is not None and entry.public_key and entry.public_key != public_key:
        return "impostor"
    if known is not None and known.trusted and known.public_key and known.public_key != public_key:
        return "impostor"
    if (known is not None and known.trusted) or (entry is not None and entry.public_key == public_key):
        return "trusted"
    return "ask"


def foreign_county(roster: Roster | None, county: str) -> bool:
    """Whether a bundle written under ``county``'s roster belongs to another county than the roster in force here."""
    return roster is not None and bool(county) and county != roster.county
