"""The contract in the form hypothesis-jsonschema can use: self-contained and draft-7 shaped.

hypothesis-jsonschema reads drafts 4, 6 and 7 and resolves only local `$ref`s; the contracts
are Draft 2020-12 and reference shared envelope files. So it is fed the *compiled* type (the
contract with its `$ref`s inlined and `allOf` merged, see `effective` and `bulk`) rewritten as a
plain schema that is a *subset* of the contract: everything it generates is valid, but it
generates only what a realistic event looks like:

- only the properties a generated event carries, objects closed (no random extra members);
  this also settles `propertyNames` and `not`, so those are left out;
- annotations (`x-qev-*`, `examples`, `description`, `default`, `deprecated`,
  `contentMediaType`, ...) are stripped: it would try to interpret some of them;
- strings that have a realistic form (ids, timestamps, `source`, `authclaims`,
  `traceparent`, ...) get a private `format` name whose strategy is the bulk generator's own
  value function; free text stays free text, at most `MAX_TEXT` characters;
- arrays get at most three extra items; untyped values become short strings; integers stay
  within what JSON parsers everywhere read exactly (|n| < 2**53);
- a payload the docs leave unspecified is an empty object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._bulk import MAX_EXTRA_ITEMS, CompiledType, Node, NodeGen

MAX_TEXT = 40
MAX_SAFE_INTEGER = 2**53 - 1
# Value kinds with a real-world shape worth keeping under Hypothesis; the others are free text.
REALISTIC_KINDS = frozenset(
    {
        "id", "timestamp", "source", "authclaims", "traceparent", "tracestate",
        "media-type", "url", "duration", "host", "email",
    }
)  # fmt: skip
FORMAT_PREFIX = "qevcontract-"

Formats = dict[str, NodeGen]


def generation_schema(compiled: CompiledType) -> tuple[dict[str, Any], Formats]:
    """(schema, {format name: value function}) for hypothesis-jsonschema."""
    formats: Formats = {}
    root = compiled.root
    schema = _object(root, "", formats, required=root.required | root.always)
    if not compiled.effective.payload_documented and "data" in root.props:
        schema["properties"]["data"] = {"type": "object", "maxProperties": 0}
    return schema, formats


def _node(node: Node, pointer: str, formats: Formats) -> dict[str, Any]:
    s = node.schema
    if "const" in s:
        return {"const": s["const"]}
    if "enum" in s:
        return {"enum": list(s["enum"])}
    types = s.get("type") or []
    if node.props or (types and types[0] == "object"):
        return _object(node, pointer, formats, required=node.required | node.always)
    if node.items is not None:
        return _array(node, pointer, formats)
    if node.hint is not None:
        return _string(node, pointer, formats)
    if "integer" in types:
        return _numeric("integer", s)
    if "number" in types:
        return _numeric("number", s)
    if "boolean" in types:
        return {"type": "boolean"}
    if "null" in types:
        return {"type": "null"}
    return {"type": "string", "maxLength": MAX_TEXT}  # untyped in the docs


def _object(
    node: Node, pointer: str, formats: Formats, *, required: frozenset[str]
) -> dict[str, Any]:
    props = {name: _node(child, f"{pointer}/{name}", formats) for name, child in node.props.items()}
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    needed = [n for n in props if n in required]
    if needed:
        out["required"] = needed
    return out


def _array(node: Node, pointer: str, formats: Formats) -> dict[str, Any]:
    assert node.items is not None
    lo = int(node.schema.get("minItems", 0))
    hi = min(int(node.schema.get("maxItems", lo + MAX_EXTRA_ITEMS)), lo + MAX_EXTRA_ITEMS)
    item = (
        _node(node.items, f"{pointer}/0", formats)
        if node.items.schema
        else {"type": "string", "maxLength": MAX_TEXT}
    )
    out: dict[str, Any] = {"type": "array", "items": item, "maxItems": hi}
    if lo:
        out["minItems"] = lo
    return out


def _string(node: Node, pointer: str, formats: Formats) -> dict[str, Any]:
    assert node.hint is not None
    constrained = "format" in node.schema or "pattern" in node.schema
    if node.hint.kind in REALISTIC_KINDS or constrained:
        name = FORMAT_PREFIX + (pointer.strip("/").replace("/", ".") or "root")
        formats[name] = node.gen
        return {"type": "string", "format": name}
    lo = int(node.schema.get("minLength", 0))
    hi = min(int(node.schema.get("maxLength", MAX_TEXT)), max(MAX_TEXT, lo))
    out: dict[str, Any] = {"type": "string", "maxLength": hi}
    if lo:
        out["minLength"] = lo
    return out


def _numeric(kind: str, schema: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": kind}
    keys: tuple[tuple[str, Callable[[Any, Any], Any], int], ...] = (
        ("minimum", max, -MAX_SAFE_INTEGER),
        ("maximum", min, MAX_SAFE_INTEGER),
    )
    for key, tighter, safe in keys:
        out[key] = tighter(schema[key], safe) if key in schema else safe
    for key in ("exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
        if key in schema:
            out[key] = schema[key]
    return out
