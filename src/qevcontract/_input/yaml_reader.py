"""YAML input, read with YAML 1.2 semantics: one event per document.

PyYAML implements YAML 1.1, where `country: NO` is `False`, `on` is `True`, `1_000` is
1000 and `2024-01-01` a date. Events are JSON, and YAML 1.2 (its core schema) is the JSON-
compatible version: only `true`/`false`, `null`/`~`, and JSON-like numbers are typed, every
other plain scalar is a string. The loader here is PyYAML's C parser with a resolver for
the 1.2 core schema and constructors that refuse what JSON cannot hold (non-string keys,
duplicate keys, integers beyond 64 bits, NaN and infinities, binary, sets).

A stream is first read in one pass with one loader (fast: the parser is C, the checks are
set look-ups). Only when that pass finds something wrong is the stream read again document
by document (split at `---` / `...` by `yaml_documents`), so that one broken
document is one unreadable record with its position and the others are still read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

import orjson
import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.resolver import BaseResolver

from .record import BOM, JSON_TYPE_NAMES, WHITESPACE, Record

NODE_LIMIT = 1_000_000  # aliases may not expand a document beyond this many nodes
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"


class Yaml12Resolver(BaseResolver):
    """The YAML 1.2 core schema's implicit types (spec 1.2.2, section 10.3.2), plus `<<`
    merge keys, which YAML 1.2 dropped but many files still use."""


for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
    ("merge", r"^(?:<<)$", "<"),
):
    Yaml12Resolver.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), [*_first]
    )
Yaml12Resolver.add_implicit_resolver(_NULL, re.compile(r"^$"), [""])


class EventConstructor(SafeConstructor):
    """Constructs JSON values only, and says where a document holds something else."""

    line_offset = 0  # lines before this document, for messages

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            names = []
            for key_node, _ in node.value:
                if key_node.tag == _STR and isinstance(key_node, yaml.ScalarNode):
                    names.append(key_node.value)
                elif key_node.tag != _MERGE:
                    names = []
                    self._check_keys(node, deep)
                    break
            if len(set(names)) != len(names):
                self._check_keys(node, deep)
        return super().construct_mapping(node, deep=deep)

    def _check_keys(self, node: Any, deep: bool) -> None:
        """Raise for the first key that is not a string or repeats an earlier one."""
        seen: dict[str, Any] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise ConstructorError(
                    None, None,
                    f"mapping key {key!r} is not a string (JSON keys are strings): quote it",
                    key_node.start_mark,
                )  # fmt: skip
            if key in seen:
                raise ConstructorError(
                    None, None,
                    f"duplicate key {key!r} (first at line "
                    f"{seen[key].line + 1 + self.line_offset}): YAML parsers keep only one "
                    "of the values; remove or rename one",
                    key_node.start_mark,
                )  # fmt: skip
            seen[key] = key_node.start_mark

    def construct_json_int(self, node: Any) -> int:
        text = str(self.construct_scalar(node))
        try:
            if text[:2] in ("0o", "0x"):
                value = int(text[2:], 8 if text[1] == "o" else 16)
            else:
                value = int(text.replace("_", "") if node.tag != _STR else text, 10)
        except ValueError:
            raise ConstructorError(
                None, None, f"{text!r} is not an integer", node.start_mark
            ) from None
        if not -(2**63) <= value <= 2**64 - 1:
            raise ConstructorError(
                None, None,
                f"integer {text} is outside the 64-bit range: send it as a string",
                node.start_mark,
            )  # fmt: skip
        return value

    def construct_json_float(self, node: Any) -> float:
        text = str(self.construct_scalar(node))
        try:
            value = float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
        except ValueError:
            raise ConstructorError(
                None, None, f"{text!r} is not a number", node.start_mark
            ) from None
        if not math.isfinite(value):
            raise ConstructorError(
                None, None, f"{text} is not representable in JSON: use null or a string",
                node.start_mark,
            )  # fmt: skip
        return value

    def construct_not_json(self, node: Any) -> Any:
        raise ConstructorError(
            None, None, f"YAML type {node.tag.rsplit(':', 1)[-1]} has no JSON equivalent",
            node.start_mark,
        )  # fmt: skip


# An explicit !!timestamp stays the string it was written as (events carry RFC 3339 text).
_add: Any = EventConstructor.add_constructor  # (the stubs type it for loaders only)
_add("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)
_add("tag:yaml.org,2002:int", EventConstructor.construct_json_int)
_add("tag:yaml.org,2002:float", EventConstructor.construct_json_float)
for _name in ("binary", "set", "omap", "pairs"):
    _add(f"tag:yaml.org,2002:{_name}", EventConstructor.construct_not_json)


def _parser_class() -> Any:
    """PyYAML's C parser, or the same in Python when PyYAML was built without libyaml."""
    try:
        from yaml import cyaml

        return cyaml.CParser  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        pass
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class PyParser(Reader, Scanner, Parser, Composer):
        def __init__(self, stream: Any) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

    return PyParser


_Parser = _parser_class()


class EventLoader(_Parser, EventConstructor, Yaml12Resolver):  # type: ignore[misc, valid-type]
    """YAML 1.2 core schema, JSON values only, PyYAML's C parser when it has one."""

    def __init__(self, stream: Any) -> None:
        _Parser.__init__(self, stream)
        EventConstructor.__init__(self)
        Yaml12Resolver.__init__(self)


