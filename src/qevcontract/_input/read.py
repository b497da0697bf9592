"""Input layer of the validator: paths and stdin in, one `Record` per event out.

Design constraints, and how they are met:

* Fast: JSONL is read in binary line by line and parsed with orjson. The one extra
  check per event is exact and costs about half a parse: re-serialising the parsed
  event with orjson and comparing it with the line (``startswith``). When they are
  equal, the line can hold neither a duplicate key (it would be missing from the
  re-serialisation) nor an integer orjson rounded to a float (it would be printed as a
  float). Compact producers (Go, JavaScript, orjson, Jackson) pass this test, so they
  take only that path. Other lines (spaces after ``:``, ``\\uXXXX`` escapes) go through
  exact byte counts (see `_audit`), and the position-aware scan in `locate` runs only
  when those counts cannot rule out a problem.
* Never lose an event: every input event becomes exactly one `Record`. Unreadable input
  (malformed JSON, invalid UTF-8, non-objects, duplicate keys, integers beyond 64 bits,
  NaN/Infinity, truncated lines, broken YAML documents) becomes a record with ``error``
  and a position, and reading goes on with the next event.
* Constant memory for JSONL: nothing but the current line is held. ``.json`` and YAML
  files are read whole (a JSON document cannot be parsed in pieces with orjson).
* Cheap to import: PyYAML is imported only when a YAML input is read, and the `locate`
  helpers (json, re) only when something is wrong.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, make_dataclass, replace
from itertools import chain
from typing import Any, BinaryIO, Literal

import orjson

__all__ = [
    "EVENT_EXTENSIONS",
    "STDIN_PATH",
    "STDIN_SOURCE",
    "InputError",
    "Record",
    "RecordKind",
    "expand_paths",
    "iter_records",
    "yaml_documents",
]

EVENT_EXTENSIONS = (".json", ".jsonl", ".ndjson", ".yaml", ".yml")
STDIN_PATH = "-"
STDIN_SOURCE = "<stdin>"

JSONL_EXTENSIONS = (".jsonl", ".ndjson")
_JSONL_EXTENSIONS = JSONL_EXTENSIONS
_YAML_EXTENSIONS = (".yaml", ".yml")
_BOM = b"\xef\xbb\xbf"
_WHITESPACE = b" \t\r\n"
_BLANK_STARTS = (b"", b" ", b"\t", b"\r", b"\n")  # how a blank line may begin
_MAYBE_BLANK = re.compile(rb"\n[ \t\r\n]")  # a line after the first that may be blank
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGIT_RUN = b"0" * 19  # integers outside i64/u64 have at least 19 digits


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
    look-up (`qevcontract.validate.locate.Locator`) needs no re-reading (stdin cannot be
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
_RecordBuilder = make_dataclass(
    "_RecordBuilder", [(f.name, f.type) for f in fields(Record)], slots=True
)


# --- paths ------------------------------------------------------------------------------------


def _has_event_extension(path: str) -> bool:
    return path.lower().endswith(EVENT_EXTENSIONS)


def expand_paths(paths: Sequence[str]) -> list[str]:
    """Files to read, in a deterministic order: directories recursively, by extension.

    Inside directories only event extensions are taken; hidden directories and hidden
    files are skipped (VCS metadata, editor files), and directories are walked in sorted
    order, a directory's files before its subdirectories. Explicit files are kept whatever
    their extension. A path named twice is read once, so no event is counted twice.
    """
    result: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            result.append(path)

    def walk_error(exc: OSError) -> None:
        raise InputError(f"{exc.filename}: cannot read directory: {exc.strerror}") from exc

    for path in map(os.fspath, paths):  # tolerate pathlib.Path items
        if path == STDIN_PATH:
            add(path)
        elif os.path.isdir(path):
            for root, dirs, files in os.walk(path, onerror=walk_error):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and _has_event_extension(name):
                        add(os.path.join(root, name))
        elif os.path.lexists(path):  # a broken link is named, so it is reported unreadable
            add(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return result


def _sniff_json(path: str) -> None:
    """Raise InputError unless a file of unknown extension starts like JSON.

    Done before any record is produced, so a wrong path (say, a README) stops the run at
    once instead of after other files were counted.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536)
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from exc
    head = head.removeprefix(_BOM).lstrip(_WHITESPACE)
    if not head.startswith((b"{", b"[")):
        extension = os.path.splitext(path)[1] or "(none)"
        raise InputError(
            f"{path}: unsupported extension {extension} (expected one of "
            f"{', '.join(EVENT_EXTENSIONS)}) and the content does not look like JSON"
        )


