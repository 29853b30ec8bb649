"""Open findings across villages, "as of" a date: what the review screen and reports list.

Two ways to the same rows:
- ``rows_from_index``: today's open findings from the summaries index; no
  village file is read, so the review screen opens at county scale at once.
- ``rows_as_of``: any date, computed from each finding's event history (a
  finding closed after the date counts as open on it). Reads the query cache
  (storage/query_cache.py), which re-reads only the village files that changed.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

from .finding_view import BUCKETS, FindingView, matches, sort_views, view_of_status
from .records import Finding
from .repository import QueryRows, Repository
from .workflow import FindingStatus

__all__ = ["BUCKETS", "matches", "open_on", "rows_as_of", "rows_from_index", "sort_views"]


def open_on(db: Repository, as_of: date, village_ids: Iterable[str] | None = None) -> list[FindingView]:
    """Open findings on ``as_of``: the summaries index for the database's today, else the event history.

    The index keeps each finding's status with every recorded event, which is
    the answer only on the database's today; any other date is derived.
    """
    if as_of == db.today:
        rows = rows_from_index(db, as_of)
        if village_ids is not None:
            wanted = set(village_ids)
            rows = [r for r in rows if r.village_id in wanted]
        return rows
    return rows_as_of(db, as_of, village_ids)


def rows_from_index(db: Repository, as_of: date) -> list[FindingView]:
    """Today's open findings as views, from the summaries index (each keeps its status of today, not its events)."""
    villages = {v.id: v for v in db.villages()}
    rows = []
    for vid, summary in db.summaries().items():
        village = villages[vid]
        for f in summary.open:
            deadline = date.fromisoformat(f.deadline)
            status = FindingStatus(
                state=f.state, deadline=deadline,
                original_deadline=date.fromisoformat(f.original_deadline) if f.original_deadline else deadline,
                extensions=[dict(e) for e in f.extensions], escalation=f.escalation, unit=f.unit,
            )
            rows.append(view_of_status(Finding.listed(id=f.id, village=vid, title=f.title, theme=f.theme, severity=f.severity),
                                       status, as_of, village_id=vid, village=village.name, township=village.township))
    return sort_views(rows)


def rows_as_of(db: Repository, as_of: date, village_ids: Iterable[str] | None = None) -> list[FindingView]:
    """Open findings on ``as_of``, from the event history (events after it are ignored).

    The query cache hands over only the histories that may be open on that
    date (found by then, not closed by then), so the work grows with those,
    not with every finding ever made; each view is then derived exactly.
    """
    villages = {v.id: v for v in db.villages()}
    village_ids = list(village_ids or [])  # none given: every active village
    wanted = [vid for vid in village_ids if vid in villages] if village_ids else list(villages)

    def collect(cache: QueryRows) -> list[FindingView]:
        # Streamed: only the open views are kept; each status is the one derived on that date.
        rows = []
        for vid, f, status in cache.open_on(as_of.isoformat(), wanted if village_ids else None):
            village = villages.get(vid)
            if village is None:
                continue  # archived
            rows.append(view_of_status(f, status, as_of, village_id=vid, village=village.name, township=village.township))
        return rows

    return sort_views(db.queried(collect, wanted if village_ids else None))
