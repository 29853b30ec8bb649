"""`inspector catalog check|list` and `inspector classify`."""

from __future__ import annotations

import json
import sys

from ..catalog.loader import CatalogError, load_catalog
from ..core.textwidth import pad
from ..i18n import language, t


def run(args) -> int:
    if args.action == "check":
        root = args.dir or args.catalog
        catalog, problems = load_catalog(root, strict=False)
        if problems:
            print(t("catalog.check_failed", root=catalog.root, count=len(problems)), file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        items = sum(len(s.items()) for s in catalog.listsets.values())
        print(t("catalog.check_ok", root=catalog.root, sets=len(catalog.listsets), items=items, checklists=len(catalog.checklists)))
        return 0
    catalog = load_or_report(args)
    if catalog is None:
        return 2
    if args.json:
        print(json.dumps(catalog_json(catalog), ensure_ascii=False, indent=2))
        return 0
    lang = language()
    # What a person reads: set, list and checklist names, never their ids.
    for s in catalog.listsets.values():
        mark = t("catalog.default_mark") if s.default else ""
        print(f"{s.display_name(lang)}{mark}")
        for inc in s.includes:
            included = catalog.listsets.get(inc)
            print("  " + t("catalog_list.includes_line", name=included.display_name(lang) if included else inc))
        for lst in s.lists:
            title = lst.title_en if lang == "en" and lst.title_en else lst.title
            print(f"  {pad(t('list_kind.' + lst.kind), 14)} {len(lst.items):>3}  {title}")
        checklist = catalog.checklist_for(s.id)
        if checklist:
            name = checklist.title_en if lang == "en" else checklist.title
            print("  " + t("catalog_list.checklist_line", name=name, version=checklist.version, count=len(checklist.items)))
    return 0


def _item_json(item) -> dict:
    out = {"id": item.id, "number": item.number, "title": item.title, "department": item.department}
    if item.department_2019:
        out["department_2019"] = item.department_2019
    if item.proof_method:
        out["proof_method"] = item.proof_method
    if item.exceptions:
        out["exceptions"] = item.exceptions
    return out


def catalog_json(catalog) -> list[dict]:
    out = []
    for s in catalog.listsets.values():
        checklist = catalog.checklist_for(s.id)
        out.append({
            "id": s.id,
            "name": s.name,
            "name_en": s.name_en,
            "default": s.default,
            "includes": s.includes,
            "has_certificate_list": s.has_certificate_list,
            "lists": [
                {"id": lst.id, "kind": lst.kind, "title": lst.title, "items": len(lst.items),
                 "own": lst in s.own_lists, "entries": [_item_json(i) for i in lst.items]}
                for lst in s.lists
            ],
            "checklist": {
                "id": checklist.id, "title": checklist.title, "version": checklist.version, "items": len(checklist.items),
                "practice_items": [i.id for i in checklist.items if i.basis_kind == "practice"],
                "references": {i.id: i.reference.id for i in checklist.items if i.reference},
            } if checklist else None,
        })
    return out


def load_or_report(args, message: str = "catalog.invalid_plain"):
    """The catalog, or None after printing every problem (file, item, what) on stderr."""
    try:
        catalog, _ = load_catalog(args.catalog)
    except CatalogError as exc:
        print(t(message, count=len(exc.problems)), file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return None
    return catalog


def classify(args) -> int:
    from ..catalog.classifier import Classifier, load_synonyms

    if not args.text.strip():
        print(t("classifier.empty"), file=sys.stderr)
        return 2
    catalog = load_or_report(args)
    if catalog is None:
        return 2
    listset = catalog.listsets.get(args.listset) if args.listset else catalog.default
    if listset is None:
        print(t("catalog.no_such_set", id=args.listset, choices=", ".join(catalog.listsets)), file=sys.stderr)
        return 2
    result = Classifier(listset, load_synonyms(catalog.root / "classifier" / "synonyms.toml")).classify(args.text)
    if args.json:
        print(json.dumps(result.to_json(t(result.verdict)), ensure_ascii=False, indent=2))
        return 0
    colon, sep = t("classifier.colon"), t("classifier.sep")

    def item(m) -> str:
        return t("classifier.item", list=t("list_kind." + m.list_kind), number=m.number, title=m.title)

    def words(m) -> str:
        return sep.join(m.evidence or m.matched) or "-"

    print(f"{t('classify.kind')}{colon}{t('kind_of_task.' + result.kind)}")
    print(f"{t('classify.verdict')}{colon}{t(result.verdict)}")
    basis = result.basis
    print(f"{t('classifier.basis')}{colon}{item(basis) if basis else t('classifier.no_basis')}")
    evidence = sep.join(result.evidence)
    print(f"{t('classifier.why')}{colon}{t('classifier.reason.' + result.reason, evidence=evidence)}")
    print(f"{t('classifier.confidence')}{colon}{result.confidence:.2f}")
    if basis:
        print(f"  {t('classifier.matched')}{colon}{words(basis)}")
    others = result.matches[1:]
    for title, rows in (("classifier.others", others), ("classifier.candidates" if result.uncertain else "classifier.nearest", result.candidates)):
        if rows:
            print(f"{t(title)}{colon}".rstrip())
            for m in rows:
                print(f"  {item(m)}  [{words(m)}]")
    return 0
