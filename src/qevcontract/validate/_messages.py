"""Messages a person understands, built from normalised engine errors.

Both engines go through here, so the same problem reads the same whichever engine found it:
"data.status: 'done' is not one of succeeded, failed, aborted".
"""

from __future__ import annotations

import json
from typing import Any

from .._pointer import display_path
from .._spec.cloudevents import ATTRIBUTE_NAME_PATTERN, BASE64_PATTERN, MEDIA_TYPE_PATTERN
from .._spec.qlik import TRACEPARENT_PATTERN

_PATTERN_NAMES = {
    MEDIA_TYPE_PATTERN: "an RFC 2046 media type such as application/json",
    BASE64_PATTERN: "Base64 (RFC 4648 section 4, padded, nothing outside the alphabet)",
    TRACEPARENT_PATTERN: "a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>)",
    ATTRIBUTE_NAME_PATTERN: "lower-case letters and digits (CloudEvents attribute name)",
}

# JSON Schema keyword -> qevcontract rule name (see results.CODES).
RULES = {
    "required": "required",
    "type": "type",
    "enum": "enum",
    "const": "const",
    "format": "format",
    "pattern": "pattern",
    "minLength": "length",
    "maxLength": "length",
    "minItems": "length",
    "maxItems": "length",
    "minProperties": "length",
    "maxProperties": "length",
    "minimum": "range",
    "maximum": "range",
    "exclusiveMinimum": "range",
    "exclusiveMaximum": "range",
    "multipleOf": "range",
    "additionalProperties": "unknown-property",
    "unevaluatedProperties": "unknown-property",
    "propertyNames": "attribute-name",
}


def show(value: Any, limit: int = 60) -> str:
    """A short, unambiguous rendering of a value for a message."""
    kind = type(value)
    if kind is int:  # what json.dumps writes for these, without its Python encoder
        text = int.__repr__(value)
    elif value is None or kind is bool:
        text = "null" if value is None else ("true" if value else "false")
    elif isinstance(value, str):
        text = repr(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def article(noun: str) -> str:
    """`an object`, `a string`."""
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def describe(
    keyword: str, path: tuple[str | int, ...], instance: Any, details: dict[str, Any]
) -> str:
    """The message for one failed keyword at `path` (the failing value's location)."""
    where = display_path(path)
    d = details
    if keyword == "required":
        return f"{display_path((*path, d['property']))}: required property is missing"
    if keyword == "enum":
        options = ", ".join(str(o) for o in d.get("options", []))
        return f"{where}: {show(instance)} is not one of {options}"
    if keyword == "const":
        return f"{where}: {show(instance)} should be {show(d.get('expected_value'))}"
    if keyword == "type":
        types = " or ".join(d.get("types", []))
        return f"{where}: {show(instance)} is {article(json_type(instance))}, expected {types}"
    if keyword == "format":
        return f"{where}: {show(instance)} is not a valid {d.get('format')}"
    if keyword == "pattern":
        pattern = d.get("pattern", "")
        wanted = _PATTERN_NAMES.get(pattern, f"the pattern {pattern}")
        return (
            f"{where}: {show(instance)} is not {wanted}"
            if pattern in _PATTERN_NAMES
            else (f"{where}: {show(instance)} does not match {wanted}")
        )
    if keyword == "propertyNames":
        return (
            f"{display_path((*path, d.get('property', '?')))}: attribute name is not "
            "lower-case letters and digits (CloudEvents 1.0)"
        )
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        return f"{where}: property is not in the contract (strict mode)"
    if keyword in ("minLength", "maxLength"):
        bound = "at least" if keyword == "minLength" else "at most"
        return f"{where}: {show(instance)} must be {bound} {d.get('limit')} character(s) long"
    if keyword in ("minItems", "maxItems", "minProperties", "maxProperties"):
        bound = "at least" if keyword.startswith("min") else "at most"
        what = "item(s)" if keyword.endswith("Items") else "propertie(s)"
        return f"{where}: must have {bound} {d.get('limit')} {what}"
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        op = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
        return f"{where}: {show(instance)} must be {op[keyword]} {d.get('limit')}"
    if keyword == "not":
        return (
            f"{where}: matches a combination the contract forbids (e.g. both data and data_base64)"
        )
    return f"{where}: fails '{keyword}'"
