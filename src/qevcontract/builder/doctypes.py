"""Type strings as the doc pages print them, normalised to `TypeRef`.

Shared by every page parser so that `object[]` (Markdown) and `array of objects` (flattened
text) mean the same thing downstream.
"""

from __future__ import annotations

import re

from .model import TypeRef

_PRIMITIVES = {"string", "integer", "number", "boolean", "object"}
# Plural forms used by the flattened-text pages: "array of strings", "array of objects".
_PLURALS = {p + "s": p for p in _PRIMITIVES} | {"undefineds": "undefined"}
_NAMED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_doc_type(raw: str) -> TypeRef | None:
    """Return the TypeRef for a doc type string, or None when it is not a type we know.

    Known: primitives, `array`, `X[]`, `array of Xs` / `array of undefineds`, a named schema
    (an identifier that is not a primitive), and the empty string (untyped).
    """
    text = raw.strip()
    if text == "":
        return TypeRef(kind="untyped", raw=raw)
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
