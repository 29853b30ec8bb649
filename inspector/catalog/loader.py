"""Read a catalog folder and validate it.

Every problem is collected as a CatalogProblem naming the file, the item and
what is wrong, so ``inspector catalog check`` can print them all at once and
the app can refuse a bad catalog with a message instead of a traceback.
Problems are message keys rendered in the interface language when printed.
"""

from __future__ import annotations

import errno
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import i18n
from .model import (
    ANSWER_TYPES,
    BASIS_KINDS,
    LIST_KINDS,
    OBSERVED,
    SEVERITIES,
    THEMES,
    Catalog,
    CheckItem,
    CountySettings,
    Checklist,
    ListItem,
    ListSet,
    PolicyList,
    Reference,
    Theme,
)


def _default_root() -> Path:
    # An installed wheel carries the catalog inside the package (inspector/data);
    # a checkout or an editable install reads the top-level data/ a county copies.
    packaged = Path(__file__).resolve().parents[1] / "data"
    return packaged if (packaged / "lists").is_dir() else Path(__file__).resolve().parents[2] / "data"


DEFAULT_ROOT = _default_root()
PERIOD = re.compile(r"^\d+(d|wd)$")
# Observations classified against the lists need these kinds of list in the set.
NEEDS_LISTS = {
    "task": ("autonomy", "assistance", "negative"),
    "ledger": ("autonomy", "assistance", "negative"),
    "service": ("negative",),
}
LIST_ITEM_KEYS = {"id", "number", "title", "content", "department", "group", "remarks", "subtasks", "basis",
                  "department_2019", "proof_method", "exceptions"}


@dataclass
class CatalogProblem:
    file: Path
    where: str  # the item or key concerned ("" for the whole file)
    code: str  # message key under catalog_problem.
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return i18n.t(f"catalog_problem.{self.code}", **self.params)

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

    def problem(self, file: Path, where: str, code: str, **params: Any) -> None:
        self.problems.append(CatalogProblem(file, where, code, params))

    def toml(self, path: Path) -> dict[str, Any] | None:
        """The file's table, or None after one problem naming the file (never an exception)."""
        try:
            with open(path, "rb") as fh:
                return tomllib.load(fh)
        except FileNotFoundError:
            self.problem(path, "", "not_found")
        except IsADirectoryError:
            self.problem(path, "", "is_folder")
        except PermissionError:
            self.problem(path, "", "unreadable")
        except UnicodeDecodeError:
            self.problem(path, "", "not_utf8")
        except tomllib.TOMLDecodeError as exc:
            at = re.search(r"line (\d+), column (\d+)", str(exc))
            if at:
                self.problem(path, "", "bad_toml_at", line=at.group(1), column=at.group(2))
            else:
                self.problem(path, "", "bad_toml")
        except RecursionError:
            self.problem(path, "", "too_deep")
        except OSError as exc:
            self.problem(path, "", "symlink_loop" if exc.errno == errno.ELOOP else "unreadable")
        return None

    def need(self, data: dict, key: str, typ: type | tuple, file: Path, where: str, required: bool = True) -> Any:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(file, where, "missing", field=key)
            return None
        if isinstance(value, bool) and typ is not bool and not (isinstance(typ, tuple) and bool in typ):
            self.problem(file, where, "wrong_type", field=key, type=_typename(typ))
            return None
        if not isinstance(value, typ):
            self.problem(file, where, "wrong_type", field=key, type=_typename(typ))
            return None
        if typ is list and not all(isinstance(v, str) for v in value):
            self.problem(file, where, "wrong_type", field=key, type=_typename("strings"))
            return None
        if isinstance(value, str) and required and not value.strip():
            # An emptied title must not make its item vanish silently.
            self.problem(file, where, "empty", field=key)
            return None
        return value

    def tables(self, data: dict, key: str, file: Path) -> list[dict]:
        """``[[key]]`` as a list of tables; anything else is reported once."""
        raw = data.get(key, [])
        if not isinstance(raw, list):
            self.problem(file, "", "wrong_type", field=key, type=_typename("tables"))
            return []
        out = []
        for n, value in enumerate(raw, 1):
            if isinstance(value, dict):
                out.append(value)
            else:
                self.problem(file, f"#{n}", "not_a_table", field=key)
        return out


