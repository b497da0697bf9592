"""What the Dask and Spark adapters share: JSONL lines in, result rows and counts out.

Each partition goes through the CLI's own reader (`iter_jsonl_lines`) and checker
(`run.check_record`), so verdicts, messages, rule codes and columns are the CLI's, byte for
byte, including unreadable lines and invalid UTF-8. Only the engine glue differs: how lines
arrive (Dask bag items, Arrow batches) and how rows leave (pandas, Arrow).

The validator crosses to the workers as its pickle (a few KB: settings and the catalogue's
location). A worker keeps one `Validator` per distinct pickle for its whole life, so schemas
are compiled once per worker process, not once per partition or task.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._extras import MissingExtra, require_extra
from .validate._results import EventResult, Summary

if TYPE_CHECKING:  # pragma: no cover
    from .validate._validator import Validator

# The results frame: one row per violation (any severity); an event with none has one row
# whose violation columns are null. (name, Arrow type), in order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("source", "string"),  # the file (as the engine names it), or "<... partition N>"
    ("line", "int64"),  # the event's line in its source; null when the engine cannot say
    ("index", "int64"),  # the event's number in its source (0-based, blank lines skipped)
    ("id", "string"),
    ("type", "string"),
    ("contract", "string"),  # the event type whose contract was applied
    ("envelope", "string"),  # cloudevents, legacy, hybrid
    ("status", "string"),  # valid, invalid, unreadable
    ("violation", "int64"),  # the violation's number within its event; null: none
    ("pointer", "string"),  # JSON pointer into the event
    ("column", "int64"),  # where the failing value starts on the event's line
    ("code", "string"),  # QEV1xx
    ("rule", "string"),
    ("severity", "string"),  # error, warning, info
    ("message", "string"),
)
COLUMN_NAMES = tuple(name for name, _ in COLUMNS)

_VALIDATORS: dict[bytes, Validator] = {}
BUILDS = [0]  # validators built in this process (a test checks: once per worker)


def module(name: str) -> Any:
    """An optional engine's module, imported by name: typed `Any`, as these libraries
    (Dask, pandas, pyarrow, fsspec) ship no type information mypy can use."""
    import importlib

    return importlib.import_module(name)


def require(extra: str, module: str, *, also: tuple[str, ...] = ()) -> Any:
    """Import `also`, then `module` (returned), all of `extra`, or raise `MissingExtra`
    naming the pip command to run."""
    import importlib

    require_extra(extra)
    try:
        for name in also:
            importlib.import_module(name)
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(extra, exc.name or module) from None


def freeze(validator: Validator | None) -> bytes:
    """The validator as it travels to workers (the default one if None)."""
    if validator is None:
        from .validate._validator import Validator

        validator = Validator()
    return pickle.dumps(validator, protocol=pickle.HIGHEST_PROTOCOL)


def thaw(frozen: bytes) -> Validator:
    """This process's validator for `frozen`, built on first use and then kept."""
    key = hashlib.sha256(frozen).digest()
    validator = _VALIDATORS.get(key)
    if validator is None:
        validator = _VALIDATORS[key] = pickle.loads(frozen)
        BUILDS[0] += 1
    return validator


def as_bytes(line: object) -> bytes:
    """A line as the bytes it was read from.

    Text decoded with ``errors="surrogateescape"`` (what `qevcontract.dask.read_jsonl`
    asks Dask for) gives back its invalid UTF-8 bytes exactly, so the reader reports
    them as the CLI does instead of seeing replacement characters. A null (a missing
    value in a DataFrame column) is an empty line, which is no event.
    """
    if isinstance(line, bytes):
        return line
    if isinstance(line, str):
        return line.encode("utf-8", "surrogateescape")
    return b""


def arrow_schema() -> Any:
    """`COLUMNS` as an Arrow schema."""
    pa = module("pyarrow")
    return pa.schema([(name, pa.type_for_alias(kind)) for name, kind in COLUMNS])


_NO_VIOLATION = (None,) * 7


@dataclass(slots=True)
class Rows:
    """Result rows (tuples in `COLUMNS` order), and the counts of every event added.

    Rows are kept as tuples and turned into columns once (`columns`): appending one tuple
    per row is what keeps the adapters' per-event cost small next to validation itself.
    """

    problems_only: bool = False
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)

    def add(self, result: EventResult, *, numbered: bool = True) -> None:
        self.summary.add(result)
        violations = result.violations
        if not violations and self.problems_only:
            return
        event = (
            result.source,
            result.line if numbered else None,
            result.index if numbered else None,
            result.event_id,
            result.event_type,
            result.contract,
            result.envelope,
            result.status,
        )
        if not violations:
            self.rows.append(event + _NO_VIOLATION)
            return
        from .validate._report import violation_position

        self.rows.extend(
            (*event, number, v.pointer, violation_position(result, v, None)[1], v.code,
             v.rule, v.severity, v.message)
            for number, v in enumerate(violations)
        )  # fmt: skip

    @property
    def columns(self) -> dict[str, list[Any]]:
        """The rows as one list per column, for pandas or Arrow."""
        if not self.rows:
            return {name: [] for name in COLUMN_NAMES}
        return dict(zip(COLUMN_NAMES, map(list, zip(*self.rows, strict=True)), strict=True))

    def __len__(self) -> int:
        return len(self.rows)


def check_lines(
    validator: Validator,
    lines: Iterable[bytes],
    source: str,
    rows: Rows,
    *,
    first_line: int = 1,
    first_index: int = 0,
    numbered: bool = True,
) -> tuple[int, int]:
    """Check consecutive JSONL lines of one source into `rows`, numbered from `first_line`
    and `first_index` (as the CLI numbers a file). Returns the next (line, index)."""
    from ._input import iter_jsonl_lines
    from ._input.locate import Locator
    from .validate._run import check_record

    locator = Locator()
    counted = _Counted(lines)
    index = first_index
    for record in iter_jsonl_lines(counted, source, first_line=first_line, first_index=index):
        rows.add(check_record(validator, record, locator), numbered=numbered)
        index = record.index + 1
    return first_line + counted.count, index


class _Counted:
    """Iterates lines and counts them (blank lines are lines, though not events)."""

    __slots__ = ("_lines", "count")

    def __init__(self, lines: Iterable[bytes]) -> None:
        self._lines = lines
        self.count = 0

    def __iter__(self) -> Iterator[bytes]:
        for line in self._lines:
            self.count += 1
            yield line


def summary_object(summary: Summary) -> dict[str, Any]:
    """The summary exactly as `validate --format json` writes it."""
    from .validate._report.json_report import summary_object as json_summary

    return json_summary(summary)


# Summary field counting each status (events) and each severity (violations).
_COUNTED = {
    "valid": "valid",
    "invalid": "invalid",
    "unreadable": "unreadable",
    "error": "violations",
    "warning": "warnings",
    "info": "notes",
}


def summary_from_counts(counts: Mapping[tuple[str, str], int]) -> dict[str, Any]:
    """The JSON report's summary from counts over result rows, keyed (what, value):
    ("status", s) and ("type", t) and ("envelope", e) count events (their first row),
    ("severity", s) counts violations. For engines that aggregate rows (Spark)."""
    summary = Summary()
    for (what, value), count in counts.items():
        if what in ("type", "envelope"):
            getattr(summary, f"by_{what}")[value] = count
            continue
        if what == "status":
            summary.read += count
        name = _COUNTED[value]
        setattr(summary, name, getattr(summary, name) + count)
    return summary_object(summary)