def iter_records(paths: Sequence[str], *, stdin: BinaryIO | None = None) -> Iterator[Record]:
    """Stream one `Record` per event from ``paths`` (``-`` is ``stdin``, default sys.stdin).

    Raises InputError (before the first record) for a path that does not exist, or a file
    of unknown extension that is not JSON. A file that cannot be opened is one unreadable
    record; the run goes on.
    """
    files = expand_paths(paths)
    streams = prepare_paths(files)
    for path in files:
        yield from iter_file_records(path, stdin=stdin, stream=path in streams)


def prepare_paths(files: Sequence[str]) -> set[str]:
    """Check expanded paths before any record is read; return those to read as streams.

    A file of unknown extension must start like JSON (InputError otherwise, so a wrong path
    stops the run before output begins); a non-file (a pipe such as <(gunzip -c x.gz)) is
    read by content, as stdin is, since reading ahead would consume its first events.
    """
    streams: set[str] = set()
    for path in files:
        if path != STDIN_PATH and not _has_event_extension(path):
            if os.path.isfile(path):
                _sniff_json(path)
            else:
                streams.add(path)
    return streams


def iter_file_records(
    path: str, *, stdin: BinaryIO | None = None, stream: bool = False
) -> Iterator[Record]:
    """Records of one path already expanded by `expand_paths` (``-`` is stdin).

    ``stream`` reads a non-file (a pipe) by content, as stdin is read.
    """
    if path == STDIN_PATH:
        yield from _iter_stream(stdin if stdin is not None else sys.stdin.buffer, STDIN_SOURCE)
        return
    lower = path.lower()
    jsonl = lower.endswith(_JSONL_EXTENSIONS)
    try:
        # For JSONL a large buffer halves the cost of line iteration (fewer reads);
        # documents are read whole anyway.
        handle = open(path, "rb", buffering=1 << 20 if jsonl else -1)  # noqa: SIM115
    except OSError as exc:
        # One file that cannot be opened (a broken link, no permission) is unreadable
        # input, counted like any other; the rest of the run goes on.
        yield Record(path, None, 0, error=f"cannot open: {exc.strerror}", kind="json")
        return
    with handle:
        if jsonl:
            yield from _iter_jsonl(handle, path)
        elif stream:
            yield from _iter_stream(handle, path)
        elif lower.endswith(_YAML_EXTENSIONS):
            from .yaml_reader import iter_yaml

            yield from iter_yaml(handle.read(), path)
        elif lower.endswith(".json"):
            yield from _iter_json_file(handle, path)
        else:
            extension = os.path.splitext(path)[1]
            yield from _iter_document(
                handle.read(), path, note=f"read as JSON (extension {extension}): "
            )


# --- JSONL -------------------------------------------------------------------------------------


def iter_jsonl_lines(
    lines: Iterable[bytes], source: str, *, first_line: int = 1, first_index: int = 0
) -> Iterator[Record]:
    """Records for a batch of JSONL lines that starts at `first_line` (for worker processes)."""
    return _iter_jsonl(lines, source, first_line=first_line, first_index=first_index)


