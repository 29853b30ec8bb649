"""The one way to change a finding: a typed move, checked against the workflow, appended as an event.

A key press on the review screen becomes a ``Move``; ``refusal`` answers "is
this move allowed now?" before its dialog opens (nothing typed in it could
make it allowed), ``check`` answers it for the move as typed, and
``make_move`` checks it and asks the repository to append the event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Protocol, Sequence

from . import workflow
from .errors import UserError
from .finding_view import FindingView
from .records import Event


@dataclass(frozen=True, slots=True)
class Move:
    """One move of the workflow (``kind`` is an event type of ``workflow.MOVES``) and what it carries."""

    kind: str
    on: date
    by: str
    unit: str = ""
    person: str = ""
    note: str = ""
    deadline: date | None = None  # extend: the new deadline
    level: str = ""  # escalate: reminder, summons or criticism
    verifier: str = ""  # verify / verify_fail: who checked on site
    evidence: tuple[str, ...] = ()  # report: the files that show the work done

    def fields(self) -> dict[str, Any]:
        """What the event carries besides its type, day and author (the fields of ``records.Event``)."""
        out: dict[str, Any] = {}
        if self.kind in ("assign", "edit"):
            out.update(unit=self.unit, person=self.person)
        for name in ("note", "level", "verifier"):
            value = getattr(self, name)
            if value:
                out[name] = value
        if self.deadline is not None:
            out["deadline"] = self.deadline
        if self.evidence:
            out["evidence"] = tuple(self.evidence)
        return out

    def event(self, finding: str, after: Sequence[Event]) -> Event:
        """The event this move would be, recorded after ``after`` (to check it; the repository stamps the real one)."""
        latest = max((e.at for e in after), default="")
        return Event(id="", finding=finding, type=self.kind, on=self.on, at=latest, by=self.by, **self.fields())


class FindingEvents(Protocol):
    """What a move needs of the repository: a finding's events, and appending one."""

    def events(self, fid: str | None = None) -> list[Event]: ...

    def add_event(self, fid: str, kind: str, *, by: str, **fields: Any) -> workflow.FindingStatus: ...


def refusal(kind: str, view: FindingView) -> UserError | None:
    """Why ``kind`` cannot be made on ``view.as_of`` whatever is typed in its dialog; None when it may be.

    The state does not allow the move; or (escalate) the finding is not
    overdue yet, or is already at the top level.
    """
    if kind not in workflow.MOVES:
        return workflow.WorkflowError("workflow.unknown_event", event=kind)
    allowed, _ = workflow.MOVES[kind]
    if view.state not in allowed:
        return workflow.WorkflowError(f"workflow.refused.{kind}", state=view.state)
    if kind == "escalate":
        if not view.overdue:
            return workflow.WorkflowError("workflow.escalate_not_overdue", deadline=view.deadline.isoformat())
        if next_level(view) is None:
            return workflow.WorkflowError("review.max_level")
    return None


def next_level(view: FindingView) -> str | None:
    """The escalation an ``escalate`` move would reach; None at the top level."""
    return workflow.ESCALATIONS[view.escalation] if view.escalation < len(workflow.ESCALATIONS) else None


def check(history: Iterable[Event], move: Move) -> workflow.WorkflowError | None:
    """Why ``move`` as typed is refused after ``history``; None when the workflow allows it."""
    history = list(history)
    try:
        workflow.check_move(history, move.event("", history))
    except workflow.WorkflowError as exc:
        return exc
    return None


def make_move(repo: FindingEvents, fid: str, move: Move) -> workflow.FindingStatus:
    """Check ``move`` against the finding's history and append its event; WorkflowError when refused."""
    refused = check(repo.events(fid), move)
    if refused is not None:
        raise refused
    return repo.add_event(fid, move.kind, by=move.by, on=move.on, **move.fields())
