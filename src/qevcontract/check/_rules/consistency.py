"""Cross-event consistency (QEV5xx): one thing, defined differently in different places.

An envelope attribute required on one page and optional on another; a page-wide schema that
differs between pages, or appears under two names; a named type whose inline table is not
the named schema; the same object defined twice differently within a channel.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from .._context import CheckContext
from .._findings import Hit
from .._registry import Rule
from .._schemawalk import CORE_ATTRIBUTES, PAYLOAD_MEMBERS, Contract, Node, join
from .structure import differences, property_names, shallow_signature, signature

# --------------------------------------------------------------------------- QEV501

# The attributes CloudEvents 1.0 requires of every event.
CE_REQUIRED = frozenset({"id", "source", "specversion", "type"})


def envelope_required_mismatch(ctx: CheckContext) -> Iterator[Hit]:
    seen: dict[str, list[tuple[Contract, str, bool]]] = {}
    for c in ctx.contracts():
        if not (c.payload_documented and c.required_documented):
            continue
        for name, pointer, required in _envelope_attributes(c):
            seen.setdefault(name, []).append((c, pointer, required))
    shared = _shared_attributes()
    for name, places in seen.items():
        if name in CE_REQUIRED:
            continue  # documented optional: QEV409 reports it as the error it is
        if name not in shared:
            # A service's own attribute (`updates` on hub-dashboards, `updates` inside
            # di-projects' `extensions`) means what that service says; only the shared
            # CloudEvents and Qlik extension attributes mean the same on every page.
            continue
        mandatory = [p for p in places if p[2]]
        optional = [p for p in places if not p[2]]
        # Only the optional side is news to a consumer: an attribute most events promise may
        # be missing here. One required where most are optional promises more, not less (on
        # the qlik.dev pages: `userid`, `time`, `datacontenttype` of the di-projects events).
        if not mandatory or len(optional) > len(mandatory):
            continue
        for c, pointer, _ in optional:
            yield ctx.contract_hit(
                c,
                pointer,
                f"{name} is optional here but required for {len(mandatory)} other event "
                f"type(s) (e.g. {mandatory[0][0].type})",
                "Producers following this page may omit it where other pages promise it; "
                "consumers should treat it as optional until the docs agree.",
            )


def _shared_attributes() -> frozenset[str]:
    """CloudEvents' own attributes and the Qlik extension attributes of the envelope."""
    from ..._spec.qlik import qlik_extensions_schema

    props = qlik_extensions_schema().get("properties")
    return CORE_ATTRIBUTES | frozenset(props if isinstance(props, dict) else ())


def _envelope_attributes(c: Contract) -> Iterator[tuple[str, str, bool]]:
    """(name, pointer, required) for top-level attributes and those nested in an object."""
    required = set(c.required)
    for name, schema in c.properties.items():
        if name in PAYLOAD_MEMBERS or not isinstance(schema, dict):
            continue
        nested = schema.get("properties")
        if isinstance(nested, dict):
            inner_req = schema.get("required")
            inner = set(inner_req) if isinstance(inner_req, list) else set()
            for sub in nested:
                yield sub, join("/properties", name, "properties", sub), sub in inner
        else:
            yield name, join("/properties", name), name in required


# --------------------------------------------------------------------------- QEV502


def _page_schemas(ctx: CheckContext) -> dict[str, dict[str, tuple[Contract, dict[str, Any]]]]:
    """Schema name -> domain -> (the domain's first contract, the schema)."""
    out: dict[str, dict[str, tuple[Contract, dict[str, Any]]]] = {}
    for c in ctx.contracts():
        defs = c.schema.get("$defs")
        for name, schema in (defs if isinstance(defs, dict) else {}).items():
            if isinstance(schema, dict):
                out.setdefault(name, {}).setdefault(c.domain, (c, schema))
    return out


