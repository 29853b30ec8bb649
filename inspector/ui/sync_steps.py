"""The sync screens' steps, free of Textual: the shared flow (sync_flow.py) as the screens call it.

Each step is a plain function the screens run in a thread worker; none
touches a widget. The rules, the words of a report and the folder loop are
sync_flow's, the same the verbs use; what is the screens' own is here: a file
is named by its name (dialogs are narrow), the report in a dialog drops the
heading its title already says, the roster is read again at each step (the
screen stays open while another window may install one), a device not
trusted yet is skipped by the folder sync with the screen's advice (press i),
and the main screen's status line.

The shared folder is kept on this device's own entry in the registry's
"devices" table (core.sync.KnownDevice.shared_folder), not in the user's
settings file: the folder is where *this database* meets the others, so a
demo or a scratch database opened on the same laptop never syncs with the
county's folder; and it is keyed by this device's id, so a database folder
copied to another laptop does not bring the setting along.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import sync_flow as flow
from ..core.sync import MergeReport
from ..i18n import t
from ..sync_flow import DeviceRow, Incoming, SyncRefused, set_shared_folder, shared_folder, when

__all__ = ["DeviceRow", "FolderResult", "Incoming", "SyncRefused", "apply", "export_to", "known_devices", "load",
           "preview", "read_and_vet", "report_lines", "set_shared_folder", "shared_folder", "status_line",
           "sync_folder", "when"]


def load(path: Path) -> Incoming:
    """The bundle in ``path``; SyncRefused with one line (naming the file) otherwise."""
    return flow.load(path, by_name=True)


def read_and_vet(db: Any, path: Path) -> tuple[Incoming, bool]:
    """(the bundle, whether its device must be trusted first), or SyncRefused."""
    incoming = load(path)
    return incoming, flow.vet(db, incoming, db.roster())


def preview(db: Any, incoming: Incoming) -> MergeReport:
    """What importing would do; nothing is changed."""
    return flow.preview(db, incoming, db.roster())


def apply(db: Any, incoming: Incoming) -> MergeReport:
    """Import the bundle (all of it or nothing) and remember its device as trusted, with its key."""
    return flow.apply(db, incoming, db.roster())


def report_lines(report: MergeReport, incoming: Incoming, db: Any) -> list[str]:
    """The report's facts, one a line, for a dialog whose title names the file and device (the heading left out)."""
    lines = flow.report_lines(report, incoming, db.roster(), db.known_devices())
    return lines if flow.nothing_to_ask(report) else [line.strip() for line in lines[1:]]


def export_to(db: Any, folder: Path) -> tuple[Path, int, int]:
    """Write this device's bundle of the whole database into ``folder``; (path, villages, records)."""
    if not folder.is_dir():
        raise SyncRefused(t("sync.no_folder", path=folder))
    done = flow.write_own(db, folder)
    return done.path, done.villages, done.records


@dataclass
class FolderResult:
    """A folder sync as the app shows it: a summary, and the lines to look at when something needs it."""

    written: Path
    summary_line: str
    needs_attention: bool
    skipped: list[str] = field(default_factory=list)  # why each skipped file was skipped
    lines: list[str] = field(default_factory=list)  # each import's report

    def summary(self) -> str:
        return self.summary_line


def sync_folder(db: Any, folder: Path) -> FolderResult:
    """``inspector sync folder`` without ``--trust``: a device not trusted yet is skipped, with how to trust it."""
    done = flow.sync_folder(db, folder, by_name=True)
    assert done.written is not None
    skipped = [t("sync_ui.folder_untrusted", path=s.path.name, **s.untrusted.who) if s.untrusted else s.line
               for s in done.skipped]
    summary = t("sync_ui.folder_done", imported=len(done.imported), names=t("supervise.sep").join(done.imported) or "-",
                added=flow.counts(done.added) or t("sync.none"), conflicts=done.conflicts,
                quarantined=done.quarantined, unchanged=done.unchanged, skipped=len(done.skipped),
                path=done.written.path.name)
    return FolderResult(done.written.path, summary, done.needs_attention, skipped, [line.strip() for line in done.lines])


def known_devices(db: Any) -> list[DeviceRow]:
    """This device first, then every device the database has heard from or the roster lists, by name."""
    return flow.device_rows(db)


def status_line(db: Any) -> str:
    """The main screen's line: when each other device last synced here, and this one last exported ("" if none)."""
    parts = []
    for d in known_devices(db):
        if d.this and d.last_export:
            parts.append(t("sync_ui.status_exported", name=t("sync.this_device"), when=when(d.last_export)))
        elif not d.this:
            parts.append(t("sync_ui.status_imported", name=d.name, when=when(d.last_import)) if d.last_import
                         else t("sync_ui.status_never", name=d.name))
    if not parts:
        return ""
    return t("sync_ui.status", devices=t("supervise.sep").join(parts))
