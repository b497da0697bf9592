"""Completeness (QEV6xx): what the docs cut off, leave untyped, leave out or deprecate.

Most of these read the `x-qev-*` annotations the builder leaves where a page could not say
something; QEV611 reads the pages themselves (repeated metadata the contracts cannot keep).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ...builder._model import DocPage, Field
from .._context import CheckContext
from .._findings import Hit
from .._registry import Rule
from .._schemawalk import Node
from .shapes import normalized_name

# --------------------------------------------------------------------------- QEV601


def truncated(ctx: CheckContext) -> Iterator[Hit]:
    for node in ctx.nodes():
        if node.schema.get("x-qev-truncated"):
            yield ctx.node_hit(
                node,
                f"{node.display}: the doc renderer cut this object off at its depth limit; its "
                "properties are not documented",
                "Accept any properties here; an example, when there is one, shows what real "
                "events carry (see QEV202).",
            )


# --------------------------------------------------------------------------- QEV602


# "JSON value of the field after the update. The value can be a scalar, array, object, or
# null", "Value of the field before the update." (the `_updates[].newValue` rows of the
# qlik.dev pages): the empty type is the documented answer, not a gap.
_ANY_VALUE = re.compile(
    r"\bJSON value\b|\bany (?:JSON )?(?:value|type)\b"
    # "Value of the field after the update": its type is the other field's
    r"|\bvalue of (?:the|an?) (?:updated )?(?:field|attribute|property)\b",
    re.I,
)


def untyped(ctx: CheckContext) -> Iterator[Hit]:
    for node in ctx.nodes():
        if node.schema.get("x-qev-untyped") and not _ANY_VALUE.search(node.description):
            yield ctx.node_hit(
                node,
                f"{node.display}: the page gives this property an empty type",
                "Any JSON value validates here; do not assume a shape.",
            )


# --------------------------------------------------------------------------- QEV603


def items_undefined(ctx: CheckContext) -> Iterator[Hit]:
    for node in ctx.nodes():
        if node.schema.get("x-qev-items-undefined"):
            what = "the page types its items as 'undefined'"
        elif node.schema.get("x-qev-items-undocumented"):
            what = "the page gives no type for its items"
        else:
            continue
        yield ctx.node_hit(
            node,
            f"{node.display}: an array, but {what}",
            "Any item validates; handle items defensively (examples may even show null).",
        )


# --------------------------------------------------------------------------- QEV604


def empty_object(ctx: CheckContext) -> Iterator[Hit]:
    for node in ctx.nodes():
        schema = node.schema
        if schema.get("type") != "object" or schema.get("x-qev-truncated"):
            continue
        if any(k in schema for k in ("properties", "additionalProperties", "patternProperties")):
            continue
        yield ctx.node_hit(
            node,
            f"{node.display}: an object whose properties the page does not list",
            "Treat its content as opaque, or free-form if the description says so.",
        )


# --------------------------------------------------------------------------- QEV605


def payload_undocumented(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        if contract.payload_documented and not contract.schema.get("x-qev-payload-undocumented"):
            continue
        pages = ", ".join(str(p.get("page")) for p in contract.provenance) or "its source"
        yield ctx.contract_hit(
            contract,
            "/x-qev-payload-undocumented",
            f"the docs name this event ({pages}) but give no payload schema; only the "
            "CloudEvents envelope can be checked",
            "Do not generate or validate payloads for it until a reference page documents "
            "them; strict validation rejects these events.",
        )


# --------------------------------------------------------------------------- QEV606


def deprecated_event(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        if contract.meta.get("deprecated"):
            yield ctx.contract_hit(
                contract,
                "/x-qev-event/deprecated",
                f"{contract.type} is deprecated",
                "Do not build new consumers on it; plan the migration of existing ones.",
            )


# --------------------------------------------------------------------------- QEV607


def deprecated_field(ctx: CheckContext) -> Iterator[Hit]:
    for node in ctx.nodes():
        if node.schema.get("deprecated") is not True:
            continue
        replacement = _replacement(node, ctx.nodes())
        extra = f"; {replacement} carries the same value" if replacement else ""
        yield ctx.node_hit(
            node,
            f"{node.display} is deprecated{extra}",
            f"Read {replacement} instead." if replacement else "Stop depending on it.",
        )


def _replacement(node: Node, nodes: list[Node]) -> str | None:
    """A non-deprecated sibling spelled the same way up to case and punctuation."""
    want = normalized_name(node.name or "")
    for other in nodes:
        if (
            other.contract is node.contract
            and other.parent_pointer == node.parent_pointer
            and other is not node
            and other.schema.get("deprecated") is not True
            and normalized_name(other.name or "") == want
        ):
            return other.name
    return None


# --------------------------------------------------------------------------- QEV608


def required_undocumented(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        if contract.payload_documented and not contract.required_documented:
            yield ctx.contract_hit(
                contract,
                "/x-qev-event/required_documented",
                "the page does not say which properties are required; the contract requires "
                "none beyond the CloudEvents envelope",
                "Consumers must handle every payload property being absent.",
            )


# --------------------------------------------------------------------------- QEV609


def description_missing(ctx: CheckContext) -> Iterator[Hit]:
    for node in ctx.nodes():
        if node.kind == "items" or node.description.strip():
            continue
        if not node.contract.payload_documented:
            continue  # only the builder's pinned type/specversion: QEV605 covers the event
        yield ctx.node_hit(
            node,
            f"{node.display}: no description",
            "The name is all the docs say about this property.",
        )


# --------------------------------------------------------------------------- QEV610


def event_metadata_missing(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        if not contract.payload_documented:
            continue
        missing = [k for k in ("channel", "stability") if not contract.meta.get(k)]
        if missing:
            yield ctx.contract_hit(
                contract,
                "/x-qev-event",
                f"the page gives no {' or '.join(missing)} for this event",
                "Without a channel you cannot tell where to subscribe; without a stability "
                "level, how likely the payload is to change.",
            )


# --------------------------------------------------------------------------- QEV611


def duplicated_metadata(ctx: CheckContext) -> Iterator[Hit]:
    for page in ctx.pages:
        for event in page.events:
            for path, field in _fields(event.payload or [], ()):
                yield from _repeated(ctx, page, field, path, event.type, event.type)
        for name, schema in page.schemas.items():
            for path, field in _fields(schema.properties or [], (name,)):
                yield from _repeated(ctx, page, field, path, None, f"$defs/{name}")


def _fields(fields: list[Field], path: tuple[str, ...]) -> Iterator[tuple[str, Field]]:
    for f in fields:
        here = (*path, f.name)
        yield ".".join(here), f
        yield from _fields(f.properties or [], here)


def _repeated(
    ctx: CheckContext, page: DocPage, field: Field, path: str, event_type: str | None, owner: str
) -> Iterator[Hit]:
    counts = Counter(key for key, _ in field.metadata)
    for key, count in counts.items():
        if count < 2:
            continue
        values = [repr(v) for k, v in field.metadata if k == key]
        same = len(set(values)) == 1
        yield ctx.page_hit(
            page,
            field.line,
            f"{path}: metadata {key} is given {count} times"
            + (f" (all {values[0]})" if same else f" with different values ({', '.join(values)})"),
            key=f"{owner}|{path}|{key}",
            hint="Harmless when the values agree; the contract keeps one. If they differ, the "
            "page does not say which holds.",
            event_type=event_type,
        )


RULES = (
    Rule(
        "QEV601", "truncated", "completeness", "warning",
        "properties the doc renderer cut off at its depth limit",
        "The page shows a 'truncated due to depth limit' marker instead of the object's "
        "properties. The contract leaves the object open (`x-qev-truncated`).",
        truncated,
        why=(
            "part of the payload is undocumented and unchecked; a consumer must learn its "
            "properties elsewhere"
        ),
    ),
    Rule(
        "QEV602", "untyped", "completeness", "warning",
        "a property with an empty type",
        "The page's type column is empty; the contract accepts any value (`x-qev-untyped`). "
        "Not reported when the description says the property holds any JSON value ('JSON "
        "value of the field after the update'): then the empty type is the answer.",
        untyped,
        why="any value passes the contract for this property; a consumer must check it itself",
    ),
    Rule(
        "QEV603", "array-items-undefined", "completeness", "warning",
        "an array whose item type is 'undefined' or not given",
        "`array of undefineds` or a bare `array`: the contract accepts any items "
        "(`x-qev-items-undefined` / `x-qev-items-undocumented`).",
        items_undefined,
        why="the array's items are unchecked; a consumer must check them itself",
    ),
    Rule(
        "QEV604", "empty-object", "completeness", "info",
        "an object (or array of objects) whose properties the page does not list",
        "Typed `object` with no nested table and no truncation marker. Sometimes intended "
        "(free-form client data), often an omission.",
        empty_object,
        why=(
            "an open object is often deliberate (custom properties); nothing the page states is "
            "wrong"
        ),
    ),
    Rule(
        "QEV605", "payload-undocumented", "completeness", "warning",
        "an event named in the docs (e.g. a changelog) with no payload schema",
        "The contract checks only the CloudEvents envelope and leaves `data` open "
        "(`x-qev-payload-undocumented`); strict validation rejects such events.",
        payload_undocumented,
        why=(
            "only the envelope of these events can be validated; a consumer must know the payload "
            "is unchecked"
        ),
    ),
    Rule(
        "QEV606", "deprecated-event", "completeness", "warning",
        "a deprecated event type",
        "The docs mark the event type deprecated (for example in a changelog that announces it "
        "in the same breath).",
        deprecated_event,
        why="the event type is going away; a consumer must plan for it",
    ),
    Rule(
        "QEV607", "deprecated-field", "completeness", "info",
        "a deprecated property",
        "The page marks the property deprecated. When a sibling with the same spelling up to "
        "case and punctuation exists (`_resourcetype` / `resourceType`), the message names it.",
        deprecated_field,
        why=(
            "the page states the deprecation and the contract carries it; nothing is wrong or "
            "hidden"
        ),
    ),
    Rule(
        "QEV608", "required-undocumented", "completeness", "info",
        "a page that does not say which payload properties are required",
        "Some page formats have no 'required' column; the contract then requires nothing "
        "beyond the CloudEvents envelope, and consumers must expect any property to be absent.",
        required_undocumented,
        why="the contract already treats every payload property as optional; the gap is editorial",
    ),
    Rule(
        "QEV609", "description-missing", "completeness", "info",
        "a property with no description",
        "The name is all the docs say about the property.",
        description_missing,
        why="a missing description is editorial: the schema still constrains the value",
    ),
    Rule(
        "QEV610", "event-metadata-missing", "completeness", "info",
        "an event whose page gives no channel or stability",
        "Without a channel a consumer cannot tell where to subscribe; without a stability "
        "level, how likely the payload is to change.",
        event_metadata_missing,
        why="channel and stability do not change what an event looks like",
    ),
    Rule(
        "QEV611", "duplicated-metadata", "completeness", "info",
        "a property's metadata repeats a key (`default = 0, default = 0`)",
        "Only with `--docs`: the contracts keep one value, the pages keep the repetition. "
        "Harmless when the values agree, but a sign of a generator bug; when they differ the "
        "page does not say which holds.",
        duplicated_metadata, needs_docs=True,
        why="repeated identical values are harmless: the contract keeps one",
    ),
)  # fmt: skip
