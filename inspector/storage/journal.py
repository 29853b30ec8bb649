"""Several files replaced as one: all of them, or none (an import touches the registry and many villages).

Each new file is first written whole beside its target under a hidden
``.name.inspector-pending`` name (atomic, fsynced). Then the journal
(``sync-journal.json``, written atomically) names every pending file and its
target: that write is the commit point. The pending files are then renamed
over their targets and the journal removed.

A kill before the journal leaves pending files and no journal: the next
writer removes them (nothing changed). A kill after it leaves the journal:
the next writer finishes the renames (everything changed). Either way the
database is as before or fully changed, never half.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson

from .atomic import fsync_dir, write_atomic

JOURNAL = "sync-journal.json"
PENDING = ".inspector-pending"


def pending_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{PENDING}")


def commit(root: Path, files: dict[Path, bytes]) -> None:
    """Replace every file of ``files`` (path -> new content) at once."""
    if not files:
        return
    moves = []
    for path, data in files.items():
        pending = pending_name(path)
        write_atomic(pending, data)
        moves.append([str(pending.relative_to(root)), str(path.relative_to(root))])
    write_atomic(root / JOURNAL, orjson.dumps({"moves": moves}))  # the commit point
    finish(root)


def finish(root: Path) -> bool:
    """Complete a committed change left by a killed writer (or just made); False when there was none."""
    journal = root / JOURNAL
    try:
        moves = orjson.loads(journal.read_bytes())["moves"]
    except FileNotFoundError:
        return False
    except (OSError, ValueError, KeyError, TypeError):
        # A journal is only ever written whole (write_atomic): one that does not read was not ours to finish.
        return False
    folders = set()
    for pending, final in moves:
        source, target = root / pending, root / final
        if source.exists():
            os.replace(source, target)
            folders.add(target.parent)
    for folder in folders:
        fsync_dir(folder)
    journal.unlink(missing_ok=True)
    fsync_dir(root)
    return True


def recover(root: Path) -> None:
    """At a writer's open: finish a committed change, or drop the pending files of one never committed."""
    if finish(root):
        return
    for folder in (root, root / "villages"):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(PENDING) and entry.is_file(follow_symlinks=False):
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass
