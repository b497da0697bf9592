"""A progress line on stderr for long runs, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def with_progress(items: Iterable[T], *, enabled: bool, label: str = "events") -> Iterator[T]:
    """Yield `items` unchanged, redrawing "N events (R/s)" at most 4 times a second."""
    if not enabled:
        yield from items
        return
    stream = sys.stderr
    start = last = time.monotonic()
    n = 0
    shown = False
    try:
        for item in items:
            n += 1
            if shown and getattr(item, "violations", None):
                # A report line is about to be printed on the same terminal: clear ours first.
                stream.write("\r\x1b[K")
                stream.flush()
                shown = False
            if n & 1023 == 0:
                now = time.monotonic()
                if now - last >= 0.25:
                    last = now
                    rate = n / (now - start)
                    stream.write(f"\r{n:,} {label} ({rate:,.0f}/s)")
                    stream.flush()
                    shown = True
            yield item
    finally:
        if shown:
            stream.write("\r\x1b[K")
            stream.flush()
