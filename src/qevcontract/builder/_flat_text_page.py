"""Parser for event reference pages captured as flattened text (the `apps.txt` style).

The capture lost all markup: property lists became `- nametype` lines with name and type run
together, nesting survives only as `<name> properties` / `-` markers, and each one-line JSON
example runs straight into the next event's title. This module rebuilds the shared page
model from those remnants and raises `PageError` for any line it cannot place, so a changed
capture fails loudly instead of silently losing properties.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

from ._doctypes import coerce_enum, enum_kind, parse_doc_type
from ._model import (
    DocPage,
    EventDoc,
    Example,
    Field,
    PageError,
    TypeRef,
    numbered_lines,
    slugify,
)

FORMAT: Final = "flat-text"

# Type spellings the captures use. Listing them is what lets us split `idstring` into
# `id` + `string`: the name is the shortest prefix that leaves exactly a type (+ marker).
_ITEM_PLURALS = "strings|integers|numbers|booleans|objects|undefineds"
_TYPE_SUFFIX = rf"string|integer|number|boolean|object|array of (?:{_ITEM_PLURALS})|array"
_PROPERTY = re.compile(rf"^- (?P<name>\S+?)(?P<type>{_TYPE_SUFFIX})(?P<deprecated>Deprecated)?$")
_ROOT = re.compile(r"^(?P<root>[A-Za-z][A-Za-z ]*?)- (?P<rest>\S.*)$")
_OPENER = re.compile(r"^(?P<name>\S+) properties$")
_EVENT_TYPE = re.compile(r"^[a-z][a-z0-9-]*(?:\.[A-Za-z0-9_-]+){2,}$")
_EXAMPLE_HEADER = re.compile(r'^Example payload of the "(?P<name>[^"]+)" event$')
_ENUM_MARK = "Can be one of:"
_ENUM = re.compile(r'Can be one of:\s*(?P<values>(?:"[^"]*")+)\s*$')
_PAYLOAD = "Payload"
_CLOSE = "-"

_DECODER = json.JSONDecoder()


@dataclass
class _Cursor:
    """Non-blank lines with their 1-based numbers, read front to back."""

    path: str
    lines: list[tuple[int, str]]
    pos: int = 0

    def at_end(self) -> bool:
        return self.pos >= len(self.lines)

    def peek(self) -> tuple[int, str]:
        return self.lines[self.pos]

    def take(self) -> tuple[int, str]:
        item = self.lines[self.pos]
        self.pos += 1
        return item

    def last_line(self) -> int:
        return self.lines[-1][0] if self.lines else 1

    def error(self, line: int, message: str) -> PageError:
        return PageError(self.path, line, message)


@dataclass
class _Scope:
    """An open property list: the payload root or a `<name> properties` block."""

    fields: list[Field]
    owner: Field | None
    line: int


def sniff(text: str) -> bool:
    """True for flattened-text pages: a bare `Payload` line followed by `object- <prop>`."""
    lines = [line.strip() for line in text.splitlines()]
    has_header = any(_EXAMPLE_HEADER.match(line) for line in lines)
    return has_header and any(
        line == _PAYLOAD and _is_root_line(nxt) for line, nxt in pairwise(lines)
    )


def parse(text: str, path: str) -> DocPage:
    """Parse a flattened-text page into a DocPage with one EventDoc per event block."""
    cur = _Cursor(path, numbered_lines(text))
    if cur.at_end():
        raise cur.error(1, "page is empty; expected a title line")
    _, title = cur.take()
    page = DocPage(path=path, format=FORMAT, title=title, domain=slugify(title))
    event_title: tuple[int, str] | None = _skip_intro(cur)
    while event_title is not None:
        event, event_title = _read_event(cur, page.domain, event_title)
        page.events.append(event)
    return page


def _is_root_line(line: str) -> bool:
    match = _ROOT.match(line)
    if match is None:
        return False
    root = parse_doc_type(match["root"])
    return root is not None and root.kind == "object"


def _skip_intro(cur: _Cursor) -> tuple[int, str]:
    """Pass the page description; return the first event's title line (the one before `Payload`)."""
    for index in range(cur.pos, len(cur.lines)):
        number, line = cur.lines[index]
        if line != _PAYLOAD:
            continue
        if index == cur.pos:
            raise cur.error(number, "'Payload' has no event title line before it")
        cur.pos = index - 1
        return cur.take()
    raise cur.error(cur.last_line(), "no 'Payload' line: the page documents no event")


