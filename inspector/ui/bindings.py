"""Binding descriptions come from the message catalog, and follow a language switch.

Bindings are declared with the message key as description
(``"action.<action>"``, which also keeps them visible in the footer); the
shown description is ``t("action.<action>")`` and its tooltip
``t("tooltip.<action>")`` (when present). Textual reads descriptions from the
node's bindings map, so switching language rewrites that map in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from textual.binding import Binding
from textual.dom import DOMNode

from ..i18n import has, t


_ARG = re.compile(r"^(\w+)\('?(\w+)'?\)$")


def key(action: str) -> str:
    """The message key of an action: "app.quit" -> action.quit, "answer('yes')" -> action.answer_yes."""
    bare = action.split(".")[-1]
    match = _ARG.match(bare)
    return "action." + (f"{match.group(1)}_{match.group(2)}" if match else bare)


def localize(node: DOMNode) -> None:
    bindings_map = node._bindings  # Textual keeps the node's bindings here.
    for keys, bindings in list(bindings_map.key_to_bindings.items()):
        bindings_map.key_to_bindings[keys] = [_translated(b) for b in bindings]
    node.refresh_bindings()


def _translated(binding: Binding) -> Binding:
    tooltip_key = key(binding.action).replace("action.", "tooltip.", 1)
    if not has(key(binding.action)):
        return binding  # Textual's own bindings keep their own descriptions
    return replace(
        binding,
        description=t(key(binding.action)),
        tooltip=t(tooltip_key) if has(tooltip_key) else binding.tooltip,
    )


class Localized:
    """Mixin for screens: translate the bindings when mounted."""

    def _on_mount(self, event: object) -> None:
        localize(self)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Action:
    """One action a screen offers: the keys bound to it and its words in the interface language."""

    action: str
    keys: tuple[str, ...]
    description: str
    tooltip: str


def screen_actions(node: DOMNode) -> list[Action]:
    """Every action of ``node``'s own bindings (shown in the footer or not), in declaration order.

    Built from BINDINGS, so F1 help and the command palette list what the keys
    do without a second list to keep in step. Textual's own bindings (without
    a message key) and actions the screen currently disables are left out.
    """
    app = node.app
    grouped: dict[str, list[Binding]] = {}
    for _key, binding in node._bindings:
        if not has(key(binding.action)):
            continue
        grouped.setdefault(binding.action, []).append(binding)
    actions = []
    for action, bindings in grouped.items():
        name, params = _split(action)
        check = getattr(node, "check_action", None)
        if check is not None and check(name, params) is False:
            continue
        tooltip_key = key(action).replace("action.", "tooltip.", 1)
        actions.append(Action(
            action=action,
            keys=tuple(dict.fromkeys(app.get_key_display(b) for b in bindings)),
            description=t(key(action)),
            tooltip=t(tooltip_key) if has(tooltip_key) else "",
        ))
    return actions


def _split(action: str) -> tuple[str, tuple]:
    """"move('assign')" -> ("move", ("assign",)), for check_action."""
    match = _ARG.match(action)
    return (match.group(1), (match.group(2),)) if match else (action, ())
