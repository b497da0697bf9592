"""Walking a contract's property tree with JSON pointers, for rules that inspect definitions.

A `Node` is one documented property (or the items of an array, or a named page schema),
located by its JSON pointer in the contract and by the dotted path people read
(`data.blocks[].type`). `$defs` hold a page's shared schemas, identical in every contract
built from that page, so the walker visits them for one contract per page only; rules
report those once, as page-wide findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from .. import _pointer
from .._spec.cloudevents import CONTEXT_ATTRIBUTES
from .._spec.cloudevents import PAYLOAD_MEMBERS as PAYLOAD_MEMBERS

Zone = Literal["envelope", "data", "defs"]
NodeKind = Literal["property", "items", "def"]

# CloudEvents 1.0 context attributes (and the JSON format's payload members).
CORE_ATTRIBUTES = CONTEXT_ATTRIBUTES


join = _pointer.join
pointer_tokens = _pointer.parse


@dataclass(frozen=True)
class Contract:
    """One event contract as the rules see it."""

    type: str
    file: str
    domain: str
    channel: str | None
    schema: dict[str, Any]

    @property
    def meta(self) -> dict[str, Any]:
        meta = self.schema.get("x-qev-event")
        return meta if isinstance(meta, dict) else {}

    @property
    def group(self) -> str:
        """Events compared with each other: the channel, or the domain when there is none."""
        return self.channel or self.domain

    @property
    def payload_documented(self) -> bool:
        return bool(self.meta.get("payload_documented", True))

    @property
    def required_documented(self) -> bool:
        return bool(self.meta.get("required_documented", True))

    @property
    def properties(self) -> dict[str, Any]:
        props = self.schema.get("properties")
        return props if isinstance(props, dict) else {}

    @property
    def required(self) -> list[str]:
        req = self.schema.get("required")
        return [r for r in req if isinstance(r, str)] if isinstance(req, list) else []

    @property
    def examples(self) -> list[Any]:
        ex = self.schema.get("examples")
        return list(ex) if isinstance(ex, list) else []

    @property
    def provenance(self) -> list[dict[str, Any]]:
        prov = self.schema.get("x-qev-provenance")
        return [p for p in prov if isinstance(p, dict)] if isinstance(prov, list) else []


@dataclass(frozen=True)
class Node:
    """A property (or array items, or named schema) in a contract."""

    contract: Contract
    pointer: str
    schema: dict[str, Any]
    path: tuple[str, ...]  # display tokens; "[]" stands for array items
    zone: Zone
    kind: NodeKind
    required: bool = False
    parent_pointer: str = ""

    @property
    def name(self) -> str | None:
        return self.path[-1] if self.kind != "items" and self.path else None

    @property
    def display(self) -> str:
        out = ""
        for token in self.path:
            out += token if token == "[]" or not out else "." + token
        return out or "(event)"

    @property
    def in_defs(self) -> bool:
        return self.zone == "defs"

    @property
    def event_type(self) -> str | None:
        """None for a page-wide schema under `$defs`."""
        return None if self.in_defs else self.contract.type

    @property
    def is_core_attribute(self) -> bool:
        """A CloudEvents core attribute, at the top level or in a page's envelope schema."""
        if self.kind != "property" or self.name not in CORE_ATTRIBUTES:
            return False
        return (self.zone == "envelope" and len(self.path) == 1) or (
            self.zone == "defs" and len(self.path) == 2
        )

    @property
    def description(self) -> str:
        d = self.schema.get("description")
        return d if isinstance(d, str) else ""

    @property
    def json_type(self) -> str | None:
        t = self.schema.get("type")
        return t if isinstance(t, str) else None

    def items_schema(self) -> dict[str, Any] | None:
        items = self.schema.get("items")
        return items if isinstance(items, dict) else None

    def object_schema(self) -> dict[str, Any] | None:
        """The object this node describes: itself, or its items for an array of objects."""
        if self.json_type == "array":
            items = self.items_schema()
            return items if items is not None and _is_objectish(items) else None
        return self.schema if _is_objectish(self.schema) else None


def _is_objectish(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "object" or "properties" in schema


def walk(contract: Contract, *, include_defs: bool) -> Iterator[Node]:
    """Every property node of a contract, depth-first in key order; `$defs` optionally."""
    root_required = set(contract.required)
    for name, sub in contract.properties.items():
        if isinstance(sub, dict):
            zone: Zone = "data" if name in PAYLOAD_MEMBERS else "envelope"
            yield from _walk_node(
                contract, join("/properties", name), sub, (name,), zone, "property",
                name in root_required, "",
            )  # fmt: skip
    if include_defs:
        defs = contract.schema.get("$defs")
        for name, sub in (defs if isinstance(defs, dict) else {}).items():
            if isinstance(sub, dict):
                yield from _walk_node(
                    contract, join("/$defs", name), sub, (name,), "defs", "def", False, "/$defs"
                )


def _walk_node(
    contract: Contract,
    pointer: str,
    schema: dict[str, Any],
    path: tuple[str, ...],
    zone: Zone,
    kind: NodeKind,
    required: bool,
    parent_pointer: str,
) -> Iterator[Node]:
    yield Node(contract, pointer, schema, path, zone, kind, required, parent_pointer)
    yield from _children(contract, pointer, schema, path, zone)


def _children(
    contract: Contract, pointer: str, schema: dict[str, Any], path: tuple[str, ...], zone: Zone
) -> Iterator[Node]:
    props = schema.get("properties")
    if isinstance(props, dict):
        req = schema.get("required")
        required = set(req) if isinstance(req, list) else set()
        for name, sub in props.items():
            if isinstance(sub, dict):
                yield from _walk_node(
                    contract, join(pointer, "properties", name), sub, (*path, name), zone,
                    "property", name in required, pointer,
                )  # fmt: skip
    items = schema.get("items")
    if isinstance(items, dict):
        yield from _walk_node(
            contract, join(pointer, "items"), items, (*path, "[]"), zone, "items", False, pointer
        )


def schema_at(contract_schema: dict[str, Any], path: list[str | int]) -> dict[str, Any] | None:
    """The subschema that documents the value at an instance path, or None if undocumented.

    Follows `properties` and `items` only (what the builder emits); local `$ref`s into
    `$defs` are followed too.
    """
    node: dict[str, Any] | None = contract_schema
    for token in path:
        if node is None:
            return None
        node = _deref(contract_schema, node)
        if isinstance(token, int):
            items = node.get("items")
            node = items if isinstance(items, dict) else None
        else:
            props = node.get("properties")
            sub = props.get(token) if isinstance(props, dict) else None
            node = sub if isinstance(sub, dict) else None
    return _deref(contract_schema, node) if node is not None else None


def _deref(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        defs = root.get("$defs")
        target = defs.get(ref.removeprefix("#/$defs/")) if isinstance(defs, dict) else None
        if isinstance(target, dict):
            return target
    return node
