"""Convert a stream of input records, one JSON line out per event, in constant memory.

The loop behind `qevcontract normalize` (and its benchmark): it holds one event at a time and
reports through callbacks, so the caller decides where output and messages go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from ._convert import Normalized, UnknownEnvelope, to_cloudevents, to_hybrid, to_legacy
from ._shapes import Shape

if TYPE_CHECKING:
    from .._input import Record

CONVERTERS: dict[Shape, Callable[[dict[str, Any]], Normalized]] = {
    "cloudevents": to_cloudevents,
    "legacy": to_legacy,
    "hybrid": to_hybrid,
}


@dataclass(slots=True)
class Counts:
    """What a run did. `read` = converted + unchanged + unreadable."""

    converted: int = 0
    unchanged: int = 0
    unreadable: int = 0
    warnings: int = 0
    # Events not converted faithfully: no recognisable envelope, or an attribute that would
    # not come back from a conversion back (see `Normalized.lost`).
    unfaithful: int = 0

    @property
    def read(self) -> int:
        return self.converted + self.unchanged + self.unreadable

    @property
    def clean(self) -> bool:
        return self.unreadable == 0 and self.unfaithful == 0

    def summary(self) -> str:
        """`5 read: 3 converted, 1 unchanged, 1 unreadable (2 warnings)`."""
        line = (
            f"{self.read} read: {self.converted} converted, {self.unchanged} unchanged, "
            f"{self.unreadable} unreadable"
        )
        notes = []
        if self.warnings:
            notes.append(f"{self.warnings} warning{'s' if self.warnings != 1 else ''}")
        if self.unfaithful:
            notes.append(f"{self.unfaithful} not converted faithfully")
        return f"{line} ({', '.join(notes)})" if notes else line


def where(record: Record) -> str:
    """`path:line:col`, `path:line` or `path#index`, as the validator's reports write it."""
    if record.line is None:
        return f"{record.source}#{record.index}"
    if record.column is None:
        return f"{record.source}:{record.line}"
    return f"{record.source}:{record.line}:{record.column}"


def normalize_records(
    records: Iterable[Record],
    target: Shape,
    write: Callable[[bytes], Any],
    report: Callable[[str], Any],
) -> Counts:
    """Convert each readable record to `target`, `write` one JSON line per event, `report`
    one line per unreadable record, warning and unconverted event."""
    convert = CONVERTERS[target]
    dumps = orjson.dumps
    newline = orjson.OPT_APPEND_NEWLINE
    counts = Counts()
    for record in records:
        if record.error is not None:
            counts.unreadable += 1
            report(f"{where(record)}: unreadable: {record.error}")
            continue
        event = record.event
        try:
            result = convert(event)
        except UnknownEnvelope as exc:
            write(dumps(event, option=newline))
            counts.unchanged += 1
            counts.unfaithful += 1
            report(f"{where(record)}: not converted: {exc}; written unchanged")
            continue
        write(dumps(result.event, option=newline))
        if result.changed:
            counts.converted += 1
        else:
            counts.unchanged += 1
        for warning in result.warnings:
            counts.warnings += 1
            report(f"{where(record)}: warning: {warning}")
        if result.lost:
            counts.unfaithful += 1
    return counts
