"""The repository interface: what core, the verbs, the screens and the reports ask of the stored records.

Core defines it and storage implements it (``storage.database.Database`` and
``storage.village_store.VillageStore`` fit these protocols), so the arrows
point one way: core never imports storage, and a second implementation (a
shared county database, a test double) needs nothing but these methods.
Everything travels as core's records (records.py); the errors a caller may act on are defined here so nothing above core
catches a storage class.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Protocol, TypeVar, runtime_checkable

from .models import Village, VillageSummary
from .records import Answer, Event, Finding, Inspection, Observation
from .workflow import FindingStatus


T = TypeVar("T")
Clock = Callable[[], datetime]
Progress = Callable[[int, int], None]  # (villages re-read, villages to re-read)


class RepositoryError(Exception):
    """The repository could not do what was asked (a file broken, full, locked...).

    ``message()`` says it in the interface language; ``exit_status`` is what a
    command ends with: 2 when a file is broken or not ours, 1 when a write was refused.
    """

    exit_status = 2

    def message(self) -> str:
        return str(self)


class NotFound(RepositoryError):
    """No record ``key`` of kind ``what`` (village, inspection, finding, observation)."""

    exit_status = 1

    def __init__(self, what: str, key: str):
        self.what = what
        self.key = key
        super().__init__(f"{what} not found: {key}")

    def message(self) -> str:
        from ..i18n import t

        return t("cli.not_found", what=t(f"noun.{self.what}"), id=self.key)  # t() takes `key` itself


@runtime_checkable
class QueryRows(Protocol):
    """The rows the history queries read (storage answers them from its query cache)."""

    def open_on(self, day: str, vids: list[str] | None) -> Iterator[tuple[str, Finding, FindingStatus]]:
        """(village id, finding, its status on ``day``) for every finding open on ``day`` (ISO).

        The status is what ``workflow.derive`` gives from the events known on that day
        (storage keeps each finding's status after each event, so no history is replayed).
        """
        ...

    def found_by(self, vid: str, day: str) -> list[tuple[Finding, FindingStatus]]:
        """(finding, its status on ``day``) for each finding of the village found on or before ``day``."""
        ...

    def inspection_figures(self, vid: str) -> list[tuple[Inspection, dict]]:
        """(inspection, its figures) for each inspection of the village."""
        ...


@runtime_checkable
class VillageRecords(Protocol):
    """One village's records (一村一档): inspections, answers, observations, findings and their events."""

    vid: str

    @property
    def path(self) -> Path: ...

    def now_iso(self) -> str:
        """The repository's clock, to the second (what ``at`` fields hold)."""
        ...

    @property
    def today(self) -> date: ...

    def batch(self) -> AbstractContextManager[None]:
        """Everything done inside is one atomic write: all of it is stored, or none."""
        ...

    # inspections
    def inspections(self) -> list[Inspection]: ...
    def inspection(self, iid: str) -> Inspection: ...
    def add_inspection(self, *, day: str, kind: str, inspectors: list[str], template: str, template_version: str
                       ) -> Inspection: ...
    def put_inspection(self, inspection: Inspection) -> Inspection: ...

    # answers and observations
    def put_answer(self, answer: Answer) -> Answer: ...
    def answers(self, iid: str) -> dict[str, Answer]: ...
    def add_observation(self, observation: Observation) -> Observation:
        """Store a new observation; its id and time are given here."""
        ...
    def put_observation(self, observation: Observation) -> Observation: ...
    def remove_observation(self, oid: str) -> None: ...
    def observations(self, iid: str) -> list[Observation]: ...

    # findings and their events
    def add_finding(self, finding: Finding, *, deadline: date, by: str) -> Finding:
        """Store a new finding (its id and time given here) and its "found" event, in one write."""
        ...
    def findings(self, iid: str | None = None) -> list[Finding]: ...
    def finding(self, fid: str) -> Finding: ...
    def update_finding(self, fid: str, **changes: Any) -> Finding: ...
    def remove_finding(self, fid: str) -> None: ...
    def events(self, fid: str | None = None) -> list[Event]: ...
    def new_event(self, fid: str, kind: str, *, on: date | None = None, by: str, after: list[Event],
                  **fields: Any) -> Event:
        """The next event of this device for the finding, stamped (id, time, device, counter), not stored."""
        ...
    def append_event(self, event: Event) -> None:
        """Store an event core has checked (core.moves.make_move is the way in)."""
        ...


@runtime_checkable
class Repository(Protocol):
    """The database: villages, their records, the summaries index and the history queries."""

    root: Path
    read_only: bool
    holder: str  # who holds the writer's lock when this copy is read-only

    @property
    def today(self) -> date: ...
    def now_iso(self) -> str: ...
    def close(self) -> None: ...

    # villages
    def villages(self, include_archived: bool = False) -> list[Village]: ...
    def village(self, vid: str) -> Village: ...
    def townships(self) -> list[str]: ...
    def add_village(self, name: str, township: str, kind: str = "village", county: str = "", contact: str = "",
                    phone: str = "") -> Village: ...
    def add_villages(self, rows: list[dict]) -> list[Village]: ...
    def update_village(self, vid: str, **changes: Any) -> Village: ...
    def archive_village(self, vid: str, archived: bool = True) -> Village: ...

    # one village's records
    def store(self, vid: str) -> VillageRecords: ...

    # the summaries index (today's open findings per village)
    @property
    def index_pending(self) -> int: ...
    def load_index(self, progress: Progress | None = None) -> None: ...
    def summary(self, vid: str) -> VillageSummary: ...
    def summaries(self) -> dict[str, VillageSummary]: ...

    # history queries across villages
    def queried(self, ask: Callable[[QueryRows], list[T]], vids: Iterable[str] | None = None) -> list[T]: ...
    def inspection_rows(self, vids: list[str] | None = None, since: str | None = None) -> list[tuple[str, Inspection, int, int, int]]: ...
    def locate(self, kind: str, text: str) -> list[tuple[str, str]]:
        """(village id, id) of every inspection or finding (``kind``) that ``text`` names: the whole id or its end."""
        ...

    # named review filters (the rule for their names is core's: core.saved_filters)
    def saved_filters(self) -> dict[str, dict[str, str]]: ...
    def save_filter(self, name: str, filters: Mapping[str, str]) -> None: ...


@dataclass
class VillageLedger:
    """One village's records, to be written at once (the demo, benchmarks)."""

    inspections: list[Inspection] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


class DatabaseWriter(Protocol):
    """Writes a whole new database at once from records (the demo, benchmarks)."""

    def __call__(self, root: Path, villages: list[Village], ledgers: Iterable[tuple[str, VillageLedger]]) -> None: ...
