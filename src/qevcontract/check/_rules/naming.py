"""Naming (QEV3xx): event type names and field spellings that disagree with each other.

An example's `type` against the declared type, its `eventType`, and the page's table of
contents; type-name schemes within a domain; one field spelled two ways in one channel.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from .._context import CheckContext
from .._findings import Hit
from .._registry import Rule
from .._schemawalk import Contract, Node, join
from .examples import example_pointer
from .shapes import normalized_name

# --------------------------------------------------------------------------- QEV301


def example_type_mismatch(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        for index, example in enumerate(contract.examples):
            if not isinstance(example, dict) or not isinstance(example.get("type"), str):
                continue
            shown = example["type"]
            if shown == contract.type:
                continue
            yield ctx.contract_hit(
                contract,
                example_pointer(index, "/type"),
                "; ".join(_type_mismatch_facts(ctx, contract, shown, example)),
                "Producers copying the example emit a type that no consumer of the declared "
                "type subscribes to; route and validate on the declared type (the heading's).",
            )


def _type_mismatch_facts(
    ctx: CheckContext, contract: Contract, shown: str, example: dict[str, object]
) -> list[str]:
    # The declared type is the occurrence's event type: leaving it out of the message lets
    # the same wrong type on several events of a page read as the one cause it is.
    facts = [f"the example's type {shown!r} is not the event type it illustrates"]
    if shown in ctx.catalog:
        facts.append("it is the type of another event")
    else:
        facts.append("no event has that type")
    if example.get("eventType") == contract.type:
        facts.append("the example's own eventType says the declared type")
    found = ctx.source_page(contract)
    if found is not None:
        listed = {t for types in found[0].toc.values() for t in types}
        if contract.type in listed and shown not in listed:
            facts.append("the page's table of contents lists the declared type")
    return facts


# --------------------------------------------------------------------------- QEV302


def eventtype_mismatch(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        for name, schema in contract.properties.items():
            if normalized_name(name) != "eventtype" or not isinstance(schema, dict):
                continue
            yield from _documented_event_type(ctx, contract, name, schema)
            for index, example in enumerate(contract.examples):
                value = example.get(name) if isinstance(example, dict) else None
                if value is not None and value != contract.type:
                    yield ctx.contract_hit(
                        contract,
                        example_pointer(index, join("", name)),
                        f"the example's {name} {value!r} is not the declared event type "
                        f"{contract.type!r}",
                        _EVENTTYPE_HINT,
                    )


def _documented_event_type(
    ctx: CheckContext, contract: Contract, name: str, schema: dict[str, object]
) -> Iterator[Hit]:
    base = join("/properties", name)
    enum = schema.get("enum")
    if isinstance(enum, list) and contract.type not in enum:
        yield ctx.contract_hit(
            contract,
            join(base, "enum"),
            f"{name} allows only {', '.join(map(str, enum))}, not the declared event type",
            _EVENTTYPE_HINT,
        )
    for keyword in ("const", "default"):
        if keyword in schema and schema[keyword] != contract.type:
            yield ctx.contract_hit(
                contract,
                join(base, keyword),
                f"{name} {keyword} is {schema[keyword]!r}, not the declared event type "
                f"{contract.type!r}",
                _EVENTTYPE_HINT,
            )


_EVENTTYPE_HINT = (
    "The page gives the event type twice and the two disagree; dispatch on the CloudEvents "
    "`type` attribute, which is what the contract pins."
)

# --------------------------------------------------------------------------- QEV303


def toc_mismatch(ctx: CheckContext) -> Iterator[Hit]:
    for page in ctx.pages:
        if not page.toc:
            continue
        listed = {t: channel for channel, types in page.toc.items() for t in types}
        sections = {e.type: e for e in page.events}
        lines = ctx.page_lines(page)
        for event_type, channel in listed.items():
            event = sections.get(event_type)
            if event is None:
                yield ctx.page_hit(
                    page,
                    _line_of(lines, f"[{event_type}]"),
                    f"the table of contents lists {event_type} but the page has no section for it",
                    key=f"toc-only|{event_type}",
                    hint="Ask the vendor whether the event exists; no contract covers it.",
                    event_type=event_type,
                )
            elif event.channel is not None and event.channel != channel:
                yield ctx.page_hit(
                    page,
                    event.line,
                    f"the table of contents files {event_type} under {channel} but its section "
                    f"is under {event.channel}",
                    key=f"toc-channel|{event_type}",
                    hint="Subscribe to the channel the event section names, and verify it.",
                    event_type=event_type,
                )
        for event_type, event in sections.items():
            if event_type not in listed:
                yield ctx.page_hit(
                    page,
                    event.line,
                    f"{event_type} has a section but is missing from the table of contents",
                    key=f"section-only|{event_type}",
                    hint="Readers navigating by the table of contents will not find this event.",
                    event_type=event_type,
                )


def _line_of(lines: list[str], needle: str) -> int:
    return next((n for n, line in enumerate(lines, start=1) if needle in line), 1)


# --------------------------------------------------------------------------- QEV304

_VERSION = re.compile(r"^v\d+$")


def _scheme(event_type: str) -> tuple[str | None, str]:
    """(version segment or None, first name segment after vendor and version)."""
    rest = event_type.split(".")[2:]
    version = rest[0] if rest and _VERSION.match(rest[0]) else None
    if version is not None:
        rest = rest[1:]
    return version, rest[0] if rest else ""


def type_naming_scheme(ctx: CheckContext) -> Iterator[Hit]:
    for domain, contracts in ctx.domains().items():
        if len(contracts) < 2:
            continue
        schemes = {c.type: _scheme(c.type) for c in contracts}
        yield from _version_outliers(ctx, domain, contracts, schemes)
        yield from _plural_outliers(ctx, domain, contracts, schemes)


def _version_outliers(
    ctx: CheckContext,
    domain: str,
    contracts: list[Contract],
    schemes: dict[str, tuple[str | None, str]],
) -> Iterator[Hit]:
    counts = Counter(schemes[c.type][0] for c in contracts)
    if len(counts) < 2:
        return
    # The largest group is the domain's convention; on a tie, the versioned form wins
    # (the newer Qlik events carry a version segment).
    reference = max(counts, key=lambda v: (counts[v], v is not None, v or ""))
    others = sorted(c.type for c in contracts if schemes[c.type][0] == reference)
    for c in contracts:
        version = schemes[c.type][0]
        if version == reference:
            continue
        what = "has no version segment" if version is None else f"uses version {version!r}"
        ref = "no version segment" if reference is None else f"version {reference!r}"
        yield ctx.contract_hit(
            c,
            "/x-qev-event/type",
            f"{c.type} {what}, while {len(others)} other {domain} event type(s) use {ref} "
            f"(e.g. {others[0]})",
            "Subscriptions by type prefix (e.g. com.qlik.v1.*) miss events named under the other "
            "scheme; list event types explicitly.",
            key="version",
        )


def _plural_outliers(
    ctx: CheckContext,
    domain: str,
    contracts: list[Contract],
    schemes: dict[str, tuple[str | None, str]],
) -> Iterator[Hit]:
    by_stem: dict[str, Counter[str]] = {}
    for c in contracts:
        resource = schemes[c.type][1]
        by_stem.setdefault(resource.rstrip("s"), Counter())[resource] += 1
    for spellings in by_stem.values():
        if len(spellings) < 2:
            continue
        reference = max(spellings, key=lambda s: (spellings[s], -len(s), s))
        for c in contracts:
            resource = schemes[c.type][1]
            if resource in spellings and resource != reference:
                yield ctx.contract_hit(
                    c,
                    "/x-qev-event/type",
                    f"{c.type} names its resource {resource!r}, while {spellings[reference]} "
                    f"other {domain} event type(s) say {reference!r}",
                    "Type-prefix filters written for one spelling miss this event; list event "
                    "types explicitly.",
                    key="resource",
                )


# --------------------------------------------------------------------------- QEV305


def field_spelling(ctx: CheckContext) -> Iterator[Hit]:
    for group, nodes in _named_nodes_by_group(ctx).items():
        spellings: dict[tuple[str, str], dict[str, list[Node]]] = {}
        for node in nodes:
            if node.schema.get("deprecated") is True:
                continue  # a deprecated alias is QEV607's business
            name = node.name or ""
            slot = (node.zone, normalized_name(name))
            spellings.setdefault(slot, {}).setdefault(name, []).append(node)
        for variants in spellings.values():
            if len(variants) < 2:
                continue
            reference = max(variants, key=lambda s: (len(variants[s]), s))
            example = variants[reference][0]
            for spelling, where in variants.items():
                if spelling == reference:
                    continue
                for node in where:
                    yield ctx.node_hit(
                        node,
                        f"{node.display}: spelled {spelling!r} here but {reference!r} in "
                        f"{len(variants[reference])} other place(s) of {group} (e.g. "
                        f"{example.contract.type} {example.display})",
                        "Consumers reading one spelling silently miss the other; read both "
                        "until the docs settle on one.",
                    )


def _named_nodes_by_group(ctx: CheckContext) -> dict[str, list[Node]]:
    out: dict[str, list[Node]] = {}
    for node in ctx.nodes():
        if node.kind == "property" and not node.in_defs:
            out.setdefault(node.contract.group, []).append(node)
    return out


# --------------------------------------------------------------------------- QEV306


def same_values_different_name(ctx: CheckContext) -> Iterator[Hit]:
    for nodes in _named_nodes_by_group(ctx).values():
        by_values: dict[frozenset[str], list[Node]] = {}
        for node in nodes:
            enum = node.schema.get("enum")
            if isinstance(enum, list) and len(enum) >= 2 and all(isinstance(v, str) for v in enum):
                by_values.setdefault(frozenset(enum), []).append(node)
        for same in by_values.values():
            same.sort(key=lambda n: (n.contract.type, n.pointer))
            first = same[0]
            reported: set[str] = set()
            for node in same[1:]:
                name = normalized_name(node.name or "")
                if name == normalized_name(first.name or "") or name in reported:
                    continue
                reported.add(name)
                yield ctx.node_hit(
                    node,
                    f"{node.display} allows exactly the values of {first.display} in "
                    f"{first.contract.type} but has another name",
                    "Probably one concept under two names; map both to one field in your model.",
                )


RULES = (
    Rule(
        "QEV301", "example-type-mismatch", "naming", "error",
        "a doc example's `type` is not the event type it illustrates",
        "The example of an event carries another event's type, or a type no event has. The "
        "message says what else the page states: the example's own `eventType`, and (with "
        "`--docs`) the page's table of contents. A producer that copies the example emits "
        "events its consumers never receive.",
        example_type_mismatch,
        why=(
            "an event built from the example carries a type that subscriptions to the declared "
            "type never match (`tasks.created`)"
        ),
    ),
    Rule(
        "QEV302", "eventtype-mismatch", "naming", "error",
        "an `eventType` property (value, enum or default) disagrees with the declared type",
        "Some pages document a camelCase `eventType` beside the CloudEvents `type`. When its "
        "enum, default or example value is not the declared event type, the page names the "
        "event two ways.",
        eventtype_mismatch,
        why=(
            "an event whose `eventType` disagrees with its `type` is wrong whichever one the "
            "producer follows"
        ),
    ),
    Rule(
        "QEV303", "toc-mismatch", "naming", "warning",
        "the page's table of contents and its event sections disagree",
        "Only with `--docs`. An event listed in the table of contents without a section (no "
        "contract can be built for it), a section missing from the table, or an event filed "
        "under another channel than its section says.",
        toc_mismatch, needs_docs=True,
        why=(
            "an event listed in one place but not the other may be sent without a contract; a "
            "consumer must know"
        ),
    ),
    Rule(
        "QEV304", "type-naming-scheme", "naming", "warning",
        "event types of one domain follow different naming schemes",
        "Within a domain, some types carry a version segment (`com.qlik.v1.app.opened`) and "
        "some do not (`com.qlik.app.created`), or the resource is singular in some and plural "
        "in others (`license` / `licenses`). The odd ones out are reported; on a tie the "
        "versioned form is taken as the convention. Prefix-based subscriptions miss events.",
        type_naming_scheme,
        why=(
            "subscriptions and routing by type prefix miss the events named under the other "
            "scheme"
        ),
    ),
    Rule(
        "QEV305", "field-spelling", "naming", "warning",
        "the same field is spelled differently across the events of one channel",
        "Property names that differ only in case or punctuation (`alertID` / `alertId`) within "
        "one channel (or one domain when the page names no channel), compared separately for "
        "payload and envelope. The less common spelling is reported. Deprecated aliases are "
        "left to QEV607.",
        field_spelling,
        why=(
            "a consumer reading the field by one spelling gets nothing from the events that use "
            "the other"
        ),
    ),
    Rule(
        "QEV306", "same-values-different-name", "naming", "info",
        "two differently named fields of one channel allow exactly the same values",
        "Two string enums with identical value sets under different names (`accessType` / "
        "`accessMode`) usually mean one concept named twice.",
        same_values_different_name,
        why=(
            "two names for the same values is an editorial inconsistency; each field is still "
            "documented"
        ),
    ),
)  # fmt: skip
