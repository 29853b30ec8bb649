"""Plain records the store hands out. No behaviour beyond what they hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .deadlines import overdue_days

# The village record is core's (records.py); kept importable from here for the screens that use it.
from .records import VILLAGE_KINDS, Village  # noqa: E402,F401


@dataclass
class OpenFinding:
    """One open finding as the summaries index keeps it (storage's cache row, saved as JSON).

    Kept apart from ``FindingView`` because it is stored: it holds today's
    status of a finding (every event applied) so the main screen and the
    review screen open at county scale without reading a village file;
    ``core.overdue.rows_from_index`` turns each into a FindingView.
    """

    id: str
    village: str
    title: str
    theme: str
    severity: str
    unit: str
    deadline: str  # ISO date
    state: str
    escalation: int = 0
    original_deadline: str = ""  # ISO date; differs from deadline once extended
    extensions: list[dict] = field(default_factory=list)  # {"from", "to", "on", "reason"}, in order


@dataclass
class VillageSummary:
    inspections: int = 0
    drafts: int = 0
    findings: int = 0
    open: list[OpenFinding] = field(default_factory=list)
    draft_ids: list[str] = field(default_factory=list)

    def overdue(self, today: date | str) -> int:
        """Open findings overdue on ``today`` (the one rule: deadlines.overdue_days)."""
        day = today if isinstance(today, date) else date.fromisoformat(today)
        return sum(1 for f in self.open if overdue_days(date.fromisoformat(f.deadline), day) > 0)
