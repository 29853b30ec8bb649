"""Every screen, dialog and report, in both languages: no internal key, nothing of the other language.

One app run per language walks through the screens (as a user would, with keys) and
keeps the text of each; the checks then run over all of it, so the test stays fast.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path

import pytest

from inspector import i18n
from inspector.core import ids
from inspector.wiring import build_demo
from inspector.core.overdue import rows_as_of
from inspector.report.export import visit_report_text
from inspector.report.ledger_report import render_village_ledger
from inspector.report.overdue_report import render_overdue
from inspector.report.township_report import render_township_summary
from inspector.storage.database import Database
from inspector.ui.app import make_app

from .conftest import TODAY

INTERNAL_KEY = re.compile(r"\b[a-z]+\.\d\d\b")  # apps.01, cq2019.negative.04
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # chat_group, certificate_forbidden
SELECT = re.compile(r"\bSelect\b")
# Latin words a Chinese screen may show: the program's name in commands, key names, the language switch.
ZH_ALLOWED = {"inspector", "English", "Ctrl", "Esc", "esc", "Enter", "PgUp", "PgDn", "Tab", "APP", "xf", "ctrl",
              "village", "archive", "undo", "user", "demo", "add", "township", "enter", "tab",
              "YYYY"}  # the date format hint
LATIN_WORD = re.compile(r"(?<![.\w])[A-Za-z]{3,}")  # not a file extension (.jpg)
# Chinese punctuation in an English sentence: next to a Latin word.
ZH_PUNCT_IN_EN = re.compile(r"[A-Za-z]{2,}[：，、（）。；！？]|[：，、（）。；！？][A-Za-z]{2,}")


def svg_text(svg: str) -> str:
    lines: dict[str, list[str]] = {}
    for y, text in re.findall(r'<text[^>]*?y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        lines.setdefault(y, []).append(html.unescape(text).replace("\xa0", " "))
    return "\n".join("".join(parts) for parts in lines.values())


PATH = re.compile(r"(?:/[\w.\-]+)+/?…?")
WHOLE_ID = re.compile(r"(?<![0-9A-Za-z])[0-9A-HJKMNP-TV-Z]{26}(?![0-9A-Za-z])")  # a record id: shown only in its short form


def problems(texts: dict[str, str], lang: str, hide: list[str], shown_ids: set[str] = frozenset()) -> list[str]:
    """What a screen or report must not show; ``shown_ids``: record ids whose short form may show."""
    found = []
    short = re.compile(r"(?<![0-9A-Za-z])(?:" + "|".join(sorted(map(ids.short, shown_ids))) + r")(?![0-9A-Za-z])") if shown_ids else None
    for where, text in texts.items():
        for h in hide:
            text = text.replace(h, "")
        found += [f"{where}: whole id {m}" for m in WHOLE_ID.findall(text)]
        # A file path is not a word of either language; a header may show it clipped ("/tmp/pytest-of…");
        # nor is a record's short id (ids.short).
        text = PATH.sub("", text)
        if short is not None:
            text = short.sub("", text)
        for pattern in (INTERNAL_KEY, SNAKE, SELECT):
            found += [f"{where}: {m}" for m in pattern.findall(text)]
        if lang == "zh":
            found += [f"{where}: {w}" for w in LATIN_WORD.findall(text) if w not in ZH_ALLOWED]
        else:
            found += [f"{where}: {m}" for m in ZH_PUNCT_IN_EN.findall(text) if "APP" not in m]
    return sorted(set(found))


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("scan") / "db"
    build_demo(root, villages=3, years=1, seed=5, today=TODAY)
    db = Database.open(root, clock=lambda: datetime(2026, 11, 21, 9))
    village = db.villages()[0]
    db.store(village.id).add_inspection(day=TODAY.isoformat(), kind="routine", inspectors=["张伟"], template="chongqing", template_version="2026.1")
    db.close()
    return root


def record_ids(root: Path) -> set[str]:
    """The ids of the database's villages, inspections and findings (what screens and reports name)."""
    db = Database.open(root, clock=lambda: datetime(2026, 11, 21, 9), read_only=True)
    try:
        found = set()
        for village in db.villages(include_archived=True):
            store = db.store(village.id)
            found |= {village.id} | {i.id for i in store.inspections()} | {f.id for f in store.findings()}
        return found
    finally:
        db.close()


async def screens_text(root: Path, catalog, lang: str, tmp_path: Path) -> dict[str, str]:
    db = Database.open(root, clock=lambda: datetime(2026, 11, 21, 9))
    app = make_app(db=db, catalog=catalog, today=TODAY, lang=lang, user="王主任")
    app.settings.crash_log = tmp_path / "crash.log"
    texts: dict[str, str] = {}
    async with app.run_test(size=(100, 32)) as pilot:

        async def keep(name: str, *keys: str) -> None:
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            texts[name] = svg_text(app.export_screenshot())

        await keep("main")
        await keep("help", "f1")
        await keep("palette", "escape", "ctrl+p")
        await keep("palette-none", *"qqqzzz")
        await keep("main-again", "escape")
        await keep("village", "down", "enter")
        for key, name in (("e", "village-dialog"), ("n", "new-inspection"), ("A", "archive-confirm")):
            await keep(name, key)
            await keep(name + "-closed", "escape")
        await keep("ledger", "l")
        await keep("back-main", "escape", "escape")
        await keep("review", "o")
        await keep("filter", "f")
        await keep("filter-dropdown", "enter")
        await keep("review-after-filter", "escape", "escape")
        for key in "apdvcxu":
            await keep(f"move-{key}", key)
            if app.screen is not None and type(app.screen).__name__ == "MoveDialog":
                await keep(f"move-{key}-closed", "escape")
        await keep("finding-history", "enter")
        await keep("back-review", "escape", "b")
        await keep("catalog", "escape", "c")
        await keep("catalog-search", "slash", *"xf")
        await keep("main-3", "escape", "escape")
        draft, vid = max((d, vid) for vid, s in db.summaries().items() for d in s.draft_ids)
        app.open_inspection(vid, draft)
        await keep("walk")
        if type(app.screen).__name__ == "WalkScreen":
            for key in ("b", "g", "o", "p", "w"):
                await keep(f"walk-{key}", key)
                if app.screen.is_modal:
                    await keep(f"walk-{key}-closed", "escape")
    db.close()
    return texts


def reports_text(root: Path, catalog, lang: str) -> dict[str, str]:
    db = Database.open(root, clock=lambda: datetime(2026, 11, 21, 9))
    try:
        village = db.villages()[0]
        store = db.store(village.id)
        done = [i.id for i in store.inspections() if i.completed]
        texts = {
            "report-visit": visit_report_text(db, catalog, done[-1], lang)[0],
            "report-ledger": render_village_ledger(db, village.id, TODAY, lang, catalog),
            "report-township": render_township_summary(db, village.township, TODAY, lang, catalog),
            "report-overdue": render_overdue([r for r in rows_as_of(db, TODAY) if r.overdue], TODAY, lang),
        }
    finally:
        db.close()
    return texts


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_no_internal_key_and_no_other_language(lang, demo_root, catalog, tmp_path):
    texts = await screens_text(demo_root, catalog, lang, tmp_path)
    i18n.set_language(lang)
    texts |= reports_text(demo_root, catalog, lang)
    assert {"main", "help", "review", "catalog", "village", "ledger", "filter", "walk-o"} <= set(texts), sorted(texts)
    found = problems(texts, lang, hide=[str(demo_root), str(tmp_path), "qqqzzz"], shown_ids=record_ids(demo_root))
    assert found == [], "\n".join(found)
