"""What validation produces: violations, per-event results and run summaries.

These are plain, picklable values: they cross process boundaries (`--jobs`) and feed every
reporter, so they carry no references to validators or schemas.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, make_dataclass
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
Status = Literal["valid", "invalid", "unreadable"]

# Stable rule codes for validation results (QEV1xx). Check findings use other ranges.
CODES: dict[str, tuple[str, str]] = {
    # keyword -> (code, summary)
    "unreadable": ("QEV100", "input could not be read as an event"),
    "unknown-type": ("QEV101", "no contract for this event type"),
    "payload-undocumented": ("QEV102", "the docs leave this event's payload unspecified"),
    "required": ("QEV110", "a required property is missing"),
    "type": ("QEV111", "a value has the wrong JSON type"),
    "enum": ("QEV112", "a value is not one of the allowed values"),
    "const": ("QEV113", "a value differs from the only value allowed"),
    "format": ("QEV114", "a string is not in the required format"),
    "pattern": ("QEV115", "a string does not match the required pattern"),
    "length": ("QEV116", "a string, array or object is too short or too long"),
    "range": ("QEV117", "a number is outside its allowed range"),
    "unknown-property": ("QEV118", "a property not in the contract (strict mode)"),
    "attribute-name": ("QEV119", "not a valid CloudEvents attribute name"),
    "attribute-value": ("QEV120", "a CloudEvents extension attribute that is not a scalar"),
    "hybrid-disagreement": ("QEV121", "the legacy and CloudEvents halves of a hybrid disagree"),
    "legacy-fields": ("QEV122", "legacy envelope attributes, which Qlik is removing"),
    "legacy-unmapped": ("QEV123", "a legacy attribute with no CloudEvents 1.0 counterpart"),
    "legacy-documented": (
        "QEV124",
        "a legacy member of a 1.0 event that its contract documents",
    ),
    "string-characters": (
        "QEV125",
        "a String attribute holds control characters or Unicode noncharacters",
    ),
    "schema": ("QEV199", "another schema constraint failed"),
}


# Rules whose findings are not errors by default (everything else is an error).
DEFAULT_SEVERITY: dict[str, Severity] = {
    "legacy-fields": "info",
    "legacy-unmapped": "warning",
    "legacy-documented": "warning",
    "string-characters": "warning",
}


def code_for(rule: str) -> str:
    return CODES.get(rule, CODES["schema"])[0]


@dataclass(frozen=True, slots=True)
class Violation:
    """One thing wrong with one event, located in the event and in the contract."""

    pointer: str  # JSON pointer into the event ("" = the event itself)
    message: str  # for people: "data.status: 'done' is not one of succeeded, failed, aborted"
    keyword: str  # the JSON Schema keyword (or a qevcontract check name) that failed
    rule: str  # qevcontract rule name, e.g. "enum", "unknown-type"
    schema_path: str = ""  # JSON pointer into the contract, as evaluated (through $refs)
    severity: Severity = "error"
    # Where the failing value sits in the input file, when a position-aware parse found it.
    line: int | None = None
    column: int | None = None

    @property
    def code(self) -> str:
        return code_for(self.rule)


# The paths that explain and place the violations of invalid events build them through this
# mutable twin of `Violation` (same fields, same slots) and then give them their real class,
# as the JSONL reader does for records: a frozen dataclass's `__init__` sets each of the
# eight fields through `object.__setattr__`, three times the cost. The result is an
# ordinary, equal-comparing, frozen `Violation`.
_ViolationBuilder: Any = make_dataclass(
    "_ViolationBuilder", [(f.name, f.type) for f in fields(Violation)], slots=True
)


def new_violation(
    pointer: str,
    message: str,
    keyword: str,
    rule: str,
    schema_path: str = "",
    severity: Severity = "error",
    line: int | None = None,
    column: int | None = None,
) -> Violation:
    """`Violation(...)`, built faster (see `_ViolationBuilder`)."""
    v = _ViolationBuilder(pointer, message, keyword, rule, schema_path, severity, line, column)
    object.__setattr__(v, "__class__", Violation)
    return v  # type: ignore[no-any-return]


def placed(v: Violation, line: int, column: int) -> Violation:
    """`v` at `line`:`column` of its input (a new violation; `v` is frozen)."""
    return new_violation(
        v.pointer, v.message, v.keyword, v.rule, v.schema_path, v.severity, line, column
    )


@dataclass(slots=True)
class EventResult:
    """The verdict for one input event (or one unreadable input record)."""

    source: str  # file path, "<stdin>", or "<input>" for in-memory events
    index: int  # position of the event within its source
    line: int | None = None  # line where the event starts, when known
    column: int | None = None
    event_id: str | None = None
    event_type: str | None = None
    contract: str | None = None  # the event type whose contract was applied, if any
    envelope: str | None = None  # "cloudevents" (legacy / hybrid: see issue 8)
    status: Status = "valid"
    violations: list[Violation] = field(default_factory=list)
    # For unreadable records: why.
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "valid"

    def __reduce__(self) -> tuple[type[EventResult], tuple[object, ...]]:
        # Results cross process boundaries by the million (--jobs): a constructor call with
        # positional fields unpickles several times faster than the generic slots protocol.
        return (EventResult, (
            self.source, self.index, self.line, self.column, self.event_id, self.event_type,
            self.contract, self.envelope, self.status, self.violations, self.error,
        ))  # fmt: skip


@dataclass(slots=True)
class Summary:
    """Counts that always add up: read == valid + invalid + unreadable."""

    read: int = 0
    valid: int = 0
    invalid: int = 0
    unreadable: int = 0
    violations: int = 0  # error-level problems (unreadable records count one each)
    warnings: int = 0
    notes: int = 0  # severity "info"
    by_type: dict[str, int] = field(default_factory=dict)
    by_envelope: dict[str, int] = field(default_factory=dict)

    def add(self, result: EventResult) -> None:
        self.read += 1
        t = result.event_type
        if t is not None:
            self.by_type[t] = self.by_type.get(t, 0) + 1
        if result.envelope is not None:
            self.by_envelope[result.envelope] = self.by_envelope.get(result.envelope, 0) + 1
        if not result.violations:  # the common case: nothing more to count
            self.valid += 1
            return
        if result.status == "valid":
            self.valid += 1
        elif result.status == "invalid":
            self.invalid += 1
        else:
            self.unreadable += 1
        for v in result.violations:
            if v.severity == "error":
                self.violations += 1
            elif v.severity == "warning":
                self.warnings += 1
            else:
                self.notes += 1

    def merge(self, other: Summary) -> None:
        """Add another run's counts to these (a worker's batch, a second input set)."""
        self.read += other.read
        self.valid += other.valid
        self.invalid += other.invalid
        self.unreadable += other.unreadable
        self.violations += other.violations
        self.warnings += other.warnings
        self.notes += other.notes
        for mine, theirs in ((self.by_type, other.by_type), (self.by_envelope, other.by_envelope)):
            for key, count in theirs.items():
                mine[key] = mine.get(key, 0) + count


@dataclass(slots=True)
class Batch:
    """Consecutive results of a run, as a worker process hands them back (`--jobs`).

    `summary` always counts every event of the batch. When the reporter renders in the
    workers, `text` (or `text_file`) is its report for these events and `results` is empty,
    so the parent only writes text; otherwise `results` holds them all, in input order.
    """

    summary: Summary
    results: list[EventResult] = field(default_factory=list)
    text: str | None = None
    # Or the same text in a UTF-8 file, for the reader to append and delete
    # (`run.iter_batches(text_files=True)`).
    text_file: str | None = None
