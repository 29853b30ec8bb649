"""Re-reading many village files for the query cache: one pass per file, on every core.

When the cache is lost (deleted, corrupt, another version) every village file
is read again at open. Each file is parsed once, checked once (the check
replays every finding's history, and the summary is made from those same
statuses) and turned into its summary and query rows. With many files the
work is shared by a pool of worker processes (one per core, at most two:
these machines have two), while this process writes the rows into SQLite.

A scan never decides that a file is bad: anything unusual (a file that does
not parse or fit, an older schema to migrate) returns None, and the caller
opens that file the ordinary way (tinyfile.open_tinydb), which names the
problem and offers a backup exactly as before.
"""

from __future__ import annotations

import gc
import os
import signal
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict
from multiprocessing import get_context
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import atomic
from .migrations import SCHEMA_VERSION, schema_of
from .query_cache import VillageRows
from .shapes import check_meta, check_village
from .village_store import summarize_tables

POOL_FROM = 200  # files: below this, starting the workers (~0.3 s) costs more than it saves
WORKERS = 2
IN_FLIGHT = 4  # villages handed out per worker: bounds the rows held in memory

# (village id, its stat before reading, whether its query rows are wanted)
Job = tuple[str, "list[int] | None", bool]
# (village id, stat, summary as a dict, rows or None); None: open it the ordinary way
Scanned = tuple[str, "list[int] | None", dict, "VillageRows | None"]


def scan(folder: str, job: Job) -> Scanned | None:
    """One village file: parsed, checked, summarized, and its rows when wanted."""
    vid, stat, want_rows = job
    path = Path(folder) / f"{vid}.json"
    collecting = gc.isenabled()
    gc.disable()  # a parsed file holds no cycles: the collector would only walk its many dicts again and again
    try:
        tables = atomic._tables(path, atomic.load_json(path))
        check_meta(path, tables)
        if schema_of(tables) != SCHEMA_VERSION:
            return None  # to be migrated: the ordinary path does that
        replayed = check_village(path, tables)
        summary = asdict(summarize_tables(vid, tables, {fid: r.status for fid, r in replayed.items()}))
        rows = VillageRows(vid, tables, replayed) if want_rows else None
    except Exception:  # noqa: BLE001 - the ordinary path names the problem
        return None
    finally:
        if collecting:
            gc.enable()
    return vid, stat, summary, rows


def scan_all(folder: Path, jobs: list[Job], progress: Callable[[int, int], None] | None = None) -> Iterator[Scanned | tuple[str, None]]:
    """Every job's result, in no particular order; ``(vid, None)`` for a file to open the ordinary way."""
    total = len(jobs)
    done = 0
    pending = deque(jobs)
    if total >= POOL_FROM and (os.cpu_count() or 1) > 1:
        for result in _in_pool(str(folder), pending):
            done += 1
            if progress is not None:
                progress(done, total)
            yield result
    # In this process: few files, one core, or a pool that could not start or broke (what is left).
    while pending:
        job = pending.popleft()
        yield scan(str(folder), job) or (job[0], None)
        done += 1
        if progress is not None:
            progress(done, total)


def _in_pool(folder: str, pending: deque) -> Iterable[Scanned | tuple[str, None]]:
    """Results from worker processes while ``pending`` lasts; stops quietly if the pool fails."""
    try:
        # spawn, not fork: the app opens the database from a thread, and forking a threaded process can hang.
        pool = ProcessPoolExecutor(WORKERS, mp_context=get_context("spawn"), initializer=_quiet_worker)
    except (OSError, ValueError, ImportError):
        return
    running: deque[tuple[Job, Future]] = deque()
    try:
        while pending or running:
            while pending and len(running) < WORKERS * IN_FLIGHT:
                job = pending.popleft()
                running.append((job, pool.submit(scan, folder, job)))
            job, future = running.popleft()
            try:
                result = future.result()
            except (BrokenProcessPool, OSError, EOFError):
                # A worker died (killed, out of memory): finish here, this job first.
                pending.extendleft(reversed([job, *(j for j, _ in running)]))
                running.clear()
                return
            yield result or (job[0], None)
    finally:
        for _, future in running:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _quiet_worker() -> None:
    # Ctrl+C is for the main process, which stops the pool: no worker prints a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