def _typename(typ: type | tuple | str) -> str:
    names = {str: "text", int: "number", list: "list", bool: "bool", dict: "table", "strings": "strings", "tables": "tables"}
    if isinstance(typ, tuple):
        return "|".join(i18n.t(f"catalog_type.{names.get(t, 'text')}") for t in typ)
    return i18n.t(f"catalog_type.{names.get(typ, 'text')}")


def _resolve(r: _Reader, path: Path, owner: Path, where: str) -> Path | None:
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # a symbolic link loop
        r.problem(owner, where, "symlink_loop_listed")
        return None


def _load_list(r: _Reader, path: Path) -> PolicyList | None:
    data = r.toml(path)
    if data is None:
        return None
    lid = r.need(data, "id", str, path, "")
    kind = r.need(data, "kind", str, path, "")
    title = r.need(data, "title", str, path, "")
    if kind and kind not in LIST_KINDS:
        r.problem(path, "", "unknown_kind", kind=kind, choices=", ".join(LIST_KINDS))
    count = r.need(data, "count", int, path, "", required=False)
    raw_items = r.tables(data, "items", path)
    if not raw_items:
        r.problem(path, "", "no_items")
    items: list[ListItem] = []
    for n, raw in enumerate(raw_items, 1):
        where = str(raw.get("id") or f"#{n}")
        iid = r.need(raw, "id", str, path, where)
        number = r.need(raw, "number", (str, int), path, where)
        ititle = r.need(raw, "title", str, path, where)
        extra: dict[str, Any] = {}
        for key in ("content", "department", "group", "remarks", "department_2019", "proof_method"):
            extra[key] = r.need(raw, key, str, path, where, required=False) or ""
        for key in ("subtasks", "basis", "exceptions"):
            extra[key] = r.need(raw, key, list, path, where, required=False) or []
        unknown = set(raw) - LIST_ITEM_KEYS
        if unknown:
            r.problem(path, where, "unknown_keys", keys=", ".join(sorted(unknown)))
        if iid and lid and not iid.startswith(lid + "."):
            r.problem(path, where, "item_id_prefix", list=lid)
        if iid and ititle and number is not None:
            items.append(ListItem(id=iid, number=str(number), title=ititle, list_id=lid or "", kind=kind or "", **extra))
    if count is not None and count != len(raw_items):
        r.problem(path, "", "count_mismatch", count=count, found=len(raw_items))
    if not (lid and kind and title):
        return None
    return PolicyList(
        id=lid,
        kind=kind,
        title=title,
        title_en=str(data.get("title_en", "")),
        source=str(data.get("source", "")),
        path=path,
        count=count,
        notes=str(data.get("notes", "")),
        items=items,
    )


def _load_set(r: _Reader, path: Path, lists_root: Path, cache: dict[Path, PolicyList | None]) -> ListSet | None:
    data = r.toml(path)
    if data is None:
        return None
    sid = r.need(data, "id", str, path, "")
    name = r.need(data, "name", str, path, "")
    rel_lists = r.need(data, "lists", list, path, "") or []
    includes = r.need(data, "includes", list, path, "", required=False) or []
    sources = r.need(data, "sources", list, path, "", required=False) or []
    year = r.need(data, "year", int, path, "", required=False)
    default = r.need(data, "default", bool, path, "", required=False)
    lists: list[PolicyList] = []
    for rel in rel_lists:
        lpath = _resolve(r, lists_root / rel, path, rel)
        if lpath is None:
            continue
        if lpath not in cache:
            if lpath.exists():
                cache[lpath] = _load_list(r, lpath)
            else:
                cache[lpath] = None
                r.problem(path, rel, "listed_missing")
        if cache[lpath] is not None:
            lists.append(cache[lpath])  # type: ignore[arg-type]
    if not (sid and name):
        return None
    return ListSet(
        id=sid,
        name=name,
        name_en=str(data.get("name_en", "")),
        region=str(data.get("region", "")),
        year=year,
        default=bool(default),
        sources=list(sources),
        lists=list(lists),
        path=path,
        includes=list(includes),
        own_lists=lists,
    )


