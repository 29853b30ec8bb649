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
import pickle
import subprocess
import sys
from collections import deque
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Iterator

import orjson

from ..core.village_summary import village_summary
from . import atomic
from .migrations import SCHEMA_VERSION, schema_of
from .query_cache import VillageRows
from .shapes import check_meta, check_village

POOL_FROM = 200  # files: below this, starting the workers (~0.2 s) costs more than it saves
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
        checked = check_village(path, tables)
        statuses = {fid: r.status for fid, r in checked.replayed.items()}
        summary = asdict(village_summary(vid, checked.inspections, checked.findings, (), statuses))
        rows = VillageRows(vid, tables, checked) if want_rows else None
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
    # (A frozen build's executable is the program itself, not a Python to run this module with.)
    if total >= POOL_FROM and (os.cpu_count() or 1) > 1 and not getattr(sys, "frozen", False):
        for result in _in_workers(str(folder), pending):
            done += 1
            if progress is not None:
                progress(done, total)
            yield result
    # In this process: few files, one core, or workers that could not start or broke (what is left).
    while pending:
        job = pending.popleft()
        yield scan(str(folder), job) or (job[0], None)
        done += 1
        if progress is not None:
            progress(done, total)


class _Worker:
    """One worker process: jobs go in as JSON lines, results come back as pickles.

    A plain subprocess running this module, not multiprocessing: spawn would
    run the caller's main script again in each worker, and fork from the app's
    thread can hang. Its stderr goes nowhere: whatever it meets, this process decides.
    """

    def __init__(self, folder: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", __name__, folder],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl+C reaches this process only, which stops the workers
        )
        self.jobs: deque[Job] = deque()

    def send(self, job: Job) -> None:
        assert self.proc.stdin is not None
        self.jobs.append(job)  # first: should the write fail, the job is still known to be owed
        self.proc.stdin.write(orjson.dumps(job) + b"\n")
        self.proc.stdin.flush()

    def receive(self) -> tuple[Job, Scanned | None]:
        assert self.proc.stdout is not None
        head = self.proc.stdout.read(4)
        if len(head) < 4:
            raise EOFError("worker ended")
        size = int.from_bytes(head, "big")
        if size > 1 << 30:
            raise ValueError("not a result")
        body = self.proc.stdout.read(size)
        if len(body) < size:
            raise EOFError("worker ended")
        result = pickle.loads(body)
        return self.jobs.popleft(), result  # only now: a job whose result never came is read here again

    def stop(self) -> None:
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()  # type: ignore[union-attr]
            except OSError:
                pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _in_workers(folder: str, pending: deque) -> Iterator[Scanned | tuple[str, None]]:
    """Results from worker processes while ``pending`` lasts; stops quietly if a worker fails."""
    workers: list[_Worker] = []
    try:
        for _ in range(WORKERS):
            workers.append(_Worker(folder))
        while True:
            for worker in workers:  # each worker holds a few jobs, so none waits while we write
                while pending and len(worker.jobs) < IN_FLIGHT:
                    worker.send(pending.popleft())
            busy = [w for w in workers if w.jobs]
            if not busy:
                return
            for worker in busy:
                job, result = worker.receive()
                yield result or (job[0], None)
    except Exception:  # noqa: BLE001 - only the workers' plumbing runs in here, never the caller's code
        # A worker could not start, died (killed, out of memory) or said nonsense: the rest is read here.
        pending.extendleft(reversed([job for w in workers for job in w.jobs]))
    finally:
        for worker in workers:
            worker.stop()


def _serve(folder: str) -> None:
    """The worker's loop: one job per line on stdin, one length-prefixed pickle per result on stdout."""
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        vid, stat, want_rows = orjson.loads(line)
        body = pickle.dumps(scan(folder, (vid, stat, want_rows)), protocol=pickle.HIGHEST_PROTOCOL)
        out.write(len(body).to_bytes(4, "big") + body)
        out.flush()


if __name__ == "__main__":
    try:
        _serve(sys.argv[1])
    except (KeyboardInterrupt, BrokenPipeError):
        pass
