"""Import a sync bundle into a database: the rules of core/sync.py applied to the stored documents.

Everything an import changes (the registry and each village file it touches)
is written at once through the journal (journal.py): after a kill the
database is as before or fully merged. A dry run computes the same report
and writes nothing.
"""

from __future__ import annotations

import base64
import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import sync, workflow
from ..core.names import name_key
from ..core.sync import MergeReport, Roster
from . import documents, journal
from .atomic import dumps
from .bundles import Bundle, BundleError
from .shapes import CHECKS
from .store_errors import CorruptFile

if TYPE_CHECKING:
    from .database import Database

RECORD_TABLES = ("inspections", "answers", "observations", "findings")
REGISTRY_KEPT = "superseded"  # versions of villages that lost to another device's


def _as_tables(docs: dict[str, list[dict]]) -> dict[str, dict[str, dict]]:
    return {name: {str(n): d for n, d in enumerate(rows, 1)} for name, rows in docs.items()}


def _rows(tables: dict[str, Any], name: str) -> list[dict]:
    return list((tables.get(name) or {}).values())


def check_bundle(bundle: Bundle) -> None:
    """Refuse a bundle whose records do not fit (as a village file would be refused), naming the village."""
    try:
        CHECKS["registry"](Path("bundle"), {"villages": _as_tables({"v": bundle.villages})["v"]})
        for vid, tables in bundle.tables.items():
            CHECKS["village"](Path(f"bundle/{vid}"), _as_tables(tables))
            if any(f.get("village") != vid for f in tables.get("findings", [])):
                raise BundleError("bad_content")
    except CorruptFile as exc:
        raise BundleError("bad_content", detail=exc.reason) from None


def merge(db: "Database", bundle: Bundle, *, roster: Roster | None = None, dry_run: bool = False) -> MergeReport:
    """Merge ``bundle`` into ``db`` (or, ``dry_run``, only say what it would do)."""
    check_bundle(bundle)
    report = MergeReport(device=bundle.device, device_name=bundle.name)
    registry = copy.deepcopy(db.registry.storage.read() or {})
    villages = {d["id"]: d for d in _rows(registry, "villages")}
    kept = _rows(registry, REGISTRY_KEPT)
    registry_changed = False
    identities = {(name_key(d.get("township", "")), name_key(d.get("name", ""))): d["id"] for d in villages.values()}
    for theirs in bundle.villages:
        vid = theirs["id"]
        ours = villages.get(vid)
        if ours is None:
            villages[vid] = theirs
            report.new_villages.append(theirs.get("name", ""))
            report.count(report.added, "villages")
            registry_changed = True
            same = identities.get((name_key(theirs.get("township", "")), name_key(theirs.get("name", ""))))
            if same is not None and same != vid:
                report.possible_duplicates.append((theirs.get("township", ""), theirs.get("name", "")))
            continue
        won = sync.winner("villages", ours, theirs)
        if ours != theirs:
            lost = ours if won is theirs else theirs
            registry_changed |= _keep(kept, sync.Superseded("villages", vid, lost, sync.content_hash(won)), report)
        if won is theirs and ours != theirs:
            villages[vid] = theirs
            report.count(report.changed, "villages")
            registry_changed = True
    files: dict[Path, bytes] = {}
    for vid, incoming in bundle.tables.items():
        if vid not in villages:
            raise BundleError("bad_content")
        path = db.village_path(vid)
        current = copy.deepcopy(db.store(vid).tiny.storage.read() or {}) if vid in db._village_cache() and path.exists() \
            else {}
        merged = _merge_village(villages[vid].get("name", vid), current, incoming, roster, report)
        if merged is not None:
            merged.setdefault("meta", {"1": {"schema": bundle.schema, "kind": "village"}})
            files[path] = dumps(merged)
    if registry_changed:
        registry["villages"] = {str(n): d for n, d in enumerate(villages.values(), 1)}
        registry[REGISTRY_KEPT] = {str(n): _kept_doc(s) if isinstance(s, sync.Superseded) else s
                                   for n, s in enumerate(kept, 1)}
        files[db.root / "inspector.json"] = dumps(registry)
    if dry_run or (not files and not bundle.evidence):
        return report
    db.check_writable()
    _keep_evidence(db, bundle)  # first: kept by hash, harmless if the import stops before its records
    for path in files:
        db.backups.before_change(path, db.today)
    journal.commit(db.root, files)
    db.reload()
    return report


def _keep_evidence(db: "Database", bundle: Bundle) -> None:
    for item in bundle.evidence:
        try:
            data = base64.b64decode(item["data"], validate=True)
        except ValueError:
            raise BundleError("bad_content") from None
        if not db.evidence.keep_content(item["sha256"], str(item.get("suffix", "")), data):
            raise BundleError("bad_content")


