"""CloudEvents conformance (QEV4xx) of the documented envelope and of the doc examples.

The contracts all reference the same CloudEvents 1.0 envelope schema; these rules report
where a page's own envelope table, its examples, or its prose disagree with the
specification: the `specversion` value, attribute names, where extension attributes live,
media types, timestamps, URI references and event identity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TypeGuard

from ..._spec.cloudevents import REQUIRED_ATTRIBUTES, SPECVERSION, is_attribute_name
from .._context import CheckContext
from .._findings import Hit
from .._registry import Rule
from .._schemawalk import PAYLOAD_MEMBERS, Contract, join
from .examples import claimed_violations, example_pointer
from .shapes import Shape

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_CLAIM = re.compile(
    r"\bCloudEvents\b(?:\s+(?:spec(?:ification)?|version|v))*\s+v?(\d+(?:\.\d+)+)", re.I
)


def _attributes(contract: Contract) -> Iterator[tuple[str, dict[str, Any]]]:
    """The documented top-level attributes (everything but the payload members)."""
    for name, schema in contract.properties.items():
        if name not in PAYLOAD_MEMBERS and isinstance(schema, dict):
            yield name, schema


def _documented_values(schema: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(keyword, value) for every value a page pins or suggests for an attribute."""
    for keyword in ("const", "default"):
        if keyword in schema:
            yield keyword, schema[keyword]
    enum = schema.get("enum")
    if isinstance(enum, list):
        for i, value in enumerate(enum):
            yield f"enum/{i}", value


def _example_value(contract: Contract, index: int, pointer: str) -> Any:
    example = contract.examples[index] if index < len(contract.examples) else None
    name = pointer.lstrip("/")
    return example.get(name) if isinstance(example, dict) else None


# --------------------------------------------------------------------------- QEV401


def specversion(ctx: CheckContext) -> Iterator[Hit]:
    for contract, index, v in claimed_violations(ctx, "QEV401"):
        value = _example_value(contract, index, v.pointer)
        yield ctx.contract_hit(
            contract,
            example_pointer(index, v.pointer),
            f"the example's specversion is {value!r}, not {SPECVERSION!r}" + _patch_note(value),
            _SPEC_HINT,
        )
    for contract in ctx.contracts():
        schema = contract.properties.get("specversion")
        for keyword, value in _documented_values(schema if isinstance(schema, dict) else {}):
            if value != SPECVERSION:
                yield ctx.contract_hit(
                    contract,
                    join("/properties/specversion", *keyword.split("/")),
                    f"specversion {keyword.split('/')[0]} is {value!r}, not {SPECVERSION!r}"
                    + _patch_note(value),
                    _SPEC_HINT,
                )
    for page in ctx.pages:
        for number, line in enumerate(ctx.page_lines(page), start=1):
            for match in _CLAIM.finditer(line):
                version = match.group(1)
                if version == SPECVERSION or version.startswith(SPECVERSION + "."):
                    continue
                yield ctx.page_hit(
                    page,
                    number,
                    f"the page says the events follow CloudEvents {version}; CloudEvents has no "
                    f"such release, and the events document specversion {SPECVERSION!r}",
                    key=f"claims|{version}",
                    hint="Treat the events as CloudEvents 1.0 (specversion '1.0'), as every "
                    "example on the reference pages does.",
                )


def _patch_note(value: Any) -> str:
    if isinstance(value, str) and value.startswith(SPECVERSION + "."):
        return (
            f" ({value!r} names a patch release of the specification document; the attribute "
            f"value for every 1.0.x release is {SPECVERSION!r})"
        )
    return ""


_SPEC_HINT = (
    "SDKs and brokers reject or mis-route events whose specversion is not '1.0'; "
    "send exactly '1.0'."
)

# --------------------------------------------------------------------------- QEV402


