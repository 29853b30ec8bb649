"""The database: a folder holding a registry, one file per village, and an index.

    <db>/inspector.json        registry: schema version, villages, settings
    <db>/villages/V0001.json   one village's whole ledger (一村一档): its
                               inspections, answers, observations, findings
                               and finding events
    <db>/index.sqlite          a derived query cache (query_cache.py): per-village
                               summaries, so the first screen and the overdue list
                               need not read every village, and the rows the
                               history queries read; rebuilt for any village whose
                               file changed behind its back
    <db>/backups/              automatic backups (see backups.py)

Why this shape: TinyDB rewrites a whole file on every write. Keeping one small
file per village bounds that cost by one village's size, not the county's, and
the atomic storage makes each write durable and crash-safe.
"""

from __future__ import annotations

import gc
import os
from collections import OrderedDict
from contextlib import AbstractContextManager
from itertools import chain
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping

from tinydb import Query, TinyDB

from ..core import ids
from ..core.errors import UserError
from ..core.models import VILLAGE_KINDS, OpenFinding, Village, VillageSummary
from ..core.records import Inspection, replace
from . import documents
from .atomic import AtomicJSONStorage, check_replaceable, remove_temp_files
from .backups import Backups
from .store_errors import NotADatabase, NotFound, ReadOnly, UpgradeNeedsWriter, write_error
from . import journal
from .upgrade_ids import needs_upgrade, upgrade
from .lock import WriterLock
from .migrations import SCHEMA_VERSION
from .query_cache import CacheLost, QueryCache, VillageRows, remove_old_index
from .shapes import index_entry_fits
from .tinyfile import one_write as _one_write  # the name bench/village_import.py uses
from .tinyfile import open_tinydb
from .village_scan import scan_all
from .village_store import VillageStore

if TYPE_CHECKING:  # imported where a database syncs: not at every start
    from ..core.sync import KnownDevice, Roster

REGISTRY = "inspector.json"
VILLAGES = "villages"
LOCAL_DEVICE = "local"  # events recorded where no device was named (tests, benchmarks); wiring names the real one
STORE_CACHE = 24  # village files kept parsed in memory (LRU)

Clock = Callable[[], datetime]
Progress = Callable[[int, int], None]  # (villages re-read, villages to re-read)


def check_location(path: Path) -> Path:
    """The database folder for ``path``, or NotADatabase saying why not.

    Accepts an existing database folder, its ``inspector.json``, an empty
    folder, or a path that does not exist yet (whose parent does).
    """
    path = Path(path)
    if path.is_file():
        if path.name == REGISTRY:
            return path.parent
        raise NotADatabase(path, "a_file")
    if path.is_dir():
        if (path / REGISTRY).is_file():
            return path
        if any(p for p in path.iterdir() if not p.name.startswith(".")):
            raise NotADatabase(path, "other_files", registry=REGISTRY)
        return path
    if path.exists():
        raise NotADatabase(path, "not_file_or_folder")
    if not path.parent.is_dir():
        raise NotADatabase(path, "no_parent", parent=path.parent)
    return path


