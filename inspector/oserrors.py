"""What the system said about a file, in the interface language: one errno → message table.

Below storage and the verbs (both say why a file could not be read or written), beside i18n.
"""

from __future__ import annotations

import errno

from .i18n import t

_OS_ERRORS = {
    errno.ENOSPC: "disk_full",
    getattr(errno, "EDQUOT", -1): "disk_full",
    errno.EACCES: "permission",
    errno.EPERM: "permission",
    errno.EROFS: "read_only_fs",
    errno.EISDIR: "is_directory",
    errno.ENOTDIR: "not_directory",
    errno.ELOOP: "link_loop",
    errno.EEXIST: "exists",
    errno.ENAMETOOLONG: "name_too_long",
    errno.ENOENT: "missing",
}


def os_reason(exc: OSError) -> str:
    """What the system said, in the interface language (strerror is always English)."""
    reason = _OS_ERRORS.get(exc.errno or 0)
    return t(f"cli.os.{reason}") if reason else t("cli.os.other", code=errno.errorcode.get(exc.errno or 0, exc.errno))