def _envelope_names(ctx: CheckContext) -> set[str]:
    """Every top-level attribute any event documents (CloudEvents and Qlik extensions)."""
    return {name for c in ctx.contracts() for name in c.properties if name not in PAYLOAD_MEMBERS}


def is_envelope_schema(schema: dict[str, Any], envelope: set[str]) -> bool:
    """A page's copy of the envelope (`cloudEventsContextAttributes`, ...): most of its
    properties are top-level attributes of the events."""
    names = property_names(schema)
    return bool(names) and 2 * sum(n in envelope for n in names) >= len(names)


def named_schema_differs(ctx: CheckContext) -> Iterator[Hit]:
    envelope = _envelope_names(ctx)
    for name, per_domain in _page_schemas(ctx).items():
        if len(per_domain) < 2:
            continue
        if any(is_envelope_schema(schema, envelope) for _, schema in per_domain.values()):
            # Each service documents its own extension attributes and source default; what
            # a consumer must know about the envelope is reported per event (QEV409, QEV501,
            # QEV507). On the seeds and qlik.dev pages all 35 hits here were envelope copies.
            continue
        variants: dict[str, list[str]] = {}
        for domain, (_, schema) in sorted(per_domain.items()):
            variants.setdefault(signature(schema), []).append(domain)
        if len(variants) < 2:
            continue
        reference = min(variants.values(), key=lambda ds: (-len(ds), ds[0]))
        ref_domain = reference[0]
        ref_schema = per_domain[ref_domain][1]
        for domains in variants.values():
            if domains is reference:
                continue
            for domain in domains:
                contract, schema = per_domain[domain]
                diff = "; ".join(differences(schema, ref_schema))
                yield ctx.page_wide_hit(
                    contract,
                    join("/$defs", name),
                    f"the {domain} page defines {name} differently from the {ref_domain} page: "
                    f"{diff}",
                    "The pages disagree on a shared schema; code against the intersection, "
                    "and ask the vendor which definition holds.",
                    key=name,
                )


# --------------------------------------------------------------------------- QEV503


def named_schema_alias(ctx: CheckContext) -> Iterator[Hit]:
    by_props: dict[frozenset[str], dict[str, list[tuple[Contract, str]]]] = {}
    for name, per_domain in _page_schemas(ctx).items():
        for contract, schema in per_domain.values():
            props = frozenset(property_names(schema))
            if len(props) >= 3:
                by_props.setdefault(props, {}).setdefault(name, []).append((contract, name))
    for names in by_props.values():
        if len(names) < 2:
            continue
        reference = min(names, key=lambda n: (-len(names[n]), n))
        ref_domains = ", ".join(sorted(c.domain for c, _ in names[reference]))
        for name, places in sorted(names.items()):
            if name == reference:
                continue
            for contract, _ in places:
                yield ctx.page_wide_hit(
                    contract,
                    join("/$defs", name),
                    f"{name} has the same properties as {reference} on the {ref_domains} "
                    "page(s): one schema under two names",
                    "Model it once in your code; the names are the pages', not the events'.",
                    key=name,
                )


# --------------------------------------------------------------------------- QEV504


def named_type_inline_differs(ctx: CheckContext) -> Iterator[Hit]:
    for node in ctx.nodes():
        named = node.schema.get("x-qev-named-type")
        if node.in_defs or not isinstance(named, str):
            continue
        defs = node.contract.schema.get("$defs")
        defs = defs if isinstance(defs, dict) else {}
        target = defs.get(named)
        if not isinstance(target, dict):
            yield ctx.node_hit(
                node,
                f"{node.display} is typed {named}, which the page's Schemas section does not "
                "define",
                "Only the inline table describes this object.",
            )
            continue
        if signature(_without_annotations(node.schema)) == signature(target):
            continue
        yield ctx.node_hit(
            node,
            _inline_message(node.display, named, node.schema, target, defs),
            "The page contradicts itself about this object; the contract follows the inline "
            "table. Check real events before relying on either.",
        )


