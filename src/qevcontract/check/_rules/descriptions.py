"""Descriptions (QEV7xx): prose that contradicts the field, its example, or the event.

A "whether ..." field typed string, a default or limit stated in prose but not in the
schema, a format the description names that the schema or the example ignores, wording
copied from another field or from the opposite event.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .._context import CheckContext
from .._findings import Hit
from .._registry import Rule
from .._schemawalk import CORE_ATTRIBUTES, Contract, Node, join, schema_at
from .examples import example_pointer
from .shapes import (
    PLACEHOLDER,
    boolean_like,
    camel_words,
    described_shape,
    named_format,
    names_a_choice,
    normalized_name,
    prose_values,
    reads_as_flag,
)


def _describable(ctx: CheckContext) -> Iterator[Node]:
    """Property nodes with a description, except the CloudEvents core attributes (whose
    constraints come from the envelope schema, not the page)."""
    for node in ctx.nodes():
        if node.kind == "items" or not node.description:
            continue
        if node.is_core_attribute:
            continue
        yield node


def _quote(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


# --------------------------------------------------------------------------- QEV701


def flag_not_boolean(ctx: CheckContext) -> Iterator[Hit]:
    for node in _describable(ctx):
        kind = node.json_type
        if kind in (None, "boolean", "array", "object"):
            continue
        enum = node.schema.get("enum")
        if isinstance(enum, list) and not boolean_like(enum):
            continue  # `admin | user`, `default | custom`: a choice, not a yes/no flag
        if not isinstance(enum, list) and names_a_choice(node.name or "", node.description):
            continue
        if reads_as_flag(node.name or "", node.description):
            yield ctx.node_hit(
                node,
                f"{node.display} reads as a yes/no flag ({_quote(node.description)}) but is "
                f"typed {kind}",
                "Expect strings such as 'true'/'false' (or anything else) rather than booleans; "
                "parse defensively.",
            )


# --------------------------------------------------------------------------- QEV702

_DEFAULTS_TO = re.compile(r"\bdefaults?\s+to\s+`?([^`\s,;]+?)`?(?=[\s,;]|\.?$|\.\s)", re.I)


def prose_default_missing(ctx: CheckContext) -> Iterator[Hit]:
    for node in _describable(ctx):
        match = _DEFAULTS_TO.search(node.description)
        if match is None:
            continue
        said = match.group(1).strip("'\"")
        documented = node.schema.get("default")
        if documented is not None and str(documented).lower() == said.lower():
            continue
        state = "has no default" if documented is None else f"has default {documented!r}"
        yield ctx.node_hit(
            node,
            f"{node.display}: the description says it defaults to {said!r}, but the schema {state}",
            f"Consumers should apply {said!r} themselves when the property is absent.",
        )


# --------------------------------------------------------------------------- QEV703

# "Max items 5", "maximum of 5 items", "min 1 item".
_ITEM_LIMIT = re.compile(
    r"\b(max|min)(?:imum)?"
    r"(?:\s+items?\s*(?:[:=]|of)?\s*(\d+)|(?:\s+of)?\s+(\d+)\s+items?)\b",
    re.I,
)
_CHAR_LIMIT = re.compile(
    r"\b(?:at most|up to|max(?:imum)?(?:\s+of)?)\s+(\d+)\s+char(?:acter)?s?\b", re.I
)


def prose_limit_missing(ctx: CheckContext) -> Iterator[Hit]:
    for node in _describable(ctx):
        for keyword, value in _prose_limits(node):
            documented = node.schema.get(keyword)
            if documented == value:
                continue
            state = "does not say so" if documented is None else f"says {documented}"
            yield ctx.node_hit(
                node,
                f"{node.display}: the description gives a limit of {value} ({keyword}), but "
                f"the schema {state}",
                "Validation cannot enforce a limit that only the prose states; enforce it "
                "yourself if you rely on it.",
                key=keyword,
            )


def _prose_limits(node: Node) -> Iterator[tuple[str, int]]:
    if node.json_type == "array":
        for match in _ITEM_LIMIT.finditer(node.description):
            keyword = "maxItems" if match.group(1).lower() == "max" else "minItems"
            yield keyword, int(match.group(2) or match.group(3))
    if node.json_type == "string":
        for match in _CHAR_LIMIT.finditer(node.description):
            yield "maxLength", int(match.group(1))


# --------------------------------------------------------------------------- QEV704

_FORMAT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "date-time": ("date-time", "date"),
    "duration": ("duration",),
    "uuid": ("uuid",),
    "uri": ("uri", "uri-reference", "iri", "iri-reference"),
}


def prose_format_missing(ctx: CheckContext) -> Iterator[Hit]:
    for node in _describable(ctx):
        if node.json_type not in (None, "string"):
            continue
        named = named_format(node.description)
        if named is None:
            continue
        schema = node.schema
        if named == "media-type":
            ok = "pattern" in schema or "contentMediaType" in schema
            wanted = "a media-type pattern"
        else:
            ok = schema.get("format") in _FORMAT_KEYWORDS.get(named, (named,))
            wanted = f"format {named!r}"
        if ok:
            continue
        has = schema.get("format")
        state = "has no format" if has is None else f"has format {has!r}"
        yield ctx.node_hit(
            node,
            f"{node.display}: the description names a standard format "
            f"({_quote(node.description)}), but the schema {state}",
            f"Validation accepts any string here; check for {wanted} yourself if you rely on it.",
        )


# --------------------------------------------------------------------------- QEV705

_TIME_NAME = re.compile(r"(?:Time|Date|Timestamp|At)$|^(?:time|date|timestamp)$")
_TIME_WORDS = re.compile(
    r"^\s*(?:time|date|timestamp)\b|\b(?:time|date) when\b|\btimestamp\b", re.I
)


def time_without_format(ctx: CheckContext) -> Iterator[Hit]:
    for node in _describable(ctx):
        if node.json_type != "string" or "format" in node.schema:
            continue
        if named_format(node.description) is not None:
            continue  # QEV704
        name = node.name or ""
        if _TIME_NAME.search(name) or _TIME_WORDS.search(node.description):
            yield ctx.node_hit(
                node,
                f"{node.display} holds a time ({_quote(node.description)}) but has no "
                "date-time format",
                "Any string validates; parse it as RFC 3339 and handle failures.",
            )


# --------------------------------------------------------------------------- QEV706

_ONLY_FOR = re.compile(r"\bonly (?:present|set|given|sent) (?:for|when|with|if)\s+(\w+)", re.I)


def example_contradicts_description(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        violations = ctx.example_violations(contract)
        for index, example in enumerate(contract.examples):
            flagged = {v.pointer for v in violations[index]} if index < len(violations) else set()
            yield from _walk_example(ctx, contract, index, example, [], flagged)


def _walk_example(
    ctx: CheckContext,
    contract: Contract,
    index: int,
    value: Any,
    path: list[str | int],
    flagged: set[str],
) -> Iterator[Hit]:
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _check_present(ctx, contract, index, value, [*path, key])
            yield from _walk_example(ctx, contract, index, sub, [*path, key], flagged)
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _walk_example(ctx, contract, index, sub, [*path, i], flagged)
    elif path and not (len(path) == 1 and path[0] in CORE_ATTRIBUTES):
        pointer = join("", *path)
        schema = schema_at(contract.schema, path)
        if pointer in flagged or schema is None or "enum" in schema or value == PLACEHOLDER:
            return  # the placeholder 'string' is editorial: QEV203 reports it
        description = schema.get("description")
        shape = described_shape(description) if isinstance(description, str) else None
        if shape is not None and isinstance(value, str) and not shape.matches(value):
            yield ctx.contract_hit(
                contract,
                example_pointer(index, pointer),
                f"{_display(path)}: the description promises {shape.describe()}, but the "
                f"example shows {value!r}",
                "Trust neither blindly: accept both shapes until real events settle it.",
            )


def _check_present(
    ctx: CheckContext,
    contract: Contract,
    index: int,
    holder: dict[str, Any],
    path: list[str | int],
) -> Iterator[Hit]:
    """A property the description says is only present for some variant, shown in another."""
    schema = schema_at(contract.schema, path)
    description = schema.get("description") if schema else None
    match = _ONLY_FOR.search(description) if isinstance(description, str) else None
    if match is None:
        return
    word = match.group(1).lower()
    parent = schema_at(contract.schema, path[:-1]) or {}
    props = parent.get("properties") if isinstance(parent.get("properties"), dict) else {}
    for sibling, sub in (props or {}).items():
        enum = sub.get("enum") if isinstance(sub, dict) else None
        if not isinstance(enum, list) or sibling not in holder:
            continue
        variants = [v for v in enum if isinstance(v, str) and v.lower().startswith(word)]
        shown = holder[sibling]
        if variants and isinstance(shown, str) and shown not in variants:
            yield ctx.contract_hit(
                contract,
                example_pointer(index, join("", *path)),
                f"{_display(path)}: the description says it is only present for {word} "
                f"variants ({', '.join(variants)}), but the example's {sibling} is {shown!r}",
                "The example or the description is wrong; do not rely on the property's absence.",
            )


def _display(path: list[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else ("." if out else "") + str(p)
    return out


# --------------------------------------------------------------------------- QEV707


def prose_values_missing(ctx: CheckContext) -> Iterator[Hit]:
    for node in _describable(ctx):
        values = prose_values(node.description)
        if not values:
            continue
        enum = node.schema.get("enum")
        if not isinstance(enum, list):
            yield ctx.node_hit(
                node,
                f"{node.display}: the description lists its values ({', '.join(values)}), but "
                "the schema has no enum",
                "Any string validates; handle values outside the listed ones.",
            )
        elif set(values) - set(enum):
            extra = ", ".join(v for v in values if v not in enum)
            yield ctx.node_hit(
                node,
                f"{node.display}: the description lists values the enum does not allow: {extra}",
                "The prose and the enum disagree; accept both until the docs agree.",
            )


# --------------------------------------------------------------------------- QEV708

_OPPOSITES: dict[str, tuple[str, ...]] = {
    "created": ("deleted", "removed"),
    "deleted": ("created", "added"),
    "added": ("removed", "deleted"),
    "removed": ("added", "created"),
    "started": ("ended", "finished", "stopped", "completed"),
    "ended": ("started", "began", "begun"),
    "finished": ("started", "began", "begun"),
    "enabled": ("disabled",),
    "disabled": ("enabled",),
    "opened": ("closed",),
    "closed": ("opened",),
    "assigned": ("unassigned",),
    "unassigned": ("assigned",),
    "published": ("unpublished",),
    "unpublished": ("published",),
}


def _now(word: str) -> re.Pattern[str]:
    """The verb tied to this very event: "has just started", "is being deleted", "now added".

    A verb in a relative or passive clause about the past ("the tenant where the client was
    created", "the alert the recipient was added to") stays true in the opposite event: on
    the seeds and the qlik.dev pages every such hit (8 of 8) was a correct description, so
    only the present-tense forms count.
    """
    return re.compile(rf"\b(?:just|now|being|currently)\s+(?:been\s+)?{word}\b", re.I)


def description_contradicts_event(ctx: CheckContext) -> Iterator[Hit]:
    for node in _describable(ctx):
        if node.in_defs:
            continue
        verb = node.contract.type.rsplit(".", 1)[-1]
        opposites = _OPPOSITES.get(verb, ())
        name_words = camel_words(node.name or "")
        for word in opposites:
            if any(w.startswith(word[:5]) for w in name_words):
                continue  # createdAt in a deleted event legitimately says "created"
            if _now(word).search(node.description):
                yield ctx.node_hit(
                    node,
                    f"{node.display}: the description says {word!r} ({_quote(node.description)}) "
                    f"though the event is {verb!r}; it looks copied from the opposite event",
                    "Read the field by its name and the event, not by this description.",
                    key=word,
                )
                break


# --------------------------------------------------------------------------- QEV709

_SYNONYMS = {
    "rx": ("received", "receive", "incoming"),
    "tx": ("sent", "send", "transmitted", "outgoing"),
    "id": ("id", "identifier"),
    "ids": ("ids", "identifiers"),
}


def duplicate_description(ctx: CheckContext) -> Iterator[Hit]:
    by_parent: dict[tuple[str, str], list[Node]] = {}
    for node in ctx.nodes():
        if node.kind == "items" or not node.description.strip():
            continue
        by_parent.setdefault((node.contract.file, node.parent_pointer), []).append(node)
    for siblings in by_parent.values():
        by_text: dict[str, list[Node]] = {}
        for node in siblings:
            by_text.setdefault(" ".join(node.description.lower().split()), []).append(node)
        for same in by_text.values():
            if len({normalized_name(n.name or "") for n in same}) < 2:
                continue  # one field (or aliases of one field)
            ranked = sorted(same, key=lambda n: (-_fit(n), n.name or ""))
            keeper = ranked[0]
            for node in ranked[1:]:
                if normalized_name(node.name or "") == normalized_name(keeper.name or ""):
                    continue
                yield ctx.node_hit(
                    node,
                    f"{node.display} has the same description as {keeper.name} "
                    f"({_quote(node.description)}); it fits {keeper.name} better and looks "
                    "copied",
                    "The docs do not describe this field; infer its meaning from its name.",
                )


def _fit(node: Node) -> float:
    """How much of the field's name its description mentions (0..1)."""
    words = camel_words(node.name or "")
    text = set(re.findall(r"[a-z0-9]+", node.description.lower()))
    if not words:
        return 0.0
    hits = sum(1 for w in words if w in text or any(s in text for s in _SYNONYMS.get(w, ())))
    return hits / len(words)


# --------------------------------------------------------------------------- QEV710

_CONDITIONAL = re.compile(
    r"\bonly (?:applicable|present|set|available|relevant|sent)\b|"
    r"\bif (?:any|applicable|available)\b|\bmay be (?:empty|absent|missing|null|omitted)\b|"
    r"\boptional(?:ly)?\b",
    re.I,
)


def required_but_conditional(ctx: CheckContext) -> Iterator[Hit]:
    for node in _describable(ctx):
        if not node.required:
            continue
        match = _CONDITIONAL.search(node.description)
        if match:
            yield ctx.node_hit(
                node,
                f"{node.display} is required, but its description says {match.group(0)!r} "
                f"({_quote(node.description)})",
                "Producers may omit or empty it in the cases the description names; do not "
                "reject such events outright.",
            )


RULES = (
    Rule(
        "QEV701", "flag-not-boolean", "descriptions", "warning",
        "a field described as a yes/no flag is not typed boolean",
        "The description reads like a flag ('Indicates whether ...', 'true if ...', a name "
        "like `isX`) but the type is string or another non-boolean.",
        flag_not_boolean,
        why="a consumer testing the value as a boolean gets a string",
    ),
    Rule(
        "QEV702", "prose-default-missing", "descriptions", "warning",
        "the description states a default that the schema does not have",
        "'Defaults to X' in prose, with no `default` in the metadata (or another one).",
        prose_default_missing,
        why=(
            "an absent field means a default the contract does not state; a consumer must apply "
            "it"
        ),
    ),
    Rule(
        "QEV703", "prose-limit-missing", "descriptions", "warning",
        "the description states a size limit that the schema does not have",
        "'Max items 5', 'at most 64 characters' in prose, without the matching `maxItems` / "
        "`minItems` / `maxLength` in the schema.",
        prose_limit_missing,
        why=(
            "values the description forbids pass the contract; a consumer must know the real "
            "limit"
        ),
    ),
    Rule(
        "QEV704", "prose-format-missing", "descriptions", "warning",
        "the description names a standard format that the schema does not declare",
        "RFC 3339, ISO 8601 (date-time or duration), UUID, URI or RFC 2046 named in prose with "
        "no matching `format` (or pattern). The CloudEvents core attributes are exempt: the "
        "envelope schema constrains them.",
        prose_format_missing,
        why=(
            "values in other formats pass the contract; a consumer parsing the stated format must "
            "know"
        ),
    ),
    Rule(
        "QEV705", "time-without-format", "descriptions", "info",
        "a field that holds a time has no date-time format",
        "A string whose name (`createdDate`, `endTime`) or description ('Time when ...') says it "
        "is a time, with no `format`. Any string validates.",
        time_without_format,
        why=(
            "the value is a string either way and its name says it is a time; the gap is "
            "editorial"
        ),
    ),
    Rule(
        "QEV706", "example-contradicts-description", "descriptions", "warning",
        "a doc example ignores what the field's description says",
        "The description names a format ('ISO 8601 duration') or lists the values ('error or "
        "ok') and the example shows something else, or the "
        "description says a property is only present for one variant and the example shows it "
        "in another.",
        example_contradicts_description,
        why=(
            "the example contradicts the description, so one of them misleads; a consumer must "
            "know which"
        ),
    ),
    Rule(
        "QEV707", "prose-values-missing", "descriptions", "warning",
        "the description lists the allowed values but the schema has no (or another) enum",
        "'One of `a`, `b`' or 'status - error or ok' in prose, with no `enum`, or with an enum "
        "that lacks some of the listed values.",
        prose_values_missing,
        why=(
            "values outside the listed ones pass the contract; a consumer switching on them must "
            "know"
        ),
    ),
    Rule(
        "QEV708", "description-contradicts-event", "descriptions", "info",
        "a description uses the opposite verb of its event (copied from another event)",
        "In a `...ended` event a field 'the automation that has just started'. Only the verb "
        "tied to this event counts ('just', 'now', 'being' before it): a clause about the past "
        "('the alert the recipient was added to', 'the tenant where the client was created') "
        "stays true in the opposite event. Fields whose own name contains the word "
        "(`createdAt` in a deleted event) are exempt.",
        description_contradicts_event,
        why=(
            "wording copied between events does not change the payload (before the fix, 0 of 9 "
            "hits on the seeds and qlik.dev pages were defects a consumer would act on)"
        ),
    ),
    Rule(
        "QEV709", "duplicate-description", "descriptions", "info",
        "two different fields of one object share the same description",
        "Sibling properties with identical descriptions (`rxBytes` / `txBytes` both 'received "
        "bytes'). The field whose name the description fits less is reported as the copy.",
        duplicate_description,
        why="a copied description is editorial: the field names still say what the fields hold",
    ),
    Rule(
        "QEV710", "required-but-conditional", "descriptions", "warning",
        "a required field whose description says it is only sometimes there",
        "Required in the table, while the description says 'only applicable for ...', 'if any' "
        "or 'optional'.",
        required_but_conditional,
        why=(
            "the contract rejects events that omit a field the description says is sometimes "
            "absent"
        ),
    ),
)  # fmt: skip
