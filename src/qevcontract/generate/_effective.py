"""One self-contained schema per event type: what a valid event must satisfy, in one place.

A contract is an `allOf` of the CloudEvents envelope, the Qlik extensions and the page's own
schema, linked by `$ref`s to shared files. Generators need a single tree instead: here the
`$ref`s are inlined (jsonschema-rs `dereference`, offline) and the `allOf` branches merged,
property by property, into the conjunction of their constraints.

A property that no value can satisfy (the task pages document an `eventType` attribute, whose
name CloudEvents forbids, and an `extensions` object, where CloudEvents only allows scalars)
is dropped from what gets generated and recorded in `dropped`: a generated valid event must
satisfy the whole contract, envelope included.

An `anyOf` is generated as its first option. Only the keywords the contract set uses are
understood; anything else is a `GenerationError`
naming the type and place, rather than a generator that silently emits invalid events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .._errors import first_line
from .._spec.cloudevents import PAYLOAD_MEMBERS
from ..contracts import Catalog
from ._errors import GenerationError

# Keywords that describe but do not constrain: kept (first one wins), never merged.
_ANNOTATIONS = frozenset(
    {
        "$id", "$schema", "$comment", "$defs", "definitions", "title", "description",
        "default", "examples", "deprecated", "readOnly", "writeOnly", "contentMediaType",
        "contentEncoding", "contentSchema",
    }
)  # fmt: skip
_LOWER_BOUNDS = frozenset({"minLength", "minItems", "minProperties", "minimum"})
_UPPER_BOUNDS = frozenset({"maxLength", "maxItems", "maxProperties", "maximum"})
_DEFERRED = frozenset({"properties", "additionalProperties", "propertyNames", "items"})
_ALL_TYPES = ("null", "boolean", "object", "array", "number", "integer", "string")


# Set on a merged node that holds the first option of an `anyOf`: a validator reports an
# event broken inside it at the `anyOf` (another option may still match), so the invalid
# event generator leaves such nodes alone.
ANY_OF_MARK = "x-qev-generated-option"


class Unsatisfiable(Exception):
    """No value satisfies the merged constraints; the message says why."""


@dataclass(frozen=True)
class EffectiveContract:
    """The merged schema of one event type and what generation makes of it.

    `generated` lists the top-level attributes a generated event may carry: the contract's
    own properties and everything required, minus `dropped` (pointer, reason) ones, plus
    `lifted`: members of a dropped object that the envelope knows as top-level extension
    attributes (the task pages nest `tenantid` and `userid` in an `extensions` object; in a
    CloudEvent they are top-level attributes, so that is where they are generated).
    """

    type: str
    schema: dict[str, Any]
    generated: tuple[str, ...]
    dropped: tuple[tuple[str, str], ...]
    lifted: tuple[str, ...]
    payload_documented: bool


def contract_registry(catalog: Catalog) -> Any:
    """The offline jsonschema-rs registry of the contract set, for `effective_contract`.

    Building it crawls every `$ref` in the set, so it is built once per generator (see
    `BulkGenerator`) rather than per type. A `$ref` the set cannot resolve is a
    `GenerationError` naming it, on one line.
    """
    import jsonschema_rs

    try:
        return catalog.rs_registry()
    except (jsonschema_rs.ReferencingError, ValueError) as exc:
        raise GenerationError(
            f"the contract set has a $ref it cannot resolve offline ({first_line(exc)})"
        ) from None


def effective_contract(
    catalog: Catalog, event_type: str, registry: Any = None
) -> EffectiveContract:
    """Dereference and merge the contract for `event_type` (raises on unknown types).

    `registry` is `contract_registry(catalog)`, built here when not given.
    """
    import jsonschema_rs

    entry = catalog.entry(event_type)
    contract = catalog.schema(event_type)
    try:
        if registry is None:
            registry = contract_registry(catalog)
        inlined = jsonschema_rs.dereference(contract, registry=registry, offline=True)
    except GenerationError as exc:
        raise GenerationError(f"{event_type}: cannot inline $refs: {exc}") from None
    except (jsonschema_rs.ReferencingError, ValueError) as exc:
        raise GenerationError(f"{event_type}: cannot inline $refs ({first_line(exc)})") from None
    dropped: list[tuple[str, str]] = []
    try:
        schema = _never_null(merge([inlined], "", dropped))
    except Unsatisfiable as exc:
        raise GenerationError(f"{event_type}: no event can satisfy the contract ({exc})") from None
    except GenerationError as exc:
        raise GenerationError(f"{event_type}: {exc}") from None
    own = contract.get("properties", {})
    required = list(schema.get("required", []))
    props = schema.get("properties", {})
    names = [n for n in dict.fromkeys([*own, *required]) if n in props]
    lifted = [
        member
        for pointer, _ in dropped
        if pointer.count("/") == 1
        for member in _members(own.get(pointer[1:]))
        if member in props and member not in names
    ]
    return EffectiveContract(
        type=event_type,
        schema=schema,
        generated=tuple(dict.fromkeys([*names, *lifted])),
        dropped=tuple(dropped),
        lifted=tuple(dict.fromkeys(lifted)),
        payload_documented=entry.payload_documented,
    )


def _never_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with `null` taken out of its attributes' types: the envelope accepts `null`
    for an OPTIONAL attribute because a consumer must read it as unset (CloudEvents JSON
    format, section 2.2), so a generated event leaves the attribute out instead."""
    for name, prop in schema.get("properties", {}).items():
        types = prop.get("type") if isinstance(prop, dict) else None
        if name not in PAYLOAD_MEMBERS and isinstance(types, list) and "null" in types:
            prop["type"] = [t for t in types if t != "null"]
            if not prop["type"]:
                raise Unsatisfiable(f"/{name}: only null is allowed, which is unset")
    return schema


