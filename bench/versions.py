"""This version against an earlier one: bench/store.py's own probe, the two versions alternating.

    python -m bench.versions --against pre-records [--sizes 300] [--runs 6] [--samples 5] [--ops first,overdue]
    python -m bench.versions --against pre-records --count        # instructions too (valgrind)

The earlier version is taken from git (``git archive REV``) into a temporary
folder; each version builds its own demo (same seed and size) and runs its
own copy of the probe, in a fresh process per operation, bytecode cached per
version. Runs alternate which version goes first, so a machine that slows
down for a while slows both. Printed: each version's median and fastest time
as its probe measures it (from its first import to the answer), the ratio of
the medians (this version's over the earlier one's), and the ratio of the
median CPU time of the whole process (interpreter start to exit: what a
command costs the person who typed it).

Timings on a shared machine move by ±30% between runs. ``--count`` also
counts each operation's instructions once per version with valgrind's
callgrind, which is repeatable to the instruction: the probe's whole process,
imports included; for the index rebuild its worker processes too; for a save,
the count of 41 saves less that of one, over 40.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from .store import PAST, SCALE_OPS, TODAY  # noqa: F401  (PAST: the probe's own "a year ago")

HERE = Path(__file__).resolve().parent.parent
SAVES = ("answer", "event")


def earlier_tree(rev: str, into: Path) -> Path:
    """The files of ``rev`` (a tag, branch or commit of this repository) under ``into``."""
    archive = subprocess.run(["git", "archive", "--format=tar", rev], cwd=HERE, capture_output=True, check=False)
    if archive.returncode:
        raise SystemExit(f"git archive {rev}: {archive.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later: refuse links and paths out of ``into``
            tar.extractall(into, filter="data")
        else:
            tar.extractall(into)  # noqa: S202 - our own repository's files
    return into


def probe_of(tree: Path) -> str:
    """The SCALE_PROBE text of that version's bench/store.py (each version measures itself its own way)."""
    spec = importlib.util.spec_from_file_location(f"store_of_{abs(hash(tree))}", tree / "bench" / "store.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SCALE_PROBE


def env_of(tree: Path, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(tree), "PYTHONPYCACHEPREFIX": str(cache)}


def build(tree: Path, db: Path, villages: int, years: int, env: dict[str, str]) -> None:
    code = ("import sys; from pathlib import Path; from datetime import date; from inspector.wiring import build_demo; "
            f"build_demo(Path(sys.argv[1]), villages={villages}, years={years}, seed=1, today=date(2026, 11, 21))")
    subprocess.run([sys.executable, "-c", code, str(db)], cwd=tree, env=env, check=True)


def timed(probe: str, tree: Path, db: Path, op: str, samples: int, env: dict[str, str]) -> tuple[float, float]:
    """(the probe's own seconds, the whole process's CPU seconds: start, imports, the work and exit)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, "-c", probe, "ours", str(db), op, str(samples)],
                         cwd=tree, env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode:
        raise SystemExit(out.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads(out.stdout)["seconds"], cpu


def counted(probe: str, tree: Path, db: Path, op: str, env: dict[str, str], work: Path) -> int:
    """Instructions of one operation (see the module's docstring)."""

    def run(samples: int) -> int:
        for old in work.glob("cg.*"):
            old.unlink()
        subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes", f"--callgrind-out-file={work}/cg.%p",
                        sys.executable, "-c", probe, "ours", str(db), op, str(samples)],
                       cwd=tree, env=env, capture_output=True, check=True)
        total = 0
        for out in work.glob("cg.*"):
            for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith(("summary:", "totals:")):
                    total += int(line.split()[1])
                    break
        return total

    if op in SAVES:
        return (run(41) - run(1)) // 40
    return run(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", required=True, help="the earlier version: a tag, branch or commit (e.g. pre-records)")
    parser.add_argument("--sizes", default="300", help="villages, comma-separated")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=6, help="alternating runs per operation")
    parser.add_argument("--samples", type=int, default=5, help="saves per run (their median is the run's figure)")
    parser.add_argument("--ops", default=",".join(op for op, _ in SCALE_OPS))
    parser.add_argument("--count", action="store_true", help="count instructions too (needs valgrind)")
    args = parser.parse_args()
    ops = [op for op in args.ops.split(",") if op]
    labels = dict(SCALE_OPS)
    if args.count and shutil.which("valgrind") is None:
        raise SystemExit("--count needs valgrind")
    with tempfile.TemporaryDirectory(prefix="inspector-versions-") as tmp:
        root = Path(tmp)
        trees = {"before": earlier_tree(args.against, root / "before"), "after": HERE}
        envs = {name: env_of(tree, root / f"pyc-{name}") for name, tree in trees.items()}
        probes = {name: probe_of(tree) for name, tree in trees.items()}
        for size in [int(s) for s in args.sizes.split(",")]:
            dbs = {name: root / f"db-{name}-{size}" for name in trees}
            for name, tree in trees.items():
                build(tree, dbs[name], size, args.years, envs[name])
            times: dict[str, dict[str, list[float]]] = {op: {"before": [], "after": []} for op in ops}
            cpu: dict[str, dict[str, list[float]]] = {op: {"before": [], "after": []} for op in ops}
            for run in range(args.runs):
                for op in ops:
                    for name in (("before", "after") if run % 2 == 0 else ("after", "before")):
                        seconds, used = timed(probes[name], trees[name], dbs[name], op, args.samples, envs[name])
                        times[op][name].append(seconds)
                        cpu[op][name].append(used)
                print(f"run {run + 1} of {args.runs} done", file=sys.stderr, flush=True)
            counts = {}
            if args.count:
                work = root / "callgrind"
                work.mkdir(exist_ok=True)
                counts = {op: {name: counted(probes[name], trees[name], dbs[name], op, envs[name], work) for name in trees}
                          for op in ops}
            print(f"\n{size} villages x {args.years} years, against {args.against}: {args.runs} alternating runs"
                  f"{' and instructions' if counts else ''}\n")
            head = ("| operation | before, median [fastest] | after, median [fastest] | after/before "
                    "| whole process CPU, after/before |")
            print(head + (" instructions after/before |" if counts else ""))
            print("|---|---|---|---|---|" + ("---|" if counts else ""))
            for op in ops:
                b, a = times[op]["before"], times[op]["after"]
                row = (f"| {labels.get(op, op)} | {statistics.median(b) * 1000:,.1f} [{min(b) * 1000:,.1f}] ms "
                       f"| {statistics.median(a) * 1000:,.1f} [{min(a) * 1000:,.1f}] ms "
                       f"| {statistics.median(a) / statistics.median(b):.2f} "
                       f"| {statistics.median(cpu[op]['after']) / statistics.median(cpu[op]['before']):.2f} |")
                if counts:
                    row += f" {counts[op]['after'] / counts[op]['before']:.2f} |"
                print(row)


if __name__ == "__main__":
    main()
