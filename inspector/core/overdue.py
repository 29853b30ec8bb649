"""Open findings across villages, "as of" a date: what the review screen and reports list.

Two ways to the same rows:
- ``rows_from_index``: today's open findings from the summaries index; no
  village file is read, so the review screen opens at county scale at once.
- ``rows_as_of``: any date, computed from each finding's event history (a
  finding closed after the date counts as open on it). Reads the query cache
  (storage/query_cache.py), which re-reads only the village files that changed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Iterable

from . import workflow

BUCKETS = ("overdue", "due3", "due10", "later")


@dataclass
class FindingRow:
    id: str
    village_id: str
    village: str
    township: str
    title: str
    theme: str
    severity: str
    unit: str
    deadline: date
    state: str
    escalation: int
    days: int  # > 0: days overdue; <= 0: days left (0 = due today)
    original_deadline: date | None = None
    extensions: int = 0

    @property
    def bucket(self) -> str:
        return bucket_of(self.days)

    @property
    def overdue(self) -> bool:
        return self.days > 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["deadline"] = self.deadline.isoformat()
        data["original_deadline"] = self.original_deadline.isoformat() if self.original_deadline else None
        data["bucket"] = self.bucket
        data["escalation_level"] = workflow.ESCALATIONS[self.escalation - 1] if self.escalation else None
        return data


def bucket_of(days: int) -> str:
    """Overdue; due within 3 days; within 10 days; later."""
    if days > 0:
        return "overdue"
    if days >= -3:
        return "due3"
    if days >= -10:
        return "due10"
    return "later"


def rows_from_index(db: Any, as_of: date) -> list[FindingRow]:
    villages = {v.id: v for v in db.villages()}
    rows = []
    for vid, summary in db.summaries().items():
        village = villages[vid]
        for f in summary.open:
            deadline = date.fromisoformat(f.deadline)
            rows.append(FindingRow(
                id=f.id, village_id=vid, village=village.name, township=village.township, title=f.title,
                theme=f.theme, severity=f.severity, unit=f.unit, deadline=deadline, state=f.state,
                escalation=f.escalation, days=(as_of - deadline).days,
                original_deadline=date.fromisoformat(f.original_deadline) if f.original_deadline else None,
                extensions=f.extensions,
            ))
    return sort_rows(rows)


def rows_as_of(db: Any, as_of: date, village_ids: Iterable[str] | None = None) -> list[FindingRow]:
    """Open findings on ``as_of``, from the event history (events after it are ignored).

    The query cache hands over only the histories that may be open on that
    date (found by then, not closed by then), so the work grows with those,
    not with every finding ever made; each status is then derived exactly.
    """
    villages = {v.id: v for v in db.villages()}
    village_ids = list(village_ids or [])  # none given: every active village
    wanted = [vid for vid in village_ids if vid in villages] if village_ids else list(villages)
    day = as_of.isoformat()

    def collect(cache: Any) -> list[FindingRow]:
        # Streamed: each history is derived and dropped, only the open rows are kept.
        rows = []
        for vid, f, history in cache.maybe_open_on(day, wanted if village_ids else None):
            village = villages.get(vid)
            if village is None:
                continue  # archived
            if not history or workflow.event_day(min(history, key=lambda e: e["seq"])) > as_of:
                continue  # not found yet on that date
            status = workflow.derive(history, as_of)
            if not status.is_open:
                continue
            rows.append(FindingRow(
                id=f["id"], village_id=vid, village=village.name, township=village.township, title=f.get("title", ""),
                theme=f.get("theme", ""), severity=f.get("severity", ""), unit=status.unit, deadline=status.deadline,
                state=status.state, escalation=status.escalation, days=(as_of - status.deadline).days,
                original_deadline=status.original_deadline, extensions=len(status.extensions),
            ))
        return rows

    rows = db.queried(collect, wanted if village_ids else None)
    return sort_rows(rows)


def sort_rows(rows: list[FindingRow]) -> list[FindingRow]:
    # Most overdue first; then by deadline and id, so the order is stable.
    return sorted(rows, key=lambda r: (-r.days, r.deadline, r.id))


def matches(row: FindingRow, filters: dict[str, str]) -> bool:
    """Filters: township, village (id or name), unit, theme, severity, escalation, bucket."""
    for key, wanted in filters.items():
        if not wanted:
            continue
        if key == "village":
            if wanted not in (row.village_id, row.village):
                return False
        elif key == "escalation":
            level = workflow.ESCALATIONS[row.escalation - 1] if row.escalation else "none"
            if level != wanted:
                return False
        elif key == "bucket":
            if row.bucket != wanted:
                return False
        elif key == "unit":
            if wanted not in row.unit:
                return False
        elif str(getattr(row, key, "")) != wanted:
            return False
    return True
