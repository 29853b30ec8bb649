"""Open a file or folder with the system's own viewer: xdg-open, open, or os.startfile.

Textual-free, so it can be tested without an app. Over SSH, or on a Linux
console without a graphical display, there is nothing to open a file with:
the answer then says so and names the path, so the user can fetch the file
another way. Nothing here waits for the viewer: it is started detached and
its output is dropped (xdg-open's chatter would draw over the terminal UI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping


@dataclass(frozen=True)
class Opened:
    """What happened: ``key`` is a message key (office.open.*), ``ok`` whether a viewer was started."""

    ok: bool
    key: str
    path: Path
    reason: str = ""


def has_display(env: Mapping[str, str], platform: str) -> bool:
    """Whether a window can be shown: always on Windows and macOS (unless over SSH), on other
    systems only with an X or Wayland display."""
    if platform.startswith("win"):
        return True
    over_ssh = bool(env.get("SSH_CONNECTION") or env.get("SSH_TTY"))
    if platform == "darwin":
        return not over_ssh
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def command_for(path: Path, platform: str, which: Callable[[str], str | None] = shutil.which) -> list[str] | None:
    """The command that opens ``path`` on ``platform`` (None on Windows: os.startfile, or when there is none)."""
    if platform.startswith("win"):
        return None
    if platform == "darwin":
        return ["open", str(path)]
    for tool in ("xdg-open", "gio", "kde-open5", "gnome-open"):
        found = which(tool)
        if found:
            return [found, "open", str(path)] if tool == "gio" else [found, str(path)]
    return None


def open_path(
    path: Path,
    *,
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    which: Callable[[str], str | None] = shutil.which,
    spawn: Callable[..., object] = subprocess.Popen,
    startfile: Callable[[str], None] | None = None,
) -> Opened:
    """Open ``path`` (a file or a folder) in the system's viewer, without waiting for it."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    path = Path(path)
    if not path.exists():
        return Opened(False, "office.open.failed", path, _missing())
    if not has_display(env, platform):
        return Opened(False, "office.open.no_display", path)
    try:
        if platform.startswith("win"):
            (startfile or getattr(os, "startfile"))(str(path))
            return Opened(True, "office.open.opening", path)
        command = command_for(path, platform, which)
        if command is None:
            return Opened(False, "office.open.no_display", path)
        spawn(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
              start_new_session=True, close_fds=True)
    except OSError as exc:
        return Opened(False, "office.open.failed", path, exc.strerror or type(exc).__name__)
    return Opened(True, "office.open.opening", path)


def _missing() -> str:
    from ..i18n import t

    return t("cli.os.missing")


REPORT_SUFFIXES = (".md", ".docx", ".xlsx", ".csv")


def latest_report(folder: Path) -> Path | None:
    """The report written last in ``folder`` (by modification time), or None."""
    try:
        found = [p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
                 and not p.name.startswith(".")]
    except OSError:
        return None
    return max(found, key=lambda p: (p.stat().st_mtime, p.name), default=None)


class OpensReports:
    """Screen mixin: ``open_exports`` opens the exports folder, ``open_report`` the report exported last.

    The screen declares the bindings (with ids, ``show=False``); F1 help and the
    palette list them from BINDINGS. The app's ``last_report`` (set when it
    writes a report) wins; otherwise the newest report in the folder.
    """

    def exports_folder(self) -> Path:
        from ..paths import default_exports

        app = self.app  # type: ignore[attr-defined]
        return Path(app.settings.exports or default_exports(app.db.root))

    def report_to_open(self) -> Path | None:
        last = getattr(self.app, "last_report", None)  # type: ignore[attr-defined]
        if last is not None and Path(last).exists():
            return Path(last)
        return latest_report(self.exports_folder())

    def action_open_exports(self) -> None:
        from ..i18n import t

        folder = self.exports_folder()
        if not folder.is_dir():
            self.notify(t("office.open.no_exports", path=folder), severity="warning")  # type: ignore[attr-defined]
            return
        self._opened(open_path(folder))

    def action_open_report(self) -> None:
        from ..i18n import t

        report = self.report_to_open()
        if report is None:
            self.notify(t("office.open.no_exports", path=self.exports_folder()), severity="warning")  # type: ignore[attr-defined]
            return
        self._opened(open_path(report))

    def _opened(self, result: Opened) -> None:
        from ..i18n import t

        message = t(result.key, path=result.path, reason=result.reason)
        self.notify(message, severity="information" if result.ok else "warning", timeout=10)  # type: ignore[attr-defined]
