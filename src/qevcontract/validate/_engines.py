"""Validation engines behind one small protocol.

`rs` (jsonschema-rs, compiled Rust) is the default: it is two orders of magnitude faster.
`python` (python-jsonschema) is the reference engine the differential tests compare against.
Both resolve `$ref`s from the contract set only: a `$ref` outside it is an error naming the
URI, never a network fetch. Both *assert* formats (date-time, uri-reference, uuid, ...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, make_dataclass
from typing import Any, Protocol

from .._errors import first_line
from .._options import ENGINES, EngineName
from ..contracts import Catalog, OfflineRefError


@dataclass(frozen=True, slots=True)
class RawError:
    """An engine's error, normalised so that messages and codes do not depend on the engine."""

    keyword: str
    instance_path: tuple[str | int, ...]
    schema_path: tuple[str | int, ...]
    instance: Any
    details: dict[str, Any] = field(default_factory=dict)


# jsonschema-rs errors become `RawError`s through this mutable twin (same fields, same
# slots), then get their real class: cheaper than the frozen `__init__` (see
# `results._ViolationBuilder`).
_RawErrorBuilder: Any = make_dataclass(
    "_RawErrorBuilder", [(f.name, f.type) for f in fields(RawError)], slots=True
)


class CompiledSchema(Protocol):
    def is_valid(self, instance: Any) -> bool: ...
    def errors(self, instance: Any) -> Iterator[RawError]: ...


class Engine(Protocol):
    name: str

    def compile(self, schema: dict[str, Any]) -> CompiledSchema: ...


class SchemaRefError(Exception):
    """A contract whose `$ref`s cannot be resolved inside the contract set."""


# --------------------------------------------------------------------------- jsonschema-rs


class _RsCompiled:
    __slots__ = ("_v", "is_valid")

    is_valid: Callable[[Any], bool]

    def __init__(self, validator: Any) -> None:
        self._v = validator
        # The engine's own method (it returns a bool): every event of a run goes through it,
        # and a Python method around it would cost a frame per event.
        self.is_valid = validator.is_valid

    def errors(self, instance: Any) -> Iterator[RawError]:
        build, set_class = _RawErrorBuilder, object.__setattr__
        for e in self._v.iter_errors(instance):
            kind = e.kind
            name = kind.name
            details = kind.as_dict()
            if name == "propertyNames":
                inner = details.get("error")
                details = {
                    "property": getattr(inner, "instance", None),
                    "pattern": _rs_pattern(inner),
                }
            # The failing value goes back from Rust to Python only when a message shows it
            # (a `required` error's instance is the whole event: costly for nothing).
            value = None if name in _NO_INSTANCE else e.instance
            raw = build(name, tuple(e.instance_path), tuple(e.evaluation_path), value, details)
            set_class(raw, "__class__", RawError)
            yield raw


# Keywords whose messages never show the failing value.
_NO_INSTANCE = frozenset(
    {"required", "minItems", "maxItems", "minProperties", "maxProperties", "propertyNames",
     "additionalProperties", "unevaluatedProperties", "not", "dependentRequired"}
)  # fmt: skip


def _rs_pattern(inner: Any) -> str | None:
    if inner is None:
        return None
    d = inner.kind.as_dict()
    return d.get("pattern") if isinstance(d, dict) else None


class RsEngine:
    """jsonschema-rs: compiled once per schema, formats asserted, retrieval disabled."""

    name = "rs"

    def __init__(self, catalog: Catalog) -> None:
        import jsonschema_rs

        self._rs = jsonschema_rs
        try:
            self._registry = catalog.rs_registry()
        except ValueError as exc:  # an unresolvable $ref found while crawling the set
            raise SchemaRefError(first_line(exc)) from None

    def compile(self, schema: dict[str, Any]) -> CompiledSchema:
        rs = self._rs
        # `mask`: the engine then leaves the event out of the long messages it formats for
        # every error, which we never show (ours are built from the error kind).
        options = {"registry": self._registry, "validate_formats": True, "offline": True,
                   "mask": "…"}  # fmt: skip
        try:
            # The linear-time regex engine first: no pattern in a contract (ours or a
            # user's) can make validation backtrack for ever on a hostile event.
            v = rs.validator_for(schema, pattern_options=rs.RegexOptions(), **options)
        except (rs.ValidationError, ValueError):
            try:  # lookaround or backreferences: only the backtracking engine has them
                v = rs.validator_for(schema, **options)
            except rs.ValidationError as exc:
                raise SchemaRefError(first_line(exc)) from None
        return _RsCompiled(v)


# ------------------------------------------------------------------------- python-jsonschema


class _PyCompiled:
    __slots__ = ("_v",)

    def __init__(self, validator: Any) -> None:
        self._v = validator

    def is_valid(self, instance: Any) -> bool:
        return bool(self._v.is_valid(instance))

    def errors(self, instance: Any) -> Iterator[RawError]:
        for e in self._v.iter_errors(instance):
            yield from _py_errors(e)