def load_event(text: str) -> Any:
    """One YAML document as JSON, with YAML 1.2 semantics (`NO` is a string)."""
    loader = EventLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def expanded_size(node: Any, limit: int) -> int | None:
    """Node count after alias expansion, or None for a recursive alias; stops past ``limit``.

    Aliases share nodes; a document of a few lines can expand to billions of nodes
    ("billion laughs") and hang whatever walks the event next.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(current: Any) -> int | None:
        key = id(current)
        if key in sizes:
            return sizes[key]
        if key in active:
            return None
        if isinstance(current.value, list):
            active.add(key)
            total = 1
            for item in current.value:
                for child in item if isinstance(item, tuple) else (item,):
                    child_size = size(child)
                    if child_size is None:
                        return None
                    total += child_size
                    if total > limit:
                        return total
            active.discard(key)
        else:
            total = 1
        sizes[key] = total
        return total

    return size(node)


def iter_yaml(data: bytes, source: str) -> Iterator[Record]:
    """One record per YAML document; a broken document is one error, the rest still read."""
    records = _whole_stream(data, source)
    yield from records if records is not None else _by_document(data, source)


def _whole_stream(data: bytes, source: str) -> list[Record] | None:
    """Every document's record from one pass, or None if any document is not a clean event
    (the careful pass then says which and why)."""
    try:
        text = data.removeprefix(BOM).decode("utf-8")
    except UnicodeDecodeError:
        return None
    aliases = "*" in text
    loader = EventLoader(text)
    records: list[Record] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None or (node.tag == _NULL and node.value == "" and _empty(node)):
                continue
            if aliases:
                expanded = expanded_size(node, NODE_LIMIT)
                if expanded is None or expanded > NODE_LIMIT:
                    return None
            event = loader.construct_document(node)
            if type(event) is not dict:
                return None
            orjson.dumps(event)
            line = node.start_mark.line + 1
            records.append(Record(source, line, len(records), event, raw=data, kind="yaml"))
    except (yaml.YAMLError, orjson.JSONEncodeError, RecursionError):
        return None
    finally:
        loader.dispose()
    return records


def _empty(node: Any) -> bool:
    """An empty document (`---` and nothing): no event, as `yaml_documents` has it."""
    return bool(node.start_mark.index == node.end_mark.index)


def _by_document(data: bytes, source: str) -> Iterator[Record]:
    """The careful pass: each document read alone, a broken one an unreadable record."""
    loader_class = EventLoader
    for index, (start, chunk) in enumerate(yaml_documents(data)):
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as bad:
            before = chunk[: bad.start]
            column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
            yield Record(
                source,
                start + before.count(b"\n"),
                index,
                column=column,
                error=f"invalid UTF-8 (byte 0x{chunk[bad.start]:02x}): events must "
                "be UTF-8 encoded",
                raw=data,
                kind="yaml",
            )
            continue
        loader = loader_class(text)
        loader.line_offset = start - 1
        try:
            node = loader.get_single_node()
            if node is None:  # nothing but comments after all
                continue
            line = start + node.start_mark.line
            expanded = expanded_size(node, NODE_LIMIT)
            if expanded is None or expanded > NODE_LIMIT:
                reason = (
                    "a recursive alias (an anchor used inside itself)"
                    if expanded is None
                    else f"aliases expanding to more than {NODE_LIMIT} nodes"
                )
                yield Record(
                    source,
                    line,
                    index,
                    error=f"unsupported YAML: {reason}",
                    column=node.start_mark.column + 1,
                    raw=data,
                    kind="yaml",
                )
                continue
            event = loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            if isinstance(exc, yaml.constructor.ConstructorError):
                message = str(exc.problem)  # our own checks: already a full sentence
            else:
                message = f"invalid YAML: {exc.problem}"
                if exc.context:
                    message += f" ({exc.context}"
                    if exc.context_mark and exc.context_mark is not mark:
                        message += f" at line {start + exc.context_mark.line}"
                    message += ")"
            yield Record(
                source,
                start + mark.line if mark else start,
                index,
                error=message,
                column=mark.column + 1 if mark else None,
                raw=data,
                kind="yaml",
            )
            continue
        except yaml.YAMLError as exc:
            yield Record(source, start, index, error=f"invalid YAML: {exc}", raw=data, kind="yaml")
            continue
        finally:
            loader.dispose()
        if type(event) is not dict:
            what = (
                "a list"
                if isinstance(event, list)
                else JSON_TYPE_NAMES.get(type(event), type(event).__name__)
            )
            yield Record(
                source,
                line,
                index,
                column=node.start_mark.column + 1,
                error=f"an event must be a YAML mapping, got {what}",
                raw=data,
                kind="yaml",
            )
            continue
        try:
            orjson.dumps(event)  # the last word on JSON compatibility (e.g. merged keys)
        except orjson.JSONEncodeError as exc:
            yield Record(
                source,
                line,
                index,
                error=f"YAML not representable as JSON: {exc}",
                raw=data,
                kind="yaml",
            )
            continue
        yield Record(source, line, index, event, raw=data, kind="yaml")


def _is_marker(line: bytes, marker: bytes) -> bool:
    return line.startswith(marker) and (len(line) == 3 or line[3] in WHITESPACE)


def _has_content(line: bytes) -> bool:
    """Whether a line holds document content (not blank, comment, directive or marker)."""
    if _is_marker(line, b"---"):
        line = line[3:]
    elif _is_marker(line, b"..."):
        return False
    stripped = line.strip(WHITESPACE)
    return bool(stripped) and not stripped.startswith((b"#", b"%"))


def yaml_documents(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(first line, bytes) of each non-empty document of a YAML stream.

    Splitting at ``---`` / ``...`` lines ourselves lets one broken document be one error
    record while the others are still read (a YAML parser cannot resume after an error),
    and gives each document its line offset. A column-0 ``---`` is always a document
    marker in YAML, so this agrees with the parser. Empty documents (a trailing ``---``)
    are not events. Shared with `locate.locate_yaml`, so document indexes agree.
    """
    data = data.removeprefix(BOM)
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