def _without_annotations(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k != "x-qev-named-type"}


def _inline_message(
    display: str,
    named: str,
    inline: dict[str, Any],
    target: dict[str, Any],
    defs: dict[str, Any],
) -> str:
    inline_props = property_names(inline)
    target_props = set(property_names(target))
    extra = [p for p in inline_props if p not in target_props]
    missing = [p for p in property_names(target) if p not in set(inline_props)]
    parts = [f"{display} is typed {named}, but its inline table differs from {named}"]
    if extra:
        noun = "property" if len(extra) == 1 else "properties"
        parts.append(f"it lists {len(extra)} {noun} {named} lacks ({_few(extra)})")
    if missing:
        parts.append(f"it lacks {_few(missing)}")
    if not extra and not missing:
        parts.append("; ".join(differences(inline, target)))
    best = _best_match(inline_props, named, defs)
    if best is not None:
        parts.append(f"its properties match {best} better")
    return ": ".join(parts[:1]) + (": " + "; ".join(parts[1:]) if parts[1:] else "")


def _best_match(inline_props: list[str], named: str, defs: dict[str, Any]) -> str | None:
    wanted = set(inline_props)

    def overlap(name: str) -> int:
        schema = defs.get(name)
        return len(wanted & set(property_names(schema))) if isinstance(schema, dict) else 0

    candidates = sorted((n for n in defs if n != named), key=lambda n: (-overlap(n), n))
    if candidates and overlap(candidates[0]) > overlap(named):
        return candidates[0]
    return None


def _few(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f", ... {len(names) - limit} more" if len(names) > limit else "")


# --------------------------------------------------------------------------- QEV505


def same_object_differs(ctx: CheckContext) -> Iterator[Hit]:
    by_group: dict[str, dict[str, list[Node]]] = {}
    for node in ctx.nodes():
        if node.kind != "property" or (len(node.path) == 1 and node.name in PAYLOAD_MEMBERS):
            continue
        if node.object_schema() is None and node.json_type not in ("object", "array"):
            continue
        groups = by_group.setdefault(node.contract.group, {})
        groups.setdefault(node.name or "", []).append(node)
    for group, by_name in by_group.items():
        for nodes in by_name.values():
            if len(nodes) > 1:
                yield from _object_conflicts(ctx, group, nodes)


def _shape(node: Node) -> str:
    return "array" if node.json_type == "array" else "object"


def _object_conflicts(ctx: CheckContext, group: str, nodes: list[Node]) -> Iterator[Hit]:
    nodes = sorted(nodes, key=lambda n: (n.in_defs, n.contract.type, n.pointer))
    shapes = Counter(_shape(n) for n in nodes)
    if len(shapes) > 1:
        usual = max(shapes, key=lambda s: (shapes[s], s == "object"))
        other = next(n for n in nodes if _shape(n) == usual)
        for node in nodes:
            if _shape(node) != usual:
                yield ctx.node_hit(
                    node,
                    f"{node.display} is {_article(_shape(node))} here but {_article(usual)} in "
                    f"{_where(other)}",
                    _SAME_OBJECT_HINT,
                    key="shape",
                )
        return
    known = [(n, shallow_signature(n.object_schema() or {})) for n in nodes]
    variants = Counter(sig for _, sig in known if sig is not None)
    if len(variants) < 2:
        return
    usual_sig = max(variants, key=lambda s: (variants[s], -known.index(_first(known, s))))
    ref = _first(known, usual_sig)[0]
    for node, sig in known:
        if sig is None or sig == usual_sig:
            continue
        diff = "; ".join(differences(node.object_schema() or {}, ref.object_schema() or {}))
        yield ctx.node_hit(
            node,
            f"{node.display} is defined differently from {_where(ref)}: {diff}",
            _SAME_OBJECT_HINT,
            key="properties",
        )


