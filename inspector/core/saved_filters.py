"""Named review filters: the rule for their names is here; the repository only keeps them.

A saved filter belongs to the database (every user of a township's database
sees the same named views of its findings, and they name its townships and
units), so it stays in the repository, which stores any name it is given.
"""

from __future__ import annotations

from typing import Mapping

from .errors import UserError
from .repository import Repository


def filter_name(name: str) -> str:
    """The name a filter is saved under (trimmed); UserError when nothing is left of it."""
    name = str(name).strip()
    if not name:
        raise UserError("saved_filter.needs_name")
    return name


def save_filter(repo: Repository, name: str, filters: Mapping[str, str]) -> str:
    """Save ``filters`` under ``name`` (replacing one of that name); returns the name as saved."""
    name = filter_name(name)
    repo.save_filter(name, dict(filters))
    return name
