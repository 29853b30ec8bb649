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
from .records import Event, EvidenceFile


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
    evidence: tuple[str, ...] = ()  # report: the files that show the work done (names typed)
    files: tuple[EvidenceFile, ...] = ()  # attach: evidence kept with the finding (storage/evidence_files.py)

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
        if self.files:
            out["files"] = tuple(self.files)
        return out

    def event(self, finding: str, after: Sequence[Event]) -> Event:
        """The event this move would be, recorded after ``after`` (to check it; the repository stamps the real one)."""
        latest = max((e.at for e in after), default="")
        return Event(id="", finding=finding, type=self.kind, on=self.on, at=latest, by=self.by, **self.fields())


class FindingEvents(Protocol):
    """What a move needs of the repository: a finding's events, making the next one, appending it."""

    def events(self, fid: str | None = None) -> list[Event]: ...

    def new_event(self, fid: str, kind: str, *, on: date | None = None, by: str, after: list[Event],
                  **fields: Any) -> Event: ...

    def append_event(self, event: Event) -> None: ...


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


def make_move(repo: FindingEvents, fid: str, move: Move, *, close_needs_evidence: bool = False) -> workflow.FindingStatus:
    """Check ``move`` against the finding's history and append its event; a UserError when refused.

    The one check: the repository stores what it is given. ``close_needs_evidence``
    is the county's rule (catalog ``county.toml``): a close needs evidence kept first.
    """
    history = repo.events(fid)
    if move.kind == "close":
        from .evidence import closure_needs_evidence

        refused = closure_needs_evidence(history, close_needs_evidence)
        if refused is not None:
            raise refused
    event = repo.new_event(fid, move.kind, on=move.on, by=move.by, after=history, **move.fields())
    status = workflow.check_move(history, event)
    repo.append_event(event)
    return status


def record(repo: FindingEvents, fid: str, kind: str, *, by: str, on: date | None = None, **fields: Any
           ) -> workflow.FindingStatus:
    """``make_move`` from plain arguments (the verbs, the tests): ``deadline`` may be ISO text."""
    if isinstance(fields.get("deadline"), str):
        fields["deadline"] = date.fromisoformat(fields["deadline"])
    for name in ("evidence", "files"):
        if name in fields:
            fields[name] = tuple(fields[name])
    day = on if on is not None else _today(repo)
    return make_move(repo, fid, Move(kind, on=day, by=by, **fields))


def _today(repo: Any) -> date:
    return repo.today
