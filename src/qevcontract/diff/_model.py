"""The vocabulary of a diff: who a change breaks, one named change, one type's verdict.

Plain frozen dataclasses and enums only, so results pickle cheaply and every report format
(text, JSON, GitHub) renders the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Impact(StrEnum):
    """Whom a change breaks: the side whose previously valid behaviour stops being valid.

    A *producer* emits events: it breaks when events the old contract accepted are rejected.
    A *consumer* receives them: it breaks when events the old contract ruled out may now arrive.
    """

    NONE = "none"
    PRODUCER = "producer"
    CONSUMER = "consumer"
    BOTH = "both"

    def breaks(self, side: Side) -> bool:
        """Whether this impact breaks `side` (BOTH breaks either)."""
        return self is Impact.BOTH or self.value == side.value

    def flipped(self) -> Impact:
        """The impact of the same change under a `not`: what it tightens, it loosens."""
        return _FLIPPED[self]


class Side(StrEnum):
    """One party to the contract."""

    PRODUCER = "producer"
    CONSUMER = "consumer"


_FLIPPED = {
    Impact.NONE: Impact.NONE,
    Impact.PRODUCER: Impact.CONSUMER,
    Impact.CONSUMER: Impact.PRODUCER,
    Impact.BOTH: Impact.BOTH,
}


class Basis(StrEnum):
    """What a side's verdict rests on, strongest first."""

    ORACLE = "oracle"  # the canonical-schema algebra decided the whole contract
    LOCAL_ORACLE = "local-oracle"  # decided per changed subschema, sound by monotonicity
    WITNESS = "witness"  # a concrete event, validated both ways, proves the break
    STRUCTURAL = "structural"  # the oracle could not decide: the named change kinds decide
    EVENT_TYPE = "event-type"  # the type was added or removed


@dataclass(frozen=True)
class Change:
    """One named change at one place in a contract."""

    kind: str
    impact: Impact
    file: str  # the contract-set file holding the keyword, e.g. envelope/cloudevents-1.0...
    pointer: str  # JSON pointer to the keyword inside `file`
    instance_path: str  # where in an event it applies, e.g. /data/status ("*" = any item)
    message: str
    old: Any = None
    new: Any = None


@dataclass(frozen=True)
class SideVerdict:
    """Whether one side breaks, why we believe it, and the event that proves it."""

    breaking: bool
    basis: Basis
    oracle: str  # "yes" / "no" / "unknown" / "n/a": the whole-contract answer
    note: str = ""
    witness: Any = None  # an event the old contract accepts and the new rejects (or reverse)
    has_witness: bool = False


@dataclass(frozen=True)
class TypeDiff:
    """Everything that changed for one event type."""

    type: str
    status: str  # "added" | "removed" | "changed"
    file: str
    producer: SideVerdict
    consumer: SideVerdict
    changes: tuple[Change, ...] = ()

    def breaks(self, side: Side) -> bool:
        return (self.producer if side is Side.PRODUCER else self.consumer).breaking


@dataclass(frozen=True)
class DiffOptions:
    """Knobs that change a verdict.

    `strict_open_content`: in an open object, a property the old contract never declared could
    have carried anything; declaring it now rejects some of those values. By default such a
    newly declared optional property breaks nobody (producers were never promised anything
    about a field the contract did not name). Strict mode counts it as a producer break, as
    Confluent's rules for open content models do.
    `witnesses`: search for witness events (off only to save time).
    """

    strict_open_content: bool = False
    witnesses: bool = True
    witness_budget: int = 400


@dataclass(frozen=True)
class DiffReport:
    """The comparison of two contract sets."""

    old_label: str
    new_label: str
    types: tuple[TypeDiff, ...]
    unchanged: int
    options: DiffOptions = field(default_factory=DiffOptions)

    def breaks(self, side: Side) -> bool:
        return any(t.breaks(side) for t in self.types)

    def breaking_types(self, side: Side) -> list[TypeDiff]:
        return [t for t in self.types if t.breaks(side)]