def attribute_name(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        for name, _ in _attributes(contract):
            if not is_attribute_name(name):
                yield ctx.contract_hit(
                    contract,
                    join("/properties", name),
                    f"{name}: documented as a top-level attribute, but CloudEvents attribute "
                    "names are lower-case letters and digits only",
                    _NAME_HINT,
                )
    for contract, index, v in claimed_violations(ctx, "QEV402"):
        yield ctx.contract_hit(
            contract,
            example_pointer(index, v.pointer),
            f"the example carries {v.pointer.lstrip('/')!r}, which is not a valid CloudEvents "
            "attribute name (lower-case letters and digits only)",
            _NAME_HINT,
        )


_NAME_HINT = (
    "Protocol bindings (HTTP binary mode headers, Kafka headers) cannot carry such a name as an "
    "attribute; expect it to arrive renamed or dropped, and do not depend on it."
)

# --------------------------------------------------------------------------- QEV403


def nested_extensions(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        for name, schema in _attributes(contract):
            kind = schema.get("type")
            nested = schema.get("properties")
            if kind in ("object", "array", "number", "null") or isinstance(nested, dict):
                inner = ", ".join(nested) if isinstance(nested, dict) else ""
                what = f"nests {inner} in an object" if inner else f"is typed {kind}"
                yield ctx.contract_hit(
                    contract,
                    join("/properties", name),
                    f"{name}: the page {what}; CloudEvents extension attributes are top-level "
                    "scalars (string, boolean or integer)",
                    _NESTED_HINT,
                )
    for contract, index, v in claimed_violations(ctx, "QEV403"):
        yield ctx.contract_hit(
            contract,
            example_pointer(index, v.pointer),
            f"the example sends {v.pointer.lstrip('/')!r} as a structured value; CloudEvents "
            "extension attributes are top-level scalars",
            _NESTED_HINT,
        )


_NESTED_HINT = (
    "Read extension attributes (tenantid, userid, ...) from the top level, as other Qlik pages "
    "document them, and treat a nested copy as unreliable."
)

# --------------------------------------------------------------------------- QEV404


def datacontenttype(ctx: CheckContext) -> Iterator[Hit]:
    media = Shape("media-type")
    for contract, index, v in claimed_violations(ctx, "QEV404"):
        value = _example_value(contract, index, v.pointer)
        yield ctx.contract_hit(
            contract,
            example_pointer(index, v.pointer),
            f"the example's datacontenttype {value!r} is not a media type (RFC 2046)",
            _MEDIA_HINT,
        )
    for contract in ctx.contracts():
        schema = contract.properties.get("datacontenttype")
        for keyword, value in _documented_values(schema if isinstance(schema, dict) else {}):
            if not media.matches(value):
                yield ctx.contract_hit(
                    contract,
                    join("/properties/datacontenttype", *keyword.split("/")),
                    f"datacontenttype {keyword.split('/')[0]} {value!r} is not a media type",
                    _MEDIA_HINT,
                )


_MEDIA_HINT = (
    "Consumers choose the payload decoder from datacontenttype; send 'application/json' for "
    "JSON data."
)

# --------------------------------------------------------------------------- QEV405


def time_attribute(ctx: CheckContext) -> Iterator[Hit]:
    for contract, index, v in claimed_violations(ctx, "QEV405"):
        yield ctx.contract_hit(
            contract,
            example_pointer(index, v.pointer),
            f"the example's time attribute is not an RFC 3339 timestamp: {v.message}",
            "CloudEvents SDKs parse `time` strictly; send RFC 3339 (e.g. 2024-05-01T12:00:00Z).",
        )
    for contract in ctx.contracts():
        schema = contract.properties.get("time")
        fmt = schema.get("format") if isinstance(schema, dict) else None
        if isinstance(fmt, str) and fmt != "date-time":
            yield ctx.contract_hit(
                contract,
                "/properties/time/format",
                f"time is documented with format {fmt!r}; CloudEvents requires RFC 3339 date-time",
                "Treat `time` as an RFC 3339 date-time whatever the page says.",
            )


# --------------------------------------------------------------------------- QEV406


def source_attribute(ctx: CheckContext) -> Iterator[Hit]:
    for contract, index, v in claimed_violations(ctx, "QEV406"):
        yield ctx.contract_hit(
            contract,
            example_pointer(index, v.pointer),
            f"the example's source is not a URI-reference: {v.message}",
            "CloudEvents identifies an event by source + id; a malformed source breaks "
            "de-duplication.",
        )
    for contract in ctx.contracts():
        schema = contract.properties.get("source")
        for keyword, value in _documented_values(schema if isinstance(schema, dict) else {}):
            if not _is_uri_reference(value):
                yield ctx.contract_hit(
                    contract,
                    join("/properties/source", *keyword.split("/")),
                    f"source {keyword.split('/')[0]} {value!r} is not a URI-reference",
                    "Use a URI-reference such as an absolute URI naming the producer.",
                )


def _is_uri_reference(value: Any) -> TypeGuard[str]:
    if not isinstance(value, str) or not value:
        return False
    from rfc3986_validator import validate_rfc3986  # type: ignore[import-untyped]

    return bool(validate_rfc3986(value, rule="URI_reference"))


# --------------------------------------------------------------------------- QEV407


def source_not_absolute(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        for index, example in enumerate(contract.examples):
            value = example.get("source") if isinstance(example, dict) else None
            if _is_uri_reference(value) and not _SCHEME.match(value):
                yield ctx.contract_hit(
                    contract,
                    example_pointer(index, "/source"),
                    f"the example's source {value!r} is a relative reference; CloudEvents "
                    "recommends an absolute URI",
                    _ABSOLUTE_HINT,
                )
        schema = contract.properties.get("source")
        default = schema.get("default") if isinstance(schema, dict) else None
        if _is_uri_reference(default) and not _SCHEME.match(default):
            yield ctx.contract_hit(
                contract,
                "/properties/source/default",
                f"source default {default!r} is a relative reference; CloudEvents recommends "
                "an absolute URI",
                _ABSOLUTE_HINT,
            )


_ABSOLUTE_HINT = (
    "Relative sources are only unique within one producer's context; do not assume global "
    "uniqueness of source + id across tenants or services."
)

# --------------------------------------------------------------------------- QEV408


def duplicate_event_id(ctx: CheckContext) -> Iterator[Hit]:
    first: dict[tuple[str, str], str] = {}
    for contract in ctx.contracts():
        for index, example in enumerate(contract.examples):
            if not isinstance(example, dict):
                continue
            source, event_id = example.get("source"), example.get("id")
            if not isinstance(source, str) or not isinstance(event_id, str):
                continue
            owner = first.setdefault((source, event_id), f"{contract.type} example {index}")
            if owner != f"{contract.type} example {index}":
                yield ctx.contract_hit(
                    contract,
                    example_pointer(index, "/id"),
                    f"source + id ({source}, {event_id}) is also used by the {owner}",
                    "CloudEvents consumers de-duplicate on source + id: replaying these examples "
                    "as fixtures delivers only one of them. Give fixtures unique ids.",
                )


# --------------------------------------------------------------------------- QEV409


def required_attribute_optional(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        if not (contract.payload_documented and contract.required_documented):
            continue
        required = set(contract.required)
        for name in REQUIRED_ATTRIBUTES:
            if name in contract.properties and name not in required:
                yield ctx.contract_hit(
                    contract,
                    join("/properties", name),
                    f"{name} is documented as optional, but CloudEvents 1.0 requires it",
                    "Every event carries it; the contract's envelope enforces it regardless.",
                )


RULES = (
    Rule(
        "QEV401", "specversion", "cloudevents", "error",
        "a specversion other than '1.0' in an example, a documented value or the page's prose",
        "CloudEvents 1.0 events carry `specversion: \"1.0\"` for every 1.0.x release of the "
        "specification. Reports example values such as `1.0.2`, documented defaults or enums, "
        "and (with `--docs`) prose that claims another CloudEvents version.",
        specversion,
        why="an event with another specversion is rejected by CloudEvents SDKs",
    ),
    Rule(
        "QEV402", "attribute-name", "cloudevents", "error",
        "an attribute name that CloudEvents does not allow (not lower-case letters and digits)",
        "Top-level attributes such as `eventType`, in the page's table or in an example, cannot "
        "be carried as attributes by the protocol bindings.",
        attribute_name,
        why=(
            "an attribute with that name cannot be carried by the protocol bindings; SDKs reject "
            "or drop it"
        ),
    ),
    Rule(
        "QEV403", "nested-extensions", "cloudevents", "error",
        "extension attributes nested in an object instead of top-level scalars",
        "CloudEvents extension attributes live at the top level of the event and are scalars. "
        "A page that documents an `extensions` object (or an object- or array-typed attribute) "
        "describes a shape no CloudEvents SDK produces.",
        nested_extensions,
        why=(
            "an event with a nested `extensions` object is not a valid CloudEvent; SDKs drop or "
            "reject it"
        ),
    ),
    Rule(
        "QEV404", "datacontenttype", "cloudevents", "error",
        "a datacontenttype that is not a media type",
        "`datacontenttype` must be an RFC 2046 media type such as `application/json`; reports "
        "example values (e.g. the placeholder `string`) and documented defaults or enums.",
        datacontenttype,
        why="an event whose datacontenttype is not a media type is rejected or decoded wrongly",
    ),
    Rule(
        "QEV405", "time-attribute", "cloudevents", "error",
        "a `time` attribute that is not an RFC 3339 timestamp",
        "Reports example `time` values that are not RFC 3339 date-times and pages that document "
        "another format for `time`.",
        time_attribute,
        why="an event with such a `time` is rejected by CloudEvents validators",
    ),
    Rule(
        "QEV406", "source-attribute", "cloudevents", "error",
        "a `source` attribute that is not a URI-reference",
        "Reports example `source` values and documented defaults that are not RFC 3986 "
        "URI-references.",
        source_attribute,
        why="an event with such a `source` is not a valid CloudEvent",
    ),
    Rule(
        "QEV407", "source-not-absolute", "cloudevents", "info",
        "a `source` that is a relative reference where CloudEvents recommends an absolute URI",
        "CloudEvents allows relative references but recommends an absolute URI, so that "
        "source + id identifies an event globally.",
        source_not_absolute,
        why="CloudEvents allows relative references and only recommends an absolute URI",
    ),
    Rule(
        "QEV408", "duplicate-event-id", "cloudevents", "info",
        "doc examples of different events share the same source and id",
        "CloudEvents says source + id identifies one event; consumers use it to de-duplicate. "
        "Examples copied as fixtures with the same pair are silently dropped as duplicates.",
        duplicate_event_id,
        why=(
            "only the examples share the pair; real events get their own ids, so only copied "
            "fixtures suffer"
        ),
    ),
    Rule(
        "QEV409", "required-attribute-optional", "cloudevents", "error",
        "a page documents a required CloudEvents attribute as optional",
        "`id`, `source`, `specversion` and `type` are required by CloudEvents 1.0; a page whose "
        "table marks one of them optional contradicts the specification.",
        required_attribute_optional,
        why=(
            "an event built by the page may omit an attribute every CloudEvent must carry, and is "
            "then rejected"
        ),
    ),
)  # fmt: skip