def _read_event(
    cur: _Cursor, domain: str, title: tuple[int, str]
) -> tuple[EventDoc, tuple[int, str] | None]:
    """Read one event block; return it with the next event's title, if any."""
    title_line, title_text = title
    if cur.at_end():
        raise cur.error(title_line, f"event title {title_text!r} is not followed by 'Payload'")
    number, line = cur.take()
    if line != _PAYLOAD:
        raise cur.error(number, f"expected 'Payload' after event title {title_text!r}")
    payload = _PropertyReader(cur).read()
    type_line, event_type = cur.take()
    example, next_title = _read_example(cur, event_type)
    event = EventDoc(
        type=event_type,
        line=type_line,
        domain=domain,
        title=title_text,
        payload=payload,
        examples=[example],
        documents_required=False,
    )
    return event, next_title


def _read_example(cur: _Cursor, event_type: str) -> tuple[Example, tuple[int, str] | None]:
    """Read the example header and JSON line; split off a title glued to the JSON's end."""
    if cur.at_end():
        raise cur.error(cur.last_line(), f"event {event_type!r} has no example header")
    number, line = cur.take()
    header = _EXAMPLE_HEADER.match(line)
    if header is None:
        raise cur.error(
            number, f"expected 'Example payload of the \"Name\" event' after {event_type!r}"
        )
    if cur.at_end():
        raise cur.error(number, f"example header of {event_type!r} has no JSON line after it")
    json_line, raw = cur.take()
    try:
        value, end = _DECODER.raw_decode(raw)
    except json.JSONDecodeError as exc:
        raise cur.error(
            json_line,
            f"example of {event_type!r} is not one complete JSON value on this line "
            f"({exc.msg} at column {exc.colno})",
        ) from None
    example = Example(value=value, line=json_line, name=header["name"])
    rest = raw[end:].strip()
    if rest:
        return example, (json_line, rest)
    if cur.at_end():
        return example, None
    return example, cur.take()


