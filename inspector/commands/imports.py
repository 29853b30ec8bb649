"""`inspector village import FILE [--sheet NAME] [--dry-run] [--yes]`: add villages from a CSV file or an .xlsx workbook.

Shows what would be added and every problem by row and column, asks, then
adds the valid rows in one write of the registry. Exit status: 0 when every
row was fine (and, without --dry-run, was written); 1 when some rows had
errors, the answer was no, or the database is read-only; 2 when the file
cannot be imported at all (nothing is opened or written then).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from ..core import ids
from ..core.errors import UserError
from ..core.village_import import WORKBOOK, ImportPreview, Problem, VillageImportError, check_rows, read_table
from ..i18n import t
from .villages import format_table

_YES = ("y", "yes", "是")


def add_parser(subparsers, verb: Callable[..., argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add ``import`` to the ``village`` subparsers, with cli.py's ``verb`` helper."""
    p = verb(subparsers, "import", "import.help")
    p.add_argument("file", type=Path, help=t("import.help_file"))
    p.add_argument("--sheet", help=t("office.import.help_sheet"))
    p.add_argument("--dry-run", action="store_true", help=t("import.help_dry_run"))
    p.add_argument("--yes", "-y", action="store_true", help=t("import.help_yes"))
    p.add_argument("--new-township", action="store_true", help=t("f3.help_new_township"))
    return p


def run(args, open_db) -> int:
    # The file first: a file that cannot be imported never opens (or creates) a database.
    try:
        table = read_table(args.file, getattr(args, "sheet", None))
    except VillageImportError as exc:
        print(t(exc.key, **exc.params), file=sys.stderr)
        return 2

    if args.dry_run:
        preview = check_rows(table, _existing_read_only(args, open_db), getattr(args, "new_township", False))
        _show(preview)
        print(t("import.dry_run"))
        print(t("import.dry_summary", added=len(preview.rows), skipped=preview.skipped, warnings=len(preview.warnings)))
        return 1 if preview.errors else 0

    with open_db(args) as db:
        if db.read_only:
            print(t("store.read_only_refused", path=db.root, holder=db.holder), file=sys.stderr)
            return 1
        preview = check_rows(table, db.villages(include_archived=True), getattr(args, "new_township", False))
        _show(preview)
        added = 0
        if preview.rows and (args.yes or _confirm(len(preview.rows))):
            try:
                _add_all(db, preview)
            except (OSError, ValueError) as exc:
                print(t("import.write_failed", reason=_reason(exc)), file=sys.stderr)
                return 1
            added = len(preview.rows)
        elif preview.rows:
            print(t("import.declined"))
        print(t("import.summary", added=added, skipped=preview.skipped, warnings=len(preview.warnings)))
        return 0 if added and not preview.errors else 1


def _existing_read_only(args, open_db) -> list:
    """The villages already stored, without creating, locking or touching the database."""
    from ..paths import default_db
    from ..wiring import REGISTRY, check_location

    path = Path(args.db) if getattr(args, "db", None) else default_db()
    if not path.exists():
        return []
    root = check_location(path)  # NotADatabase: the command line says why, exit 2
    if not (root / REGISTRY).exists():
        return []
    with open_db(args, read_only=True) as db:
        return db.villages(include_archived=True)


def _show(preview: ImportPreview) -> None:
    if preview.encoding == WORKBOOK:
        print(t("office.import.reading", path=preview.path, sheet=preview.sheet, header_row=preview.header_row,
                rows=preview.data_rows))
    else:
        _show_csv_source(preview)
    _show_rows(preview)


def _show_csv_source(preview: ImportPreview) -> None:
    print(
        t(
            "import.reading",
            path=preview.path,
            encoding=preview.encoding,
            delimiter=t(f"import.delimiter.{_DELIMITER_NAMES[preview.delimiter]}"),
            header_row=preview.header_row,
            rows=preview.data_rows,
        )
    )


def _show_rows(preview: ImportPreview) -> None:
    if preview.rows:
        print(t("import.to_add", n=len(preview.rows)))
        header = [t("import.col.row"), t("col.township"), t("col.village"), t("col.kind"), t("import.col.county"), t("import.col.contact"), t("import.col.phone")]
        rows = [[str(r.row), r.township, r.name, t(f"kind.{r.kind}"), r.county, r.contact, r.phone] for r in preview.rows]
        print(format_table(header, rows))
    else:
        print(t("import.nothing_to_add"))
    if preview.problems:
        print()
        print(t("import.problems", errors=len(preview.errors), warnings=len(preview.warnings)))
        for problem in preview.problems:
            print(describe(problem))


def describe(problem: Problem) -> str:
    """One problem as one line: where, how bad, what."""
    level = t(f"import.level.{problem.level}")
    params = dict(problem.params)
    if "id" in params:  # a stored village the row repeats: its short id, as people see it
        params["id"] = ids.short(str(params["id"]))
    message = t(problem.key, **params)
    if problem.column:
        return t("import.row_problem", row=problem.row, column=problem.column, level=level, message=message)
    return t("import.row_problem_nocol", row=problem.row, level=level, message=message)


_DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon"}


def _confirm(n: int) -> bool:
    """Ask on the terminal. Input that is not a terminal, or its end, means no."""
    prompt = t("import.confirm", n=n)
    stdin = sys.stdin
    if stdin is None or not stdin.isatty():
        print(prompt + t("import.not_interactive"))
        return False
    try:
        answer = input(prompt)
    except EOFError:
        print()
        return False
    return answer.strip().lower() in _YES


def _add_all(db, preview: ImportPreview) -> None:
    """Add every row in one atomic write of the registry: all of them or none."""
    db.add_villages(
        [dict(name=r.name, township=r.township, kind=r.kind, county=r.county, contact=r.contact, phone=r.phone) for r in preview.rows]
    )


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        from .common import os_reason

        return os_reason(exc)  # in the interface language (strerror is always English)
    if isinstance(exc, UserError):  # from add_villages; the preview already ruled these out
        return exc.message()
    return str(exc)
