"""Facts about schema nodes that the walk, the witness search and the reports share.

JSON equality, "accepts anything", what a node says about a property it does not declare,
which differences sit under monotone keywords only, how composition branches pair up,
and how an instance path reads.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .. import _pointer
from .._schema_keywords import LISTS, MAPS, SINGLE


def mapping(node: dict[str, Any], key: str) -> dict[str, Any]:
    """`node[key]` when it is an object, else {}: contracts may hold anything."""
    value = node.get(key)
    return value if isinstance(value, dict) else {}


def sequence(node: dict[str, Any], key: str) -> list[Any]:
    """`node[key]` when it is an array, else []."""
    value = node.get(key)
    return value if isinstance(value, list) else []


# Instance-path segments: ("p", name) property, ("i",) any item, ("n", k) item k,
# ("a",) an undeclared property, ("k", pattern) a property matching a pattern, ("names",).
Segment = tuple[Any, ...]

ANNOTATION_KEYS = (
    "title",
    "description",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "$schema",
)
ROOT_BOOKKEEPING = ("x-qev-provenance", "x-qev-event")
# Keywords the site search can look through without losing monotonicity.
MONOTONE_MAPS = ("properties", "patternProperties", "dependentSchemas")
MONOTONE_LISTS = ("allOf", "anyOf", "prefixItems")
MONOTONE_SINGLE = ("items", "additionalProperties", "contains", "propertyNames")


def is_annotation(key: str) -> bool:
    return key in ANNOTATION_KEYS or key.startswith("x-")


def format_instance(path: tuple[Segment, ...]) -> str:
    """An instance path for people: /data/items/*; "" is the event itself."""
    parts = []
    for seg in path:
        tag = seg[0]
        if tag == "p":
            parts.append(esc(str(seg[1])))
        elif tag == "n":
            parts.append(str(seg[1]))
        elif tag == "i":
            parts.append("*")
        elif tag == "a":
            parts.append("{other}")
        elif tag == "k":
            parts.append("{~" + str(seg[1]) + "}")
        else:
            parts.append("{name}")
    return "/" + "/".join(parts) if parts else ""


def norm(schema: Any) -> Any:
    if schema is True:
        return {}
    if schema is False or isinstance(schema, dict):
        return schema
    return {}


def trivial(schema: Any) -> bool:
    """Accepts everything (true, {} or annotations only)."""
    if schema is True:
        return True
    return isinstance(schema, dict) and all(is_annotation(k) for k in schema)


ABSENT = object()


def schema_children(
    o: dict[str, Any], n: dict[str, Any]
) -> list[tuple[tuple[str | int, ...], tuple[Any, Any]]]:
    """(step, (old child, new child)) for every subschema of two equal schema nodes."""
    out: list[tuple[tuple[str | int, ...], tuple[Any, Any]]] = []
    for key, value in o.items():
        other = n.get(key)
        if key in SINGLE and isinstance(value, dict):
            out.append(((key,), (value, other)))
        elif key in LISTS and isinstance(value, list) and isinstance(other, list):
            out += [((key, i), (v, other[i])) for i, v in enumerate(value) if isinstance(v, dict)]
        elif key in MAPS and isinstance(value, dict) and isinstance(other, dict):
            out += [((key, k), (v, other[k])) for k, v in value.items() if isinstance(v, dict)]
    return out


def segment_for(step: tuple[str | int, ...]) -> Segment | None:
    key = step[0]
    if key == "properties":
        return ("p", step[1])
    if key in ("items", "contains"):
        return ("i",)
    if key == "prefixItems":
        return ("n", step[1])
    if key == "additionalProperties":
        return ("a",)
    if key == "patternProperties":
        return ("k", step[1])
    if key == "propertyNames":
        return ("names",)
    return None


def same(a: Any, b: Any) -> bool:
    """JSON equality: unlike ==, 1 and true differ (1 and 1.0 do not)."""
    if a is ABSENT or b is ABSENT:
        return a is b
    return bool(a == b) and json_key(a) == json_key(b)


def json_key(value: Any) -> str:
    """JSON-equality key: 1 and 1.0 are the same JSON number; true and 1 are not."""

    def canon(v: Any) -> Any:
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, dict):
            return {k: canon(x) for k, x in v.items()}
        if isinstance(v, list):
            return [canon(x) for x in v]
        return v

    return json.dumps(canon(value), sort_keys=True)


def extend_loc(loc: tuple[str, str], step: tuple[str | int, ...]) -> tuple[str, str]:
    file, pointer = loc
    return file, pointer + "".join(f"/{esc(str(s))}" for s in step)


esc = _pointer.escape


def effective_schema(node: dict[str, Any], name: str) -> Any:
    """What a node says about a property `name` it does not declare."""
    patterns = mapping(node, "patternProperties")
    matching = []
    for pattern, sub in patterns.items():
        try:
            if re.search(pattern, name):
                matching.append(sub)
        except re.error:
            continue
    if matching:
        return matching[0] if len(matching) == 1 else {"allOf": matching}
    if "additionalProperties" in node:
        return node["additionalProperties"]
    return node.get("unevaluatedProperties") is not False


@dataclass
class Said:
    """What a whole contract says about the property names of the objects at one place."""

    names: set[str] = field(default_factory=set)  # declared, required or depended on
    patterns: list[str] = field(default_factory=list)
    catch_all: bool = False  # some branch constrains undeclared names


def said_about_names(root: Any) -> dict[tuple[Segment, ...], Said]:
    """For every instance path, every branch's word on property names (allOf, anyOf, ...)."""
    said: dict[tuple[Segment, ...], Said] = {}
    stack: list[tuple[Any, tuple[Segment, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if not isinstance(node, dict):
            continue
        here = said.setdefault(path, Said())
        props = mapping(node, "properties")
        here.names.update(props)
        here.names.update(r for r in sequence(node, "required") if isinstance(r, str))
        for key, needs in mapping(node, "dependentRequired").items():
            here.names.add(key)
            if isinstance(needs, list):
                here.names.update(n for n in needs if isinstance(n, str))
        here.patterns.extend(mapping(node, "patternProperties"))
        for keyword in ("additionalProperties", "unevaluatedProperties"):
            if keyword in node and not trivial(node[keyword]):
                here.catch_all = True
        stack += [(sub, (*path, ("p", name))) for name, sub in props.items()]
        stack += [(sub, (*path, ("k", p))) for p, sub in mapping(node, "patternProperties").items()]
        for keyword in ("allOf", "anyOf", "oneOf"):
            stack += [(sub, path) for sub in sequence(node, keyword)]
        stack += [(node.get(k), path) for k in ("not", "if", "then", "else")]
        stack += [(sub, path) for sub in mapping(node, "dependentSchemas").values()]
        stack += [(node.get(k), (*path, ("i",))) for k in ("items", "contains")]
        stack += [(sub, (*path, ("n", i))) for i, sub in enumerate(sequence(node, "prefixItems"))]
        stack.append((node.get("additionalProperties"), (*path, ("a",))))
    return said


def matches(pattern: str, name: str) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return True  # a pattern we cannot read might match: assume it does


def open_for(node: dict[str, Any], name: str) -> bool:
    """Whether removing the declaration of `name` leaves it unconstrained in `node`."""
    if "unevaluatedProperties" in node:
        return False
    return trivial(effective_schema({k: v for k, v in node.items() if k != "properties"}, name))


def can_descend(o: dict[str, Any], n: dict[str, Any], differing: set[str]) -> bool:
    """Whether every difference sits inside a monotone subschema both sides have."""
    if {"unevaluatedProperties", "unevaluatedItems"} & (o.keys() | n.keys()):
        return False
    for key in differing:
        ov, nv = o.get(key), n.get(key)
        if key in MONOTONE_MAPS:
            if not (isinstance(ov, dict) and isinstance(nv, dict) and ov.keys() == nv.keys()):
                return False
        elif key in MONOTONE_LISTS:
            if not (isinstance(ov, list) and isinstance(nv, list) and len(ov) == len(nv)):
                return False
        elif key in MONOTONE_SINGLE:
            if not (isinstance(ov, dict) and isinstance(nv, dict)):
                return False
        else:
            return False
    return True


def pair_branches(
    old: list[Any], new: list[Any]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair composition branches: identical ones first, then the rest by position."""
    pairs: list[tuple[int, int]] = []
    free_new = list(range(len(new)))
    free_old = []
    for i, branch in enumerate(old):
        match = next((j for j in free_new if new[j] == branch), None)
        if match is None:
            free_old.append(i)
        else:
            pairs.append((i, match))
            free_new.remove(match)
    while free_old and free_new:
        pairs.append((free_old.pop(0), free_new.pop(0)))
    return sorted(pairs), free_old, free_new