def _first(known: list[tuple[Node, Any]], sig: Any) -> tuple[Node, Any]:
    return next(item for item in known if item[1] == sig)


def _article(shape: str) -> str:
    return "an array" if shape == "array" else "an object"


def _where(node: Node) -> str:
    owner = node.event_type or f"the {node.contract.domain} page's Schemas section"
    return f"{owner} ({node.display})"


_SAME_OBJECT_HINT = (
    "One name, two shapes: code that handles one breaks on the other. Accept both, or ask the "
    "vendor which definition is current."
)

# --------------------------------------------------------------------------- QEV506


def channel_attribute_missing(ctx: CheckContext) -> Iterator[Hit]:
    for group, contracts in ctx.groups().items():
        documented = [c for c in contracts if c.payload_documented]
        if len(documented) < 3:
            continue
        counts = Counter(
            name for c in documented for name in c.properties if name not in PAYLOAD_MEMBERS
        )
        for c in documented:
            for name, count in sorted(counts.items()):
                if name in c.properties or count * 2 <= len(documented):
                    continue
                yield ctx.contract_hit(
                    c,
                    "/properties",
                    f"{name} is documented for {count} other {group} event(s) but not for this one",
                    "Consumers handling every event of the channel alike may expect it here too; "
                    "treat it as optional.",
                    key=name,
                )


# --------------------------------------------------------------------------- QEV507


def attribute_definition_differs(ctx: CheckContext) -> Iterator[Hit]:
    for group, contracts in ctx.groups().items():
        defs: dict[str, list[tuple[Contract, str]]] = {}
        for c in contracts:
            for name, schema in c.properties.items():
                if name in PAYLOAD_MEMBERS or not isinstance(schema, dict):
                    continue
                if "properties" in schema or schema.get("type") in ("object", "array"):
                    continue  # objects are QEV505's
                if name in CORE_ATTRIBUTES:
                    continue  # the CloudEvents envelope schema validates these for every event
                defs.setdefault(name, []).append((c, _own_type_blind(schema, c.type)))
        for name, places in defs.items():
            variants = Counter(sig for _, sig in places)
            if len(variants) < 2:
                continue
            usual = max(variants, key=lambda s: (variants[s], -_index(places, s)))
            ref = next(c for c, sig in places if sig == usual)
            for c, sig in places:
                if sig == usual:
                    continue
                diff = (
                    "; ".join(differences(_schema(c, name), _schema(ref, name), prefix=name))
                    .replace(ref.type, "<its type>")
                    .replace(c.type, "<its type>")
                )
                yield ctx.contract_hit(
                    c,
                    join("/properties", name),
                    f"{name} is constrained differently here than in {variants[usual]} other "
                    f"{group} event(s) (e.g. {ref.type}): {diff}",
                    "Producers for different events of one channel disagree on this attribute; "
                    "validate it per event type.",
                )


def _own_type_blind(schema: dict[str, Any], event_type: str) -> str:
    """The attribute's constraints, with the event's own type name made generic.

    A `default` constrains nothing, so a default stated on one page only is no difference.
    """
    return signature({k: v for k, v in schema.items() if k != "default"}).replace(
        f'"{event_type}"', '"<type>"'
    )


def _index(places: list[tuple[Contract, str]], sig: str) -> int:
    return next(i for i, (_, s) in enumerate(places) if s == sig)


def _schema(c: Contract, name: str) -> dict[str, Any]:
    """The attribute's schema without its `default` (see `_own_type_blind`)."""
    schema = c.properties.get(name)
    return {k: v for k, v in schema.items() if k != "default"} if isinstance(schema, dict) else {}


