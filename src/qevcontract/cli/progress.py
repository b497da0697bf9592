"""A progress line on stderr for long runs, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from ..validate.results import Batch

T = TypeVar("T")


class _Line:
    """Redraws "N events (R/s)" at most 4 times a second; cleared before report output."""

    def __init__(self, label: str) -> None:
        self._label = label
        self._start = self._last = time.monotonic()
        self._shown = False

    def update(self, done: int) -> None:
        """`done` items so far (called after their report text is written)."""
        now = time.monotonic()
        if now - self._last >= 0.25:
            self._last = now
            rate = done / (now - self._start)
            sys.stderr.write(f"\r{done:,} {self._label} ({rate:,.0f}/s)")
            sys.stderr.flush()
            self._shown = True

    def clear(self) -> None:
        if self._shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self._shown = False


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