def _py_errors(e: Any) -> Iterator[RawError]:
    keyword = e.validator
    value = e.validator_value
    path = tuple(e.absolute_path)
    schema_path = tuple(e.absolute_schema_path)
    details: dict[str, Any]
    if "propertyNames" in schema_path:
        # python-jsonschema reports the failing name itself, with the inner keyword.
        details = {"property": e.instance, "pattern": value}
        yield RawError("propertyNames", path, schema_path, e.instance, details)
        return
    if keyword == "required":
        missing = [p for p in value if isinstance(e.instance, dict) and p not in e.instance]
        for prop in missing or value:
            yield RawError("required", path, schema_path, e.instance, {"property": prop})
        return
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        unexpected = _unexpected(e)
        yield RawError(keyword, path, schema_path, e.instance, {"unexpected": unexpected})
        return
    details = {
        "enum": {"options": value},
        "type": {"types": value if isinstance(value, list) else [value]},
        "const": {"expected_value": value},
        "format": {"format": value},
        "pattern": {"pattern": value},
    }.get(keyword, {"limit": value})
    yield RawError(keyword, path, schema_path, e.instance, details)


def _unexpected(e: Any) -> list[str]:
    schema = e.schema
    inst = e.instance if isinstance(e.instance, dict) else {}
    known = set(schema.get("properties", {}))
    return [k for k in inst if k not in known]


class PythonEngine:
    """python-jsonschema with format assertion and an offline registry: the reference."""

    name = "python"

    def __init__(self, catalog: Catalog) -> None:
        self._registry = catalog.registry()

    def compile(self, schema: dict[str, Any]) -> CompiledSchema:
        from referencing.exceptions import Unresolvable

        v = _ecma_validator_class()(
            schema, registry=self._registry, format_checker=Catalog.format_checker()
        )
        # Resolve every $ref now, so an outside reference fails at compile time too. The
        # schema itself is a resource too: a derived one (strict mode) has an `$id` the set
        # does not hold, and its `#/$defs/...` refs resolve inside it.
        registry = self._registry
        if isinstance(schema.get("$id"), str):
            from referencing.jsonschema import DRAFT202012

            registry = registry.with_resource(schema["$id"], DRAFT202012.create_resource(schema))
        try:
            _resolve_all(schema, registry.resolver(base_uri=schema.get("$id", "")))
        except (Unresolvable, OfflineRefError) as exc:
            raise SchemaRefError(str(exc)) from None
        return _PyCompiled(v)


def ecma_pattern(pattern: str) -> str:
    """`pattern` for Python's `re` with ECMA-262's meaning of `$` (JSON Schema patterns are
    ECMA-262): the end of the string, where Python's `$` also matches before a final newline
    (so `^[a-z]+$` would accept "ext\\n", which jsonschema-rs rightly rejects)."""
    out = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":  # "[]...]": the first ] is a member
                out.append("[]")
                i += 2
                continue
        elif char == "$":
            char = r"\Z"
        out.append(char)
        i += 1
    return "".join(out)


_ECMA_CLASS: list[Any] = []


def _ecma_validator_class() -> Any:
    """Draft 2020-12 with `pattern` and `patternProperties` read as ECMA-262 reads them."""
    if _ECMA_CLASS:
        return _ECMA_CLASS[0]
    import re
    from functools import lru_cache

    import attrs
    from jsonschema import Draft202012Validator, ValidationError, validators

    compiled = lru_cache(maxsize=512)(lambda p: re.compile(ecma_pattern(p)))

    def pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Any:
        if validator.is_type(instance, "string") and not compiled(patrn).search(instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    def pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Any:
        if not validator.is_type(instance, "object"):
            return
        for patrn, subschema in patterns.items():
            for k, v in instance.items():
                if compiled(patrn).search(k):
                    yield from validator.descend(v, subschema, path=k, schema_path=patrn)

    cls: Any = validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, {"pattern": pattern, "patternProperties": pattern_properties}
    )

    def evolve(self: Any, **changes: Any) -> Any:
        # The stock `evolve` picks the class for a `$ref`'d schema by its `$schema`, which
        # would drop these keyword functions past the first `$ref`: keep this class.
        changes.setdefault("schema", self.schema)
        for f in attrs.fields(cls):
            if f.init and f.alias not in changes:
                changes[f.alias] = getattr(self, f.name)
        return cls(**changes)

    cls.evolve = evolve
    _ECMA_CLASS.append(cls)
    return cls


def _resolve_all(schema: Any, resolver: Any) -> None:
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                resolver.lookup(ref)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def make_engine(name: EngineName, catalog: Catalog) -> Engine:
    if name == "rs":
        return RsEngine(catalog)
    if name == "python":
        return PythonEngine(catalog)
    raise ValueError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})")
