"""One JSON document read whole: an event object, or an array of them (stdin, pipes, files
of other extensions, and `.json` files that are not arrays)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import orjson

from .json_checks import audit, compact_json, describe_decode_error, looks_clean
from .jsonl import iter_jsonl
from .record import BOM, WHITESPACE, Record, not_an_object


def leading_whitespace(data: bytes) -> int:
    i = 0
    while i < len(data) and data[i] in WHITESPACE:
        i += 1
    return i


def _looks_like_jsonl(data: bytes) -> bool:
    """Whether an unparsable document is really JSONL (most non-blank lines are objects).

    Reading it line by line then keeps every good event instead of one error for all.
    """
    lines = [line for line in data.split(b"\n") if line.strip(WHITESPACE)]
    if len(lines) < 2:
        return False
    objects = 0
    for line in lines:
        try:
            objects += type(orjson.loads(line)) is dict
        except orjson.JSONDecodeError:
            continue
    return 2 * objects >= len(lines)


def iter_document(data: bytes, source: str, *, note: str = "") -> Iterator[Record]:
    """Records of one JSON document: an event object, or an array of event objects."""
    data = data.removeprefix(BOM)
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if _looks_like_jsonl(data):
            yield from iter_jsonl(io.BytesIO(data), source)
            return
        message, line, column = describe_decode_error(data, exc)
        if not data.strip(WHITESPACE):
            message = "empty input: expected an event object or an array of events"
        yield Record(source, line, 0, error=note + message, column=column, raw=data)
        return
    if type(document) is dict:
        problem = audit(data, compact_json(document))
        if problem is None:
            line = data.count(b"\n", 0, leading_whitespace(data)) + 1
            yield Record(source, line, 0, document, raw=data)
        else:
            from .locate import LineIndex

            line, column = LineIndex(data.decode("utf-8")).position(problem.offset)
            yield Record(source, line, 0, error=note + problem.message, column=column, raw=data)
    elif type(document) is list:
        yield from _iter_array(data, document, source, note)
    else:
        line = data.count(b"\n", 0, leading_whitespace(data)) + 1
        message = f"{not_an_object(document)} or an array of event objects"
        yield Record(source, line, 0, error=note + message, column=1, raw=data)


def _iter_array(data: bytes, elements: list[Any], source: str, note: str) -> Iterator[Record]:
    """One record per array element; positions are worked out only for the bad ones."""
    problems: dict[int, Any] = {}
    compact = compact_json(elements)
    clean = compact is not None and data.startswith(compact, leading_whitespace(data))
    if not clean and not looks_clean(data, compact):
        # Something may be wrong somewhere: the same checks element by element, and the
        # slow exact scan only where they fail (a big array is not scanned in Python).
        from .locate import LineIndex, find_json_problem, iter_array_elements

        text = data.decode("utf-8")
        lines = None
        for i, (start, end) in enumerate(iter_array_elements(text)):
            element = elements[i]
            if type(element) is not dict:
                continue
            if looks_clean(text[start:end].encode("utf-8"), compact_json(element)):
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
            message = f"array element {i}: {not_an_object(element)}"
            offset = locator.element_offset(i) or 0
        line, column = locator.position(offset)
        yield Record(
            source, line, i, error=note + message, column=column, raw=data, kind="json-array"
        )
