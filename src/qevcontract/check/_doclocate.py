"""From a JSON pointer into a contract back to the doc page line that says it.

The builder keeps each event's page and line in `x-qev-provenance`, and the page model keeps
a line for every field, named schema and example; this module follows a pointer through
them. The answer is the deepest line it can vouch for (the field's row, the example key's
line), falling back to the event heading, never a guess past that.
"""

from __future__ import annotations

from ..builder._model import DocPage, EventDoc, Field
from ._schemawalk import pointer_tokens

# A JSON key as the example blocks print it: `"name":`.
_FENCE = "```"


def pointer_line(page: DocPage, event: EventDoc | None, pointer: str, lines: list[str]) -> int:
    """The page line documenting `pointer` (for `event`, or page-wide for `$defs`)."""
    tokens = pointer_tokens(pointer)
    fallback = event.line if event is not None else 1
    if not tokens:
        return fallback
    head = tokens[0]
    if head == "properties" and event is not None:
        return _fields_line(event.payload or [], _property_names(tokens), event.line)
    if head == "$defs" and len(tokens) > 1:
        named = page.schemas.get(tokens[1])
        if named is None:
            return fallback
        return _fields_line(named.properties or [], _property_names(tokens[2:]), named.line)
    if head == "examples" and event is not None and len(tokens) > 1 and tokens[1].isdigit():
        index = int(tokens[1])
        if index < len(event.examples):
            return _example_line(event.examples[index].line, tokens[2:], lines)
    return fallback


def _property_names(tokens: list[str]) -> list[str]:
    """`properties/a/items/properties/b` -> [a, b]; stops at any other keyword."""
    names: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "properties" and i + 1 < len(tokens):
            names.append(tokens[i + 1])
            i += 2
        elif tokens[i] == "items":
            i += 1
        else:
            break
    return names


def _fields_line(fields: list[Field], names: list[str], line: int) -> int:
    current = fields
    for name in names:
        match = next((f for f in current if f.name == name), None)
        if match is None:
            break
        line = match.line
        current = match.properties or []
    return line


def _example_line(start: int, tokens: list[str], lines: list[str]) -> int:
    """Follow the keys of an example path down a pretty-printed example block."""
    if not (0 < start <= len(lines)) or not lines[start - 1].strip().startswith(_FENCE):
        return start  # a one-line example (flattened-text pages): its line is the best answer
    end = next(
        (n for n in range(start + 1, len(lines) + 1) if lines[n - 1].strip() == _FENCE),
        len(lines),
    )
    current = start
    for token in tokens:
        if token.isdigit():
            continue
        needle = f'"{token}"'
        found = next(
            (n for n in range(current + 1, end) if needle + ":" in lines[n - 1].replace(" ", "")),
            None,
        )
        if found is None:
            break
        current = found
    return current
