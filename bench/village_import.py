"""Village import benchmark: rows per second at 1,000 and 10,000 rows, side by side.

    python -m bench.village_import [--rows 1000,10000] [--baseline-rows 1000,2000]

Each run imports a generated CSV (unique names over 50 townships) into a fresh
database the way `inspector village import FILE --yes` does: read and check the
file, then add every row in one write. The baseline, measured in the same run,
is the old path: `add_village` per row inside one write, which re-reads every
village per row (quadratic: 10,000 rows took ~500 s, so it is run on fewer rows).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime
from pathlib import Path

TOWNSHIPS = 50


def write_csv(path: Path, rows: int) -> None:
    lines = ["村（社区）名称,乡镇（街道）,类型,区县,联系人,联系电话"]
    for n in range(rows):
        lines.append(f"第{n:05d}村,第{n % TOWNSHIPS:02d}镇,村,綦江区,联系人{n},1380000{n % 10000:04d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _open(root: Path):
    from inspector.storage.database import Database

    return Database.open(root, clock=lambda: datetime(2026, 11, 21, 9, 0))


def import_new(folder: Path, rows: int) -> float:
    """Seconds for read + check + one-write add of ``rows`` rows (the command's path)."""
    from inspector.commands.imports import _add_all
    from inspector.core.village_import import check_rows, read_table

    csv_path = folder / f"v{rows}.csv"
    write_csv(csv_path, rows)
    start = time.perf_counter()
    db = _open(folder / f"new-{rows}")
    preview = check_rows(read_table(csv_path), db.villages(include_archived=True))
    _add_all(db, preview)
    db.close()
    elapsed = time.perf_counter() - start
    assert not preview.errors and len(preview.rows) == rows
    return elapsed


def import_baseline(folder: Path, rows: int) -> float:
    """The old path: check the file the same way, then add_village row by row in one write."""
    from inspector.core.village_import import check_rows, read_table
    from inspector.storage.database import _one_write

    csv_path = folder / f"b{rows}.csv"
    write_csv(csv_path, rows)
    start = time.perf_counter()
    db = _open(folder / f"old-{rows}")
    preview = check_rows(read_table(csv_path), db.villages(include_archived=True))
    with _one_write(db.registry):
        for r in preview.rows:
            db.add_village(r.name, r.township, r.kind, r.county, r.contact, r.phone)
    db.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000,10000")
    parser.add_argument("--baseline-rows", default="500,1000")
    args = parser.parse_args()
    sizes = [int(x) for x in args.rows.split(",")]
    base_sizes = [int(x) for x in args.baseline_rows.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = [("one write, in-memory identity check (this version)", n, import_new(folder, n)) for n in sizes]
        results += [("baseline: add_village per row (before)", n, import_baseline(folder, n)) for n in base_sizes]
    print(f"{'import path':<52} {'rows':>7} {'seconds':>9} {'rows/s':>9}")
    for name, n, secs in results:
        print(f"{name:<52} {n:>7,} {secs:>9.2f} {n / secs:>9,.0f}")


if __name__ == "__main__":
    main()
