"""Position-aware JSON/YAML helpers: where in the file is the value a JSON pointer names?

Only events that failed validation (or that the reader's cheap checks flagged) come
here, so the hot path never pays for positions. Everything works on the original
text, so the line:column reported is the one an editor shows (1-based; columns count
characters, not bytes).

JSON is walked with the stdlib's C string scanner and C value decoder to skip the
values that are not on the pointer's path. We do not use `json-source-map`: it builds
pointers from the raw key text without JSON-pointer escaping, so a key such as
``"app.kubernetes.io/name"`` collides with ``/app.kubernetes.io/name`` (it returns the
wrong value), ``~`` and escaped keys do not match, and it maps the whole document in
pure Python on every call (minutes for a large ``.json`` array when many events fail).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from .._pointer import from_tokens, parse

if TYPE_CHECKING:  # pragma: no cover
    from .record import Record

__all__ = [
    "JsonLocator",
    "JsonProblem",
    "LineIndex",
    "Locator",
    "find_json_problem",
    "format_pointer",
    "iter_array_elements",
    "locate_json",
    "locate_record",
    "locate_yaml",
    "parse_pointer",
]

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_INT_MIN = -(2**63)  # orjson's integer range: i64 and u64
_INT_MAX = 2**64 - 1
_DECODER = json.JSONDecoder()  # stateless; used only for its C raw_decode
# The C string scanner: decodes one JSON string and says where it ends (not in typeshed).
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def parse_pointer(pointer: str | Sequence[str | int]) -> list[str]:
    """Split an RFC 6901 pointer (or accept a ready path) into unescaped tokens.

    A sequence (e.g. a jsonschema error's ``absolute_path``) is accepted as is, so callers
    need not build and re-parse a pointer string. A ``#`` URI fragment form is accepted.
    """
    if not isinstance(pointer, str):
        return [str(token) for token in pointer]
    if pointer.startswith("#"):
        from urllib.parse import unquote

        pointer = unquote(pointer[1:])
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer (must be empty or start with '/'): {pointer!r}")
    return parse(pointer)


def format_pointer(tokens: Sequence[str | int]) -> str:
    """Build an RFC 6901 pointer from path tokens (escaping ``~`` and ``/``)."""
    return from_tokens(tokens)


class LineIndex:
    """Character offset -> (line, column), by bisecting newline offsets (built once per text)."""

    __slots__ = ("_newlines",)

    def __init__(self, text: str) -> None:
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def position(self, offset: int, *, base_line: int = 1) -> tuple[int, int]:
        """1-based (line, column) of the character at ``offset``."""
        n = bisect.bisect_left(self._newlines, offset)
        line_start = self._newlines[n - 1] + 1 if n else 0
        return base_line + n, offset - line_start + 1


def _line_col(text: str, offset: int, base_line: int = 1) -> tuple[int, int]:
    """One-off (line, column) without building an index."""
    line_start = text.rfind("\n", 0, offset) + 1
    return base_line + text.count("\n", 0, offset), offset - line_start + 1


def _skip_ws(text: str, pos: int) -> int:
    if text[pos : pos + 1] not in _WS_CHARS:  # compact JSON: no regex call
        return pos
    return _WS.match(text, pos).end()  # type: ignore[union-attr]  # always matches


_WS_CHARS = frozenset(" \t\n\r")


def _skip_value(text: str, pos: int) -> int:
    """End offset of the JSON value at ``pos`` (decoded by the C scanner, then dropped)."""
    return int(_DECODER.raw_decode(text, pos)[1])


def iter_array_elements(text: str, pos: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the elements of the JSON array at ``pos``, lazily."""
    pos = _skip_ws(text, pos)
    if text[pos : pos + 1] != "[":
        return
    pos = _skip_ws(text, pos + 1)
    if text[pos : pos + 1] == "]":
        return
    while True:
        end = _skip_value(text, pos)
        yield pos, end
        pos = _skip_ws(text, end)
        if text[pos : pos + 1] != ",":
            return
        pos = _skip_ws(text, pos + 1)


# --- exact audit: duplicate keys and integers orjson cannot hold ---------------------------


@dataclass(frozen=True, slots=True)
class JsonProblem:
    """A defect orjson accepts silently: a duplicate key, or an integer beyond 64 bits."""

    kind: str  # "duplicate-key" | "integer-range" | "too-deep"
    message: str  # one line, without the position
    offset: int  # character offset of the offending key / literal in the scanned text
    pointer: str  # where in the event (the object holding the key, or the number itself)


class _Found(Exception):
    def __init__(self, problem: JsonProblem) -> None:
        self.problem = problem


def find_json_problem(
    text: str, pos: int = 0, *, index: LineIndex | None = None, base_line: int = 1
) -> JsonProblem | None:
    """Exactly scan the (valid) JSON value at ``pos`` for what orjson would silently accept.

    orjson keeps the last of duplicate keys and turns integers beyond 64 bits into lossy
    floats; both would make a broken event look valid. The reader calls this only when its
    cheap byte checks cannot rule them out. ``index``/``base_line`` only serve the message
    that names the first occurrence of a duplicated key.
    """
    path: list[str | int] = []
    try:
        _scan(text, pos, path, index, base_line)
    except _Found as found:
        return found.problem
    except RecursionError:
        return JsonProblem("too-deep", "the event is nested too deeply to be checked", pos, "")
    return None


def _scan(
    text: str, pos: int, path: list[str | int], index: LineIndex | None, base_line: int
) -> int:
    pos = _skip_ws(text, pos)
    char = text[pos]
    if char == "{":
        pos = _skip_ws(text, pos + 1)
        if text[pos] == "}":
            return pos + 1
        seen: dict[str, int] = {}
        while True:
            key_pos = pos
            key, pos = _scanstring(text, pos + 1)
            if key in seen:
                first = seen[key]
                line, col = (
                    index.position(first, base_line=base_line)
                    if index
                    else _line_col(text, first, base_line)
                )
                where = format_pointer(path) or "the top level"
                shown = json.dumps(key, ensure_ascii=False)
                raise _Found(
                    JsonProblem(
                        "duplicate-key",
                        f"duplicate key {shown} in the object at {where} "
                        f"(first at line {line}, column {col}); JSON parsers silently keep "
                        "only one of the values: remove or rename one",
                        key_pos,
                        format_pointer(path),
                    )
                )
            seen[key] = key_pos
            pos = _skip_ws(text, _skip_ws(text, pos) + 1)  # past ':'
            path.append(key)
            pos = _skip_ws(text, _scan(text, pos, path, index, base_line))
            path.pop()
            if text[pos] != ",":
                return pos + 1
            pos = _skip_ws(text, pos + 1)
    if char == "[":
        pos = _skip_ws(text, pos + 1)
        if text[pos] == "]":
            return pos + 1
        i = 0
        while True:
            path.append(i)
            pos = _skip_ws(text, _scan(text, pos, path, index, base_line))
            path.pop()
            if text[pos] != ",":
                return pos + 1
            pos = _skip_ws(text, pos + 1)
            i += 1
    if char == '"':
        return int(_scanstring(text, pos + 1)[1])
    match = _NUMBER.match(text, pos)
    if match is None:  # true / false / null (the text is known to be valid JSON)
        return pos + (5 if char == "f" else 4)
    literal = match.group()
    is_integer = match.group(1) is None and match.group(2) is None
    if len(literal) >= 19 and is_integer and not _INT_MIN <= int(literal) <= _INT_MAX:
        raise _Found(
            JsonProblem(
                "integer-range",
                f"integer {_shorten(literal)} at {format_pointer(path) or 'the top level'} is "
                "outside the 64-bit range and would be silently rounded; send it as "
                "a string",
                pos,
                format_pointer(path),
            )
        )
    return match.end()


def _shorten(literal: str) -> str:
    """A huge literal, cut to keep messages one readable line."""
    return literal if len(literal) <= 40 else f"{literal[:20]}...({len(literal)} digits)"


# --- locating a pointer ---------------------------------------------------------------------


def _as_text(text: str | bytes) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


class JsonLocator:
    """Locate many pointers in one JSON text, indexing lines and array elements once.

    Use it (rather than `locate_json`) when reporting many failing elements of one large
    ``.json`` array: each lookup then costs a walk of one element, not of the file.
    """

    __slots__ = ("_element_iter", "_elements", "_lines", "text")

    def __init__(self, text: str | bytes) -> None:
        self.text = _as_text(text)
        self._lines: LineIndex | None = None
        self._elements: list[int] = []
        self._element_iter: Iterator[tuple[int, int]] | None = None

    def element_offset(self, element_index: int) -> int | None:
        """Start offset of element ``element_index`` of the top-level array, if any."""
        if self._element_iter is None:
            self._element_iter = iter_array_elements(self.text)
        while len(self._elements) <= element_index:
            span = next(self._element_iter, None)
            if span is None:
                return None
            self._elements.append(span[0])
        return self._elements[element_index]

    def offset_of(
        self, pointer: str | Sequence[str | int], *, element_index: int | None = None
    ) -> int | None:
        """Character offset of the value (or of its nearest existing ancestor)."""
        tokens = parse_pointer(pointer)
        try:
            if element_index is None:
                start = _skip_ws(self.text, 0)
            else:
                found = self.element_offset(element_index)
                if found is None:
                    return None
                start = found
            if start >= len(self.text):
                return None
            return _walk(self.text, start, tokens)
        except (ValueError, IndexError):  # not valid JSON along the path
            return None

    def position(self, offset: int, *, base_line: int = 1) -> tuple[int, int]:
        """1-based (line, column) of a character offset in the text."""
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines.position(offset, base_line=base_line)

    def locate(
        self,
        pointer: str | Sequence[str | int],
        *,
        base_line: int = 1,
        element_index: int | None = None,
    ) -> tuple[int, int] | None:
        """1-based (line, column) of the value at ``pointer``; see `locate_json`."""
        offset = self.offset_of(pointer, element_index=element_index)
        if offset is None:
            return None
        return self.position(offset, base_line=base_line)


def _walk(text: str, pos: int, tokens: list[str]) -> int:
    """Offset of the value at ``tokens`` below the value at ``pos``; the deepest existing
    ancestor when the path does not exist (a missing property points at its object)."""
    for token in tokens:
        char = text[pos]
        if char == "{":
            p = _skip_ws(text, pos + 1)
            found = None
            while text[p] == '"':
                key, p = _scanstring(text, p + 1)
                p = _skip_ws(text, _skip_ws(text, p) + 1)  # past ':'
                if key == token:
                    found = p
                    break
                p = _skip_ws(text, _skip_value(text, p))
                if text[p] != ",":
                    break
                p = _skip_ws(text, p + 1)
            if found is None:
                return pos
            pos = found
        elif char == "[":
            if not (token.isascii() and token.isdigit()) or (len(token) > 1 and token[0] == "0"):
                return pos
            p = _skip_ws(text, pos + 1)
            if text[p] == "]":
                return pos
            for _ in range(int(token)):
                p = _skip_ws(text, _skip_value(text, p))
                if text[p] != ",":
                    return pos
                p = _skip_ws(text, p + 1)
            pos = p
        else:
            return pos
    return pos


def locate_json(
    text: str | bytes,
    pointer: str | Sequence[str | int],
    *,
    base_line: int = 1,
    element_index: int | None = None,
) -> tuple[int, int] | None:
    """1-based (line, column) of the value at an RFC 6901 ``pointer`` in a JSON text.

    For a missing property the position of its parent object is returned; ``""`` is the
    root. ``element_index`` selects an element of a top-level array (a ``.json`` file of
    events); for a JSONL line pass the line's bytes and ``base_line`` = its line number.
    None if the text is not JSON along the way.
    """
    return JsonLocator(text).locate(pointer, base_line=base_line, element_index=element_index)


def locate_yaml(
    text: str | bytes, pointer: str | Sequence[str | int], *, document_index: int = 0
) -> tuple[int, int] | None:
    """1-based (line, column) of the node at ``pointer`` in YAML document ``document_index``.

    Documents are counted like the reader counts them (empty documents skipped), so a
    record's ``index`` can be passed as is. Missing properties give the parent's position.
    """
    from .yaml_reader import yaml_documents

    data = text.encode("utf-8") if isinstance(text, str) else text
    return _locate_in_documents(yaml_documents(data), pointer, document_index)


def _locate_in_documents(
    documents: Iterable[tuple[int, bytes]], pointer: str | Sequence[str | int], index: int
) -> tuple[int, int] | None:
    import yaml

    tokens = parse_pointer(pointer)
    for i, (start_line, chunk) in enumerate(documents):
        if i != index:
            continue
        loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            loader = loader_cls(chunk.decode("utf-8", errors="replace"))
            try:
                node = loader.get_single_node()
            finally:
                loader.dispose()
        except yaml.YAMLError:
            return None
        if node is None:
            return None
        mark = _walk_yaml(node, tokens).start_mark
        return start_line + mark.line, mark.column + 1
    return None


def _walk_yaml(node: Any, tokens: list[str]) -> Any:
    import yaml

    for token in tokens:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = _yaml_member(node, token)
        elif isinstance(node, yaml.SequenceNode) and token.isascii() and token.isdigit():
            i = int(token)
            child = node.value[i] if i < len(node.value) else None
        if child is None:
            return node
        node = child
    return node


def _yaml_member(node: Any, token: str) -> Any:
    """Value node of key ``token``, looking through ``<<`` merge keys like the loader does."""
    import yaml

    merges = []
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            merges.append(value_node)
        elif isinstance(key_node, yaml.ScalarNode) and key_node.value == token:
            return value_node
    for merged in merges:
        candidates = merged.value if isinstance(merged, yaml.SequenceNode) else [merged]
        for candidate in candidates:
            if isinstance(candidate, yaml.MappingNode):
                found = _yaml_member(candidate, token)
                if found is not None:
                    return found
    return None


# A string no event holds twice (the check below makes sure), put where the value was.
_SENTINEL = "\x00qevcontract\x01locate\x00"
_SENTINEL_JSON = orjson.dumps(_SENTINEL)


def compact_offset(raw: bytes, event: Any, pointer: str | Sequence[str | int]) -> int | None:
    """Byte offset in `raw` of the value at `pointer` in `event` (the deepest existing
    ancestor when it does not exist), when `raw` was written as orjson writes `event`
    (compact: Go, JavaScript, Java and orjson producers), else None.

    Exact and cheap: the event with that value replaced by a sentinel is serialised again
    (in C); where the sentinel lands is where the value starts, as long as everything
    before it is byte for byte the same as `raw` (the same bytes parse to the same place).
    About 2 µs, where walking the text in Python takes about 50.
    """
    steps: list[tuple[Any, str | int]] = []
    node = event
    for token in parse_pointer(pointer):
        if type(node) is dict and token in node:
            steps.append((node, token))
            node = node[token]
        elif (
            type(node) is list
            and token.isascii()
            and token.isdigit()
            and (token == "0" or token[0] != "0")
            and int(token) < len(node)
        ):
            steps.append((node, int(token)))
            node = node[int(token)]
        else:
            break
    if not steps:
        return 0 if raw[:1] == b"{" else None
    value: Any = _SENTINEL
    for container, key in reversed(steps):
        copy = dict(container) if type(container) is dict else list(container)
        copy[key] = value
        value = copy
    try:
        new = orjson.dumps(value)
    except orjson.JSONEncodeError:
        return None
    offset = new.find(_SENTINEL_JSON)
    if (
        offset < 0
        or new.find(_SENTINEL_JSON, offset + 1) >= 0
        or raw[:offset] != new[:offset]
        or raw[offset : offset + 1] in _WS_BYTES  # the value comes after whitespace
    ):
        return None
    return offset


_WS_BYTES = (b" ", b"\t", b"\n", b"\r", b"")


class Locator:
    """Locate pointers in the inputs records came from, for many failing events at once.

    Keeps the last JSON document / YAML stream it indexed, so that reporting the failing
    elements of one large ``.json`` array costs one pass over the file, not one per
    element. Records without ``raw`` (dropped before pickling, say) are located by
    reading their ``source`` again; stdin ones then cannot be.
    """

    __slots__ = ("_json", "_key", "_text", "_yaml")

    def __init__(self) -> None:
        self._key: tuple[str, bytes | None] | None = None  # (source, raw): what is cached
        self._text: bytes = b""
        self._json: JsonLocator | None = None
        self._yaml: list[tuple[int, bytes]] | None = None

    def locate(self, record: Record, pointer: str | Sequence[str | int]) -> tuple[int, int] | None:
        """1-based (line, column) of ``pointer`` in ``record``'s event, or None."""
        if record.kind == "jsonl":
            raw = record.raw if record.raw is not None else _read_line(record)
            if raw is None:
                return None
            if type(record.event) is dict:
                offset = compact_offset(raw, record.event, pointer)
                if offset is not None:
                    before = raw[:offset]
                    column = offset if before.isascii() else len(before.decode("utf-8"))
                    return record.line or 1, column + 1
            return JsonLocator(raw).locate(pointer, base_line=record.line or 1)
        if record.kind == "json-element" and record.raw is not None:
            return _locate_element(record.raw, record, pointer)
        key = self._key
        # The same source, and the very same raw object (or none): the cache is valid.
        if key is None or key[0] != record.source or key[1] is not record.raw:
            data = record.raw if record.raw is not None else _read_source(record.source)
            if data is None:
                return None
            self._key, self._text, self._json, self._yaml = (
                (record.source, record.raw),
                data,
                None,
                None,
            )
        if record.kind == "yaml":
            if self._yaml is None:
                from .yaml_reader import yaml_documents

                self._yaml = list(yaml_documents(self._text))
            return _locate_in_documents(self._yaml, pointer, record.index)
        if self._json is None:
            self._json = JsonLocator(self._text)
        element = record.index if record.kind in ("json-array", "json-element") else None
        return self._json.locate(pointer, element_index=element)


def _locate_element(
    raw: bytes, record: Record, pointer: str | Sequence[str | int]
) -> tuple[int, int] | None:
    """(line, column) of `pointer` in one element of a streamed `.json` array: found in the
    element's own bytes, then placed where the element starts in the file."""
    line, column = record.line or 1, record.column or 1
    offset = compact_offset(raw, record.event, pointer) if type(record.event) is dict else None
    if offset is None:
        found = JsonLocator(raw).locate(pointer)
        if found is None:
            return None
        lines, col = found[0] - 1, found[1]
    else:
        before = raw[:offset]
        lines = before.count(b"\n")
        tail = before[before.rfind(b"\n") + 1 :]
        col = (len(tail) if tail.isascii() else len(tail.decode("utf-8"))) + 1
    return (line + lines, col) if lines else (line, column + col - 1)


def _read_source(source: str) -> bytes | None:
    if source.startswith("<"):
        return None
    try:
        with open(source, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _read_line(record: Record) -> bytes | None:
    if record.line is None or record.source.startswith("<"):
        return None
    try:
        with open(record.source, "rb") as handle:
            for number, line in enumerate(handle, 1):
                if number == record.line:
                    return line
    except OSError:
        return None
    return None


def locate_record(record: Record, pointer: str | Sequence[str | int]) -> tuple[int, int] | None:
    """Locate ``pointer`` in the event a `Record` came from, whatever its input format.

    One-off convenience; use a `Locator` when locating many records of one source.
    """
    return Locator().locate(record, pointer)