def count_jsonl_lines(data: bytes, *, file_start: bool) -> tuple[int, int]:
    """How many lines, and how many events (non-blank lines), a run of whole JSONL lines
    holds, exactly as the reader numbers them, without parsing a single event.

    Worker processes (`--jobs`) number their chunk's records from these counts, taken by the
    parent over the chunks before it. The usual chunk has no line that could be blank (one
    empty or starting with whitespace) and is counted at memchr speed.
    """
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1) if data else 0
    bom = file_start and data.startswith(_BOM)
    if not bom and data[:1] not in _BLANK_STARTS and _MAYBE_BLANK.search(data) is None:
        return lines, lines
    pieces = data.split(b"\n")
    if data.endswith(b"\n"):
        pieces.pop()  # the text after the last newline is not a line
    if bom:
        pieces[0] = pieces[0][len(_BOM) :]
    return lines, sum(1 for piece in pieces if piece.strip(_WHITESPACE))


def _iter_jsonl(
    lines: Iterable[bytes], source: str, *, first_line: int = 1, first_index: int = 0
) -> Iterator[Record]:
    """One record per non-blank line, in constant memory (the hot loop of the validator)."""
    loads = orjson.loads
    dumps = orjson.dumps
    decode_error = orjson.JSONDecodeError
    encode_error = orjson.JSONEncodeError
    build, set_attribute, record_class = _RecordBuilder, object.__setattr__, Record
    index = first_index
    for lineno, raw in enumerate(lines, first_line):
        try:
            event = loads(raw)
        except decode_error:
            record = _read_line(
                raw[3:] if lineno == 1 and raw[:3] == _BOM else raw, source, lineno, index
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
        if not raw.strip(_WHITESPACE):
            return None
        lenient = _with_surrogates(raw, exc)
        if lenient is not None:
            record = _checked_line(raw, lenient[0], source, lineno, index)
            return record if record.error else replace(record, problems=lenient[1])
        message, line, column = _describe_decode_error(raw, exc, line_mode=True)
        return Record(
            source, lineno + line - 1, index, error=message, column=column, raw=raw, kind="jsonl"
        )
    return _checked_line(raw, event, source, lineno, index)


def _checked_line(
    raw: bytes, event: Any, source: str, lineno: int, index: int, compact: bytes | None = None
) -> Record:
    """Record for a parsed line that did not pass the fast test (``compact``: if known)."""
    if type(event) is not dict:
        column = len(raw) - len(raw.lstrip(_WHITESPACE)) + 1
        return Record(
            source, lineno, index, error=_not_an_object(event), column=column, raw=raw, kind="jsonl"
        )
    problem = _audit(raw, compact or _compact(event), base_line=lineno)
    if problem is not None:
        from .locate import LineIndex

        text = raw.decode("utf-8")
        line, column = LineIndex(text).position(problem.offset, base_line=lineno)
        return Record(
            source, line, index, error=problem.message, column=column, raw=raw, kind="jsonl"
        )
    record = _RecordBuilder(source, lineno, index, event, None, None, raw, "jsonl", ())
    object.__setattr__(record, "__class__", Record)
    return record  # type: ignore[no-any-return]


def _compact(value: Any) -> bytes | None:
    """orjson's compact serialisation of a parsed value (None if nested too deeply)."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return None


def _looks_clean(data: bytes, compact: bytes | None) -> bool:
    """True only if ``data`` certainly holds no duplicate key and no integer beyond 64 bits.

    Exact, on the raw bytes ``data`` versus ``compact``, orjson's re-serialisation of what
    it parsed from them. Every ':' in JSON is a name separator or inside a string; orjson
    never escapes ':', and the input can escape it only as ``\\u003a``. Without such an
    escape, the strings of ``compact`` are a sub-multiset of those of ``data`` (a duplicate
    drops a key and its value) and so are the separators: the ':' counts are equal exactly
    when no key was dropped. Integers orjson cannot hold have 19+ consecutive digits.
    """
    return (
        compact is not None
        and data.count(b":") == compact.count(b":")
        and b"u003" not in data
        and _LONG_DIGIT_RUN not in data.translate(_DIGITS_TO_ZERO)
    )


def _audit(data: bytes, compact: bytes | None, *, base_line: int = 1) -> Any:
    """The duplicate key or out-of-range integer orjson hid in ``data``, or None.

    The cheap exact test first; the position-aware scan (`locate.find_json_problem`, which
    also names the key and its place) only when that test cannot rule a problem out.
    """
    if _looks_clean(data, compact):
        return None
    from .locate import find_json_problem

    return find_json_problem(data.decode("utf-8"), base_line=base_line)


def _with_surrogates(data: bytes, exc: orjson.JSONDecodeError) -> Any:
    """(value, problems) for JSON that orjson refused only for unpaired surrogate escapes
    ("\\udead": grammatical, RFC 8259 section 8.2, but not Unicode text), else None. The
    value holds U+FFFD in their place, so it can be checked and reported like any other."""
    if "surrogate" not in exc.msg:
        return None
    import json

    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except ValueError:  # something else is wrong too (UnicodeDecodeError is a ValueError)
        return None
    from ..validate.typesystem import replace_surrogates

    return replace_surrogates(value)


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _describe_decode_error(
    data: bytes, exc: orjson.JSONDecodeError, *, line_mode: bool = False
) -> tuple[str, int, int]:
    """(one-line message, line, column) for an orjson parse failure of ``data``.

    ``line_mode``: ``data`` is one JSONL line, so an error past its end (orjson reports the
    line after the newline) is placed at the end of the line instead.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as bad:
        before = data[: bad.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        return (
            f"invalid UTF-8 (byte 0x{data[bad.start]:02x}): events must be UTF-8 encoded",
            line,
            column,
        )
    msg, pos, line, column = exc.msg, exc.pos, exc.lineno, exc.colno
    if line_mode and line > 1:
        line, column = 1, len(text.rstrip("\r\n")) + 1
    if text[pos - 1 : pos] == "-":  # "-Infinity": orjson points after the sign
        pos, column = pos - 1, column - 1
    word = text[pos : pos + 12].lstrip("-")
    word = word[: next((i for i, c in enumerate(word) if not c.isalpha()), len(word))]
    if word.lower() in ("nan", "inf", "infinity"):
        message = "NaN and Infinity are not JSON numbers: use null or a string"
    elif "infinity when parsed" in msg:
        message = "number out of range: it overflows a 64-bit float"
    elif "end of data" in msg or (line_mode and not text[pos:].strip()):
        if not data.endswith(b"\n"):
            message = "truncated JSON: the input ends inside this event (was it cut off?)"
        elif line_mode:
            message = "incomplete JSON: the line ends inside the event (one event per line)"
        else:
            message = "truncated JSON: the input ends before the value is complete"
    elif pos == len(text) - len(text.lstrip(" \t\r\n\ufeff")):
        # Nothing JSON at all where a value starts (a log line, HTML, YAML, a typo'd path).
        start = text[pos : pos + 24].split("\n", 1)[0]
        message = f"not JSON: {start!r} cannot begin a JSON value"
    else:
        message = f"malformed JSON: {msg}"
    return message, line, column


_JSON_TYPE_NAMES = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def _not_an_object(value: Any) -> str:
    what = _JSON_TYPE_NAMES.get(type(value), type(value).__name__)
    return f"an event must be a JSON object, got {what}"


# --- JSON documents (.json files, stdin) -------------------------------------------------------


def _leading_whitespace(data: bytes) -> int:
    i = 0
    while i < len(data) and data[i] in _WHITESPACE:
        i += 1
    return i


def _looks_like_jsonl(data: bytes) -> bool:
    """Whether an unparsable document is really JSONL (most non-blank lines are objects).

    Reading it line by line then keeps every good event instead of one error for all.
    """
    lines = [line for line in data.split(b"\n") if line.strip(_WHITESPACE)]
    if len(lines) < 2:
        return False
    objects = 0
    for line in lines:
        try:
            objects += type(orjson.loads(line)) is dict
        except orjson.JSONDecodeError:
            continue
    return 2 * objects >= len(lines)


def _iter_document(data: bytes, source: str, *, note: str = "") -> Iterator[Record]:
    """Records of one JSON document: an event object, or an array of event objects."""
    data = data.removeprefix(_BOM)
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if _looks_like_jsonl(data):
            yield from _iter_jsonl(io.BytesIO(data), source)
            return
        message, line, column = _describe_decode_error(data, exc)
        if not data.strip(_WHITESPACE):
            message = "empty input: expected an event object or an array of events"
        yield Record(source, line, 0, error=note + message, column=column, raw=data)
        return
    if type(document) is dict:
        problem = _audit(data, _compact(document))
        if problem is None:
            line = data.count(b"\n", 0, _leading_whitespace(data)) + 1
            yield Record(source, line, 0, document, raw=data)
        else:
            from .locate import LineIndex

            line, column = LineIndex(data.decode("utf-8")).position(problem.offset)
            yield Record(source, line, 0, error=note + problem.message, column=column, raw=data)
    elif type(document) is list:
        yield from _iter_array(data, document, source, note)
    else:
        line = data.count(b"\n", 0, _leading_whitespace(data)) + 1
        message = f"{_not_an_object(document)} or an array of event objects"
        yield Record(source, line, 0, error=note + message, column=1, raw=data)


def _iter_array(data: bytes, elements: list[Any], source: str, note: str) -> Iterator[Record]:
    """One record per array element; positions are worked out only for the bad ones."""
    problems: dict[int, Any] = {}
    compact = _compact(elements)
    clean = compact is not None and data.startswith(compact, _leading_whitespace(data))
    if not clean and not _looks_clean(data, compact):
        # Something may be wrong somewhere: the same checks element by element, and the
        # slow exact scan only where they fail (a big array is not scanned in Python).
        from .locate import LineIndex, find_json_problem, iter_array_elements

        text = data.decode("utf-8")
        lines = None
        for i, (start, end) in enumerate(iter_array_elements(text)):
            element = elements[i]
            if type(element) is not dict:
                continue
            if _looks_clean(text[start:end].encode("utf-8"), _compact(element)):
                continue
            lines = lines or LineIndex(text)
            problem = find_json_problem(text, start, index=lines)
            if problem is not None:
                problems[i] = (problem.message, problem.offset)
    locator = None
    for i, element in enumerate(elements):
        if type(element) is dict and i not in problems:
            yield Record(source, None, i, element, raw=data, kind="json-array")
            continue
        if locator is None:
            from .locate import JsonLocator

            locator = JsonLocator(data)
        if i in problems:
            message, offset = problems[i]
        else:
            message = f"array element {i}: {_not_an_object(element)}"
            offset = locator.element_offset(i) or 0
        line, column = locator.position(offset)
        yield Record(
            source, line, i, error=note + message, column=column, raw=data, kind="json-array"
        )


# --- .json arrays, streamed ---------------------------------------------------------------------

_ARRAY_CHUNK = 1 << 20  # bytes read at a time from a .json array
_WINDOW = 1 << 12  # first guess at how far an element may reach; doubled when it is not enough


def _iter_json_file(handle: BinaryIO, source: str) -> Iterator[Record]:
    """A `.json` file: an array is streamed element by element in constant memory; any
    other document (one event, or something broken) is read whole."""
    head = handle.read(_ARRAY_CHUNK)
    body = head.removeprefix(_BOM)
    start = _leading_whitespace(body)
    if body[start : start + 1] != b"[":
        yield from _iter_document(head + handle.read(), source)
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
            while i < end and self.buf[i] in _WHITESPACE:
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
        still read (as `_read_line` does), anything else ends the array here."""
        lenient = _with_surrogates_prefix(data, exc)
        if lenient is not None:
            value, problems, end = lenient
            raw = self.buf[self.pos : self.pos + end]
            self._advance(self.pos + end)
            record = Record(self.source, line, -1, value, column=column, raw=raw,
                            kind="json-element", problems=problems)  # fmt: skip
            return record, end
        message, err_line, err_column = _describe_decode_error(data, exc)
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
            message = f"array element {index}: {_not_an_object(event)}"
            return replace(record, event=None, error=message, kind="json-array", raw=None)
        compact = _compact(event)
        if compact is not None and raw.startswith(compact):
            return record
        problem = _audit(raw, compact, base_line=record.line or 1)
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


def _with_surrogates_prefix(data: bytes, exc: orjson.JSONDecodeError) -> Any:
    """(value, problems, byte length) of the JSON value at the start of `data` when orjson
    refused it only for unpaired surrogate escapes (see `_with_surrogates`), else None."""
    if "surrogate" not in exc.msg:
        return None
    import json

    try:
        text = data.decode("utf-8")
        value, end = json.JSONDecoder(parse_constant=_no_constant).raw_decode(text)
    except ValueError:
        return None
    from ..validate.typesystem import replace_surrogates

    fixed, problems = replace_surrogates(value)
    return fixed, problems, len(text[:end].encode("utf-8"))


# --- stdin and pipes -------------------------------------------------------------------------


def _iter_stream(stream: BinaryIO, source: str) -> Iterator[Record]:
    """Records from a stream (stdin, a pipe): JSONL or one JSON document, by content.

    JSONL when the first non-blank line is a complete value and more follows; it is then
    streamed. A JSON document (one object or an array) is read whole. A first line that is
    a broken one-line object (``{...}``) also means JSONL, so a corrupt first event does
    not turn the whole stream into one error.
    """
    lines = iter(stream)
    head: list[bytes] = []
    first = None
    for line in lines:
        head.append(line)
        content = line.removeprefix(_BOM) if len(head) == 1 else line
        if content.strip(_WHITESPACE):
            first = content.strip(_WHITESPACE)
            break
    if first is None:
        return
    try:
        orjson.loads(first)
        complete = True
    except orjson.JSONDecodeError:
        complete = False
    if complete:
        for line in lines:
            head.append(line)
            if line.strip(_WHITESPACE):
                yield from _iter_jsonl(chain(head, lines), source)
                return
        yield from _iter_document(b"".join(head), source)
    elif first.startswith(b"{") and first.endswith(b"}"):
        yield from _iter_jsonl(chain(head, lines), source)
    else:
        yield from _iter_document(b"".join(head) + stream.read(), source)


# --- YAML --------------------------------------------------------------------------------------


def _is_marker(line: bytes, marker: bytes) -> bool:
    return line.startswith(marker) and (len(line) == 3 or line[3] in _WHITESPACE)


def _has_content(line: bytes) -> bool:
    """Whether a line holds document content (not blank, comment, directive or marker)."""
    if _is_marker(line, b"---"):
        line = line[3:]
    elif _is_marker(line, b"..."):
        return False
    stripped = line.strip(_WHITESPACE)
    return bool(stripped) and not stripped.startswith((b"#", b"%"))


def yaml_documents(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(first line, bytes) of each non-empty document of a YAML stream.

    Splitting at ``---`` / ``...`` lines ourselves lets one broken document be one error
    record while the others are still read (a YAML parser cannot resume after an error),
    and gives each document its line offset. A column-0 ``---`` is always a document
    marker in YAML, so this agrees with the parser. Empty documents (a trailing ``---``)
    are not events. Shared with `locate.locate_yaml`, so document indexes agree.
    """
    data = data.removeprefix(_BOM)
    chunk: list[bytes] = []
    start = 1
    content = False
    lineno = 0
    for lineno, line in enumerate(data.splitlines(keepends=True), 1):
        if _is_marker(line, b"---"):
            if content:
                yield start, b"".join(chunk)
                chunk, start, content = [], lineno, False
            else:  # only comments/directives so far: keep directives, blank the rest
                chunk = [ln if ln.startswith(b"%") else b"\n" for ln in chunk]
        chunk.append(line)
        content = content or _has_content(line)
        if _is_marker(line, b"..."):
            if content:
                yield start, b"".join(chunk)
            chunk, start, content = [], lineno + 1, False
    if content:
        yield start, b"".join(chunk)