def _resolve_includes(r: _Reader, listsets: dict[str, ListSet]) -> None:
    """Give every set the lists of the sets it includes (own lists first, each list once)."""

    def gather(s: ListSet, chain: tuple[str, ...]) -> list[PolicyList]:
        out = list(s.own_lists)
        for inc in s.includes:
            if inc in chain:
                r.problem(s.path, inc, "include_cycle", chain=" → ".join((*chain, inc)))
                continue
            other = listsets.get(inc)
            if other is None:
                r.problem(s.path, inc, "include_unknown", choices=", ".join(listsets))
                continue
            out += gather(other, (*chain, inc))
        return out

    for s in listsets.values():
        seen: set[str] = set()
        s.lists = [lst for lst in gather(s, (s.id,)) if not (lst.id in seen or seen.add(lst.id))]


def _load_reference(r: _Reader, path: Path) -> Reference | None:
    data = r.toml(path)
    if data is None:
        return None
    rid = r.need(data, "id", str, path, "")
    title = r.need(data, "title", str, path, "")
    entries = r.need(data, "entries", list, path, "", required=False) or []
    allowed = r.need(data, "allowed", int, path, "", required=False)
    unknown = set(data) - {"id", "title", "title_en", "source", "entries", "allowed", "notes"}
    if unknown:
        r.problem(path, "", "unknown_keys", keys=", ".join(sorted(unknown)))
    if allowed is not None and allowed < 0:
        r.problem(path, "", "negative_allowed")
        allowed = None
    if allowed is None and not entries:
        r.problem(path, "", "reference_empty")
    dups = sorted({e for e in entries if entries.count(e) > 1})
    if dups:
        r.problem(path, "", "reference_duplicates", entries="、".join(dups))
    if not (rid and title) or (allowed is None and not entries):
        return None
    return Reference(rid, title, str(data.get("title_en", "")), str(data.get("source", "")), list(entries),
                     len(entries) if allowed is None else allowed, path)


def _load_checklist(r: _Reader, path: Path, references: dict[str, Reference]) -> Checklist | None:
    data = r.toml(path)
    if data is None:
        return None
    cid = r.need(data, "id", str, path, "")
    listset = r.need(data, "listset", str, path, "")
    version = r.need(data, "version", str, path, "")
    themes = []
    for raw in r.tables(data, "themes", path):
        tid = str(raw.get("id", ""))
        if tid not in THEMES:
            r.problem(path, tid, "unknown_theme", choices=", ".join(THEMES))
        themes.append(Theme(tid, str(raw.get("title", tid)), str(raw.get("title_en", tid))))
    missing = [t for t in THEMES if t not in {th.id for th in themes}]
    if missing:
        r.problem(path, "", "themes_missing", themes=", ".join(missing))
    items: list[CheckItem] = []
    required = ("id", "theme", "question", "question_en", "guidance", "guidance_en", "answer", "fail_on", "severity", "period")
    for n, raw in enumerate(r.tables(data, "items", path), 1):
        where = str(raw.get("id") or f"#{n}")
        values = {k: r.need(raw, k, str, path, where) for k in required}
        # A rule from the documents quotes its clause; county practice may quote nothing
        # (the "county practice" label is the interface's, in the interface language).
        practice = raw.get("basis_kind") == "practice"
        basis_text = r.need(raw, "basis_text", str, path, where, required=not practice)
        if any(v is None for v in values.values()) or (basis_text is None and not practice):
            continue
        values["basis_text"] = basis_text or ""
        if values["theme"] not in THEMES:
            r.problem(path, where, "unknown_theme", choices=", ".join(THEMES))
        if values["answer"] not in ANSWER_TYPES:
            r.problem(path, where, "unknown_answer", value=values["answer"], choices=", ".join(ANSWER_TYPES))
        if values["severity"] not in SEVERITIES:
            r.problem(path, where, "unknown_severity", value=values["severity"], choices=", ".join(SEVERITIES))
        if not PERIOD.match(values["period"]):
            r.problem(path, where, "bad_period", value=values["period"])
        expected_fail = {"yes_no": ("yes", "no"), "count": ("over",), "list": ("violation",)}.get(values["answer"], ())
        if expected_fail and values["fail_on"] not in expected_fail:
            r.problem(path, where, "bad_fail_on", value=values["fail_on"], answer=values["answer"], choices=", ".join(expected_fail))
        observe = r.need(raw, "observe", str, path, where, required=False) or ""
        if values["answer"] == "list" and observe not in OBSERVED:
            r.problem(path, where, "need_observe", choices=", ".join(OBSERVED))
        requires = r.need(raw, "requires", str, path, where, required=False) or ""
        if requires not in ("", "note", "evidence", "note+evidence"):
            r.problem(path, where, "unknown_requires", value=requires)
        allowed = r.need(raw, "allowed", int, path, where, required=False)
        basis_kind = r.need(raw, "basis_kind", str, path, where, required=False) or "document"
        if basis_kind not in BASIS_KINDS:
            r.problem(path, where, "unknown_basis_kind", value=basis_kind, choices=", ".join(BASIS_KINDS))
        reference = None
        ref_id = r.need(raw, "reference", str, path, where, required=False)
        if ref_id:
            reference = references.get(ref_id)
            if reference is None:
                r.problem(path, where, "reference_unknown", id=ref_id, choices=", ".join(references))
            elif values["answer"] != "count":
                r.problem(path, where, "reference_not_count")
            elif allowed is not None:
                r.problem(path, where, "reference_and_allowed")
            else:
                allowed = reference.allowed
        basis_items = r.need(raw, "basis_items", list, path, where, required=False) or []
        items.append(CheckItem(**values, observe=observe, allowed=allowed, requires=requires, basis_items=basis_items,
                               basis_kind=basis_kind, reference=reference))
    if not (cid and listset and version):
        return None
    return Checklist(cid, listset, version, str(data.get("title", cid)), str(data.get("title_en", cid)), themes, items, path)


