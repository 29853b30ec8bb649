"""Evidence in the app: the dialog that keeps files with an item's answer or a finding,
how kept files are listed (name, size, who, when; missing or altered marked) and opened.

The rules (types, size, all or nothing) are core's (core/evidence.py); the
dialog checks every typed file first so that it can name each refused one,
then lets core check and keep them again.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable, Iterable, Sequence
from urllib.parse import unquote, urlparse

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ...core.errors import UserError
from ...core.evidence import Attached, EvidenceError, EvidenceStore, check_file, size_parts
from ...core.records import EvidenceFile
from ...core.repository import RepositoryError
from ...i18n import t
from .. import opener
from ..dialogs import DialogBody, DialogError
from ..wrapped import WrappedText

# -- what the user typed or dragged in -------------------------------------------------------

_TOKEN = re.compile(r"""'([^']*)'|"([^"]*)"|((?:\\[ '"]|[^\s'"])+)""")


def parse_paths(text: str) -> list[str]:
    """The paths in ``text``: one per line, or several on a line separated by spaces.

    A path with spaces is quoted ('…' or "…", as a terminal pastes a dragged
    file) or has its spaces escaped (``\\ ``); a whole line naming an existing
    file is one path even unquoted. ``file://`` addresses (some file managers
    drag those) become paths; ``~`` is the home folder. A backslash is an
    escape only before a space or a quote, so Windows paths stay whole.
    """
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if _is_file(_clean(line)):
            out.append(_clean(line))
            continue
        for quoted1, quoted2, bare in _TOKEN.findall(line):
            raw = quoted1 or quoted2 or re.sub(r"\\([ '\"])", r"\1", bare)
            if raw.strip():
                out.append(_clean(raw))
    return out


def _clean(raw: str) -> str:
    raw = raw.strip()
    if raw.startswith("file://"):
        raw = unquote(urlparse(raw).path)
    return os.path.expanduser(raw)


def _is_file(path: str) -> bool:
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


def refusals(kept_in: EvidenceStore, paths: Sequence[str], limit: int) -> list[str]:
    """One line per file that cannot be kept (the same rules core applies, every file named, not just the first)."""
    lines = []
    for raw in paths:
        path = Path(raw)
        try:
            refusal = check_file(path.name, kept_in.size_of(path), limit)
        except EvidenceError as exc:
            refusal = exc
        if refusal is not None:
            lines.append(refusal.message())
    return lines


# -- how kept files are shown ------------------------------------------------------------------

_verified: dict[tuple[str, int, int], str] = {}  # (path, mtime, size) -> state: hash each unchanged file once a session


def file_state(kept_in: EvidenceStore, file: EvidenceFile) -> str:
    """"" when the kept file is as attached, "missing" or "altered" otherwise.

    A changed size is an alteration without reading the file; a file whose
    size and time are unchanged since it was last hashed is not hashed again
    (a history redrawn at every cursor move must stay fast with 20 MB photos).
    """
    path = kept_in.path_of(file)
    try:
        st = path.stat()
    except OSError:
        return "missing"
    if st.st_size != file.size:
        return "altered"
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _verified:
        problems = kept_in.verify([file])
        _verified[key] = problems[0].kind if problems else ""
    return _verified[key]


def size_text(size: int) -> str:
    number, unit = size_parts(size)
    return t(f"evidence.size_{unit.lower()}", size=number)


def file_line(file: EvidenceFile, state: str = "") -> str:
    """``照片.jpg · 350 KB · 张伟 · 2026-11-21 09:30`` and, when so, the file's mark (missing, altered)."""
    when = file.at.replace("T", " ")[:16]
    parts = [file.name, size_text(file.size), file.by, when]
    line = " · ".join(p for p in parts if p)
    return line + (" " + t(f"evidence_ui.state.{state}") if state else "")


def kept_message(attached: Attached, target: str) -> str:
    """What an attachment did, in one or two lines: the files kept (names, sizes), those already there."""
    sep = t("punct.list_sep")
    lines = []
    if attached.added:
        lines.append(t("evidence_ui.kept", n=len(attached.added), target=target,
                       files=sep.join(t("evidence_ui.file_size", name=f.name, size=size_text(f.size))
                                      for f in attached.added)))
    if attached.already:
        lines.append(t("evidence_ui.already", n=len(attached.already), target=target,
                       names=sep.join(f.name for f in attached.already)))
    return "\n".join(lines)


