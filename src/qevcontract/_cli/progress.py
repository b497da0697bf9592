"""A progress line on stderr for long runs, shown only when stderr is a terminal.

click writes it (`click.echo(err=True)`: the standard error stream, flushed after each
write). Not `click.progressbar`: it leaves its last line on the screen, where the report
lines that follow on the same terminal must replace it; and click has no "erase the line"
(`_report.style.ERASE_LINE` is that one sequence).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

import click

from .._report.style import ERASE_LINE
from ..validate._results import Batch

T = TypeVar("T")
# Where the line goes instead of standard error (tests); None: click's standard error.
STREAM: TextIO | None = None


class _Line:
    """Redraws "N events (R/s)" at most 4 times a second; cleared before report output."""

    def __init__(self, label: str) -> None:
        self._label = label
        self._stream = STREAM
        self._start = self._last = time.monotonic()
        self._shown = False

    def update(self, done: int) -> None:
        """`done` items so far (called after their report text is written)."""
        now = time.monotonic()
        if now - self._last >= 0.25:
            self._last = now
            rate = done / (now - self._start)
            self._write(f"\r{done:,} {self._label} ({rate:,.0f}/s)")
            self._shown = True

    def clear(self) -> None:
        if self._shown:
            self._write(ERASE_LINE)
            self._shown = False

    def _write(self, text: str) -> None:
        # color=True: the erase sequence is kept even on a stream that is not a terminal
        # (a forced --progress), as the line itself is.
        click.echo(text, file=self._stream, err=True, nl=False, color=True)


def with_progress(
    items: Iterable[T], *, enabled: bool, label: str = "events", shared: bool = True
) -> Iterator[T]:
    """Yield `items` unchanged, showing how many have gone by.

    `shared`: the report goes to the same terminal, so the line is cleared before an item
    that prints (a report to a file or a pipe never needs that)."""
    if not enabled:
        yield from items
        return
    line = _Line(label)
    try:
        for n, item in enumerate(items, 1):
            if shared and getattr(item, "violations", None):
                line.clear()  # its report lines go to the same terminal
            yield item
            if n & 1023 == 0:  # the clock is read once per 1,024 items
                line.update(n)
    finally:
        line.clear()


def with_batch_progress(
    batches: Iterable[Batch], *, enabled: bool, shared: bool = True
) -> Iterator[Batch]:
    """`with_progress` for worker batches (`--jobs`): counted by the events they hold."""
    if not enabled:
        yield from batches
        return
    line = _Line("events")
    done = 0
    try:
        for batch in batches:
            if shared and (
                batch.text or batch.text_file or any(r.violations for r in batch.results)
            ):
                line.clear()  # its report lines go to the same terminal
            yield batch
            done += batch.summary.read
            line.update(done)
    finally:
        line.clear()
