"""A finding's history replayed once: its status, and the two days the query cache filters on.

The check of a village file (shapes.check_village) must replay every history
anyway; it keeps what the summary and the query cache need from that one
replay instead of each replaying it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from ..core import workflow
from ..core.records import Event

OPEN_STILL = "9999-12-31"  # closed_from of a finding open today: never closed for good


@dataclass(slots=True)
class Replayed:
    status: workflow.FindingStatus  # as of today (every event)
    found: str  # ISO day of its first event: before it the finding did not exist yet
    # ISO day from which it is closed on every date, as core.workflow.derive counts
    # (the events up to the first dated after the date); OPEN_STILL when open today.
    closed_from: str
    # After each event, in order: [its day, then the status] (``snapshot``), or [its day] while
    # the finding is not found yet. Its status on any date is the last entry before the first
    # later day: what derive(events, as_of) gives, without reading an event (``status_on``).
    timeline: list = field(default_factory=list)


def replay(events: Iterable[Event]) -> Replayed:
    """Like ``workflow.derive(events)`` (same order, same refusals), noting the days as it goes.

    On a date D, derive applies the events in order up to the first one dated
    after D: the running maximum of the days is what decides how far it goes.
    So once the state is closed and stays closed to the end, it is closed on
    every date from the running maximum at that event.
    """
    status: workflow.FindingStatus | None = None
    found = reach = None  # days (dates), made text once at the end
    closed_from = None
    skipped = []
    timeline: list = []
    last_key: tuple | None = None
    last: list = []
    for ev in workflow.in_order(events):
        day = ev.on
        if reach is None or day > reach:
            reach = day  # a skipped event counts for the "as of" cut too (workflow.known_on)
        try:
            status = workflow.apply(status, ev)
        except workflow.WorkflowError:
            if status is None and ev.type == "found":
                raise
            skipped.append(ev)  # a conflict of merged histories: kept, not applied (workflow.derive)
            if status is None:
                timeline.append([day.toordinal()])
                continue
        key = (status.state, status.deadline, status.escalation, status.unit, status.person, status.closed_on,
               len(status.extensions))
        if key != last_key:  # most events change the state; a note of progress may change nothing
            last_key, last = key, snapshot(status)
        timeline.append([day.toordinal(), *last])
        if found is None:
            found = day
        if status.state != workflow.CLOSED:
            closed_from = None
        elif closed_from is None:
            closed_from = reach
    if status is None or found is None:
        raise workflow.WorkflowError("workflow.not_found_yet")
    status.conflicts = skipped
    return Replayed(status, found.isoformat(), closed_from.isoformat() if closed_from else OPEN_STILL, timeline)


def snapshot(status: workflow.FindingStatus) -> list:
    """A status as the query cache keeps it (JSON): state, deadlines, escalation, unit, person, days, extensions.

    Days are kept as ordinals (``date.toordinal``): made and read back without text.
    """
    return [status.state, status.deadline.toordinal(), status.original_deadline.toordinal(), status.escalation,
            status.unit, status.person, status.found_on.toordinal() if status.found_on else 0,
            status.closed_on.toordinal() if status.closed_on else 0, list(status.extensions)]  # its dicts are never changed


def status_on(timeline: list, day: str) -> workflow.FindingStatus | None:
    """The status on ``day`` (ISO) from a timeline (see Replayed); None when not found yet."""
    cut = date.fromisoformat(day).toordinal()
    kept = None
    for entry in timeline:
        if entry[0] > cut:
            break  # the "as of" cut: the first event dated after the day, and all after it (workflow.known_on)
        kept = entry
    if kept is None or len(kept) == 1:
        return None
    _, state, deadline, original, escalation, unit, person, found_on, closed_on, extensions = kept
    day_of = date.fromordinal
    return workflow.FindingStatus(
        state=state, deadline=day_of(deadline), original_deadline=day_of(original), extensions=list(extensions),
        escalation=escalation, found_on=day_of(found_on) if found_on else None,
        closed_on=day_of(closed_on) if closed_on else None, unit=unit, person=person)
