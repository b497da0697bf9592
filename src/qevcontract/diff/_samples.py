"""Candidate values for a JSON Schema: a small, deterministic generator for witness search.

It aims for values that *probably* satisfy the schema: every candidate is validated afterwards,
so the generator may be wrong, never the witness. It understands what the canonical algebra
emits (type lists, bounds, formats, patterns, `required`, `properties: {x: false}`, `anyOf`)
and ignores `not`, leaving it to the validator. No randomness: the same schema gives the
same candidates, so witnesses are reproducible.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from .._regex_sample import regex_samples
from ._nodes import mapping

FORMAT_SAMPLES = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05Z",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com/a",
    "iri": "https://example.com/a",
    "uri-reference": "/a",
    "iri-reference": "/a",
    "uri-template": "https://example.com/{id}",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
    "json-pointer": "/a",
    "relative-json-pointer": "0/a",
    "regex": "^a$",
}
# Plain strings, last ones chosen to fail common formats (URIs, dates, e-mail).
PLAIN_STRINGS = ("x", "string", "", "A1", "0", "two words", "%zz [x]")
ANY_VALUES: tuple[Any, ...] = ("x", 0, True, None, {}, [], 0.5)
TYPES = ("string", "integer", "number", "boolean", "null", "object", "array")
MAX_DEPTH = 8


def samples(schema: Any, limit: int = 16) -> list[Any]:
    """Up to `limit` distinct candidate values for `schema`, most plausible first."""
    return _distinct(_values(schema, 0), limit)


def _distinct(values: Iterable[Any], limit: int) -> list[Any]:
    seen: set[str] = set()
    out: list[Any] = []
    for value in values:
        key = json.dumps(value, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            out.append(value)
            if len(out) >= limit:
                break
    return out


def _values(schema: Any, depth: int) -> Iterator[Any]:
    if schema is True or schema == {}:
        yield from ANY_VALUES
        return
    if schema is False or not isinstance(schema, dict) or depth > MAX_DEPTH:
        return
    schema = _merge_all_of(schema)
    if schema is False:
        return
    if "const" in schema:
        yield schema["const"]
        return
    if isinstance(schema.get("enum"), list):
        yield from schema["enum"]
        return
    branches = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(branches, list):
        base = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
        streams = [_values(_merge(base, b), depth + 1) for b in branches]
        yield from _interleave(streams)
        return
    streams = [_typed(t, schema, depth) for t in _types(schema)]
    yield from _interleave(streams)


def _interleave(streams: list[Iterator[Any]]) -> Iterator[Any]:
    while streams:
        alive = []
        for stream in streams:
            value = next(stream, _END)
            if value is not _END:
                yield value
                alive.append(stream)
        streams = alive


_END = object()


def _types(schema: dict[str, Any]) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [t for t in declared if t in TYPES]
    hints = [
        ("object", ("properties", "required", "additionalProperties", "minProperties")),
        ("array", ("items", "prefixItems", "minItems", "contains", "uniqueItems")),
        ("string", ("minLength", "maxLength", "pattern", "format")),
        ("number", ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")),
    ]
    found = [t for t, keys in hints if any(k in schema for k in keys)]
    return found or ["string", "integer", "boolean", "null", "object", "array", "number"]


def _typed(kind: str, schema: dict[str, Any], depth: int) -> Iterator[Any]:
    if kind == "string":
        return _strings(schema)
    if kind in ("integer", "number"):
        return _numbers(schema, integer=kind == "integer")
    if kind == "boolean":
        return iter((True, False))
    if kind == "null":
        return iter((None,))
    if kind == "array":
        return _arrays(schema, depth)
    return _objects(schema, depth)


# ----------------------------------------------------------------------------- strings


def _strings(schema: dict[str, Any]) -> Iterator[str]:
    lo = _int(schema.get("minLength"), 0)
    hi = _int(schema.get("maxLength"), None)
    raw: list[str] = []
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in FORMAT_SAMPLES:
        raw.append(FORMAT_SAMPLES[fmt])
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        raw.extend(regex_samples(pattern))
    raw.extend(PLAIN_STRINGS)
    for s in raw:
        if len(s) < lo:
            s = s + "x" * (lo - len(s))
        if hi is not None and len(s) > hi:
            s = s[:hi]
        yield s


# ----------------------------------------------------------------------------- numbers


def _numbers(schema: dict[str, Any], *, integer: bool) -> Iterator[int | float]:
    lo, lo_strict = _bound(schema, "minimum", "exclusiveMinimum", max)
    hi, hi_strict = _bound(schema, "maximum", "exclusiveMaximum", min)
    raw_step = schema.get("multipleOf")
    step: float | None = None
    if isinstance(raw_step, int | float) and not isinstance(raw_step, bool) and raw_step > 0:
        step = float(raw_step)
    picks: list[float] = [0, 1, -1, 2, 42, 0.5, 1.5, -0.5]
    for edge in (lo, hi):
        if edge is not None:
            picks += [edge, edge + 1, edge - 1, edge + 0.5, edge - 0.5]
    if step is not None:  # multiples first, then the rest
        start = lo if lo is not None else 0
        base = math.ceil(start / step) * step
        picks = [base + step * k for k in range(6)] + [step * k for k in range(-2, 6)] + picks
    for value in picks:
        if integer and value != int(value):
            continue
        if step is not None and abs(value / step - round(value / step)) > 1e-9:
            continue
        if lo is not None and (value < lo or (lo_strict and value == lo)):
            continue
        if hi is not None and (value > hi or (hi_strict and value == hi)):
            continue
        yield int(value) if value == int(value) else value


def _bound(schema: dict[str, Any], inclusive: str, exclusive: str, pick: Any) -> Any:
    candidates = []
    if isinstance(schema.get(inclusive), int | float):
        candidates.append((schema[inclusive], False))
    if isinstance(schema.get(exclusive), int | float):
        candidates.append((schema[exclusive], True))
    if not candidates:
        return None, False
    value = pick(v for v, _ in candidates)
    return value, any(strict for v, strict in candidates if v == value)


# ----------------------------------------------------------------------------- arrays


def _arrays(schema: dict[str, Any], depth: int) -> Iterator[list[Any]]:
    lo = _int(schema.get("minItems"), 0)
    hi = _int(schema.get("maxItems"), None)
    prefix = [samples_at(p, depth) for p in schema.get("prefixItems", [])]
    if any(not p for p in prefix):
        return
    items_schema = schema.get("items", True)
    items = samples_at(items_schema, depth, 4) if items_schema is not False else []
    contains = schema.get("contains")
    needed = list(samples_at(contains, depth, 2)) if isinstance(contains, dict | bool) else []
    head = [p[0] for p in prefix]
    shapes: list[list[Any]] = []
    if not needed and lo <= len(head):
        shapes.append(list(head))
    fill = items or ([] if items_schema is False else ["x"])
    for extra in ([0], [0, 1], [0, 0], [0, 1, 2]):
        if not fill:
            break
        body = head + [fill[i % len(fill)] for i in extra]
        if needed:
            body = [*head, needed[0], *body[len(head) :]]
        shapes.append(body)
    for shape in shapes:
        while len(shape) < lo and fill:
            shape.append(fill[len(shape) % len(fill)])
        if hi is not None and len(shape) > hi:
            continue
        if len(shape) >= lo:
            yield shape


# ----------------------------------------------------------------------------- objects


def _objects(schema: dict[str, Any], depth: int) -> Iterator[dict[str, Any]]:
    props = mapping(schema, "properties")
    required = [r for r in schema.get("required", []) if isinstance(r, str)]
    allowed = [k for k, v in props.items() if v is not False]
    per_name = {name: samples_at(_schema_for(schema, name), depth, 3) for name in required}
    if any(not v for v in per_name.values()):
        return
    optional = [k for k in allowed if k not in per_name]
    opt_values = {k: samples_at(props[k], depth, 3) for k in optional}
    variants: list[dict[str, Any]] = []
    for i in range(3):
        variants.append({k: v[min(i, len(v) - 1)] for k, v in per_name.items()})
    full = dict(variants[0])
    full.update({k: v[0] for k, v in opt_values.items() if v})
    variants.insert(1, full)
    for k, values in opt_values.items():
        for value in values[:2]:
            variants.append({**variants[0], k: value})
    lo = _int(schema.get("minProperties"), 0)
    hi = _int(schema.get("maxProperties"), None)
    deps = mapping(schema, "dependentRequired")
    for obj in variants:
        for key, needs in deps.items():
            if key in obj and isinstance(needs, list):
                for need in needs:
                    if need not in obj:
                        obj[need] = next(iter(samples_at(_schema_for(schema, need), depth, 1)), "x")
        filler = _filler_names(schema)
        while len(obj) < lo:
            name = next(filler, None)
            if name is None:
                break
            obj[name] = next(iter(samples_at(_schema_for(schema, name), depth, 1)), "x")
        if hi is not None and len(obj) > hi:
            continue
        yield obj
    # One undeclared key of each plausible name and JSON type: what an open, closed or
    # name-restricted object disagrees about (`not` is left to the validator).
    if variants and (hi is None or len(variants[0]) < hi):
        for name in _extra_names(schema):
            if name in props:
                continue
            for value in ANY_VALUES:
                yield {**variants[0], name: value}


def _schema_for(schema: dict[str, Any], name: str) -> Any:
    props = mapping(schema, "properties")
    if name in props:
        return props[name]
    for pattern, sub in (schema.get("patternProperties") or {}).items():
        try:
            if re.search(pattern, name):
                return sub
        except re.error:
            continue
    return schema.get("additionalProperties", True)


def _extra_names(schema: dict[str, Any]) -> list[str]:
    """Names to try as an undeclared key, including ones a negated pattern cares about."""
    scopes = [schema, schema.get("not")]
    scopes += [b.get("not") for b in schema.get("allOf") or [] if isinstance(b, dict)]
    patterns = [p for s in scopes if isinstance(s, dict) for p in s.get("patternProperties") or {}]
    names = [n for p in patterns for n in regex_samples(p)[:1]]
    return [*names, "x1", "qevwitness", "X-1", "1"]


def _filler_names(schema: dict[str, Any]) -> Iterator[str]:
    for pattern in schema.get("patternProperties") or {}:
        yield from regex_samples(pattern)
    for i in range(1, 50):
        yield f"x{i}"


def samples_at(schema: Any, depth: int, limit: int = 6) -> list[Any]:
    """Samples for a nested schema, fewer and shallower than at the top."""
    return _distinct(islice(_values(schema, depth + 1), limit * 4), limit)


# ----------------------------------------------------------------------------- allOf


def _merge_all_of(schema: dict[str, Any]) -> Any:
    branches = schema.get("allOf")
    if not isinstance(branches, list):
        return schema
    merged: Any = {k: v for k, v in schema.items() if k != "allOf"}
    for branch in branches:
        merged = _merge(merged, branch)
        if merged is False:
            return False
    return _merge_all_of(merged) if isinstance(merged, dict) and "allOf" in merged else merged


def _merge(a: Any, b: Any) -> Any:
    """A schema admitting (roughly) what both admit; exactness is left to the validator."""
    if a is False or b is False:
        return False
    if a is True or a == {}:
        return b
    if b is True or b == {}:
        return a
    if not isinstance(a, dict) or not isinstance(b, dict):
        return a
    out = dict(a)
    for key, value in b.items():
        if key not in out:
            out[key] = value
        elif key == "required":
            out[key] = list(dict.fromkeys([*out[key], *value]))
        elif key in ("properties", "patternProperties") and isinstance(value, dict):
            merged = dict(out[key])
            for name, sub in value.items():
                merged[name] = _merge(merged[name], sub) if name in merged else sub
            out[key] = merged
        elif key == "type":
            left = {out[key]} if isinstance(out[key], str) else set(out[key])
            right = {value} if isinstance(value, str) else set(value)
            if "number" in left and "integer" in right:
                left.add("integer")
            if "number" in right and "integer" in left:
                right.add("integer")
            both = [t for t in TYPES if t in left & right]
            if not both:
                return False
            out[key] = both
        elif key == "allOf":
            out[key] = [*out[key], *value]
        elif key in ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum"):
            out[key] = max(out[key], value)
        elif key in ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum"):
            out[key] = min(out[key], value)
        elif key == "enum" and isinstance(value, list):
            out[key] = [v for v in out[key] if v in value]
        elif key in ("anyOf", "oneOf") and isinstance(value, list):
            # Both sides branch: a value must satisfy one branch of each.
            pairs = [{"allOf": [x, y]} for x in out[key] for y in value]
            out[key] = pairs[:16]
        elif key in ("items", "additionalProperties", "propertyNames", "contains"):
            out[key] = _merge(out[key], value)
    return out


def _int(value: Any, default: int | None) -> Any:
    return value if isinstance(value, int) and not isinstance(value, bool) else default
