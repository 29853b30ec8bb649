"""F1: the keys of the screen it was opened from, the keys that work everywhere, and where the data lives."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Markdown

from ...i18n import t
from ...report.markdown import escape_inline
from ..bindings import screen_actions
from ..bindings import Localized


class HelpScreen(Localized, ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "action.dismiss", id="help.close"),
        Binding("f1", "dismiss", "action.dismiss", show=False),
        Binding("q", "dismiss", "action.dismiss", show=False),
    ]

    def __init__(self, under: DOMNode | None = None) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Markdown(help_markdown(self.app, self.under))

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)


def help_markdown(app, under: DOMNode | None) -> str:
    """The help text: built from the screen's BINDINGS, so it lists every key the screen has."""

    def table(rows: list[tuple[str, str]]) -> list[str]:
        # A list rather than a Markdown table: one line per key, so it fits 80×24.
        return [f"- **{escape_inline(k)}**  {escape_inline(d)}" for k, d in rows] + [""]

    lines = [f"# {t('shell.help.title')}", "", t("help.intro"), ""]
    if under is not None:
        rows = [(" / ".join(a.keys), a.description + (f" — {a.tooltip}" if a.tooltip else "")) for a in screen_actions(under)]
        if rows:
            lines += [f"## {t('shell.help.screen_keys')}", ""] + table(rows)
    lines += [f"## {t('shell.help.global_keys')}", ""] + table([
        ("F1", t("action.help")),
        ("F2", t("tooltip.toggle_language")),
        ("Ctrl+P", t("shell.help.palette")),
        ("↑ ↓ PgUp PgDn", t("shell.help.move")),
        ("Esc", t("action.back")),
        ("Ctrl+Q", t("action.quit")),
    ])
    lines += [
        f"## {t('shell.help.data')}", "",
        f"- {t('shell.help.db')}{t('punct.colon')}`{app.db.root}`",
        f"- {t('shell.help.today')}{t('punct.colon')}{app.today.isoformat()}",
        f"- {t('shell.help.user')}{t('punct.colon')}{escape_inline(app.settings.user)}",
        f"- {t('shell.help.durable')}",
    ]
    return "\n".join(lines)
