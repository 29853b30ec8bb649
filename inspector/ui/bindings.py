"""The key bindings' words in the interface language, the user's keymap, and each screen's actions.

Bindings are declared with a message key as description (``"action.<action>"``,
which also keeps them visible in the footer) and an id (``"review.extend"``),
so a user keymap file can rebind them (``App.set_keymap``). The binding
objects are never rewritten: what is shown is translated when it is shown
(the footer, F1 help, the command palette), so a language switch only has to
ask the footer to redraw. Only public Textual API is used here: the keys a
screen answers to, rebound keys included, come from ``Screen.active_bindings``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.screen import Screen

from ..i18n import has, t

if TYPE_CHECKING:
    from pathlib import Path

    from textual.app import App


_ARG = re.compile(r"^(\w+)\('?(\w+)'?\)$")


def key(action: str) -> str:
    """The message key of an action: "app.quit" -> action.quit, "answer('yes')" -> action.answer_yes."""
    bare = action.split(".")[-1]
    match = _ARG.match(bare)
    return "action." + (f"{match.group(1)}_{match.group(2)}" if match else bare)


def description(binding: Binding) -> str:
    """What the binding does, in the interface language (Textual's own bindings keep their words)."""
    return t(binding.description) if has(binding.description) else binding.description


def tooltip(binding: Binding) -> str:
    tooltip_key = key(binding.action).replace("action.", "tooltip.", 1)
    return t(tooltip_key) if has(tooltip_key) else binding.tooltip


@dataclass(frozen=True)
class Action:
    """One action a screen offers: the keys bound to it and its words in the interface language."""

    action: str
    keys: tuple[str, ...]
    description: str
    tooltip: str


def screen_actions(screen: Screen) -> list[Action]:
    """Every action the screen declares in BINDINGS (shown in the footer or not), with the keys now bound to it.

    The keys come from the bindings Textual dispatches (``active_bindings``,
    after the user's keymap), so F1 help, the command palette and the keys
    cannot disagree; an action whose key a focused widget shadows keeps its
    declared key. Actions the screen disables now (``check_action``) and
    bindings without a message key (Textual's own) are left out.
    """
    app = screen.app
    active: dict[str, list[Binding]] = {}
    for shown in screen.active_bindings.values():
        if shown.node is screen:
            active.setdefault(shown.binding.action, []).append(shown.binding)
    grouped: dict[str, list[Binding]] = {}
    for binding in declared(type(screen)):
        if has(binding.description):
            grouped.setdefault(binding.action, []).append(binding)
    actions = []
    for action, bindings in grouped.items():
        if screen.check_action(*_split(action)) is False:
            continue
        bound = active.get(action, bindings)
        actions.append(Action(
            action=action,
            keys=tuple(dict.fromkeys(app.get_key_display(b) for b in bound)),
            description=description(bindings[0]),
            tooltip=tooltip(bindings[0]),
        ))
    return actions


def _split(action: str) -> tuple[str, tuple[object, ...]]:
    """"move('assign')" -> ("move", ("assign",)), for check_action."""
    match = _ARG.match(action)
    return (match.group(1), (match.group(2),)) if match else (action, ())


def app_keys(screen: Screen, action: str, usual: str) -> str:
    """The keys bound to one of the app's own actions as seen from ``screen``: ``usual`` ("F1") unless the keymap moved them.

    A modal screen does not see the app's bindings: then ``usual``.
    """
    app = screen.app
    declared_keys = {b.key for b in declared(type(app)) if b.action == action}
    bound = [a.binding for a in screen.active_bindings.values() if a.node is app and a.binding.action == action]
    if not bound or {b.key for b in bound} == declared_keys:
        return usual
    return " / ".join(dict.fromkeys(app.get_key_display(b) for b in bound))


def declared(cls: type) -> list[Binding]:
    """The bindings a class declares in BINDINGS, its bases' first (as Textual merges them)."""
    out: list[Binding] = []
    for base in reversed(cls.__mro__):
        for entry in vars(base).get("BINDINGS", ()):
            if isinstance(entry, Binding):
                out.append(entry)
            else:  # a (key, action[, description]) tuple
                out.append(Binding(*entry))
    return out


# The user's keymap: binding id -> keys.


def binding_ids() -> dict[str, str]:
    """Every binding id of the app and its screens and dialogs -> its action: the registry a keymap is checked against."""
    import importlib
    import pkgutil

    from textual.dom import DOMNode

    from . import screens
    from .app import InspectorApp

    importlib.import_module(".dialogs", __package__)
    for module in pkgutil.iter_modules(screens.__path__):
        importlib.import_module(f"{screens.__name__}.{module.name}")
    ids: dict[str, str] = {}
    for cls in [InspectorApp, *_subclasses(DOMNode)]:
        if cls.__module__.startswith("inspector."):
            for binding in declared(cls):
                if binding.id:
                    ids.setdefault(binding.id, binding.action)
    return ids


def _subclasses(cls: type) -> list[type]:
    out: list[type] = []
    subclasses: list[type] = type.__subclasses__(cls)
    for sub in subclasses:
        out += [sub, *_subclasses(sub)]
    return out


def apply_user_keymap(app: App, path: Path) -> None:
    """Rebind the keys the keymap file at ``path`` names, if there is one; a bad file costs one notice, never the session."""
    from ..settings import SettingsError, load_keymap

    try:
        keymap = load_keymap(path)
    except SettingsError as exc:
        app.notify(t(exc.key, None, **exc.params), severity="warning", timeout=10)
        return
    if not keymap:
        return
    known = binding_ids()
    unknown = sorted(set(keymap) - set(known))
    if unknown:
        app.notify(t("keymap.unknown_id", path=path, ids=", ".join(unknown)), severity="warning", timeout=10)
    app.set_keymap({k: v for k, v in keymap.items() if k in known})
