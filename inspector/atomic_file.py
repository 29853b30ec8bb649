"""Write a whole file or nothing: what settings, this device's files, sync bundles and reports share.

The bytes go to a hidden temporary file in the same folder, are flushed to
disk, and then replace the target in one rename, so a reader (another
program, Syncthing, a power cut) sees the old file or the new one, never half
of one. The database's own files have their richer version in
storage/atomic.py (typed errors, the folder fsynced, the user's mode kept).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_file_atomic(path: Path, data: bytes, *, mode: int = 0o666) -> None:
    """Replace ``path`` with ``data``; an OSError as it came, and no temporary file left.

    ``mode`` for a new file (the umask applies; 0o600 for a private key).
    The temporary name is short and hidden: a report's name may be near the
    length limit, and whatever lists the folder skips dot-files.
    """
    temp = path.with_name(f".{secrets.token_hex(6)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass
        raise