class _PropertyReader:
    """Reads `- nametype` lines and their nesting up to (not including) the event type line."""

    def __init__(self, cur: _Cursor) -> None:
        self.cur = cur
        self.root: list[Field] = []
        self.stack = [_Scope(self.root, None, 0)]
        # The field that free-text lines describe; None right after a block opens or closes.
        self.described: Field | None = None

    def read(self) -> list[Field]:
        self._read_root_line()
        while True:
            if self.cur.at_end():
                raise self.cur.error(
                    self.cur.last_line(),
                    "page ends inside a property list; expected the event type line",
                )
            number, line = self.cur.peek()
            if _EVENT_TYPE.match(line):
                self._check_all_closed(number)
                return self.root
            self.cur.take()
            self._dispatch(number, line)

    def _read_root_line(self) -> None:
        if self.cur.at_end():
            raise self.cur.error(self.cur.last_line(), "'Payload' is not followed by properties")
        number, line = self.cur.take()
        match = _ROOT.match(line)
        if match is None:
            raise self.cur.error(
                number, "expected '<root type>- <name><type>' (e.g. 'object- idstring')"
            )
        if not _is_root_line(line):
            raise self.cur.error(number, f"payload root type {match['root']!r} is not 'object'")
        self._declare(number, "- " + match["rest"])

    def _dispatch(self, number: int, line: str) -> None:
        if line == _CLOSE:
            self._close(number)
        elif line.startswith("- "):
            self._declare(number, line)
        elif line == _PAYLOAD:
            raise self.cur.error(number, "new 'Payload' before this event's type line")
        elif _EXAMPLE_HEADER.match(line):
            raise self.cur.error(number, "example header without an event type line before it")
        elif not self._maybe_open(number, line):
            self._describe(number, line)

    def _declare(self, number: int, line: str) -> None:
        match = _PROPERTY.match(line)
        if match is None:
            raise self.cur.error(
                number,
                f"cannot split {line[2:]!r} into a name and a known type "
                "(string, integer, number, boolean, object, array, array of <type>s)",
            )
        type_ref = parse_doc_type(match["type"])
        if type_ref is None:  # pragma: no cover - the regex only admits known types
            raise self.cur.error(number, f"unknown type {match['type']!r}")
        new = Field(
            name=match["name"],
            type=type_ref,
            line=number,
            required=None,
            deprecated=match["deprecated"] is not None,
        )
        self.stack[-1].fields.append(new)
        self.described = new

    def _maybe_open(self, number: int, line: str) -> bool:
        """Open `<name> properties` for the field just declared; False if not an opener."""
        match = _OPENER.match(line)
        if match is None:
            return False
        name = match["name"]
        scope = self.stack[-1]
        if scope.fields and scope.fields[-1].name == name:
            self._open(number, scope.fields[-1])
            return True
        earlier = [f for f in scope.fields if f.name == name]
        if earlier:
            raise self.cur.error(
                number,
                f"'{name} properties' must directly follow field {name!r} "
                f"(line {earlier[-1].line}); the last declared field is {scope.fields[-1].name!r}",
            )
        return False

    def _open(self, number: int, owner: Field) -> None:
        if owner.properties is not None:
            raise self.cur.error(number, f"{owner.name!r} already had its properties listed")
        if not _has_properties(owner.type):
            raise self.cur.error(
                number,
                f"{owner.name!r} is {owner.type.raw!r}; only object or array of objects "
                "fields have properties",
            )
        owner.properties = []
        self.stack.append(_Scope(owner.properties, owner, number))
        self.described = None

    def _close(self, number: int) -> None:
        if len(self.stack) == 1:
            raise self.cur.error(number, "'-' closes no open '<name> properties' block")
        self.stack.pop()
        self.described = None

    def _describe(self, number: int, line: str) -> None:
        if self.described is None:
            raise self.cur.error(
                number, f"text {line[:40]!r} belongs to no property (expected '- <name><type>')"
            )
        field = self.described
        text, enum = _split_enum(self.cur, number, line)
        if enum is not None:
            if field.enum is not None:
                raise self.cur.error(number, f"second 'Can be one of:' list for {field.name!r}")
            try:
                field.enum = coerce_enum(enum, enum_kind(field.type))
            except ValueError as exc:
                raise self.cur.error(
                    number,
                    f"'Can be one of:' of {field.name!r}: {exc}, "
                    f"as its type {field.type.raw!r} needs",
                ) from None
        if text:
            field.description = f"{field.description} {text}" if field.description else text

    def _check_all_closed(self, number: int) -> None:
        if len(self.stack) > 1:
            scope = self.stack[-1]
            owner = scope.owner.name if scope.owner else "?"
            raise self.cur.error(
                number,
                f"'{owner} properties' opened at line {scope.line} is not closed with '-' "
                "before the event type line",
            )


def _has_properties(type_ref: TypeRef) -> bool:
    if type_ref.kind == "object":
        return True
    items = type_ref.items
    return type_ref.kind == "array" and items is not None and items.kind == "object"


def _split_enum(cur: _Cursor, number: int, line: str) -> tuple[str, list[str] | None]:
    """Separate a trailing `Can be one of: "A""B"` list from the description text."""
    if _ENUM_MARK not in line:
        return line, None
    match = _ENUM.search(line)
    if match is None:
        raise cur.error(
            number, '\'Can be one of:\' must be followed by quoted values only, e.g. "A""B"'
        )
    values = re.findall(r'"([^"]*)"', match["values"])
    return line[: match.start()].strip(), values
