"""Textual idioms in the UI: public Textual API only, bindings with ids a keymap file can move,
the language switch as a message every screen in the stack hears, colours from the theme."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from pathlib import Path

import pytest
import textual
from rich.color import ANSI_COLOR_NAMES
from textual.dom import DOMNode
from textual.widgets import DataTable

from inspector.wiring import build_demo
from inspector.settings import SettingsError, load_keymap
from inspector.storage.database import Database
from inspector.ui.app import make_app
from inspector.ui.bindings import binding_ids, declared
from inspector.ui.wrapped import WrappedText

from .conftest import TODAY, add_finding, fixed_clock


@pytest.fixture
def small_db(tmp_path: Path):
    db = Database.open(tmp_path / "db", clock=fixed_clock)
    first, _ = [db.add_village(name, township, "village") for name, township in [("石堰村", "金鸡镇"), ("新华村", "金鸡镇")]]
    store = db.store(first.id)
    add_finding(store, {"title": "多余牌子", "theme": "signboards", "unit": "镇综治办"}, deadline="2026-11-10", by="张伟")
    yield db
    db.close()

UI = Path(__file__).parent.parent / "inspector" / "ui"
UI_FILES = sorted(UI.rglob("*.py"))

# Private Textual names the UI may use, with why. Only what Textual offers no public way to do.
NO_PUBLIC_HOOK = {
    # The last-resort error line and crash log (app shell): Textual has no public hook for an
    # unhandled exception; its maintainers point to overriding _handle_exception (textual#2818, #5325).
    ("app.py", "_handle_exception"),
    ("app.py", "_exit"),
    ("app.py", "_exit_renderables"),
}


# -- no private Textual API ----------------------------------------------------------------


def _textual_private_names() -> set[str]:
    """Every single-underscore name Textual's own source defines or reads."""
    names: set[str] = set()
    for path in Path(textual.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def _module_of(path: Path) -> str:
    return ".".join(path.relative_to(UI.parent.parent).with_suffix("").parts)


def _private_uses(path: Path, textual_private: set[str]) -> list[tuple[str, int, str]]:
    """(file, line, name) for each private Textual module imported, attribute read, or method overridden."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if path.is_relative_to(UI):
        module = importlib.import_module(_module_of(path))
    else:  # a planted file
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    ours = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    ours |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            for name in modules:
                if name.split(".")[0] == "textual" and any(part.startswith("_") for part in name.split(".")):
                    found.append((path.name, node.lineno, name))
        elif isinstance(node, ast.Attribute) and node.attr in textual_private and node.attr not in ours:
            found.append((path.name, node.lineno, node.attr))  # e.g. node._bindings
        elif isinstance(node, ast.ClassDef):
            cls = getattr(module, node.name, None)
            textual_bases = [b for b in getattr(cls, "__mro__", ())[1:] if b.__module__.startswith("textual")]
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("_") \
                        and not item.name.startswith("__") and any(item.name in vars(b) for b in textual_bases):
                    found.append((path.name, item.lineno, item.name))  # overrides a private hook, e.g. _on_mount
    return found


def test_the_ui_uses_no_private_textual_api():
    textual_private = _textual_private_names()
    assert {"_bindings", "_on_mount", "_handle_exception"} <= textual_private  # the scan sees what it must
    found = [use for path in UI_FILES for use in _private_uses(path, textual_private)]
    unexplained = [f"{f}:{line} {name}" for f, line, name in found if (f, name) not in NO_PUBLIC_HOOK]
    assert unexplained == []
    # And each exception listed is still needed (delete it when Textual offers a public way).
    assert {(f, name) for f, _, name in found} == NO_PUBLIC_HOOK


def test_the_private_api_scan_catches_what_bindings_py_used_to_do(tmp_path):
    planted = tmp_path / "planted_private.py"
    planted.write_text(
        "from textual.screen import Screen\nfrom textual.widgets._footer import FooterKey\n\n\n"
        "class Planted(Screen):\n    def _on_mount(self, event):\n        return self._bindings\n",
        encoding="utf-8",
    )
    names = {name for _, _, name in _private_uses(planted, _textual_private_names())}
    assert names == {"textual.widgets._footer", "_on_mount", "_bindings"}


# -- bindings: every one has an id, the keymap moves them ----------------------------------


def _ui_classes() -> list[type]:
    binding_ids()  # imports every screen and dialog module

    def subclasses(cls: type) -> list[type]:
        return [s for sub in cls.__subclasses__() for s in (sub, *subclasses(sub))]

    from inspector.ui.app import InspectorApp

    return [InspectorApp, *{c for c in subclasses(DOMNode) if c.__module__.startswith("inspector.ui")}]


def test_every_binding_has_an_id_naming_one_action():
    actions: dict[str, set[str]] = {}
    missing = []
    for cls in _ui_classes():
        for binding in vars(cls).get("BINDINGS", ()):
            if not getattr(binding, "id", None):
                missing.append(f"{cls.__name__}: {binding}")
            else:
                actions.setdefault(binding.id, set()).add(binding.action)
    assert missing == []
    assert {i: a for i, a in actions.items() if len(a) > 1} == {}
    assert binding_ids()["review.extend"] == "move('extend')"
    assert len(actions) >= 60


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    build_demo(tmp_path / "demo", villages=4, years=1, seed=5, today=TODAY)
    return tmp_path / "demo"


def _help_text(app) -> str:
    return "\n".join(w.text for w in app.screen.query(WrappedText))


def _notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_keymap_file_rebinds_extend_and_help_and_palette_show_the_new_key(demo, catalog, tmp_path):
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('"language" = "f9"\n\n[review]\nextend = "e"\n', encoding="utf-8")
    db = Database.open(demo, clock=fixed_clock)
    app = make_app(db=db, catalog=catalog, today=TODAY, user="王主任", keymap=keymap)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        review = app.screen
        assert _notes(app) == []
        await pilot.press("f1")
        await pilot.pause()
        text = _help_text(app)
        assert re.search(r"^e +延期", text, re.M) and not re.search(r"^x +延期", text, re.M), text
        assert re.search(r"^f9 +切换界面语言", text, re.M), text  # the app's own key, moved too
        await pilot.press("escape")
        commands = {c.title: c.help for c in app.get_system_commands(review)}
        assert commands["延期"].split(" · ")[0] == "e" and commands["English"].split(" · ")[0] == "f9", commands
        await pilot.press("x")  # the old key does nothing now
        await pilot.pause()
        assert app.screen is review
        await pilot.press("e")
        await pilot.pause()
        assert type(app.screen).__name__ == "MoveDialog" and app.screen.kind == "extend"
    db.close()


@pytest.mark.parametrize("content, says", [
    ('[review]\nextend = "e"\nthis is not toml\n', "第 3 行"),
    ('[review]\nextend = 5\n', "review.extend"),
    ('"review.extend" = "e"\n"review.no_such_key" = "k"\n', "review.no_such_key"),
])
async def test_a_bad_keymap_file_costs_one_notice_never_the_session(demo, catalog, tmp_path, content, says):
    keymap = tmp_path / "keymap.toml"
    keymap.write_text(content, encoding="utf-8")
    db = Database.open(demo, clock=fixed_clock)
    app = make_app(db=db, catalog=catalog, today=TODAY, user="王主任", keymap=keymap)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        notes = [n for n in _notes(app) if "按键设置" in n]
        assert len(notes) == 1 and str(keymap) in notes[0] and says in notes[0], notes
        applied = "no_such_key" in content  # a file that reads applies what it can
        await pilot.press("e" if applied else "x")
        await pilot.pause()
        assert type(app.screen).__name__ == "MoveDialog" and app.screen.kind == "extend"
        assert app.return_code in (None, 0)
    db.close()


def test_load_keymap_reads_quoted_ids_and_tables_and_names_the_bad_line(tmp_path):
    path = tmp_path / "keymap.toml"
    assert load_keymap(path) == {}  # no file: no keymap
    path.write_text('"main.review" = "v"\n[walk]\nanswer_yes = "j, ctrl+y"\n', encoding="utf-8")
    assert load_keymap(path) == {"main.review": "v", "walk.answer_yes": "j,ctrl+y"}
    path.write_text('"main.review" = "v w"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_keymap(path)
    assert caught.value.key == "keymap.bad_keys" and caught.value.params["id"] == "main.review"
    path.write_text('[review]\nextend = "e"\nreopen = ["r",\n', encoding="utf-8")  # cut short: "at end of document"
    with pytest.raises(SettingsError) as caught:
        load_keymap(path)
    assert caught.value.key == "keymap.bad_toml" and caught.value.params["line"] == "3"
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(SettingsError) as caught:
        load_keymap(path)
    assert caught.value.key == "keymap.unreadable"


# -- the language switch: a message to every screen in the stack ---------------------------


async def test_f2_updates_the_screen_in_front_and_the_one_below(small_db, catalog):
    app = make_app(db=small_db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.screen
        await pilot.press("down", "enter")  # a village, over the main screen
        await pilot.pause()
        village = app.screen
        assert village is not main and main in app.screen_stack
        await pilot.press("f2")
        await pilot.pause()
        footer = {k.key: k.description for k in village.query("FittingFooter FooterKey")}
        assert footer["f1"] == "Help" and footer["escape"] == "Back", footer
        # The screen below heard it too, while below (not only once shown again).
        columns = [str(c.label) for c in main.query_one("#villages", DataTable).columns.values()]
        assert columns[0] == "Township / village"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main
        footer = {k.key: k.description for k in main.query("FittingFooter FooterKey")}
        assert footer["f1"] == "Help" and footer["o"] == "Overdue review", footer


# -- colours from the theme ----------------------------------------------------------------

COLOUR_WORDS = {name for name in ANSI_COLOR_NAMES if name != "default"}
HEX = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?\b|\brgb\(")


def _colour_literals(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            words = set(re.split(r"[\s;:]+", node.value.lower()))
            if words & COLOUR_WORDS or HEX.search(node.value):
                found.append(f"{path.name}:{node.lineno} {node.value!r}")
    return found


def test_no_hard_coded_colour_in_ui_code(tmp_path):
    found = [hit for path in UI_FILES for hit in _colour_literals(path)]
    assert found == []
    probe = tmp_path / "probe.py"  # the scan does see a colour where there is one
    for source in ("x = Text('3', style='bold red')", "s = 'white on #ff0000'", "y = 'yellow'"):
        probe.write_text(source, encoding="utf-8")
        assert _colour_literals(probe), source


def test_the_stylesheet_names_no_colour():
    css = (UI / "app.tcss").read_text(encoding="utf-8")
    values = re.findall(r"^\s*[\w-]+\s*:\s*([^;]+);", css, re.M)
    named = [v for v in values if set(re.split(r"\s+", v.strip().lower())) & COLOUR_WORDS or HEX.search(v)]
    assert named == []


async def test_overdue_counts_take_the_theme_error_colour(small_db, catalog):
    app = make_app(db=small_db, catalog=catalog, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#villages", DataTable)
        overdue = [table.get_row_at(n)[4] for n in range(table.row_count)]
        late = [cell for cell in overdue if str(cell) != "0"]
        assert late and all(cell.style.color.name.lower() == app.theme_variables["text-error"].lower() for cell in late)
