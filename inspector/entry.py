"""The program's entry point: answers ``--version`` before importing anything else.

Importing the command line pulls in argparse, the message catalog and the
storage errors; a version check should cost no more than starting Python.
"""

from __future__ import annotations

import sys


def main() -> int:
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        print(f"inspector {__version__}")
        return 0
    from .cli import main as run

    return run()