class Database:
    """The repository: the only code that touches TinyDB documents."""

    def __init__(self, root: Path, *, clock: Clock, read_only: bool = False, device: str = LOCAL_DEVICE,
                 random_bytes: ids.RandomBytes | None = None):
        self.root = Path(root)
        self.clock = clock
        self.device = device  # the id of the device recording here (events carry it)
        self._new_ids = ids.IdMaker(random_bytes or os.urandom)  # one for the database and its villages
        self.backups = Backups(self.root)
        self._lock = WriterLock(self.root)
        self.holder = ""
        self.read_only = read_only
        self._stores: OrderedDict[str, VillageStore] = OrderedDict()
        self._index: dict[str, dict] = {}
        self._stale: list[tuple[str, list[int] | None]] = []  # (village, its file's stat) to re-read
        self._cache: QueryCache | None = None
        self._stats_pending: dict[str, list[int] | None] = {}  # answers saved: file changed, summary not
        self._registry: TinyDB | None = None
        # Villages parsed once per registry generation: sorted list and by id.
        self._villages_gen = -1
        self._villages_sorted: list[Village] = []
        self._villages_by_id: dict[str, Village] = {}

    # -- opening and closing -------------------------------------------------

    @classmethod
    def open(
        cls, path: Path | str, *, clock: Clock, read_only: bool = False, progress: Progress | None = None,
        defer_index: bool = False, device: str = "", random_bytes: ids.RandomBytes | None = None,
    ) -> "Database":
        """Open (or create) the database at ``path``.

        Village files that changed since the query cache last saw them are
        re-read here (``progress(done, total)`` is told as they are), or, with
        ``defer_index``, left for the caller to re-read with ``load_index``
        (the app does it in a worker behind a progress bar): until then
        ``index_pending`` is their number and no summary may be asked for.
        """
        root = check_location(Path(path))
        creating = not (root / REGISTRY).exists()
        if creating:
            _mkdir(root)
            read_only = False  # nothing to read yet: a new database is created writable
        db = cls(root, clock=clock, read_only=read_only, device=device or LOCAL_DEVICE, random_bytes=random_bytes)
        if not read_only and not db._lock.try_acquire(clock().isoformat(timespec="seconds")):
            db.read_only = True
            db.holder = db._lock.holder()
        if creating and db.read_only:
            raise ReadOnly(root, db.holder)
        try:
            if not db.read_only:
                journal.recover(root)  # an import killed half-way: finished if committed, else dropped
                remove_temp_files(root)  # left by killed writers; we hold the lock now
            if not creating and needs_upgrade(root / REGISTRY):
                db._upgrade()
            db._registry = open_tinydb(
                root / REGISTRY, "registry", db.backups, db.today, read_only=db.read_only, create=creating
            )
            if not db.read_only:
                _mkdir(root / VILLAGES)
                remove_old_index(root)
            # A read-only copy reads and refreshes the cache too (it is not the
            # record; SQLite locks it); where it cannot be written it is in memory.
            db._cache = QueryCache(root, writable=True)
            db._find_stale()
            if not defer_index:
                db.load_index(progress)
            # What was just read (the registry, the summaries of every village) stays for the
            # process's life: the cyclic collector need not walk it again on every full
            # collection (at 3,000 villages one was ~50 ms of a first overdue list).
            gc.freeze()
        except BaseException:
            if db._cache is not None:
                db._cache.close()
            db._lock.release()
            raise
        return db

    def _upgrade(self) -> None:
        """Carry an older database forward (upgrade_ids.py): a reader too, when no one else holds it."""
        if not self.read_only:
            upgrade(self.root, REGISTRY, VILLAGES, self.backups, self.today)
            return
        if self.holder or not self._lock.try_acquire(self.clock().isoformat(timespec="seconds")):
            raise UpgradeNeedsWriter(self.root, self.holder or self._lock.holder())
        try:
            remove_temp_files(self.root)
            upgrade(self.root, REGISTRY, VILLAGES, self.backups, self.today)
        finally:
            self._lock.release()

    def close(self) -> None:
        try:
            if self._cache is not None:
                self._flush_stats()
                self._cache.close()
        finally:
            self._stores.clear()
            self._lock.release()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def today(self) -> date:
        return self.clock().date()

    def now_iso(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def _new_id(self) -> str:
        return self._new_ids(self.clock())

    def check_writable(self) -> None:
        if self.read_only:
            raise ReadOnly(self.root, self.holder)

    @property
    def evidence(self):
        """The evidence folder (storage/evidence_files.py); a read-only copy refuses to keep files."""
        from .evidence_files import EvidenceFiles

        return EvidenceFiles(self.root, check_writable=self.check_writable)

    # -- villages --------------------------------------------------------------

    @property
    def registry(self) -> TinyDB:
        assert self._registry is not None
        return self._registry

    def _village_cache(self) -> dict[str, Village]:
        """Villages by id, rebuilt only when the registry has changed since."""
        generation = self.registry.storage.generation  # type: ignore[attr-defined]
        if generation != self._villages_gen:
            docs = self.registry.table("villages").all()
            out = [documents.village(d) for d in docs]
            self._villages_sorted = sorted(out, key=lambda v: (v.township, v.name, v.id))
            self._villages_by_id = {v.id: v for v in out}
            self._villages_gen = generation
        return self._villages_by_id

    def villages(self, include_archived: bool = False) -> list[Village]:
        self._village_cache()
        return [v for v in self._villages_sorted if include_archived or not v.archived]

    def village(self, vid: str) -> Village:
        found = self._village_cache().get(vid)
        if found is None:
            raise NotFound("village", vid)
        return found  # frozen: shared safely

    def find_village(self, name_or_id: str, township: str | None = None) -> Village:
        matches = [
            v
            for v in self.villages(include_archived=True)
            if (ids.matches(name_or_id, v.id) or v.name == name_or_id) and (township is None or v.township == township)
        ]
        if len(matches) != 1:
            raise NotFound("village", name_or_id)
        return matches[0]

    def townships(self) -> list[str]:
        return sorted({v.township for v in self.villages()})

    def add_village(
        self, name: str, township: str, kind: str = "village", county: str = "", contact: str = "", phone: str = ""
    ) -> Village:
        self.check_writable()
        name, township = name.strip(), township.strip()
        self._check_identity(name, township, kind)
        table = self.registry.table("villages")
        village = Village(id=self._new_id(), name=name, township=township, kind=kind, county=county, contact=contact,
                          phone=phone, changed_at=self.now_iso())
        self._before_registry_change()
        table.insert(documents.village_doc(village))
        self._index[village.id] = {"stat": None, "summary": asdict(VillageSummary())}
        self.cache.put_summaries({village.id: self._index[village.id]})  # else every open would add it
        return village

    def _check_identity(
        self, name: str, township: str, kind: str, other_than: str = "", taken: set | None = None
    ) -> None:
        """A village needs a name and a township, a known kind, and no namesake in its township.

        A namesake is any look-alike (core.names.name_key). ``taken`` is the set of
        identities already stored, when the caller has it (a batch checks in memory).
        """
        if not name or not township:
            raise UserError("village.need_name_township", name=name, township=township)
        if kind not in VILLAGE_KINDS:
            raise UserError("village.bad_kind", name=name, township=township)
        if taken is None:
            taken = {_identity(v.name, v.township) for v in self.villages(include_archived=True) if v.id != other_than}
        if _identity(name, township) in taken:
            raise UserError("village.duplicate", name=name, township=township)

    def add_villages(self, rows: list[dict]) -> list[Village]:
        """Add many villages in one atomic write of the registry: all of them or none.

        The registry is read once for the whole batch (ids and namesakes checked
        in memory): adding row by row re-read it per row, quadratic in the rows.
        """
        self.check_writable()
        table = self.registry.table("villages")
        docs = table.all()
        taken = {_identity(d.get("name", ""), d.get("township", "")) for d in docs}
        added = []
        for row in rows:
            row = {**row, "name": str(row.get("name", "")).strip(), "township": str(row.get("township", "")).strip()}
            self._check_identity(row["name"], row["township"], row.get("kind", "village"), taken=taken)
            taken.add(_identity(row["name"], row["township"]))
            added.append(Village(id=self._new_id(), **row, changed_at=self.now_iso()))
        self._before_registry_change()
        with _one_write(self.registry):
            table.insert_multiple(documents.village_doc(v) for v in added)
        for village in added:
            self._index[village.id] = {"stat": None, "summary": asdict(VillageSummary())}
        self.cache.put_summaries({v.id: self._index[v.id] for v in added})
        return added

    def update_village(self, vid: str, **changes) -> Village:
        self.check_writable()
        current = self.village(vid)
        allowed = set(_VILLAGE_DEFAULTS) - {"id"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"unknown fields: {sorted(unknown)}")
        for key in ("name", "township"):
            if key in changes:
                changes[key] = str(changes[key]).strip()
        if {"name", "township", "kind"} & set(changes):
            merged = {**documents.village_doc(current), **changes}
            self._check_identity(merged["name"], merged["township"], merged["kind"], other_than=vid)
        changes["changed_at"] = self.now_iso()
        self._before_registry_change()
        self.registry.table("villages").update(changes, Query().id == vid)
        return replace(current, **changes)

    def _before_registry_change(self) -> None:
        """Refuse early (the file is read-only...) and back the registry up before it changes."""
        self.check_writable()
        check_replaceable(self.root / REGISTRY)
        self.backups.before_change(self.root / REGISTRY, self.today)

    def archive_village(self, vid: str, archived: bool = True) -> Village:
        return self.update_village(vid, archived=archived)

    # -- sync: what this database sends, the devices it knows ----------------------

    def reload(self) -> None:
        """Read the registry and the village files again (after an import replaced them at once)."""
        self._stores.clear()
        self._villages_gen = -1
        if self._registry is not None:
            self._registry.close()
        self._registry = open_tinydb(self.root / REGISTRY, "registry", self.backups, self.today,
                                     read_only=self.read_only, create=False)
        self._find_stale()
        self.load_index()

    def sync_documents(self, village_ids: Iterable[str] | None = None, since: str = ""
                       ) -> tuple[list[dict], dict[str, dict[str, list[dict]]]]:
        """The stored documents a bundle carries: registry villages, and each village's tables.

        ``since`` (ISO): only villages with a record changed or an event recorded on or
        after it (a bundle carries whole villages: importing one twice changes nothing).
        """
        wanted = set(village_ids) if village_ids is not None else None
        docs = [d for d in self.registry.table("villages").all() if wanted is None or d["id"] in wanted]
        villages, tables = [], {}
        for doc in docs:
            vid = doc["id"]
            data = self.store(vid).tiny.storage.read() or {} if self.village_path(vid).exists() else {}
            rows = {name: list(data.get(name, {}).values()) for name in
                    ("inspections", "answers", "observations", "findings", "events", "removed")}
            if since and doc.get("changed_at", "") < since and not _changed_since(rows, since):
                continue
            villages.append(dict(doc))
            tables[vid] = rows
        return villages, tables

    def sync_evidence(self, tables: dict[str, dict[str, list[dict]]]) -> list[dict]:
        """The evidence files the records of ``tables`` name, as a bundle carries them (those kept here)."""
        import base64

        from .bundles import evidence_named

        out = []
        for sha256, suffix in evidence_named(tables):
            data = self.evidence.content(sha256, suffix)
            if data is not None:
                out.append({"sha256": sha256, "suffix": suffix, "data": base64.b64encode(data).decode()})
        return out

    def known_devices(self) -> dict[str, KnownDevice]:
        """Devices this database has heard from (and this one, once it exported): id -> what it keeps of each."""
        return {str(d["id"]): documents.known_device(d) for d in self.registry.table("devices").all()}

    def note_device(self, device: str, **changes: object) -> KnownDevice:
        """Remember (or update) what this database knows of a device: ``changes`` are KnownDevice's fields."""
        self._before_registry_change()
        table = self.registry.table("devices")
        doc = table.get(Query().id == device)
        from ..core.sync import KnownDevice

        current = documents.known_device(doc) if doc is not None else KnownDevice(id=device)
        updated = replace(current, **changes)  # a field KnownDevice has not is a TypeError: a bug, not a user's error
        table.upsert(documents.known_device_doc(updated), Query().id == device)
        return updated

    def forget_device(self, device: str) -> None:
        """Forget what this database knows of a device (its trust and key); its records stay."""
        self._before_registry_change()
        self.registry.table("devices").remove(Query().id == device)

    def roster(self) -> Roster | None:
        """The county's roster in force here, if one was installed."""
        docs = self.registry.table("roster").all()
        return documents.roster(docs[0]) if docs else None

    def put_roster(self, roster: Roster) -> None:
        self._before_registry_change()
        table = self.registry.table("roster")
        table.truncate()
        table.insert(documents.roster_doc(roster))

    # -- named filters (of the review screen; the rule for a name is core's: core/saved_filters.py) --

    def saved_filters(self) -> dict[str, dict[str, str]]:
        return {d["name"]: dict(d["filters"]) for d in self.registry.table("filters").all()}

    def save_filter(self, name: str, filters: Mapping[str, str]) -> None:
        """Keep ``filters`` under ``name`` exactly as given, replacing one of that name."""
        self._before_registry_change()  # refuses a read-only copy
        self.registry.table("filters").upsert({"name": name, "filters": dict(filters)}, Query().name == name)

    # -- village files ---------------------------------------------------------

    def village_path(self, vid: str) -> Path:
        return self.root / VILLAGES / f"{vid}.json"

    def store(self, vid: str) -> VillageStore:
        """The village's own file, parsed (kept in a small LRU cache)."""
        if vid in self._stores:
            self._stores.move_to_end(vid)
            return self._stores[vid]
        if vid not in self._village_cache():
            raise NotFound("village", vid)
        path = self.village_path(vid)
        if not path.exists() and self.read_only:
            tiny = TinyDB(storage=_EmptyStorage)
        else:
            tiny = open_tinydb(path, "village", self.backups, self.today, read_only=self.read_only, create=not path.exists())
        store = VillageStore(vid, tiny, path, clock=self.clock, before_write=self._before_village_write,
                             written=self._village_written, device=self.device, new_ids=self._new_ids)
        self._stores[vid] = store
        while len(self._stores) > STORE_CACHE:
            self._stores.popitem(last=False)
        return store

    def changing(self, store: VillageStore, summary: bool = True) -> AbstractContextManager[None]:
        """One atomic write of a village's file for everything done inside (see VillageStore.changing)."""
        return store.changing(summary)

    def _before_village_write(self, path: Path) -> None:
        self.check_writable()
        check_replaceable(path)  # a file the user made read-only is refused, not replaced
        self.backups.before_change(path, self.today)

    def _village_written(self, store: VillageStore, summary: bool) -> None:
        """A village's file was written: its row of the summaries index follows."""
        stat = _stat(store.path)
        if summary:
            # One row of the cache, whatever the number of villages.
            self._index[store.vid] = {"stat": stat, "summary": asdict(store.summarize())}
            self._stats_pending.pop(store.vid, None)
            self.cache.put_summaries({store.vid: self._index[store.vid]})
        else:
            # An answer: the summary is the same; its file's new stat is written at close.
            self._index.setdefault(store.vid, {"stat": None, "summary": asdict(VillageSummary())})["stat"] = stat
            self._stats_pending[store.vid] = stat

    # -- the index (summaries) and the query cache ------------------------------

    @property
    def cache(self) -> QueryCache:
        assert self._cache is not None
        return self._cache

    def _find_stale(self) -> None:
        """Summaries from the cache; the villages whose file changed (or that have none) are noted.

        One stat per village: a missing or other cache costs its re-reading, never a wrong summary.
        """
        self._index = {vid: e for vid, e in self.cache.summaries().items() if index_entry_fits(e)}
        self._stale = []
        for v in self.villages(include_archived=True):
            entry = self._index.get(v.id)
            now = _stat(self.village_path(v.id))
            if entry is None or entry.get("stat") != now:
                self._stale.append((v.id, now))

    @property
    def index_pending(self) -> int:
        """Village files still to re-read before the summaries can be trusted (see ``open``)."""
        return len(self._stale)

    def load_index(self, progress: Progress | None = None) -> None:
        """Re-read the village files noted stale, refreshing their summaries and query rows.

        Linear: one read of each changed file, whose query rows are refreshed
        in the same pass (village_scan.py: parsed, checked and summarized at
        once, on every core when there are many).
        """
        stale, index = self._stale, self._index
        if not stale:
            return
        if progress is not None:
            progress(0, len(stale))
        details = self.cache.detail_stats()
        batch: list = []
        # A missing file has an empty summary and no rows yet (query() gives it none).
        missing = [(vid, None, asdict(VillageSummary()), None) for vid, now in stale if now is None]
        jobs = [(vid, now, details.get(vid, _MISSING) != now) for vid, now in stale if now is not None]
        stats = dict(stale)
        told = None if progress is None else (lambda done, _: progress(len(missing) + done, len(stale)))
        with self.cache.bulk():
            for scanned in chain(missing, scan_all(self.root / VILLAGES, jobs, told)):
                if len(scanned) == 2:  # not for the quick path: opened the ordinary way, which may refuse it
                    scanned = self._scan_here(scanned[0], stats[scanned[0]], details)
                batch.append(scanned)
                index[scanned[0]] = {"stat": scanned[1], "summary": scanned[2]}
                if len(batch) >= 50:  # one transaction per 50 villages: few commits, few rows held
                    self.cache.put_villages(batch)
                    batch = []
            if batch:
                self.cache.put_villages(batch)
        self._stale = []
        gc.freeze()  # the summaries just read stay (see open)
        if progress is not None:
            progress(len(stale), len(stale))

    def _scan_here(self, vid: str, now: list[int] | None, details: dict) -> tuple:
        """The ordinary open of one file (migrated in memory, or refused with its backup named)."""
        store = self.store(vid)
        rows = VillageRows.of_store(store) if details.get(vid, _MISSING) != now else None
        return vid, now, asdict(store.summarize()), rows

    def _flush_stats(self) -> None:
        if self._stats_pending:
            self.cache.put_stats(self._stats_pending)
            self._stats_pending = {}

    def query(self, vids: Iterable[str] | None = None) -> QueryCache:
        """The query cache, with the rows of these villages (default: all) in step with their files.

        Each village whose file changed since its rows were taken is re-read
        (one file each); the others cost one stat.
        """
        wanted = [v.id for v in self.villages(include_archived=True)] if vids is None else list(vids)
        known = self.cache.detail_stats()
        for vid in wanted:
            now = _stat(self.village_path(vid))
            if known.get(vid, _MISSING) != now:
                self.cache.put_details(vid, now, VillageRows.of_store(self.store(vid)) if now else _NO_ROWS)
        if self.cache.failed and not self.cache.in_memory:
            self._cache_in_memory()  # a row could not be written (disk full...): never answer from stale rows
            return self.query(vids)
        return self.cache

    def _cache_in_memory(self) -> None:
        self.cache.close()
        self._cache = QueryCache(self.root, writable=False)

    def queried(self, ask: Callable[[QueryCache], list], vids: Iterable[str] | None = None) -> list:
        """``ask(cache)`` on fresh rows; asked again if the cache broke meanwhile, at last in memory."""
        vids = None if vids is None else list(vids)
        for _ in range(2):
            try:
                return ask(self.query(vids))
            except CacheLost:
                pass
        self._cache_in_memory()
        return ask(self.query(vids))

    def locate(self, kind: str, text: str) -> list[tuple[str, str]]:
        """(village id, id) of every inspection or finding ``text`` names: its id or the end of it (core.ids.matches)."""
        return self.queried(lambda cache: cache.locate(kind, text))

    def inspection_rows(self, vids: list[str] | None = None, since: str | None = None) -> list[tuple[str, Inspection, int, int, int]]:
        """(village id, inspection, answers, observations, findings) by date and id, from the query cache."""
        return self.queried(lambda cache: cache.inspections(vids, since), vids)

    def summary(self, vid: str) -> VillageSummary:
        raw = self._index.get(vid, {}).get("summary") or {}
        return VillageSummary(
            inspections=raw.get("inspections", 0),
            drafts=raw.get("drafts", 0),
            findings=raw.get("findings", 0),
            open=[OpenFinding(**f) for f in raw.get("open", [])],
            draft_ids=raw.get("draft_ids", []),
        )

    def summaries(self) -> dict[str, VillageSummary]:
        return {v.id: self.summary(v.id) for v in self.villages()}

    def open_findings(self) -> list[OpenFinding]:
        """Every open finding of every active village, as the index has it."""
        return [f for s in self.summaries().values() for f in s.open]


_MISSING = object()  # no rows cached for the village at all


def _changed_since(rows: dict[str, list[dict]], since: str) -> bool:
    stamps = ("at", "created_at", "changed_at", "completed_at")
    return any(str(d.get(s, "")) >= since for docs in rows.values() for d in docs for s in stamps if d.get(s))


class _NoRows:
    inspections: list = []
    findings: list = []
    events: list = []


_NO_ROWS = _NoRows()


def _identity(name: str, township: str) -> tuple[str, str]:
    from ..core.names import name_key

    return name_key(name), name_key(township)


_VILLAGE_DEFAULTS = {
    "id": "",
    "name": "",
    "township": "",
    "kind": "village",
    "county": "",
    "contact": "",
    "phone": "",
    "archived": False,
}


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise write_error(folder, exc) from exc


def _stat(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_mtime_ns, st.st_size]


class _EmptyStorage(AtomicJSONStorage):
    """A read-only view of a village that has no file yet."""

    def __init__(self) -> None:
        self._data = None
        self.read_only = True
        self.path = Path(os.devnull)
        self._batch_depth = 0
        self._pending = False
        self.generation = 0


__all__ = ["Database", "check_location", "SCHEMA_VERSION"]
