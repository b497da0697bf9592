"""Leaf keyword comparisons: one schema node against its counterpart, no recursion.

Each function returns `Finding`s: a change kind, the keyword it sits on, a short message and
the old and new values. The structural walk places them (file, pointer, instance path) and
applies the context (a change under `not` flips). An impact given here overrides the kind's
default, for changes whose direction depends on the values (`multipleOf`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from ._model import Impact
from ._nodes import json_key, mapping

JSON_TYPES = ("null", "boolean", "object", "array", "number", "integer", "string")


@dataclass(frozen=True)
class Finding:
    kind: str
    keyword: str  # JSON pointer suffix below the node, e.g. "/required"
    message: str
    old: Any = None
    new: Any = None
    impact: Impact | None = None
    removed: bool = False  # located in the old contract (the keyword is gone from the new)


def compare_leaves(o: dict[str, Any], n: dict[str, Any]) -> list[Finding]:
    """Every leaf-keyword change between two schema nodes."""
    out: list[Finding] = []
    out += types(o, n)
    out += values(o, n)
    out += lengths(o, n)
    out += patterns_and_formats(o, n)
    out += numeric_bounds(o, n)
    out += multiple_of(o, n)
    out += array_scalars(o, n)
    out += object_scalars(o, n)
    return out


# ------------------------------------------------------------------------------- types


def _type_set(node: dict[str, Any]) -> set[str] | None:
    declared = node.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {t for t in declared if isinstance(t, str)}
    return None


def _covered(t: str, types: set[str]) -> bool:
    return t in types or (t == "integer" and "number" in types)


def types(o: dict[str, Any], n: dict[str, Any]) -> list[Finding]:
    old, new = _type_set(o), _type_set(n)
    if old == new:
        return []
    if old is None and new is not None:
        pinned = _values_of(o)
        if pinned is not None and all(_json_type_in(v, new) for v in pinned):
            return []  # the enum/const already allowed only these types
        return [
            Finding(
                "type-constraint-added", "/type", f"type now {_fmt_types(new)}", None, n["type"]
            )
        ]
    if new is None and old is not None:
        return [
            Finding(
                "type-constraint-removed",
                "/type",
                "any JSON type allowed",
                o["type"],
                None,
                removed=True,
            )
        ]
    assert old is not None and new is not None
    lost = sorted(t for t in old if not _covered(t, new))
    gained = sorted(t for t in new if not _covered(t, old))
    text = f"type {_fmt_types(old)} -> {_fmt_types(new)}"
    if lost and gained:
        return [Finding("type-changed", "/type", text, o["type"], n["type"])]
    if lost:
        return [
            Finding(
                "type-narrowed",
                "/type",
                f"{text} ({', '.join(lost)} no longer allowed)",
                o["type"],
                n["type"],
            )
        ]
    if gained:
        return [
            Finding(
                "type-widened",
                "/type",
                f"{text} ({', '.join(gained)} now allowed)",
                o["type"],
                n["type"],
            )
        ]
    return []


def _fmt_types(types: set[str]) -> str:
    ordered = [t for t in JSON_TYPES if t in types]
    return ordered[0] if len(ordered) == 1 else "[" + ", ".join(ordered) + "]"


def _json_type_in(value: Any, types: set[str]) -> bool:
    if value is None:
        return "null" in types
    if isinstance(value, bool):
        return "boolean" in types
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return bool(types & {"integer", "number"})
    if isinstance(value, float):
        return "number" in types
    if isinstance(value, str):
        return "string" in types
    if isinstance(value, list):
        return "array" in types
    return "object" in types


# ------------------------------------------------------------------------------ values


def _values_of(node: dict[str, Any]) -> list[Any] | None:
    if isinstance(node.get("enum"), list):
        return list(node["enum"])
    if "const" in node:
        return [node["const"]]
    return None


def values(o: dict[str, Any], n: dict[str, Any]) -> list[Finding]:
    old, new = _values_of(o), _values_of(n)
    if old is None and new is None:
        return []
    if old is None:
        assert new is not None
        if "const" in n and "enum" not in n:
            return [
                Finding(
                    "const-added",
                    "/const",
                    f"value pinned to {_show(n['const'])}",
                    None,
                    n["const"],
                )
            ]
        return [Finding("enum-added", "/enum", f"only {_show_list(new)} allowed", None, new)]
    if new is None:
        if "const" in o and "enum" not in o:
            return [
                Finding(
                    "const-removed",
                    "/const",
                    f"no longer pinned to {_show(o['const'])}",
                    o["const"],
                    None,
                    removed=True,
                )
            ]
        return [
            Finding(
                "enum-removed",
                "/enum",
                f"no longer limited to {_show_list(old)}",
                old,
                None,
                removed=True,
            )
        ]
    old_keys = {json_key(v): v for v in old}
    new_keys = {json_key(v): v for v in new}
    if old_keys.keys() == new_keys.keys():
        return []
    keyword = "/const" if "const" in n and "enum" not in n else "/enum"
    if len(old) == 1 and len(new) == 1 and "const" in o and "const" in n:
        return [
            Finding(
                "const-changed",
                "/const",
                f"const {_show(o['const'])} -> {_show(n['const'])}",
                o["const"],
                n["const"],
            )
        ]
    out = [
        Finding("enum-value-removed", keyword, f"value {_show(v)} no longer allowed", v, None)
        for k, v in old_keys.items()
        if k not in new_keys
    ]
    out += [
        Finding("enum-value-added", keyword, f"value {_show(v)} now allowed", None, v)
        for k, v in new_keys.items()
        if k not in old_keys
    ]
    return out


def _show(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _show_list(values: list[Any]) -> str:
    return _show(values)


# ---------------------------------------------------------------------- scalar bounds


def _count(
    o: dict[str, Any],
    n: dict[str, Any],
    keyword: str,
    *,
    lower: bool,
    tighter: str,
    looser: str,
    noun: str,
    default: int | None,
) -> list[Finding]:
    """A count bound (minLength, maxItems, ...): absent means `default` (None = unbounded)."""
    ov = o.get(keyword, default)
    nv = n.get(keyword, default)
    if not _is_number(ov):
        ov = default
    if not _is_number(nv):
        nv = default
    if ov == nv:
        return []
    # A lower bound narrows when it rises; an upper bound when it appears or falls.
    narrowed = (nv or 0) > (ov or 0) if lower else ov is None or (nv is not None and nv < ov)
    kind = tighter if narrowed else looser
    gone = keyword not in n
    text = f"{noun} {keyword} {_bound_text(ov)} -> {_bound_text(nv)}"
    return [Finding(kind, f"/{keyword}", text, o.get(keyword), n.get(keyword), removed=gone)]


def _bound_text(value: Any) -> str:
    return "none" if value is None else str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def lengths(o: dict[str, Any], n: dict[str, Any]) -> list[Finding]:
    return _count(
        o, n, "minLength", lower=True, tighter="min-length-increased",
        looser="min-length-decreased", noun="string", default=0,
    ) + _count(
        o, n, "maxLength", lower=False, tighter="max-length-decreased",
        looser="max-length-increased", noun="string", default=None,
    )  # fmt: skip


def patterns_and_formats(o: dict[str, Any], n: dict[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    for keyword, stem in (("pattern", "pattern"), ("format", "format")):
        ov, nv = o.get(keyword), n.get(keyword)
        if ov == nv:
            continue
        if ov is None:
            out.append(
                Finding(f"{stem}-added", f"/{keyword}", f"{keyword} {nv!r} now required", None, nv)
            )
        elif nv is None:
            out.append(
                Finding(
                    f"{stem}-removed",
                    f"/{keyword}",
                    f"{keyword} {ov!r} dropped",
                    ov,
                    None,
                    removed=True,
                )
            )
        else:
            out.append(
                Finding(f"{stem}-changed", f"/{keyword}", f"{keyword} {ov!r} -> {nv!r}", ov, nv)
            )
    return out


def _lower(node: dict[str, Any]) -> tuple[float, bool]:
    """The effective lower bound: (value, exclusive); (-inf, False) when unbounded."""
    best = (-math.inf, False)
    if _is_number(node.get("minimum")):
        best = max(best, (node["minimum"], False))
    if _is_number(node.get("exclusiveMinimum")):
        best = max(best, (node["exclusiveMinimum"], True))
    return best


def _upper(node: dict[str, Any]) -> tuple[float, bool]:
    """The effective upper bound: (value, exclusive); (inf, False) when unbounded."""
    best = (math.inf, False)
    if _is_number(node.get("maximum")):
        best = min(best, (node["maximum"], False), key=lambda b: (b[0], not b[1]))
    if _is_number(node.get("exclusiveMaximum")):
        best = min(best, (node["exclusiveMaximum"], True), key=lambda b: (b[0], not b[1]))
    return best


def numeric_bounds(o: dict[str, Any], n: dict[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    ol, nl = _lower(o), _lower(n)
    if ol != nl:
        kind = "minimum-increased" if nl > ol else "minimum-decreased"
        keyword = "/exclusiveMinimum" if "exclusiveMinimum" in n else "/minimum"
        gone = "minimum" not in n and "exclusiveMinimum" not in n
        out.append(
            Finding(
                kind,
                keyword,
                f"lower bound {_num(ol, '>')} -> {_num(nl, '>')}",
                _raw(ol),
                _raw(nl),
                removed=gone,
            )
        )
    ou, nu = _upper(o), _upper(n)
    if ou != nu:
        tighter = (nu[0], not nu[1]) < (ou[0], not ou[1])
        kind = "maximum-decreased" if tighter else "maximum-increased"
        keyword = "/exclusiveMaximum" if "exclusiveMaximum" in n else "/maximum"
        gone = "maximum" not in n and "exclusiveMaximum" not in n
        out.append(
            Finding(
                kind,
                keyword,
                f"upper bound {_num(ou, '<')} -> {_num(nu, '<')}",
                _raw(ou),
                _raw(nu),
                removed=gone,
            )
        )
    return out


def _num(bound: tuple[float, bool], op: str) -> str:
    value, strict = bound
    if math.isinf(value):
        return "none"
    return f"{op}{'' if strict else '='} {value:g}"


def _raw(bound: tuple[float, bool]) -> Any:
    return None if math.isinf(bound[0]) else bound[0]


def multiple_of(o: dict[str, Any], n: dict[str, Any]) -> list[Finding]:
    ov, nv = o.get("multipleOf"), n.get("multipleOf")
    if ov == nv or not (ov is None or _is_number(ov)) or not (nv is None or _is_number(nv)):
        return []
    if ov is None:
        return [
            Finding("multiple-of-added", "/multipleOf", f"must be a multiple of {nv:g}", None, nv)
        ]
    if nv is None:
        return [
            Finding(
                "multiple-of-removed",
                "/multipleOf",
                f"no longer a multiple of {ov:g}",
                ov,
                None,
                removed=True,
            )
        ]
    if _divides(ov, nv):
        impact = Impact.PRODUCER  # every multiple of the new step is a multiple of the old
    elif _divides(nv, ov):
        impact = Impact.CONSUMER
    else:
        impact = Impact.BOTH
    return [
        Finding(
            "multiple-of-changed", "/multipleOf", f"multipleOf {ov:g} -> {nv:g}", ov, nv, impact
        )
    ]


def _divides(small: float, big: float) -> bool:
    ratio = big / small
    return abs(ratio - round(ratio)) < 1e-9


def array_scalars(o: dict[str, Any], n: dict[str, Any]) -> list[Finding]:
    out = _count(
        o, n, "minItems", lower=True, tighter="min-items-increased",
        looser="min-items-decreased", noun="array", default=0,
    ) + _count(
        o, n, "maxItems", lower=False, tighter="max-items-decreased",
        looser="max-items-increased", noun="array", default=None,
    )  # fmt: skip
    ou, nu = o.get("uniqueItems") is True, n.get("uniqueItems") is True
    if nu and not ou:
        out.append(
            Finding(
                "unique-items-added",
                "/uniqueItems",
                "items must now be distinct",
                o.get("uniqueItems"),
                True,
            )
        )
    elif ou and not nu:
        out.append(
            Finding(
                "unique-items-removed",
                "/uniqueItems",
                "items may now repeat",
                True,
                n.get("uniqueItems"),
                removed="uniqueItems" not in n,
            )
        )
    if "contains" in o and "contains" in n:
        out += _count(
            o, n, "minContains", lower=True, tighter="min-contains-increased",
            looser="min-contains-decreased", noun="array", default=1,
        ) + _count(
            o, n, "maxContains", lower=False, tighter="max-contains-decreased",
            looser="max-contains-increased", noun="array", default=None,
        )  # fmt: skip
    return out


def object_scalars(o: dict[str, Any], n: dict[str, Any]) -> list[Finding]:
    out = _count(
        o, n, "minProperties", lower=True, tighter="min-properties-increased",
        looser="min-properties-decreased", noun="object", default=0,
    ) + _count(
        o, n, "maxProperties", lower=False, tighter="max-properties-decreased",
        looser="max-properties-increased", noun="object", default=None,
    )  # fmt: skip
    old_req = [r for r in o.get("required", []) if isinstance(r, str)]
    new_req = [r for r in n.get("required", []) if isinstance(r, str)]
    out += [
        Finding("required-added", "/required", f"{name!r} is now required", None, name)
        for name in new_req
        if name not in old_req
    ]
    out += [
        Finding(
            "required-removed",
            "/required",
            f"{name!r} is now optional",
            name,
            None,
            removed="required" not in n,
        )
        for name in old_req
        if name not in new_req
    ]
    out += _dependent_required(o, n)
    return out


def _dependent_required(o: dict[str, Any], n: dict[str, Any]) -> list[Finding]:
    old = mapping(o, "dependentRequired")
    new = mapping(n, "dependentRequired")
    old_pairs = {(k, d) for k, deps in old.items() for d in deps if isinstance(deps, list)}
    new_pairs = {(k, d) for k, deps in new.items() for d in deps if isinstance(deps, list)}
    out = [
        Finding(
            "dependent-required-added",
            "/dependentRequired",
            f"{d!r} now required when {k!r} is present",
            None,
            [k, d],
        )
        for k, d in sorted(new_pairs - old_pairs)
    ]
    out += [
        Finding(
            "dependent-required-removed",
            "/dependentRequired",
            f"{d!r} no longer required when {k!r} is present",
            [k, d],
            None,
            removed=True,
        )
        for k, d in sorted(old_pairs - new_pairs)
    ]
    return out
