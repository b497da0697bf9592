"""Type strings as the doc pages print them, normalised to `TypeRef`.

Shared by every page parser so that `object[]` (Markdown) and `array of objects` (flattened
text) mean the same thing downstream.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from ._model import TypeRef

_PRIMITIVES = {"string", "integer", "number", "boolean", "object"}
# Plural forms used by the flattened-text pages: "array of strings", "array of objects".
_PLURALS = {p + "s": p for p in _PRIMITIVES} | {"undefineds": "undefined"}
_NAMED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# `oneOf(user | botUser)`; the pages also print `oneOf(Option 1 | Option 2)` for unnamed shapes.
_ONE_OF = re.compile(r"^oneOf\((.*)\)$")
_OPTION_LABEL = re.compile(r"^Option \d+$")


def parse_doc_type(raw: str) -> TypeRef | None:
    """Return the TypeRef for a doc type string, or None when it is not a type we know.

    Known: primitives, `array`, `X[]`, `array of Xs` / `array of undefineds`, a named schema
    (an identifier that is not a primitive), `oneOf(A | B)` (each option a known type or an
    `Option N` label, which the field's details block spells out), and the empty string.
    """
    text = raw.strip()
    if text == "":
        return TypeRef(kind="untyped", raw=raw)
    if (one_of := _ONE_OF.match(text)) is not None:
        options: list[TypeRef] = []
        for part in one_of[1].split("|"):
            label = part.strip()
            if _OPTION_LABEL.match(label):
                options.append(TypeRef(kind="untyped", raw=label))
                continue
            option = parse_doc_type(label)
            if option is None or option.kind in ("untyped", "oneof"):
                return None
            options.append(option)
        return TypeRef(kind="oneof", raw=raw, options=tuple(options)) if len(options) > 1 else None
    if text in _PRIMITIVES:
        return TypeRef(kind=text, raw=raw)  # type: ignore[arg-type]
    if text == "array":
        return TypeRef(kind="array", raw=raw)
    if text.endswith("[]"):
        inner = parse_doc_type(text[:-2])
        if inner is None or inner.kind in ("untyped",):
            return None
        return TypeRef(kind="array", raw=raw, items=inner)
    if text.startswith("array of "):
        word = text[len("array of ") :].strip()
        single = _PLURALS.get(word, word)
        if single == "undefined":
            return TypeRef(kind="array", raw=raw, items_undefined=True)
        inner = parse_doc_type(single)
        if inner is None or inner.kind == "untyped":
            return None
        return TypeRef(kind="array", raw=raw, items=inner)
    if _NAMED.match(text):
        return TypeRef(kind="named", raw=raw, name=text)
    return None


# JSON types whose enum values a page writes as text that must be read as JSON.
_TYPED_ENUM_KINDS = {
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)


def _fits(kind: str, value: Any) -> bool:
    if kind == "integer":
        if isinstance(value, float):
            return math.isfinite(value) and value.is_integer()
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        if isinstance(value, float):
            return math.isfinite(value)
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    return value is None  # null


def enum_kind(t: TypeRef) -> str:
    """The JSON type of a field's allowed values: the item type for an array of them
    (`string[]` with `Allowed values: a | b` allows arrays of a and b)."""
    while t.kind == "array" and t.items is not None:
        t = t.items
    return t.kind


def coerce_enum(values: list[str], kind: str) -> list[Any]:
    """Enum values as a page printed them (text), as values of the field's JSON type `kind`.

    Pages print every allowed value as text; `1 | 2` on an integer field means the numbers
    1 and 2, and left as strings the enum would accept nothing. Integer, number, boolean and
    null values are read as JSON literals; any other kind (string, object, named, untyped,
    array) keeps the text. Raises ValueError naming the first value that does not fit.
    """
    if kind not in _TYPED_ENUM_KINDS:
        return list(values)
    out: list[Any] = []
    for text in values:
        try:
            value, end = _DECODER.raw_decode(text.strip())
            ok = end == len(text.strip()) and _fits(kind, value)
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(f"{text!r} is not {_TYPED_ENUM_KINDS[kind]}")
        out.append(value)
    return out
