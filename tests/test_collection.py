"""The suite collects the same tests every time.

pytest-xdist workers each collect the suite and refuse to run when their lists
differ, so a test id that carries the clock, randomness or a machine detail
makes the suite fail at random. Collecting twice in fresh processes and
comparing catches that.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def collect() -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-p", "no:randomly", "-p", "no:cacheprovider", "tests"],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return [line for line in done.stdout.splitlines() if "::" in line]


def test_collection_is_identical_twice_in_a_row():
    first, second = collect(), collect()
    assert len(first) > 300
    assert first == second, sorted(set(first) ^ set(second))[:10]
