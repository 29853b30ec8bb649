"""What a catalog holds, as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

LIST_KINDS = (
    "autonomy",
    "assistance",
    "negative",
    "certificate_allowed",
    "certificate_forbidden",
    "power",
    "service",
)
THEMES = ("signboards", "ledgers", "tasks", "services", "certificates", "apps", "evaluations")
ANSWER_TYPES = ("yes_no", "count", "list")
OBSERVED = ("signboard", "ledger", "task", "service", "certificate", "app", "evaluation")
SEVERITIES = ("low", "medium", "high")
BASIS_KINDS = ("document", "practice")
CERTIFICATE_KINDS = ("certificate_allowed", "certificate_forbidden")


@dataclass
class ListItem:
    id: str
    number: str
    title: str
    list_id: str
    kind: str
    content: str = ""
    subtasks: list[str] = field(default_factory=list)
    basis: list[str] = field(default_factory=list)
    department: str = ""
    group: str = ""
    remarks: str = ""
    # The 2019 supervising department where 渝民发〔2021〕6号 prints another one
    # (then `department` is the 2021 unit, which is in force).
    department_2019: str = ""
    # 证明方式 column of a certificate list (how the certificate is given).
    proof_method: str = ""
    # Stated cases in which a must-not-issue certificate may still be issued, verbatim.
    exceptions: list[str] = field(default_factory=list)

    def text(self) -> str:
        """Everything searchable about the item, in one string."""
        return "\n".join([self.title, self.content, *self.subtasks, self.group, self.department])


@dataclass
class PolicyList:
    id: str
    kind: str
    title: str
    title_en: str
    source: str
    path: Path
    count: int | None
    notes: str
    items: list[ListItem]


@dataclass
class ListSet:
    id: str
    name: str
    name_en: str
    region: str
    year: int | None
    default: bool
    sources: list[str]
    # Every list the set classifies against: its own, then those of included sets.
    lists: list[PolicyList]
    path: Path
    includes: list[str] = field(default_factory=list)
    own_lists: list[PolicyList] = field(default_factory=list)

    def lists_of(self, kind: str) -> list[PolicyList]:
        return [lst for lst in self.lists if lst.kind == kind]

    def has_kind(self, kind: str) -> bool:
        return any(lst.kind == kind for lst in self.lists)

    @property
    def has_certificate_list(self) -> bool:
        """False for a set that cannot call any certificate forbidden or allowed (e.g. Sichuan)."""
        return any(lst.kind in CERTIFICATE_KINDS for lst in self.lists)

    @property
    def has_forbidden_certificate_list(self) -> bool:
        return self.has_kind("certificate_forbidden")

    def items(self) -> list[ListItem]:
        return [i for lst in self.lists for i in lst.items]

    def item(self, item_id: str) -> ListItem | None:
        return next((i for i in self.items() if i.id == item_id), None)

    def display_name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


@dataclass
class Theme:
    id: str
    title: str
    title_en: str

    def label(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title


@dataclass
class Reference:
    """County reference data a count item is compared against (boards that may stay, ...)."""

    id: str
    title: str
    title_en: str
    source: str
    entries: list[str]
    allowed: int
    path: Path

    def label(self, lang: str) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title


@dataclass
class CheckItem:
    id: str
    theme: str
    question: str
    question_en: str
    guidance: str
    guidance_en: str
    answer: str
    fail_on: str
    severity: str
    period: str
    basis_text: str
    observe: str = ""
    allowed: int | None = None
    requires: str = ""
    basis_items: list[str] = field(default_factory=list)
    # "document": basis_text quotes the clause that states the rule; "practice": county practice.
    basis_kind: str = "document"
    reference: Reference | None = None

    def q(self, lang: str) -> str:
        return self.question_en if lang == "en" else self.question

    def guide(self, lang: str) -> str:
        return self.guidance_en if lang == "en" else self.guidance


@dataclass
class Checklist:
    id: str
    listset: str
    version: str
    title: str
    title_en: str
    themes: list[Theme]
    items: list[CheckItem]
    path: Path

    def item(self, item_id: str) -> CheckItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def by_theme(self) -> dict[str, list[CheckItem]]:
        out: dict[str, list[CheckItem]] = {t.id: [] for t in self.themes}
        for item in self.items:
            out.setdefault(item.theme, []).append(item)
        return out


@dataclass(frozen=True)
class CountySettings:
    """A county's own settings (``county.toml``; these defaults when the file is absent)."""

    evidence_max_mb: float = 20  # the largest evidence file kept, in MB
    closure_needs_evidence: bool = False  # a close (销号) needs evidence attached before it
    path: Path | None = None

    @property
    def evidence_max_bytes(self) -> int:
        return int(self.evidence_max_mb * 1024 * 1024)


@dataclass
class Catalog:
    root: Path
    listsets: dict[str, ListSet]
    checklists: dict[str, Checklist]
    references: dict[str, Reference] = field(default_factory=dict)
    county: CountySettings = field(default_factory=CountySettings)

    @property
    def default(self) -> ListSet:
        return next((s for s in self.listsets.values() if s.default), next(iter(self.listsets.values())))

    def checklist_for(self, listset_id: str) -> Checklist | None:
        return next((c for c in self.checklists.values() if c.listset == listset_id), None)

    def item(self, item_id: str) -> ListItem | None:
        for s in self.listsets.values():
            found = s.item(item_id)
            if found:
                return found
        return None
