"""What every reader yields: one `Record` per input event, read or unreadable.

Shared by the readers of each format and by everything that consumes records (`validate`,
`normalize`, `webhook send`), so it depends on nothing but the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, make_dataclass
from typing import Any, Literal

BOM = b"\xef\xbb\xbf"
WHITESPACE = b" \t\r\n"


class InputError(Exception):
    """A path that cannot be read at all (missing, unopenable, unsupported and not JSON).

    Distinct from unreadable *events*, which are records: this one stops the run, because
    the input the user named does not exist as such.
    """


RecordKind = Literal["jsonl", "json", "json-array", "json-element", "yaml"]


@dataclass(frozen=True, slots=True)
class Record:
    """One input event, or the reason it could not be read.

    ``raw`` holds the bytes the event was parsed from, so that a later position-aware
    look-up (`qevcontract._input.locate.Locator`) needs no re-reading (stdin cannot be
    re-read): the JSONL line, or the whole ``.json`` / YAML input, shared by all records
    of that input (a reference, not a copy; but pickling copies it per record, so drop it
    with ``dataclasses.replace(record, raw=None)`` before sending records to worker
    processes: the locator then re-reads the file). ``kind`` says what ``raw`` is and how
    ``index`` is meant: ``"jsonl"`` (``raw`` is the line), ``"json"`` (one object),
    ``"json-array"`` (element ``index``), ``"json-element"`` (``raw`` is element ``index``
    of a streamed ``.json`` array, which starts at ``line``:``column``) or ``"yaml"``
    (document ``index``).
    """

    source: str
    line: int | None
    index: int
    event: Any = None
    error: str | None = None
    column: int | None = None
    raw: bytes | None = field(default=None, repr=False, compare=False)
    kind: RecordKind = "json"
    # What the reader found wrong with values it could still read, as (pointer, message):
    # unpaired surrogate escapes, grammatical JSON (RFC 8259 section 8.2) but no Unicode
    # text. They become errors of the event; the event holds U+FFFD in their place.
    problems: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        """True when the event was read (it may still violate its contract)."""
        return self.error is None


# The JSONL hot loop builds records with this mutable twin of `Record` (same fields, same
# slots) and then gives them their real class. A frozen dataclass's ``__init__`` sets each
# field through ``object.__setattr__`` (~0.85 µs per record, 40% of an orjson parse of a
# 1 KB event); the twin's plain ``__init__`` plus the class switch costs ~0.35 µs. The
# layouts are identical, so the result is an ordinary, equal-comparing, frozen `Record`
# (tests compare it with the normal constructor).
RecordBuilder = make_dataclass(
    "RecordBuilder", [(f.name, f.type) for f in fields(Record)], slots=True
)


JSON_TYPE_NAMES = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def not_an_object(value: Any) -> str:
    what = JSON_TYPE_NAMES.get(type(value), type(value).__name__)
    return f"an event must be a JSON object, got {what}"
