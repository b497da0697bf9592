"""A `.json` file: a top-level array streamed element by element in constant memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import BinaryIO

import orjson

from .json_checks import (
    audit,
    compact_json,
    describe_decode_error,
    with_surrogates_prefix,
)
from .json_document import iter_document, leading_whitespace
from .record import BOM, WHITESPACE, Record, not_an_object

_ARRAY_CHUNK = 1 << 20  # bytes read at a time from a .json array
_WINDOW = 1 << 12  # first guess at how far an element may reach; doubled when it is not enough


def iter_json_file(handle: BinaryIO, source: str) -> Iterator[Record]:
    """A `.json` file: an array is streamed element by element in constant memory; any
    other document (one event, or something broken) is read whole."""
    head = handle.read(_ARRAY_CHUNK)
    body = head.removeprefix(BOM)
    start = leading_whitespace(body)
    if body[start : start + 1] != b"[":
        yield from iter_document(head + handle.read(), source)
        return
    yield from _ArrayStream(handle, source, body, len(head) - len(body)).records()


class _ArrayStream:
    """Elements of a top-level JSON array, read a chunk at a time.

    orjson parses one whole document only, and scans all the bytes it is given even to
    fail on the first: each element is therefore parsed from a window of the buffer a few
    times its expected size, which fails with "unexpected content after document" exactly
    where the element ends; the element's bytes are then parsed alone. Lines are counted as
    the buffer advances, so every record knows its line and column without the file being
    held in memory.
    """

    def __init__(self, handle: BinaryIO, source: str, buffer: bytes, skipped: int) -> None:
        self.handle, self.source = handle, source
        self.buf = buffer
        self.pos = 0  # in buf
        self.eof = False
        self.line = 1  # line of buf[pos]
        self.line_start = -skipped  # offset in buf where that line starts (may be before it)
        self.col_base = 0  # characters of that line before buf[0], when it started before

    # -- buffer

    def _fill(self, need: int) -> bool:
        """Make sure `need` bytes from pos are in the buffer, if the file has them."""
        if len(self.buf) - self.pos >= need or self.eof:
            return len(self.buf) - self.pos >= need
        keep = self.buf[self.pos :]
        if self.line_start <= self.pos:  # the current line began in the part let go
            dropped = self.buf[max(self.line_start, 0) : self.pos]
            base = self.col_base if self.line_start < 0 else 0
            self.col_base = base + len(dropped.decode("utf-8", "replace"))
        self.line_start -= self.pos
        data = self.handle.read(max(_ARRAY_CHUNK, need - len(keep)))
        self.eof = not data
        self.buf, self.pos = keep + data, 0
        return self._fill(need)

    def _advance(self, to: int) -> None:
        newlines = self.buf.count(b"\n", self.pos, to)
        if newlines:
            self.line += newlines
            self.line_start = self.buf.rfind(b"\n", self.pos, to) + 1
            self.col_base = 0
        self.pos = to

    def _skip_ws(self) -> bytes:
        """Skip whitespace; the next byte (b"" at the end of the file)."""
        while True:
            end = len(self.buf)
            i = self.pos
            while i < end and self.buf[i] in WHITESPACE:
                i += 1
            self._advance(i)
            if i < end or not self._fill(1):
                return self.buf[self.pos : self.pos + 1]

    def _column(self) -> int:
        """1-based column of buf[pos] in characters (a BOM is not one, as editors have it)."""
        before = self.buf[max(self.line_start, 0) : self.pos]
        base = self.col_base if self.line_start < 0 else 0
        return base + len(before.decode("utf-8", "replace")) + 1

    def _error(self, index: int, message: str, line: int, column: int) -> Record:
        return Record(self.source, line, index, error=message, column=column, kind="json-array")

    # -- elements

    def records(self) -> Iterator[Record]:
        self._skip_ws()
        self._advance(self.pos + 1)  # past "["
        index = 0
        window = _WINDOW
        if self._skip_ws() == b"]":
            yield from self._after_array(index)
            return
        while True:
            found = self._element(window)
            if isinstance(found, Record):
                yield found
                return
            record, size = found
            window = max(_WINDOW, 4 * size)
            yield self._checked(record, index)
            index += 1
            following = self._skip_ws()
            if following == b",":
                self._advance(self.pos + 1)
                self._skip_ws()
                continue
            if following == b"]":
                yield from self._after_array(index)
                return
            what = "the input ends" if not following else f"{following.decode('latin-1')!r}"
            yield self._error(
                index,
                f"malformed JSON: {what} after array element {index - 1}, where ',' or ']' "
                "should be",
                self.line,
                self._column(),
            )
            return

    def _after_array(self, index: int) -> Iterator[Record]:
        self._advance(self.pos + 1)  # past "]"
        rest = self._skip_ws()
        if rest:
            yield self._error(
                index, "malformed JSON: content after the end of the array", self.line,
                self._column(),
            )  # fmt: skip

    def _element(self, window: int) -> tuple[Record, int] | Record:
        """(record, size) of the element at pos, or an error record that ends the array."""
        line, column = self.line, self._column()
        while True:
            complete = self._fill(window)
            view = memoryview(self.buf)[self.pos : self.pos + window]
            try:
                value = orjson.loads(view)
                end = len(view)  # the element is all there is (no "]": reported after)
            except orjson.JSONDecodeError as exc:
                if "after document" in exc.msg:
                    end = _byte_offset(view, exc.pos)
                elif complete and ("end of data" in exc.msg or "UTF-8" in exc.msg):
                    window *= 2  # the element (or a character) goes on past the window
                    continue
                else:
                    return self._broken(exc, view.tobytes(), line, column)
                value = None
            raw = self.buf[self.pos : self.pos + end]
            if value is None:
                try:
                    value = orjson.loads(raw)
                except orjson.JSONDecodeError as exc:  # not expected: say what orjson says
                    return self._broken(exc, raw, line, column)
            self._advance(self.pos + end)
            record = Record(
                self.source, line, -1, value, column=column, raw=raw, kind="json-element"
            )
            return record, end

    def _broken(
        self, exc: orjson.JSONDecodeError, data: bytes, line: int, column: int
    ) -> tuple[Record, int] | Record:
        """The record for an element orjson cannot read: with unpaired surrogates it is
        still read (as `jsonl` does for a line), anything else ends the array here."""
        lenient = with_surrogates_prefix(data, exc)
        if lenient is not None:
            value, problems, end = lenient
            raw = self.buf[self.pos : self.pos + end]
            self._advance(self.pos + end)
            record = Record(self.source, line, -1, value, column=column, raw=raw,
                            kind="json-element", problems=problems)  # fmt: skip
            return record, end
        message, err_line, err_column = describe_decode_error(data, exc)
        if err_line == 1:
            err_column += column - 1
        return self._error(
            -1, message + " (the rest of the array cannot be read)", line + err_line - 1,
            err_column,
        )  # fmt: skip

    def _checked(self, record: Record, index: int) -> Record:
        """The element's own checks, as for a JSONL line: an object, no duplicate key, no
        integer beyond 64 bits."""
        record = replace(record, index=index)
        event, raw = record.event, record.raw or b""
        if type(event) is not dict:
            message = f"array element {index}: {not_an_object(event)}"
            return replace(record, event=None, error=message, kind="json-array", raw=None)
        compact = compact_json(event)
        if compact is not None and raw.startswith(compact):
            return record
        problem = audit(raw, compact, base_line=record.line or 1)
        if problem is None:
            return record
        from .locate import LineIndex

        line, column = LineIndex(raw.decode("utf-8")).position(problem.offset)
        if line == 1:
            column += (record.column or 1) - 1
        return replace(
            record, event=None, error=problem.message, kind="json-array", raw=None,
            line=(record.line or 1) + line - 1, column=column,
        )  # fmt: skip


def _byte_offset(view: memoryview, chars: int) -> int:
    """The byte offset of character `chars` of UTF-8 `view` (orjson counts characters)."""
    head = bytes(view[:chars])
    if head.isascii():
        return chars
    return len(bytes(view).decode("utf-8", "ignore")[:chars].encode("utf-8"))
