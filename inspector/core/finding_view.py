"""A finding as of a date: the one read model every screen, verb and report reads findings through.

``view_of(finding, events, as_of)`` cuts the history at the date
(``workflow.known_on``), derives the status (``workflow.derive``) and
answers everything the review screen, the ledger, ``finding show``, the
overdue list and the reports ask: state, deadline in force and the original
one, extensions, days overdue, bucket, escalation, who is responsible, when it
was found and closed, and how many records came after the date. "Overdue" is
decided here and only here (a deadline is a whole day: overdue from the day
after it, see ``deadlines.overdue_days``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping

from . import workflow
from .records import Event, Finding
from .deadlines import overdue_days

# The review screen's buckets of an open finding, then the one of a closed finding.
BUCKETS = ("overdue", "due3", "due10", "later")
CLOSED = "closed"
# The as-of date that counts every recorded event (the summaries index keeps each finding's status of today).
EVERY_EVENT = date.max


@dataclass(frozen=True, slots=True)
class Extension:
    """One extension of the deadline: from ``old`` to ``new``, granted ``on``, for ``reason``."""

    old: date
    new: date
    on: date
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"from": self.old.isoformat(), "to": self.new.isoformat(), "on": self.on.isoformat(), "reason": self.reason}


@dataclass(frozen=True, slots=True)
class FindingView:
    """One finding on ``as_of``, with the records its status comes from."""

    finding: Finding  # the finding as recorded (title, theme, severity, measure...)
    as_of: date
    state: str
    deadline: date  # in force on as_of
    original_deadline: date
    extensions: tuple[Extension, ...]
    escalation: int  # 0 none, 1 reminder, 2 summons, 3 criticism
    unit: str
    person: str
    found_on: date | None
    closed_on: date | None
    events: tuple[Event, ...] = ()  # on or before as_of, in order (none when read from the summaries)
    later: int = 0  # records dated after as_of
    village_id: str = ""
    village: str = ""
    township: str = ""

    # -- the finding's own fields -----------------------------------------------------

    @property
    def id(self) -> str:
        return self.finding.id

    @property
    def title(self) -> str:
        return self.finding.title

    @property
    def theme(self) -> str:
        return self.finding.theme

    @property
    def severity(self) -> str:
        return self.finding.severity

    # -- its status on as_of ----------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.state != workflow.CLOSED

    @property
    def days(self) -> int:
        """Days past the deadline: > 0 overdue, <= 0 days left (0: due today)."""
        return (self.as_of - self.deadline).days

    @property
    def days_overdue(self) -> int:
        """Days overdue on as_of; 0 when not overdue or closed."""
        return overdue_days(self.deadline, self.as_of) if self.is_open else 0

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def bucket(self) -> str:
        """overdue; due within 3 days (due3); within 10 days (due10); later; or closed."""
        return bucket_of(self.days) if self.is_open else CLOSED

    @property
    def escalation_level(self) -> str | None:
        """The escalation's name (reminder, summons, criticism); None when not escalated."""
        return workflow.escalation_name(self.escalation)

    def to_json(self) -> dict[str, Any]:
        """The view as JSON-ready data (``finding show --json`` and ``overdue --format json``)."""
        return {
            "id": self.id,
            "village_id": self.village_id,
            "village": self.village,
            "township": self.township,
            "title": self.title,
            "theme": self.theme,
            "severity": self.severity,
            "unit": self.unit,
            "person": self.person,
            "as_of": self.as_of.isoformat(),
            "state": self.state,
            "deadline": self.deadline.isoformat(),
            "original_deadline": self.original_deadline.isoformat(),
            "extensions": [e.to_json() for e in self.extensions],
            "escalation": self.escalation,
            "escalation_level": self.escalation_level,
            "days": self.days if self.is_open else None,
            "overdue": self.overdue,
            "bucket": self.bucket,
            "found_on": self.found_on.isoformat() if self.found_on else None,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
        }


def bucket_of(days: int) -> str:
    """An open finding's bucket from its days past the deadline."""
    if days > 0:
        return "overdue"
    if days >= -3:
        return "due3"
    if days >= -10:
        return "due10"
    return "later"


def view_of(finding: Finding, events: Iterable[Event], as_of: date, *,
            village_id: str = "", village: str = "", township: str = "") -> FindingView | None:
    """The finding on ``as_of`` from its events; None when it had not been found yet on that date."""
    every = list(events)
    known = workflow.known_on(every, as_of)
    if not known:
        return None
    return _view(finding, workflow.derive_known(known), as_of, tuple(known), len(every) - len(known),
                 village_id or finding.village, village, township)


def view_of_status(finding: Finding, status: workflow.FindingStatus, as_of: date, *,
                   village_id: str = "", village: str = "", township: str = "") -> FindingView:
    """A view from a status already derived (the summaries index keeps today's), without its events."""
    return _view(finding, status, as_of, (), 0, village_id or finding.village, village, township)


def _view(finding: Finding, st: workflow.FindingStatus, as_of: date, events: tuple, later: int,
          village_id: str, village: str, township: str) -> FindingView:
    return FindingView(
        finding=finding, as_of=as_of, state=st.state, deadline=st.deadline, original_deadline=st.original_deadline,
        extensions=tuple(Extension(date.fromisoformat(e["from"]), date.fromisoformat(e["to"]), date.fromisoformat(e["on"]),
                                   str(e.get("reason", ""))) for e in st.extensions),
        escalation=st.escalation, unit=st.unit, person=st.person, found_on=st.found_on, closed_on=st.closed_on,
        events=events, later=later, village_id=village_id, village=village, township=township,
    )


def views_of(findings: Iterable[Finding], events: Iterable[Event], as_of: date, *,
             village_id: str = "", village: str = "", township: str = "") -> list[FindingView]:
    """A village's findings found by ``as_of`` (events of every finding, grouped here), in the order they were found."""
    by_finding: dict[str, list[Event]] = {}
    for ev in events:
        by_finding.setdefault(ev.finding, []).append(ev)
    out = [v for f in findings
           if (v := view_of(f, by_finding.get(f.id, []), as_of, village_id=village_id, village=village, township=township))]
    return sorted(out, key=found_order)


def found_order(view: FindingView) -> tuple:
    """The order findings were found in: by day, then by id (ULIDs sort by the time they were made,
    in the order they were made within one millisecond too: core/ids.IdMaker)."""
    return (view.found_on or view.as_of, view.id)


def sort_views(views: Iterable[FindingView]) -> list[FindingView]:
    """Most overdue first; then by deadline and id, so the order is stable."""
    return sorted(views, key=lambda v: (-v.days, v.deadline, v.id))


def matches(view: FindingView, filters: Mapping[str, str]) -> bool:
    """Filters: township, village (id or name), unit (a part of it), theme, severity, escalation, bucket."""
    for key, wanted in filters.items():
        if not wanted:
            continue
        if key == "village":
            ok = wanted in (view.village_id, view.village)
        elif key == "escalation":
            ok = (view.escalation_level or "none") == wanted
        elif key == "unit":
            ok = wanted in view.unit
        elif key in ("township", "theme", "severity", "bucket", "state"):
            ok = getattr(view, key) == wanted
        else:
            ok = str(view.finding.get(key, "")) == wanted
        if not ok:
            return False
    return True