def _check_synonyms(r: _Reader, path: Path) -> None:
    """A broken vocabulary must fail ``catalog check``, not crash ``classify`` later."""
    try:
        exists = path.is_file() or path.is_symlink() or path.exists()
    except OSError:
        exists = True
    if not exists:
        return
    data = r.toml(path)
    if data is None:
        return
    for n, rule in enumerate(r.tables(data, "rule", path), 1):
        r.need(rule, "when", list, path, f"rule #{n}")
        r.need(rule, "add", str, path, f"rule #{n}")
    generic = data.get("generic", {})
    if not isinstance(generic, dict):
        r.problem(path, "generic", "wrong_type", field="generic", type=_typename(dict))
    else:
        r.need(generic, "words", list, path, "generic", required=False)
    for n, cue in enumerate(r.tables(data, "cue", path), 1):
        where = f"cue #{n}"
        r.need(cue, "when", list, path, where)
        scale = r.need(cue, "scale", dict, path, where, required=False) or {}
        if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in scale.values()):
            r.problem(path, where, "wrong_type", field="scale", type=_typename(int))
    if any(p.file == path for p in r.problems):
        return
    from .classifier import load_synonyms  # the classifier's own reading, for the rules it adds

    try:
        load_synonyms(path)
    except Exception as exc:  # noqa: BLE001 - any failure here is a problem of the file, reported by name
        r.problem(path, "", "synonyms_invalid", reason=str(exc).replace(str(path), "").strip(": "))