def _kept_doc(s: sync.Superseded) -> dict:
    return {"kind": s.kind, "key": s.key, "doc": dict(s.doc), "winner": s.winner_hash}


def _keep(kept: list, lost: sync.Superseded, report: MergeReport) -> bool:
    """Keep a losing version once (by kind, key and content); True when it is new here."""
    digest = sync.content_hash(lost.doc)
    for k in kept:
        doc = _kept_doc(k) if isinstance(k, sync.Superseded) else k
        if doc["kind"] == lost.kind and doc["key"] == lost.key and sync.content_hash(doc["doc"]) == digest:
            return False
    kept.append(lost)
    report.superseded.append(lost)
    return True


def _merge_village(name: str, current: dict, incoming: dict[str, list[dict]], roster: Roster | None,
                   report: MergeReport) -> dict | None:
    """The village's tables with ``incoming`` merged in; None when nothing changes."""
    changed = False
    removed = {(d["kind"], d["id"]): d for d in _rows(current, "removed")}
    for d in incoming.get("removed", []):
        if (d.get("kind"), d.get("id")) not in removed:
            removed[(d["kind"], d["id"])] = d
            changed = True
    gone = {key for key in removed}
    kept = _rows(current, "superseded")
    out: dict[str, list[dict]] = {}
    for kind in RECORD_TABLES:
        by_key = {sync.record_key(kind, d): d for d in _rows(current, kind)}
        for theirs in incoming.get(kind, []):
            key = sync.record_key(kind, theirs)
            if (kind, key) in gone:
                continue
            ours = by_key.get(key)
            if ours is None:
                by_key[key] = theirs
                report.count(report.added, kind)
                changed = True
            elif ours != theirs:
                won = sync.winner(kind, ours, theirs)
                lost = ours if won is theirs else theirs
                if _keep(kept, sync.Superseded(kind, key, lost, sync.content_hash(won)), report):
                    changed = True
                if won is theirs:
                    by_key[key] = theirs
                    report.count(report.changed, kind)
                    changed = True
        out[kind] = list(by_key.values())
    events = {d["id"]: d for d in _rows(current, "events")}
    quarantine = {d["id"]: d for d in _rows(current, "quarantine")}
    touched: set[str] = set()
    for ev in incoming.get("events", []):
        if ev["id"] in events or ev["id"] in quarantine:
            continue
        if roster is not None and not roster.may(str(ev.get("device", "")), str(ev.get("type", ""))):
            quarantine[ev["id"]] = ev
            report.quarantined.append((name, _title(out["findings"], ev["finding"]), ev["type"], ev.get("device", "")))
        else:
            events[ev["id"]] = ev
            touched.add(ev["finding"])
            report.count(report.added, "events")
        changed = True
    # Removals: a finding or observation recorded by mistake on a draft, and a finding's events with it.
    before = sum(len(out[k]) for k in RECORD_TABLES) + len(events)
    for kind in ("findings", "observations", "inspections"):
        out[kind] = [d for d in out[kind] if (kind, d.get("id")) not in gone]
    live = {d["id"] for d in out["findings"]}
    events = {i: e for i, e in events.items() if e["finding"] in live}
    report.removed += before - (sum(len(out[k]) for k in RECORD_TABLES) + len(events))
    if not changed:
        return None
    for fid in sorted(touched & live):
        history = [documents.event(e) for e in events.values() if e["finding"] == fid]
        try:
            status = workflow.derive(history)
        except workflow.WorkflowError:
            raise BundleError("bad_content") from None  # a history without its "found" event
        for conflict in status.conflicts:
            report.conflicts.append((name, _title(out["findings"], fid), conflict.type))
    tables: dict[str, Any] = {k: v for k, v in current.items() if k == "meta"}
    for kind in RECORD_TABLES:
        tables[kind] = {str(n): d for n, d in enumerate(out[kind], 1)}
    tables["events"] = {str(n): d for n, d in enumerate(events.values(), 1)}
    if quarantine:
        tables["quarantine"] = {str(n): d for n, d in enumerate(quarantine.values(), 1)}
    if removed:
        tables["removed"] = {str(n): d for n, d in enumerate(removed.values(), 1)}
    if kept:
        tables["superseded"] = {str(n): _kept_doc(s) if isinstance(s, sync.Superseded) else s for n, s in enumerate(kept, 1)}
    return tables


def _title(findings: list[dict], fid: str) -> str:
    return next((f.get("title", "") for f in findings if f.get("id") == fid), fid)
