"""Comparing two schema definitions of "the same thing" and saying how they differ.

Descriptions are ignored: these helpers answer "would an event valid under one be valid
under the other", in words a person can act on ("required here only: tenantid").
"""

from __future__ import annotations

import json
from typing import Any

from ..._schema_keywords import DEFINITIONS, MAPS

# Keywords that change what a definition accepts or promises.
_CONSTRAINTS = (
    "type", "enum", "const", "format", "pattern", "default", "minLength", "maxLength",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems",
    "maxItems", "uniqueItems", "deprecated", "x-qev-truncated", "x-qev-untyped",
    "x-qev-items-undefined", "x-qev-items-undocumented",
)  # fmt: skip
_MAX_DETAILS = 6


def signature(schema: Any) -> str:
    """A canonical text of what a definition accepts (descriptions and titles left out)."""
    return json.dumps(_strip(schema), sort_keys=True)


_ANNOTATIONS = ("description", "title", "examples", "x-qev-named-type")
# Keywords whose value maps names (which may be "title" or "description") to subschemas.
_NAME_MAPS = (*MAPS, DEFINITIONS)


def _strip(node: Any) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for k, v in node.items():
            if k in _ANNOTATIONS:
                continue
            if k in _NAME_MAPS and isinstance(v, dict):
                out[k] = {name: _strip(sub) for name, sub in v.items()}
            else:
                out[k] = _strip(v)
        return out
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def property_names(schema: dict[str, Any]) -> list[str]:
    props = schema.get("properties")
    return list(props) if isinstance(props, dict) else []


def differences(here: dict[str, Any], there: dict[str, Any], prefix: str = "") -> list[str]:
    """How `here` differs from `there`, at most a handful of items, most telling first."""
    out: list[str] = []
    _compare(here, there, prefix, out)
    if len(out) > _MAX_DETAILS:
        out = [*out[:_MAX_DETAILS], f"and {len(out) - _MAX_DETAILS} more"]
    return out


def _compare(here: dict[str, Any], there: dict[str, Any], prefix: str, out: list[str]) -> None:
    for keyword in _CONSTRAINTS:
        a, b = here.get(keyword), there.get(keyword)
        if a != b:
            out.append(f"{prefix or '(itself)'} {keyword}: {_show(a)} here, {_show(b)} there")
    here_props, there_props = _props(here), _props(there)
    only_here = [p for p in here_props if p not in there_props]
    only_there = [p for p in there_props if p not in here_props]
    where = f" in {prefix}" if prefix else ""
    if only_here:
        out.append(f"only here{where}: {', '.join(only_here)}")
    if only_there:
        out.append(f"missing here{where}: {', '.join(only_there)}")
    req_here, req_there = _required(here), _required(there)
    if req_here - req_there:
        out.append(f"required here only{where}: {', '.join(sorted(req_here - req_there))}")
    if req_there - req_here:
        out.append(f"optional here only{where}: {', '.join(sorted(req_there - req_here))}")
    for name in here_props:
        if name in there_props:
            _compare(here_props[name], there_props[name], _join(prefix, name), out)
    items_here, items_there = here.get("items"), there.get("items")
    if isinstance(items_here, dict) and isinstance(items_there, dict):
        _compare(items_here, items_there, f"{prefix}[]", out)


def _props(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    props = schema.get("properties")
    if not isinstance(props, dict):
        return {}
    return {k: v for k, v in props.items() if isinstance(v, dict)}


def _required(schema: dict[str, Any]) -> set[str]:
    req = schema.get("required")
    return {r for r in req if isinstance(r, str)} if isinstance(req, list) else set()


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _show(value: Any) -> str:
    if value is None:
        return "absent"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 50 else text[:47] + "..."


def shallow_signature(schema: dict[str, Any]) -> tuple[tuple[Any, ...], ...] | None:
    """The object's own property list with types, enums and required flags; None if unknown.

    None for an object whose properties the page does not give (truncated, or no table):
    such an object neither agrees nor disagrees with another definition.
    """
    props = _props(schema)
    if not props:
        return None
    required = _required(schema)
    return tuple(
        (
            name,
            sub.get("type"),
            tuple(sub["enum"]) if isinstance(sub.get("enum"), list) else None,
            sub.get("format"),
            name in required,
        )
        for name, sub in sorted(props.items())
    )
