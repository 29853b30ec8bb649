"""One line on stderr while a verb waits for the query index to be rebuilt.

Only on a terminal (a pipe or a log gets nothing) and only once the rebuild
has taken a moment: a quick one says nothing. The line is rewritten in place
and wiped when the rebuild ends, so the verb's own output follows cleanly.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Callable, Iterator, TextIO

from ..i18n import t

DELAY = 1.0  # seconds before the line appears
EVERY = 0.25  # seconds between rewrites


class RebuildLine:
    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic):
        self.stream = stream
        self.clock = clock
        self.started: float | None = None
        self.written = -EVERY
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if self.started is None:
            self.started = now
        if now - self.started < DELAY or (now - self.written < EVERY and done < total):
            return
        self.written = now
        self.stream.write("\r" + t("index_rebuild.line", done=done, total=total) + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")  # wiped: what the verb prints next starts on a clean line
            self.stream.flush()
            self.shown = False


@contextmanager
def rebuild_line(stream: TextIO | None = None) -> Iterator[RebuildLine | None]:
    """A progress callback for Database.open when ``stream`` (stderr) is a terminal, else None."""
    stream = stream or sys.stderr
    line = RebuildLine(stream) if stream.isatty() else None
    try:
        yield line
    finally:
        if line is not None:
            line.finish()
