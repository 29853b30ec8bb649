"""Read a catalog folder and validate it.

Every problem is collected as a CatalogProblem naming the file, the item and
what is wrong, so ``inspector catalog check`` can print them all at once and
the app can refuse a bad catalog with a message instead of a traceback.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import (
    ANSWER_TYPES,
    LIST_KINDS,
    OBSERVED,
    SEVERITIES,
    THEMES,
    Catalog,
    CheckItem,
    Checklist,
    ListItem,
    ListSet,
    PolicyList,
    Theme,
)

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "data"
PERIOD = re.compile(r"^\d+(d|wd)$")


@dataclass
class CatalogProblem:
    file: Path
    where: str  # the item or key concerned ("" for the whole file)
    message: str

    def __str__(self) -> str:
        where = f" [{self.where}]" if self.where else ""
        return f"{self.file}{where}: {self.message}"


class CatalogError(Exception):
    def __init__(self, problems: list[CatalogProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Reader:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[CatalogProblem] = []

    def problem(self, file: Path, where: str, message: str) -> None:
        self.problems.append(CatalogProblem(file, where, message))

    def toml(self, path: Path) -> dict[str, Any] | None:
        try:
            with open(path, "rb") as fh:
                return tomllib.load(fh)
        except FileNotFoundError:
            self.problem(path, "", "file not found")
        except UnicodeDecodeError:
            self.problem(path, "", "not UTF-8 text")
        except tomllib.TOMLDecodeError as exc:
            self.problem(path, "", f"not valid TOML: {exc}")
        return None

    def need(self, data: dict, key: str, typ: type | tuple, file: Path, where: str, required: bool = True) -> Any:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(file, where, f"missing '{key}'")
            return None
        if not isinstance(value, typ):
            self.problem(file, where, f"'{key}' should be {_typename(typ)}")
            return None
        if typ is list and not all(isinstance(v, str) for v in value):
            self.problem(file, where, f"'{key}' should be a list of strings")
            return None
        return value


def _typename(typ: type | tuple) -> str:
    names = {str: "text", int: "a number", list: "a list", bool: "true or false", dict: "a table"}
    if isinstance(typ, tuple):
        return " or ".join(names.get(t, t.__name__) for t in typ)
    return names.get(typ, typ.__name__)


def _load_list(r: _Reader, path: Path) -> PolicyList | None:
    data = r.toml(path)
    if data is None:
        return None
    lid = r.need(data, "id", str, path, "")
    kind = r.need(data, "kind", str, path, "")
    title = r.need(data, "title", str, path, "")
    if kind and kind not in LIST_KINDS:
        r.problem(path, "", f"unknown kind '{kind}' (one of {', '.join(LIST_KINDS)})")
    count = r.need(data, "count", int, path, "", required=False)
    raw_items = data.get("items", [])
    if not isinstance(raw_items, list) or not raw_items:
        r.problem(path, "", "no [[items]]")
        raw_items = []
    items: list[ListItem] = []
    for n, raw in enumerate(raw_items, 1):
        where = str(raw.get("id") or f"item #{n}") if isinstance(raw, dict) else f"item #{n}"
        if not isinstance(raw, dict):
            r.problem(path, where, "not a table")
            continue
        iid = r.need(raw, "id", str, path, where)
        number = r.need(raw, "number", (str, int), path, where)
        ititle = r.need(raw, "title", str, path, where)
        extra = {}
        for key in ("content", "department", "group", "remarks"):
            extra[key] = r.need(raw, key, str, path, where, required=False) or ""
        for key in ("subtasks", "basis"):
            extra[key] = r.need(raw, key, list, path, where, required=False) or []
        unknown = set(raw) - {"id", "number", "title", "content", "department", "group", "remarks", "subtasks", "basis"}
        if unknown:
            r.problem(path, where, f"unknown keys: {', '.join(sorted(unknown))}")
        if iid and lid and not iid.startswith(lid + "."):
            r.problem(path, where, f"item id should start with the list id '{lid}.'")
        if iid and ititle and number is not None:
            items.append(ListItem(id=iid, number=str(number), title=ititle, list_id=lid or "", kind=kind or "", **extra))
    if count is not None and count != len(raw_items):
        r.problem(path, "", f"declares count = {count} but has {len(raw_items)} items")
    if not (lid and kind and title):
        return None
    return PolicyList(
        id=lid,
        kind=kind,
        title=title,
        title_en=data.get("title_en", ""),
        source=data.get("source", ""),
        path=path,
        count=count,
        notes=data.get("notes", ""),
        items=items,
    )


def _load_set(r: _Reader, path: Path, lists_root: Path, cache: dict[Path, PolicyList | None]) -> ListSet | None:
    data = r.toml(path)
    if data is None:
        return None
    sid = r.need(data, "id", str, path, "")
    name = r.need(data, "name", str, path, "")
    rel_lists = r.need(data, "lists", list, path, "") or []
    lists: list[PolicyList] = []
    for rel in rel_lists:
        lpath = (lists_root / rel).resolve()
        if lpath not in cache:
            cache[lpath] = _load_list(r, lpath) if lpath.exists() else None
            if not lpath.exists():
                r.problem(path, rel, "listed file does not exist")
        if cache[lpath] is not None:
            lists.append(cache[lpath])  # type: ignore[arg-type]
    if not (sid and name):
        return None
    return ListSet(
        id=sid,
        name=name,
        name_en=data.get("name_en", ""),
        region=data.get("region", ""),
        year=data.get("year"),
        default=bool(data.get("default", False)),
        sources=[str(s) for s in data.get("sources", [])],
        lists=lists,
        path=path,
    )


def _load_checklist(r: _Reader, path: Path) -> Checklist | None:
    data = r.toml(path)
    if data is None:
        return None
    cid = r.need(data, "id", str, path, "")
    listset = r.need(data, "listset", str, path, "")
    version = r.need(data, "version", str, path, "")
    themes = []
    for raw in data.get("themes", []):
        tid = raw.get("id", "")
        if tid not in THEMES:
            r.problem(path, f"theme {tid}", f"unknown theme (one of {', '.join(THEMES)})")
        themes.append(Theme(tid, raw.get("title", tid), raw.get("title_en", tid)))
    missing = [t for t in THEMES if t not in {th.id for th in themes}]
    if missing:
        r.problem(path, "", f"themes missing: {', '.join(missing)}")
    items: list[CheckItem] = []
    required = ("id", "theme", "question", "question_en", "guidance", "guidance_en", "answer", "fail_on", "severity", "period", "basis_text")
    for n, raw in enumerate(data.get("items", []), 1):
        where = str(raw.get("id") or f"item #{n}")
        values = {k: r.need(raw, k, str, path, where) for k in required}
        if any(v is None for v in values.values()):
            continue
        if values["theme"] not in THEMES:
            r.problem(path, where, f"unknown theme '{values['theme']}'")
        if values["answer"] not in ANSWER_TYPES:
            r.problem(path, where, f"unknown answer type '{values['answer']}' (one of {', '.join(ANSWER_TYPES)})")
        if values["severity"] not in SEVERITIES:
            r.problem(path, where, f"unknown severity '{values['severity']}' (one of {', '.join(SEVERITIES)})")
        if not PERIOD.match(values["period"]):
            r.problem(path, where, f"period '{values['period']}' should look like '30d' or '20wd'")
        expected_fail = {"yes_no": ("yes", "no"), "count": ("over",), "list": ("violation",)}.get(values["answer"], ())
        if expected_fail and values["fail_on"] not in expected_fail:
            r.problem(path, where, f"fail_on '{values['fail_on']}' does not fit answer '{values['answer']}' ({', '.join(expected_fail)})")
        observe = raw.get("observe", "")
        if values["answer"] == "list" and observe not in OBSERVED:
            r.problem(path, where, f"list items need 'observe' (one of {', '.join(OBSERVED)})")
        requires = raw.get("requires", "")
        if requires not in ("", "note", "evidence", "note+evidence"):
            r.problem(path, where, f"unknown requires '{requires}'")
        allowed = raw.get("allowed")
        if allowed is not None and not isinstance(allowed, int):
            r.problem(path, where, "'allowed' should be a number")
            allowed = None
        basis_items = r.need(raw, "basis_items", list, path, where, required=False) or []
        items.append(CheckItem(**values, observe=observe, allowed=allowed, requires=requires, basis_items=basis_items))
    if not (cid and listset and version):
        return None
    return Checklist(cid, listset, version, data.get("title", cid), data.get("title_en", cid), themes, items, path)


def load_catalog(root: Path | str | None = None, *, strict: bool = True) -> tuple[Catalog, list[CatalogProblem]]:
    """Load every list set and checklist under ``root``.

    With ``strict`` a catalog with problems raises CatalogError; otherwise the
    problems are returned beside what could be loaded.
    """
    root = Path(root) if root else DEFAULT_ROOT
    r = _Reader(root)
    if not root.is_dir():
        r.problem(root, "", "catalog folder not found")
        if strict:
            raise CatalogError(r.problems)
        return Catalog(root, {}, {}), r.problems
    lists_root = root / "lists"
    cache: dict[Path, PolicyList | None] = {}
    listsets: dict[str, ListSet] = {}
    for path in sorted(lists_root.glob("*/listset.toml")):
        s = _load_set(r, path, lists_root, cache)
        if s is None:
            continue
        if s.id in listsets:
            r.problem(path, s.id, f"list set id also used by {listsets[s.id].path}")
        listsets[s.id] = s
    if not listsets:
        r.problem(lists_root, "", "no list sets (lists/<set>/listset.toml)")
    defaults = [s.id for s in listsets.values() if s.default]
    if listsets and len(defaults) != 1:
        r.problem(lists_root, "", f"exactly one list set must have default = true (found {len(defaults)}: {', '.join(defaults)})")
    # Item ids are unique across the whole catalog (a file shared by two sets counts once).
    seen: dict[str, Path] = {}
    for plist in (p for p in cache.values() if p is not None):
        for item in plist.items:
            if item.id in seen:
                r.problem(plist.path, item.id, f"duplicate item id (also in {seen[item.id]})")
            seen[item.id] = plist.path
    checklists: dict[str, Checklist] = {}
    for path in sorted((root / "checklists").glob("*.toml")):
        c = _load_checklist(r, path)
        if c is None:
            continue
        if c.id in checklists:
            r.problem(path, c.id, "duplicate checklist id")
        ids = [i.id for i in c.items]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            r.problem(path, dup, "duplicate check item id")
        lset = listsets.get(c.listset)
        if lset is None:
            r.problem(path, "", f"listset '{c.listset}' does not exist")
        else:
            known = {i.id for i in lset.items()}
            for item in c.items:
                for ref in item.basis_items:
                    if ref not in known:
                        r.problem(path, item.id, f"basis item '{ref}' is not in list set '{c.listset}'")
        checklists[c.id] = c
    catalog = Catalog(root, listsets, checklists)
    if strict and r.problems:
        raise CatalogError(r.problems)
    return catalog, r.problems
