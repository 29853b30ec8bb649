"""Plain records the store hands out. No behaviour beyond what they hold."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

VILLAGE_KINDS = ("village", "community")


@dataclass
class Village:
    id: str
    name: str
    township: str
    kind: str = "village"
    county: str = ""
    contact: str = ""
    phone: str = ""
    archived: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class OpenFinding:
    """What the overview and the overdue list need of one open finding."""

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
    extensions: int = 0


@dataclass
class VillageSummary:
    inspections: int = 0
    drafts: int = 0
    findings: int = 0
    open: list[OpenFinding] = field(default_factory=list)
    draft_ids: list[str] = field(default_factory=list)

    def overdue(self, today_iso: str) -> int:
        # ISO dates compare as strings; a deadline is overdue from the day after.
        return sum(1 for f in self.open if f.deadline < today_iso)
