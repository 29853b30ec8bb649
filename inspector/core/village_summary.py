"""A village's summary: its inspections, drafts, findings and today's open findings.

What the first screen and the summaries index show of a village. The rule
(which findings are open, their deadline in force, escalation) is the
workflow's, so it is computed here; storage only hands over the records and
keeps the result in its index.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from . import workflow
from .finding_view import EVERY_EVENT, view_of_status, views_of
from .models import OpenFinding, VillageSummary
from .records import Event, Finding, Inspection


def village_summary(
    vid: str,
    inspections: Iterable[Inspection],
    findings: Iterable[Finding],
    events: Iterable[Event] = (),
    statuses: Mapping[str, workflow.FindingStatus] | None = None,
) -> VillageSummary:
    """The summary of village ``vid`` from its records.

    ``statuses`` (finding id -> status today), when the caller has just
    derived them, saves replaying every history again; otherwise they are
    derived from ``events``.
    """
    inspections = list(inspections)
    findings = list(findings)
    # Each finding read through the one read model, with every recorded event (today's status).
    if statuses is None:
        views = {v.id: v for v in views_of(findings, events, EVERY_EVENT)}
    else:
        views = {f.id: view_of_status(f, statuses[f.id], EVERY_EVENT) for f in findings}
    open_: list[OpenFinding] = []
    for f in findings:
        v = views.get(f.id)
        if v is not None and v.is_open:
            open_.append(
                OpenFinding(
                    id=v.id,
                    village=vid,
                    title=v.title,
                    theme=v.theme,
                    severity=v.severity,
                    unit=v.unit,
                    deadline=v.deadline.isoformat(),
                    state=v.state,
                    escalation=v.escalation,
                    original_deadline=v.original_deadline.isoformat(),
                    extensions=[e.to_json() for e in v.extensions],
                )
            )
    return VillageSummary(
        inspections=len(inspections),
        drafts=sum(1 for i in inspections if i.state == "draft"),
        draft_ids=sorted(i.id for i in inspections if i.state == "draft"),
        findings=len(findings),
        open=open_,
    )
