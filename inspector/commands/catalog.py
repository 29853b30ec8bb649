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
    for s in catalog.listsets.values():
        mark = t("catalog.default_mark") if s.default else ""
        print(f"{s.id}{mark}  {s.display_name(lang)}")
        for lst in s.lists:
            title = lst.title_en if lang == "en" and lst.title_en else lst.title
            print(f"  {pad(lst.id, 30)} {pad(t('list_kind.' + lst.kind), 14)} {len(lst.items):>3}  {title}")
        checklist = catalog.checklist_for(s.id)
        if checklist:
            print(f"  {t('catalog.checklist')}: {checklist.id} v{checklist.version}, {len(checklist.items)} {t('catalog.check_items')}")
    return 0


def catalog_json(catalog) -> list[dict]:
    out = []
    for s in catalog.listsets.values():
        checklist = catalog.checklist_for(s.id)
        out.append({
            "id": s.id,
            "name": s.name,
            "name_en": s.name_en,
            "default": s.default,
            "lists": [{"id": lst.id, "kind": lst.kind, "title": lst.title, "items": len(lst.items)} for lst in s.lists],
            "checklist": {"id": checklist.id, "version": checklist.version, "items": len(checklist.items)} if checklist else None,
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
    print(f"{t('classify.kind')}: {t('kind_of_task.' + result.kind)}")
    print(f"{t('classify.verdict')}: {t(result.verdict)}")
    for m in result.matches:
        words = "、".join(m.matched) or "-"
        print(f"  {m.score:.2f}  {m.item}  {m.title}  [{words}]")
    return 0