def open_kept(screen: Screen | ModalScreen, kept_in: EvidenceStore, file: EvidenceFile) -> None:
    """Open a kept file with the system's viewer; one line when it cannot be (no display, missing)."""
    path = kept_in.path_of(file)
    if not path.exists():
        screen.notify(t("evidence_ui.open_missing", name=file.name, path=path), severity="warning", timeout=10)
        return
    result = opener.open_path(path)
    message = t(result.key, path=result.path, reason=result.reason)
    if result.ok:
        message = t("evidence_ui.opening", name=file.name)
    screen.notify(message, severity="information" if result.ok else "warning", timeout=10)


class EvidenceList(OptionList):
    """A finding's or an answer's kept files, one line each; Enter (or the screen's O) opens the highlighted one."""

    DEFAULT_CSS = """
    EvidenceList { height: auto; max-height: 8; }
    """

    def __init__(self, *, id: str = "evidence-files") -> None:
        super().__init__(id=id, markup=False, compact=True)
        self.files: list[EvidenceFile] = []

    def show(self, kept_in: EvidenceStore, files: Iterable[EvidenceFile]) -> None:
        self.files = list(files)
        self.clear_options()
        self.add_options([Option(file_line(f, file_state(kept_in, f))) for f in self.files])
        self.display = bool(self.files)
        if self.files:
            self.highlighted = 0

    @property
    def selected(self) -> EvidenceFile | None:
        if not self.files:
            return None
        return self.files[self.highlighted if self.highlighted is not None else 0]


# -- the dialog ----------------------------------------------------------------------------------


class EvidenceDialog(ModalScreen[Attached | None]):
    """Paths typed, pasted or dragged in (one per line, or quoted on one line); Ctrl+S keeps them.

    ``attach`` keeps and records them (core's attach_to_answer / attach_to_finding).
    When any file is refused, each refused file gets one line and nothing is
    kept; the typed text stays so it can be corrected.
    """

    BINDINGS = [Binding("escape", "cancel", "action.cancel", id="dialog.cancel"),
                Binding("ctrl+s", "save", "action.save", id="dialog.save")]

    DEFAULT_CSS = """
    EvidenceDialog #evidence-paths { height: 4; }
    """

    def __init__(self, target: str, attach: Callable[[list[str]], Attached], kept_in: EvidenceStore, limit: int,
                 *, kept: Sequence[EvidenceFile] = ()) -> None:
        super().__init__()
        self.target, self.attach, self.kept_in, self.limit, self.kept = target, attach, kept_in, limit, list(kept)

    def compose(self) -> ComposeResult:
        with DialogBody(classes="dialog"):
            yield Label(t("evidence_ui.title"), classes="dialog-title")
            yield Static(self.target, markup=False, classes="dialog-hint")
            if self.kept:
                yield Static(t("evidence_ui.already_kept", n=len(self.kept))
                             + "\n" + "\n".join("· " + file_line(f) for f in self.kept), markup=False, id="evidence-kept")
            yield TextArea(id="evidence-paths", soft_wrap=True, compact=True)
            yield DialogError()
            yield WrappedText(t("evidence_ui.hint", limit=size_text(self.limit)), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#evidence-paths", TextArea).focus()

    def action_save(self) -> None:
        error = self.query_one("#error", DialogError)
        paths = parse_paths(self.query_one("#evidence-paths", TextArea).text)
        if not paths:
            error.update(t("evidence.no_files"))
            return
        refused = refusals(self.kept_in, paths, self.limit)
        if refused:
            error.update("\n".join(refused))
            return
        try:
            attached = self.attach(paths)
        except (UserError, RepositoryError) as exc:  # a file changed since the check, a full disk: nothing recorded
            error.update(exc.message())
            return
        self.dismiss(attached)

    def action_cancel(self) -> None:
        self.dismiss(None)


__all__ = ["EvidenceDialog", "EvidenceList", "file_line", "file_state", "kept_message", "open_kept", "parse_paths",
           "refusals", "size_text"]