RULES = (
    Rule(
        "QEV501", "envelope-required-mismatch", "consistency", "warning",
        "an envelope attribute is required for some events and optional for others",
        "Compares every documented envelope attribute (top-level, or nested in an `extensions` "
        "object) across all events whose pages say what is required, and reports the events "
        "where an attribute most events require (at least as many) is optional: e.g. "
        "`tenantid` required on every page but the tasks page. The other direction (required "
        "here, optional elsewhere) promises more, not less, and is not reported; nor are `id`, "
        "`source`, `specversion` and `type`, which QEV409 reports as errors. Only the shared "
        "attributes are compared (CloudEvents' and the Qlik extensions of the envelope "
        "schema): a service's own attribute means what that service says.",
        envelope_required_mismatch,
        why="a consumer cannot rely on an attribute that some events may omit",
    ),
    Rule(
        "QEV502", "named-schema-differs", "consistency", "warning",
        "a shared schema with one name is defined differently on different pages",
        "Pages carry a Schemas section (`cloudEventsQlikExtensionsAttributes`, ...). When two "
        "pages define the same name differently (other properties, required lists, defaults), "
        "each page's variant that differs from the most common one (the alphabetically first "
        "page on a tie) is reported once, as a page-wide finding. A page's copy of the "
        "envelope (most of its properties are top-level event attributes, as in "
        "`cloudEventsQlikExtensionsAttributes`) is left out: each service documents its own "
        "extension attributes, and what a consumer must know about the envelope is reported "
        "per event by QEV409, QEV501 and QEV507.",
        named_schema_differs,
        why=(
            "a consumer sharing one model across pages meets a shape one of the pages does not "
            "promise"
        ),
    ),
    Rule(
        "QEV503", "named-schema-alias", "consistency", "info",
        "one shared schema appears under two names on different pages",
        "Two Schemas-section entries with different names but the same properties (e.g. "
        "`cloudEventsContextAttributes` and `cloudEventsAttributes`). The less common name is "
        "reported once per page.",
        named_schema_alias,
        why="one schema under two names is editorial: the shapes agree",
    ),
    Rule(
        "QEV504", "named-type-inline-differs", "consistency", "warning",
        "a property typed with a named schema has an inline table that is not that schema",
        "The payload table types a property with a Schemas-section name (`data: metricsObject`) "
        "but its nested table lists other properties. The message names the properties that "
        "differ and, when another named schema fits the table better, that schema.",
        named_type_inline_differs,
        why=(
            "the payload is not the named schema it claims; a model built from that schema misses "
            "or invents fields"
        ),
    ),
    Rule(
        "QEV505", "same-object-differs", "consistency", "warning",
        "an object with one name is defined twice differently within a channel",
        "Objects (or arrays of objects) with the same property name within one channel, "
        "including inside the pages' Schemas sections, compared by their properties, types, "
        "enums and required lists, and by object-versus-array. Definitions the renderer "
        "truncated are only compared by shape. The less common definition is reported.",
        same_object_differs,
        why="code that reads the object one way breaks on the events that carry the other shape",
    ),
    Rule(
        "QEV506", "channel-attribute-missing", "consistency", "warning",
        "an event lacks an envelope attribute most other events of its channel document",
        "In a channel of three or more documented events, an attribute documented by more than "
        "half of them but missing from one event's table.",
        channel_attribute_missing,
        why=(
            "this event's contract lacks an attribute its siblings document; a consumer must not "
            "expect it here"
        ),
    ),
    Rule(
        "QEV507", "attribute-definition-differs", "consistency", "warning",
        "the same envelope attribute is constrained differently across one channel's events",
        "Scalar top-level attributes with the same name whose keywords differ between the "
        "events of one channel (descriptions and defaults ignored, the event's own type name "
        "treated as equal), e.g. `eventType` restricted by an enum in one event only. The "
        "CloudEvents core attributes are left out: the envelope schema validates them the "
        "same way for every event.",
        attribute_definition_differs,
        why=(
            "the same attribute validates differently per event; a consumer must know which "
            "events constrain it"
        ),
    ),
)  # fmt: skip
