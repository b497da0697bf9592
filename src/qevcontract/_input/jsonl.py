"""JSONL (and NDJSON): one event per line, streamed in constant memory.

The hot loop of the validator: most lines cost one orjson parse and one re-serialisation
(see `json_checks.looks_clean` for why that comparison is exact).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

import orjson

from .json_checks import audit, compact_json, describe_decode_error, with_surrogates
from .record import BOM, WHITESPACE, Record, RecordBuilder, not_an_object

_BLANK_STARTS = (b"", b" ", b"\t", b"\r", b"\n")  # how a blank line may begin
_MAYBE_BLANK = re.compile(rb"\n[ \t\r\n]")  # a line after the first that may be blank


def iter_jsonl_lines(
    lines: Iterable[bytes], source: str, *, first_line: int = 1, first_index: int = 0
) -> Iterator[Record]:
    """Records for a batch of JSONL lines that starts at `first_line` (for worker processes)."""
    return iter_jsonl(lines, source, first_line=first_line, first_index=first_index)


def count_jsonl_lines(data: bytes, *, file_start: bool) -> tuple[int, int]:
    """How many lines, and how many events (non-blank lines), a run of whole JSONL lines
    holds, exactly as the reader numbers them, without parsing a single event.

    Worker processes (`--jobs`) number their chunk's records from these counts, taken by the
    parent over the chunks before it. The usual chunk has no line that could be blank (one
    empty or starting with whitespace) and is counted at memchr speed.
    """
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1) if data else 0
    bom = file_start and data.startswith(BOM)
    if not bom and data[:1] not in _BLANK_STARTS and _MAYBE_BLANK.search(data) is None:
        return lines, lines
    pieces = data.split(b"\n")
    if data.endswith(b"\n"):
        pieces.pop()  # the text after the last newline is not a line
    if bom:
        pieces[0] = pieces[0][len(BOM) :]
    return lines, sum(1 for piece in pieces if piece.strip(WHITESPACE))


def iter_jsonl(
    lines: Iterable[bytes], source: str, *, first_line: int = 1, first_index: int = 0
) -> Iterator[Record]:
    """One record per non-blank line, in constant memory (the hot loop of the validator)."""
    loads = orjson.loads
    dumps = orjson.dumps
    decode_error = orjson.JSONDecodeError
    encode_error = orjson.JSONEncodeError
    build, set_attribute, record_class = RecordBuilder, object.__setattr__, Record
    index = first_index
    for lineno, raw in enumerate(lines, first_line):
        try:
            event = loads(raw)
        except decode_error:
            record = _read_line(
                raw[3:] if lineno == 1 and raw[:3] == BOM else raw, source, lineno, index
            )
            if record is None:  # a blank line is not an event
                continue
        else:
            compact = None
            if type(event) is dict:
                try:
                    compact = dumps(event)
                except encode_error:  # nested deeper than orjson serialises: audit exactly
                    pass
                else:
                    # Equal to its own re-serialisation: no duplicate key, no rounded integer.
                    if raw.startswith(compact):
                        record = build(source, lineno, index, event, None, None, raw, "jsonl", ())
                        set_attribute(record, "__class__", record_class)
                        yield record
                        index += 1
                        continue
            record = _checked_line(raw, event, source, lineno, index, compact)
        yield record
        index += 1


def _read_line(raw: bytes, source: str, lineno: int, index: int) -> Record | None:
    """The careful path for one line: None when blank, else a record (maybe an error)."""
    try:
        event = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if not raw.strip(WHITESPACE):
            return None
        lenient = with_surrogates(raw, exc)
        if lenient is not None:
            record = _checked_line(raw, lenient[0], source, lineno, index)
            return record if record.error else replace(record, problems=lenient[1])
        message, line, column = describe_decode_error(raw, exc, line_mode=True)
        return Record(
            source, lineno + line - 1, index, error=message, column=column, raw=raw, kind="jsonl"
        )
    return _checked_line(raw, event, source, lineno, index)


def _checked_line(
    raw: bytes, event: Any, source: str, lineno: int, index: int, compact: bytes | None = None
) -> Record:
    """Record for a parsed line that did not pass the fast test (``compact``: if known)."""
    if type(event) is not dict:
        column = len(raw) - len(raw.lstrip(WHITESPACE)) + 1
        return Record(
            source, lineno, index, error=not_an_object(event), column=column, raw=raw, kind="jsonl"
        )
    problem = audit(raw, compact or compact_json(event), base_line=lineno)
    if problem is not None:
        from .locate import LineIndex

        text = raw.decode("utf-8")
        line, column = LineIndex(text).position(problem.offset, base_line=lineno)
        return Record(
            source, line, index, error=problem.message, column=column, raw=raw, kind="jsonl"
        )
    record = RecordBuilder(source, lineno, index, event, None, None, raw, "jsonl", ())
    object.__setattr__(record, "__class__", Record)
    return record  # type: ignore[no-any-return]