def _members(schema: Any) -> list[str]:
    """The property names of a dropped top-level object, if it is one."""
    if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
        return list(schema["properties"])
    return []


# --------------------------------------------------------------------------------- merging


def _flatten(schemas: list[Any], where: str) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    stack = list(reversed(schemas))
    while stack:
        s = stack.pop()
        if s is True:
            continue
        if s is False:
            raise Unsatisfiable("the schema is `false`")
        if not isinstance(s, dict):
            raise GenerationError(f"{where or '/'}: a schema must be an object or a boolean")
        if "$ref" in s:
            raise GenerationError(f"{where or '/'}: $ref {s['$ref']} was not inlined")
        stack.extend(reversed(s.get("allOf", [])))
        # anyOf (a page's documented alternatives): generating one of them is enough, and
        # the first one is what the page lists first.
        part = {k: v for k, v in s.items() if k not in ("allOf", "anyOf")}
        if isinstance(s.get("anyOf"), list) and s["anyOf"]:
            stack.append(s["anyOf"][0])
            part[ANY_OF_MARK] = True
        parts.append(part)
    return parts


def _types(value: Any) -> set[str]:
    names = set(value if isinstance(value, list) else [value])
    if "number" in names:
        names.add("integer")
    return names


def _json_equal(a: Any, b: Any) -> bool:
    """JSON equality: unlike Python's, `true` is not `1`."""
    return (type(a) is type(b) and a == b) or (
        isinstance(a, (int, float))
        and isinstance(b, (int, float))
        and not isinstance(a, bool)
        and not isinstance(b, bool)
        and a == b
    )


def _has_type(value: Any, types: set[str]) -> bool:
    if value is None:
        return "null" in types
    if isinstance(value, bool):
        return "boolean" in types
    if isinstance(value, int):
        return "integer" in types or "number" in types
    if isinstance(value, float):
        return "number" in types or ("integer" in types and value.is_integer())
    if isinstance(value, str):
        return "string" in types
    if isinstance(value, list):
        return "array" in types
    return "object" in types


