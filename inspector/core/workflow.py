"""A finding's life, derived from its events.

A finding is never edited in place: every change is an event (time, author,
content), and the state, deadline and escalation level are computed from the
events up to a date. That makes "as of" answers exact: a finding closed after
the as-of date counts as open on that date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Iterable

from .errors import UserError
from .records import Event

# States, in the order of the usual life of a finding.
FOUND = "found"  # 发现
ASSIGNED = "assigned"  # 交办
RECTIFYING = "rectifying"  # 整改中
REPORTED = "reported"  # 申请销号
VERIFIED = "verified"  # 复核
CLOSED = "closed"  # 销号
STATES = (FOUND, ASSIGNED, RECTIFYING, REPORTED, VERIFIED, CLOSED)

# Escalation levels, in order.
ESCALATIONS = ("reminder", "summons", "criticism")  # 催办, 约谈, 通报

# Event type -> states it may happen in, and the state it leads to (None: unchanged).
MOVES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "assign": ((FOUND, ASSIGNED), ASSIGNED),
    "progress": ((ASSIGNED, RECTIFYING), RECTIFYING),
    "report": ((ASSIGNED, RECTIFYING), REPORTED),
    "verify": ((REPORTED,), VERIFIED),
    "verify_fail": ((REPORTED,), RECTIFYING),
    "close": ((VERIFIED,), CLOSED),
    "followup_confirm": ((CLOSED,), None),
    "reopen": ((CLOSED,), RECTIFYING),
    "extend": ((FOUND, ASSIGNED, RECTIFYING, REPORTED, VERIFIED), None),
    "escalate": ((FOUND, ASSIGNED, RECTIFYING, REPORTED, VERIFIED), None),
    "edit": ((FOUND, ASSIGNED, RECTIFYING, REPORTED, VERIFIED), None),
    # Evidence may be kept with a finding at any time, a closed one too (the photo after closing).
    "attach": ((FOUND, ASSIGNED, RECTIFYING, REPORTED, VERIFIED, CLOSED), None),
}
EVENT_TYPES = ("found", *MOVES)


class WorkflowError(UserError):
    """A move the workflow does not allow. ``key`` names the message to show."""


def escalation_name(level: int) -> str | None:
    """The name of escalation level ``level`` (1 reminder, 2 summons, 3 criticism); None for none."""
    return ESCALATIONS[level - 1] if 0 < level <= len(ESCALATIONS) else None


@dataclass
class FindingStatus:
    state: str
    deadline: date
    original_deadline: date
    extensions: list[dict] = field(default_factory=list)
    escalation: int = 0  # 0 none, 1 reminder, 2 summons, 3 criticism
    found_on: date | None = None
    closed_on: date | None = None
    unit: str = ""
    person: str = ""
    # Events kept on record that the workflow could not apply in the merged order
    # (two laptops closed it; one extended it after the other closed it): shown as conflicts.
    conflicts: list[Event] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.state != CLOSED


def event_day(event: Event) -> date:
    return event.on


def in_order(events: Iterable[Event]) -> list[Event]:
    """A finding's events in the one order every device agrees on: (time, device, counter)."""
    return sorted(events, key=_ORDER)


_ORDER = attrgetter("at", "device", "counter")


def known_on(events: Iterable[Event], as_of: date | None) -> list[Event]:
    """The events that count on ``as_of``: in order, up to the first one dated after it.

    The one "as of" cut: ``derive`` and every read model use it. Events are
    recorded in order and never backdated (``check_move``), so stopping at
    the first later event is the same as keeping those on or before the date.
    """
    ordered = in_order(events)
    if as_of is None:
        return ordered
    for n, ev in enumerate(ordered):
        if event_day(ev) > as_of:
            return ordered[:n]
    return ordered


def derive(events: Iterable[Event], as_of: date | None = None) -> FindingStatus:
    """The finding's status from its events (those ``known_on`` ``as_of``).

    Events merged from several laptops may hold moves the workflow refuses in
    the merged order: they are skipped and listed in ``conflicts``, never
    dropped from the record (a new move is checked strictly: ``check_move``).
    Only a history without its "found" event is refused.
    """
    return derive_known(known_on(events, as_of))


def derive_known(known: Iterable[Event]) -> FindingStatus:
    """``derive`` of events already cut and ordered by ``known_on`` (a read model has them so)."""
    status: FindingStatus | None = None
    skipped: list[Event] = []
    for ev in known:
        try:
            status = apply(status, ev)
        except WorkflowError:
            if status is None and ev.type == "found":
                raise
            skipped.append(ev)
    if status is None:
        raise WorkflowError("workflow.not_found_yet")
    status.conflicts = skipped
    return status


def apply(status: FindingStatus | None, ev: Event) -> FindingStatus:
    """Apply one event; raises WorkflowError when the move is not allowed."""
    kind = ev.type
    on = ev.on
    if kind == "found":
        if status is not None:
            raise WorkflowError("workflow.already_found")
        if ev.deadline is None:
            raise WorkflowError("workflow.need_deadline")
        deadline = ev.deadline
        return FindingStatus(
            state=FOUND,
            deadline=deadline,
            original_deadline=deadline,
            found_on=on,
            unit=ev.unit,
            person=ev.person,
        )
    if status is None:
        raise WorkflowError("workflow.not_found_yet")
    if kind not in MOVES:
        raise WorkflowError("workflow.unknown_event", event=kind)
    allowed, target = MOVES[kind]
    if status.state not in allowed:
        raise WorkflowError(f"workflow.refused.{kind}", state=status.state)
    if kind == "assign":
        if not ev.unit:
            raise WorkflowError("workflow.need_unit")
        status.unit = ev.unit
        status.person = ev.person
    elif kind in ("progress", "report", "verify_fail", "reopen", "extend") and not ev.note.strip():
        raise WorkflowError(f"workflow.need_note.{kind}")
    if kind == "attach" and not ev.files:
        raise WorkflowError("workflow.need_files")
    if kind == "verify" and not (ev.verifier or ev.by):  # who verified on site
        raise WorkflowError("workflow.need_verifier")
    if kind == "extend":
        if ev.deadline is None:
            raise WorkflowError("workflow.need_deadline")
        new = ev.deadline
        if new <= status.deadline:
            raise WorkflowError(
                "workflow.extend_not_later", new=new.isoformat(), current=status.deadline.isoformat()
            )
        status.extensions.append({"from": status.deadline.isoformat(), "to": new.isoformat(), "on": on.isoformat(), "reason": ev.note})
        status.deadline = new
    elif kind == "escalate":
        level = ESCALATIONS.index(ev.level) + 1 if ev.level in ESCALATIONS else 0
        if level != status.escalation + 1:
            raise WorkflowError(
                "workflow.escalate_order",
                expected=ESCALATIONS[status.escalation] if status.escalation < 3 else "-",
            )
        if not on > status.deadline:
            raise WorkflowError("workflow.escalate_not_overdue", deadline=status.deadline.isoformat())
        status.escalation = level
    elif kind == "edit":
        if ev.unit:
            status.unit = ev.unit
        if ev.person:
            status.person = ev.person
    if target is not None:
        status.state = target
    if kind == "close":
        status.closed_on = on
    elif kind == "reopen":
        status.closed_on = None
    return status


def check_move(events: list[Event], new_event: Event) -> FindingStatus:
    """Validate ``new_event`` against the history; returns the resulting status."""
    status = derive(events)
    if events and new_event.on < max(e.on for e in events):
        raise WorkflowError("workflow.backdated")
    return apply(status, new_event)
