"""The one label of each coded value a finding carries: state, event, escalation, theme, severity, bucket.

One message family per concept (``workflow.state.*``, ``workflow.event.*``,
``workflow.escalation.*``, ``theme.*``, ``severity.*``, ``review.bucket.*``);
every screen, verb and report names a code through these functions, so the
review screen, the ledger and the reports cannot disagree. A code with no
message (a record written by a newer version) shows as itself.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..i18n import messages, t
from . import workflow

STATE = "workflow.state"
EVENT = "workflow.event"
ESCALATION = "workflow.escalation"
THEME = "theme"
SEVERITY = "severity"
BUCKET = "review.bucket"


def _label(family: str, code: object, lang: str | None) -> str:
    key = f"{family}.{code}"
    return t(key, lang=lang) if key in messages(lang or _current()) else str(code or "")


def _current() -> str:
    from ..i18n import language

    return language()


def state(code: str, lang: str | None = None) -> str:
    return _label(STATE, code, lang)


def event(code: str, lang: str | None = None) -> str:
    return _label(EVENT, code, lang)


def escalation(level: int | str | None, lang: str | None = None) -> str:
    """An escalation by its level (0 none, 1 reminder...) or its name ("reminder", "none")."""
    return _label(ESCALATION, escalation_name(level) or "none", lang)


def escalation_name(level: int | str | None) -> str | None:
    """The name of an escalation level (None for no escalation); names pass through."""
    if isinstance(level, str):
        return None if level in ("", "none") else level
    return workflow.escalation_name(level or 0)


def theme(code: str, lang: str | None = None) -> str:
    return _label(THEME, code, lang)


def severity(code: str, lang: str | None = None) -> str:
    return _label(SEVERITY, code, lang)


def bucket(code: str, lang: str | None = None) -> str:
    return _label(BUCKET, code, lang)


BY_FIELD = {"state": state, "event": event, "escalation": escalation, "theme": theme, "severity": severity,
            "bucket": bucket, "expected": escalation}


def label_params(params: Mapping[str, Any], lang: str | None = None) -> dict[str, Any]:
    """A refusal's parameters with coded values named (``state="closed"`` -> 已销号)."""
    out = dict(params)
    for name in ("state", "expected"):
        if isinstance(out.get(name), str):
            out[name] = BY_FIELD[name](out[name], lang)
    return out
