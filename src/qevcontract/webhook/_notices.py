"""Notices on stderr for things that happen many times a second under attack: summed, not spammed.

A flood of oversized heads or idle connections must show on stderr (else nobody learns why
deliveries stall), but one line per refused connection would be a second flood. The first
occurrence of each kind is printed at once; the rest are counted and printed as one line
per kind at most once per `interval`.
"""

from __future__ import annotations

import asyncio
from typing import TextIO

from .._report.style import ERASE_LINE

__all__ = ["Notices"]

PREFIX = "qevcontract webhook: "


class Notices:
    """Counts events by message; `flush` prints what was counted since the last flush."""

    def __init__(self, stderr: TextIO | None, interval: float = 5.0) -> None:
        self.stderr = stderr
        self.interval = interval
        self.totals: dict[str, int] = {}  # since the start, by kind (for /healthz and the end)
        self._pending: dict[str, int] = {}
        self._texts: dict[str, str] = {}
        self._scheduled: asyncio.TimerHandle | None = None

    def note(self, kind: str, text: str) -> None:
        """One more `kind` event; `text` says what happened once ("... (--option)")."""
        self.totals[kind] = self.totals.get(kind, 0) + 1
        if kind not in self._texts:  # the first of its kind: say so now
            self._texts[kind] = text
            self._write(f"{text}")
            return
        self._pending[kind] = self._pending.get(kind, 0) + 1
        if self._scheduled is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no loop: they wait for the next `flush`
                return
            self._scheduled = loop.call_later(self.interval, self.flush)

    def flush(self) -> None:
        if self._scheduled is not None:
            self._scheduled.cancel()
            self._scheduled = None
        pending, self._pending = self._pending, {}
        for kind, count in pending.items():
            self._write(f"{count} more: {self._texts[kind]}")

    def _write(self, text: str) -> None:
        if self.stderr is None:
            return
        lead = ERASE_LINE if self.stderr.isatty() else ""
        self.stderr.write(f"{lead}{PREFIX}{text}\n")
        self.stderr.flush()