def merge(schemas: list[Any], where: str, dropped: list[tuple[str, str]]) -> dict[str, Any]:
    """The conjunction of `schemas` as one schema (raises `Unsatisfiable` if empty)."""
    parts = _flatten(schemas, where)
    out: dict[str, Any] = {}
    types: set[str] | None = None
    declared: list[str] = []
    nots: list[Any] = []
    for part in parts:
        for key, value in part.items():
            if key in _ANNOTATIONS or key.startswith("x-"):
                out.setdefault(key, value)
            elif key == "type":
                types = _types(value) if types is None else types & _types(value)
                declared.append(" or ".join(value) if isinstance(value, list) else value)
            elif key == "const":
                if "const" in out and not _json_equal(out["const"], value):
                    raise Unsatisfiable(f"two different constants {out['const']!r}, {value!r}")
                out["const"] = value
            elif key == "enum":
                prev = out.get("enum")
                out["enum"] = (
                    list(value)
                    if prev is None
                    else [v for v in prev if any(_json_equal(v, w) for w in value)]
                )
            elif key in ("format", "pattern"):
                if key in out and out[key] != value:
                    raise GenerationError(
                        f"{where or '/'}: two different {key}s ({out[key]!r}, {value!r}) "
                        "are not supported"
                    )
                out[key] = value
            elif key in _LOWER_BOUNDS:
                out[key] = max(out.get(key, value), value)
            elif key in _UPPER_BOUNDS:
                out[key] = min(out.get(key, value), value)
            elif key == "required":
                out["required"] = list(dict.fromkeys([*out.get("required", []), *value]))
            elif key == "not":
                nots.append(value)
            elif key in _DEFERRED:
                pass
            else:
                raise GenerationError(
                    f"{where or '/'}: keyword {key!r} is not supported by the generator"
                )
    if types is not None:
        if not types:
            raise Unsatisfiable(f"no JSON type satisfies all of: {'; '.join(declared)}")
        out["type"] = [t for t in _ALL_TYPES if t in types]
    _check_values(out)
    if nots:
        out["not"] = nots
    object_parts = [p for p in parts if any(k in p for k in _DEFERRED if k != "items")]
    if object_parts:
        _merge_object(out, object_parts, where, dropped)
    item_parts = [p["items"] for p in parts if "items" in p]
    if item_parts:
        out["items"] = merge(item_parts, f"{where}/items", dropped)
    return out


def _check_values(out: dict[str, Any]) -> None:
    """Narrow `const`/`enum` to the allowed types; empty means unsatisfiable."""
    types = set(out.get("type", _ALL_TYPES))
    if "const" in out:
        if not _has_type(out["const"], types):
            raise Unsatisfiable(f"the constant {out['const']!r} has a type the schema forbids")
        if "enum" in out and not any(_json_equal(out["const"], v) for v in out["enum"]):
            raise Unsatisfiable(f"the constant {out['const']!r} is not in the enum")
    if "enum" in out:
        out["enum"] = [v for v in out["enum"] if _has_type(v, types)]
        if not out["enum"]:
            raise Unsatisfiable("no enum value has an allowed type")


def _name_pattern(part: dict[str, Any], where: str) -> str | None:
    """The `propertyNames` pattern of a part; other name constraints are not supported."""
    names = part.get("propertyNames")
    if names is None or names is True:
        return None
    if not isinstance(names, dict) or set(names) - {"pattern"}:
        raise GenerationError(f"{where or '/'}: propertyNames other than a pattern")
    pattern: str = names["pattern"]
    return pattern


def _merge_object(
    out: dict[str, Any],
    parts: list[dict[str, Any]],
    where: str,
    dropped: list[tuple[str, str]],
) -> None:
    names: list[str] = []
    for part in parts:
        names.extend(part.get("properties", {}))
    required = set(out.get("required", []))
    merged_props: dict[str, Any] = {}
    for name in dict.fromkeys(names):
        pointer = f"{where}/{name}"
        subs: list[Any] = []
        reason = None
        for part in parts:
            props = part.get("properties", {})
            if name in props:
                subs.append(props[name])
            elif "additionalProperties" in part:
                subs.append(part["additionalProperties"])
            pattern = _name_pattern(part, where)
            if pattern is not None and re.search(pattern, name) is None:
                reason = f"the name does not match the required pattern {pattern}"
        try:
            if reason is not None:
                raise Unsatisfiable(reason)
            merged_props[name] = merge(subs, pointer, dropped)
        except Unsatisfiable as exc:
            if name in required:
                raise Unsatisfiable(f"required property {pointer}: {exc}") from None
            dropped.append((pointer, str(exc)))
    out["properties"] = merged_props
    extra = [p["additionalProperties"] for p in parts if "additionalProperties" in p]
    if extra:
        try:
            out["additionalProperties"] = merge(extra, f"{where}/additionalProperties", dropped)
        except Unsatisfiable:
            out["additionalProperties"] = False
