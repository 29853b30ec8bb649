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
    lists: list[PolicyList]
    path: Path

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


@dataclass
class Catalog:
    root: Path
    listsets: dict[str, ListSet]
    checklists: dict[str, Checklist]

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