def load_catalog(root: Path | str | None = None, *, strict: bool = True) -> tuple[Catalog, list[CatalogProblem]]:
    """Load every list set and checklist under ``root``.

    With ``strict`` a catalog with problems raises CatalogError; otherwise the
    problems are returned beside what could be loaded.
    """
    root = Path(root) if root else DEFAULT_ROOT
    r = _Reader(root)
    try:
        is_dir = root.is_dir()
    except OSError:
        is_dir = False
    if not is_dir:
        r.problem(root, "", "folder_not_found")
        if strict:
            raise CatalogError(r.problems)
        return Catalog(root, {}, {}), r.problems
    lists_root = root / "lists"
    cache: dict[Path, PolicyList | None] = {}
    listsets: dict[str, ListSet] = {}
    for path in _glob(r, lists_root, "*/listset.toml"):
        s = _load_set(r, path, lists_root, cache)
        if s is None:
            continue
        if s.id in listsets:
            r.problem(path, s.id, "set_id_twice", other=listsets[s.id].path)
        listsets[s.id] = s
    _resolve_includes(r, listsets)
    if not listsets:
        r.problem(lists_root, "", "no_sets")
    defaults = [s.id for s in listsets.values() if s.default]
    if listsets and len(defaults) != 1:
        r.problem(lists_root, "", "one_default", found=len(defaults), ids=", ".join(defaults))
    # Item ids are unique across the whole catalog (a file shared by two sets counts once).
    seen: dict[str, Path] = {}
    for plist in (p for p in cache.values() if p is not None):
        for item in plist.items:
            if item.id in seen:
                r.problem(plist.path, item.id, "duplicate_item", other=seen[item.id])
            seen[item.id] = plist.path
    references: dict[str, Reference] = {}
    for path in _glob(r, root / "reference", "*.toml"):
        ref = _load_reference(r, path)
        if ref is None:
            continue
        if ref.id in references:
            r.problem(path, ref.id, "reference_twice", other=references[ref.id].path)
        references[ref.id] = ref
    checklists: dict[str, Checklist] = {}
    for path in _glob(r, root / "checklists", "*.toml"):
        c = _load_checklist(r, path, references)
        if c is None:
            continue
        if c.id in checklists:
            r.problem(path, c.id, "checklist_twice")
        ids = [i.id for i in c.items]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            r.problem(path, dup, "duplicate_check_item")
        lset = listsets.get(c.listset)
        if lset is None:
            r.problem(path, "", "set_unknown", id=c.listset)
        else:
            _check_against_set(r, c, lset)
        checklists[c.id] = c
    _check_synonyms(r, root / "classifier" / "synonyms.toml")
    catalog = Catalog(root, listsets, checklists, references, _load_county(r, root / "county.toml"))
    if strict and r.problems:
        raise CatalogError(r.problems)
    return catalog, r.problems


COUNTY_KEYS = {"evidence": {"max_mb"}, "closure": {"needs_evidence"}}
MAX_EVIDENCE_MB = 2048  # beyond this a typo (a phone's photo is a few MB; a scan tens)


def _load_county(r: _Reader, path: Path) -> CountySettings:
    """``county.toml``: the county's settings; the defaults when there is none (a wrong value is a problem)."""
    try:
        exists = path.exists() or path.is_symlink()
    except OSError:
        exists = True
    if not exists:
        return CountySettings()
    data = r.toml(path)
    if data is None:
        return CountySettings()
    unknown = set(data) - set(COUNTY_KEYS)
    if unknown:
        r.problem(path, "", "unknown_keys", keys=", ".join(sorted(unknown)))
    sections = {}
    for name, keys in COUNTY_KEYS.items():
        section = r.need(data, name, dict, path, "", required=False) or {}
        extra = set(section) - keys
        if extra:
            r.problem(path, name, "unknown_keys", keys=", ".join(sorted(extra)))
        sections[name] = section
    defaults = CountySettings()
    max_mb = sections["evidence"].get("max_mb")
    if max_mb is not None and (isinstance(max_mb, bool) or not isinstance(max_mb, (int, float))):
        r.problem(path, "evidence", "wrong_type", field="max_mb", type=_typename(int))  # 20 or 2.5: a number
        max_mb = None
    if max_mb is not None and not 0 < max_mb <= MAX_EVIDENCE_MB:
        r.problem(path, "evidence", "county_max_mb", value=max_mb, high=MAX_EVIDENCE_MB)
        max_mb = None
    needs = r.need(sections["closure"], "needs_evidence", bool, path, "closure", required=False)
    return CountySettings(
        evidence_max_mb=defaults.evidence_max_mb if max_mb is None else max_mb,
        closure_needs_evidence=defaults.closure_needs_evidence if needs is None else needs,
        path=path,
    )


def _check_against_set(r: _Reader, c: Checklist, lset: ListSet) -> None:
    known = {i.id for i in lset.items()}
    for item in c.items:
        for ref in item.basis_items:
            if ref not in known:
                r.problem(c.path, item.id, "basis_not_in_set", ref=ref, set=c.listset)
        # A checklist classifies its observations against its own set: the set must hold those lists.
        lacking = [k for k in NEEDS_LISTS.get(item.observe, ()) if not lset.has_kind(k)]
        if item.answer == "list" and lacking:
            r.problem(c.path, item.id, "set_lacks_lists", set=c.listset,
                      kinds="、".join(i18n.t(f"list_kind.{k}") for k in lacking))


def _glob(r: _Reader, folder: Path, pattern: str) -> list[Path]:
    try:
        return sorted(folder.glob(pattern))
    except OSError:
        r.problem(folder, "", "unreadable")
        return []
