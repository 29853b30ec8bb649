"""`inspector evidence add|list|verify`: photos, scans and documents kept with a finding.

    inspector evidence add FINDING FILE... [--in-village V]   keep the files with the finding (one attach record)
    inspector evidence list FINDING [--in-village V] [--json] the finding's evidence, where each file is kept
    inspector evidence verify                                 every kept file of the database hashed again

FINDING is the finding's whole id or its end (at least 4 characters);
``--in-village`` picks among findings of several villages whose ids end alike.
Exit status: 0 done; 1 a refusal (unknown finding, a file too large or of an
unsupported type or missing: nothing kept, nothing recorded; a read-only
database), or ``verify`` found a file missing or altered; 2 a broken catalog.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

from ..core import ids
from ..core.errors import UserError
from ..core.evidence import EvidenceProblem, attach_to_finding, finding_files, size_parts
from ..core.records import EvidenceFile
from ..i18n import t
from .common import Refused, find_village
from .villages import format_table


def add_parser(verbs, verb: Callable[..., argparse.ArgumentParser]) -> None:
    """``evidence add|list|verify`` (``verb`` is cli.py's helper: a subparser with the global options)."""
    evidence = verbs.add_parser("evidence", help=t("evidence.help.verb"), description=t("evidence.help.verb"))
    sub = evidence.add_subparsers(dest="action", required=True, parser_class=type(evidence),
                                  metavar=t("cli.metavar.action"))
    add = verb(sub, "add", "evidence.help.add")
    add.add_argument("finding", metavar=t("evidence.metavar.finding"), help=t("evidence.help.finding"))
    add.add_argument("files", nargs="+", type=Path, metavar=t("evidence.metavar.file"), help=t("evidence.help.files"))
    add.add_argument("--in-village", dest="in_village", metavar=t("evidence.metavar.village"),
                     help=t("evidence.help.in_village"))
    listing = verb(sub, "list", "evidence.help.list")
    listing.add_argument("finding", metavar=t("evidence.metavar.finding"), help=t("evidence.help.finding"))
    listing.add_argument("--in-village", dest="in_village", metavar=t("evidence.metavar.village"),
                         help=t("evidence.help.in_village"))
    listing.add_argument("--json", action="store_true", help=t("commands.help_json"))
    verb(sub, "verify", "evidence.help.verify")


def run(args: argparse.Namespace, open_db) -> int:
    try:
        if args.action == "add":
            return add(args, open_db)
        if args.action == "list":
            return list_files(args, open_db)
        return verify(args, open_db)
    except UserError as exc:  # a file refused (too large, unsupported, missing): nothing kept, nothing recorded
        print(exc.message(), file=sys.stderr)
        return 1


def locate_finding(db: Any, text: str, village_text: str | None = None) -> tuple[Any, str]:
    """(village, whole id) of the one finding ``text`` names (in ``village_text``'s village); Refused otherwise."""
    typed = (text or "").strip()
    chosen = find_village(db, village_text) if village_text else None
    located = [(vid, rid) for vid, rid in db.locate("finding", typed) if ids.matches(typed, rid)] if typed else []
    villages = {v.id: v for v in db.villages(include_archived=True)}
    found = [(villages[vid], rid) for vid, rid in located
             if vid in villages and (chosen is None or vid == chosen.id)]
    if len(found) == 1:
        return found[0]
    if not found:
        if chosen is not None:
            raise Refused(t("evidence.no_finding_in_village", id=typed, village=chosen.name, township=chosen.township))
        raise Refused(t("supervise.unknown_finding", id=typed))
    candidates = t("supervise.sep").join(
        t("commands.record_candidate", id=ids.short(rid), village=v.name, township=v.township) for v, rid in found)
    raise Refused(t("commands.several_findings", n=len(found), id=typed, candidates=candidates)
                  + t("evidence.pick_village"))


def _county(args: argparse.Namespace):
    from .catalogs import load_or_report

    catalog = load_or_report(args)
    if catalog is None:
        raise Refused("", 2)  # the problems are printed already
    return catalog.county


def add(args: argparse.Namespace, open_db) -> int:
    county = _county(args)
    with open_db(args) as db:
        village, fid = locate_finding(db, args.finding, args.in_village)
        attached = attach_to_finding(db, village.id, fid, args.files, args.user, limit=county.evidence_max_bytes)
    where = dict(id=ids.short(fid), village=village.name, township=village.township)
    sep = t("supervise.sep")
    if attached.added:
        print(t("evidence.added", n=len(attached.added), names=sep.join(f.name for f in attached.added), **where))
    if attached.already:
        print(t("evidence.already", n=len(attached.already), names=sep.join(f.name for f in attached.already), **where))
    return 0


def list_files(args: argparse.Namespace, open_db) -> int:
    with open_db(args, read_only=True) as db:
        village, fid = locate_finding(db, args.finding, args.in_village)
        files = finding_files(db.store(village.id).events(fid))
        kept = db.evidence
        rows = [(f, kept.relative_path(f)) for f in files]
    if args.json:
        print(json.dumps([_file_json(fid, f, path) for f, path in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(t("evidence.none", id=ids.short(fid), village=village.name, township=village.township))
        return 0
    header = [t("evidence.col.number"), t("evidence.col.name"), t("evidence.col.size"), t("evidence.col.by"),
              t("evidence.col.at"), t("evidence.col.path")]
    table = [[str(n), f.name, _size(f.size), f.by, f.at.replace("T", " "), path]
             for n, (f, path) in enumerate(rows, 1)]
    print(t("evidence.list_title", id=ids.short(fid), village=village.name, township=village.township, n=len(rows)))
    print(format_table(header, table))
    return 0


def _size(size: int) -> str:
    number, unit = size_parts(size)
    return t(f"evidence.size_{unit.lower()}", size=number)


def _file_json(fid: str, file: EvidenceFile, path: str) -> dict[str, Any]:
    return {"finding": fid, "number": ids.short(fid), "name": file.name, "size": file.size, "suffix": file.suffix,
            "sha256": file.sha256, "by": file.by, "at": file.at, "path": path}


def kept_files(db: Any, numbers: Callable[[str], dict[str, str]] | None = None) -> list[tuple[EvidenceFile, str]]:
    """Every evidence file the database records, with where it is recorded (a finding, an inspection's item)."""
    out: list[tuple[EvidenceFile, str]] = []
    for village in db.villages(include_archived=True):
        store = db.store(village.id)
        for event in store.events():
            for file in event.files:
                out.append((file, t("evidence.of_finding", id=ids.short(event.finding), village=village.name,
                                    township=village.township)))
        for inspection in store.inspections():
            number = numbers(inspection.template) if numbers else {}
            for item, answer in store.answers(inspection.id).items():
                for file in answer.files:
                    out.append((file, t("evidence.of_answer", id=ids.short(inspection.id), number=number.get(item, "?"),
                                        village=village.name, township=village.township)))
    return out


def verify(args: argparse.Namespace, open_db) -> int:
    numbers = _item_numbers(args)
    with open_db(args, read_only=True) as db:
        recorded = kept_files(db, numbers)
        problems = db.evidence.verify(f for f, _ in recorded)
        folder = db.root
    bad = {(p.file.sha256, p.file.suffix): p for p in problems}
    lines = 0
    for file, where in recorded:
        problem: EvidenceProblem | None = bad.get((file.sha256, file.suffix))
        if problem is not None:
            print(t(f"evidence.problem.{problem.kind}", name=file.name, where=where,
                    path=problem.path.relative_to(folder).as_posix()), file=sys.stderr)
            lines += 1
    if lines:
        print(t("evidence.verify_failed", n=len(recorded), bad=lines), file=sys.stderr)
        return 1
    print(t("evidence.verify_ok", n=len(recorded)))
    return 0


def _item_numbers(args: argparse.Namespace) -> Callable[[str], dict[str, str]] | None:
    """Item numbers ("2.3") by checklist, to name an item; None when the catalog cannot be read (verify still runs)."""
    from ..catalog.loader import CatalogError, load_catalog
    from ..core.item_text import numbering

    try:
        catalog, _ = load_catalog(args.catalog)
    except CatalogError:
        return None
    cache: dict[str, dict[str, str]] = {}

    def numbers(template: str) -> dict[str, str]:
        if template not in cache:
            checklist = catalog.checklists.get(template)
            cache[template] = numbering(checklist) if checklist else {}
        return cache[template]

    return numbers
