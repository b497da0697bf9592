"""The model -> JSON Schema step: one Draft 2020-12 contract per event type.

What the docs say is encoded exactly (required lists, enums, formats, defaults); what the
docs could not say (a truncated depth, an empty type, items of "undefined", an undocumented
payload) is recorded as an `x-qev-*` annotation instead of being guessed. Objects stay open
to unknown properties: strictness is the validator's decision, not the contract's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .._spec.cloudevents import SPECVERSION
from .._spec.uris import BASE_URI, CLOUDEVENTS_ID, DRAFT_2020_12, QLIK_EXTENSIONS_ID
from ._model import DocPage, EventDoc, Field, FieldOption, NamedSchema, PageError, TypeRef

# The one list of keys a page's `Metadata:` clause may carry, shared by the Markdown parser
# (which refuses any other key at its line) and this step (which copies them as written).
# JSON Schema (2020-12) keywords whose value is a literal, not a subschema: applicators
# (properties, items, contains, $ref, allOf, not, ...) take schemas and cannot appear there.
METADATA_KEYWORDS = frozenset(
    {
        "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems",
        "maxContains", "minContains", "maxProperties", "minProperties", "dependentRequired",
        "format", "title", "default", "deprecated", "readOnly", "writeOnly", "examples",
        "contentEncoding", "contentMediaType",
    }
)  # fmt: skip
# Value keywords a page states in its own syntax; a Metadata copy could only contradict it
# (or, for `required`, is not even valid on a property). Key -> where the page says it.
METADATA_STATED_ELSEWHERE = {
    "type": "the Type column",
    "enum": "an `Allowed values:` clause",
    "required": "the Required column",
    "description": "the description text",
}

# The `format` values JSON Schema 2020-12 defines (Validation, section 7.3). A page's other
# formats (`uid`, `url`, `int64`) name no check a validator agrees on: some validators
# ignore them, strict ones refuse the schema. The contract keeps them as the annotation
# `x-qev-format`, so no event is ever rejected for a format JSON Schema does not define.
JSON_SCHEMA_FORMATS = frozenset(
    {
        "date-time", "date", "time", "duration", "email", "idn-email", "hostname",
        "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference",
        "uuid", "uri-template", "json-pointer", "relative-json-pointer", "regex",
    }
)  # fmt: skip

# Why a page's `oneOf(A | B)` / `**One of:**` becomes `anyOf` (kept in every contract that
# has one, as `x-qev-one-of`).
ONE_OF_NOTE = (
    "The page documents oneOf these options; the contract uses anyOf. The options are open "
    "objects (or shapes cut off by the doc renderer), so one event can match two of them "
    "(a bot user has every property a user requires); oneOf would reject such an event, "
    "anyOf accepts every documented option."
)


@dataclass
class EventSource:
    """An event type and every page that mentions it (payload page first)."""

    event: EventDoc
    page: DocPage
    # Other pages that name this type (e.g. a changelog announcing it).
    mentions: list[tuple[EventDoc, DocPage]] = field(default_factory=list)

    @property
    def deprecated(self) -> bool:
        return self.event.deprecated or any(e.deprecated for e, _ in self.mentions)


def contract_file(domain: str, event_type: str) -> str:
    """Where a contract lives, relative to the contracts directory."""
    return f"{domain}/{event_type}.schema.json"


def contract_id(domain: str, event_type: str) -> str:
    return BASE_URI + contract_file(domain, event_type)


def type_schema(t: TypeRef) -> dict[str, Any]:
    """The JSON Schema for a bare documented type (no nested properties)."""
    if t.kind in ("string", "integer", "number", "boolean", "object"):
        return {"type": t.kind}
    if t.kind == "array":
        out: dict[str, Any] = {"type": "array"}
        if t.items is not None:
            out["items"] = type_schema(t.items)
        elif t.items_undefined:
            out["x-qev-items-undefined"] = True
        else:
            out["x-qev-items-undocumented"] = True
        return out
    if t.kind == "named":
        return {"$ref": f"#/$defs/{t.name}"}
    if t.kind == "oneof":
        return {"anyOf": [type_schema(o) for o in t.options], "x-qev-one-of": ONE_OF_NOTE}
    if t.kind == "unknown":
        return {"x-qev-unknown-type": t.raw}
    return {"x-qev-untyped": True}


def _metadata_keywords(f: Field, path: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    conflicting: set[str] = set()
    for key, value in f.metadata:
        if key not in METADATA_KEYWORDS:
            where = METADATA_STATED_ELSEWHERE.get(key)
            raise PageError(
                path,
                f.line,
                f"metadata key {key!r} is not a JSON Schema keyword with a literal value"
                if where is None
                else f"metadata key {key!r} is given by {where}, not by Metadata",
            )
        if key in out and out[key] != value:
            conflicting.add(key)  # the page states no one value (its parser warned)
        out.setdefault(key, value)
    for key in conflicting:
        del out[key]
    fmt = out.get("format")
    if isinstance(fmt, str) and fmt not in JSON_SCHEMA_FORMATS:
        out["x-qev-format"] = out.pop("format")
    return out


def object_schema(fields: list[Field], path: str) -> dict[str, Any]:
    """An open object with the documented properties, in document order."""
    props: dict[str, Any] = {}
    required: list[str] = []
    for f in fields:
        if f.name in props:
            continue  # the parser warned; the first row is the contract's
        props[f.name] = field_schema(f, path)
        if f.required:
            required.append(f.name)
    out: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        out["required"] = required
    return out


def field_schema(f: Field, path: str) -> dict[str, Any]:
    """One property: type, nested properties, enum, metadata and doc annotations."""
    t = f.type
    nested_on_items = t.kind == "array"
    out: dict[str, Any]
    if f.options is not None:
        out = _options_schema(f, path)
    elif f.properties is not None or f.truncated:
        inner: dict[str, Any]
        if f.properties is not None:
            inner = object_schema(f.properties, path)
        else:
            inner = {"type": "object", "x-qev-truncated": True}
        if nested_on_items:
            out = {"type": "array", "items": inner}
        else:
            out = inner
            if t.kind == "named":
                out["x-qev-named-type"] = t.name
            elif t.kind not in ("object", "untyped", "oneof", "unknown"):
                raise PageError(
                    path, f.line, f"{f.name!r} has nested properties but type {t.raw!r}"
                )
    else:
        out = type_schema(t)
    if f.description:
        out["description"] = f.description
    if f.enum is not None:
        _allowed_values(out)["enum"] = list(f.enum)
    out.update(_metadata_keywords(f, path))
    if f.deprecated:
        out["deprecated"] = True
    return out


def _options_schema(f: Field, path: str) -> dict[str, Any]:
    """`**One of:**` alternatives spelled out in the field's details block, as anyOf.

    The pages print option N of `oneOf(user | botUser)` as a one-row table whose row is
    named and typed `user`: the option is that row's schema (the examples put the user's
    properties directly in the field), not an object with a `user` property.
    """
    labels = [o.raw.strip() for o in f.type.options] if f.type.kind == "oneof" else []
    branches = [
        _option_schema(option, labels[i] if i < len(labels) else None, path)
        for i, option in enumerate(f.options or [])
    ]
    return {"anyOf": branches, "x-qev-one-of": ONE_OF_NOTE}


def _option_schema(option: FieldOption, label: str | None, path: str) -> dict[str, Any]:
    if option.properties is not None:
        rows = option.properties
        if len(rows) == 1 and rows[0].name == label and rows[0].type.raw.strip() == label:
            return field_schema(rows[0], path)
        return object_schema(rows, path)
    if option.truncated:
        # Cut off by the doc renderer: not even the JSON type is known.
        return {"x-qev-truncated": True}
    return {"x-qev-untyped": True}


def _allowed_values(out: dict[str, Any]) -> dict[str, Any]:
    """Where a field's allowed values apply: the field, or for an array the values in it
    (the innermost items of an array of arrays)."""
    while out.get("type") == "array":
        out = out.setdefault("items", {})
    return out


def named_schema(s: NamedSchema, path: str) -> dict[str, Any]:
    """A page schema. A `**Type:** X[]` schema describes the elements of such arrays: the
    pages reference it as `name[]` (`assignedRoles[]` for an `object[]` schema, `spaceRoles[]`
    for a `string[]` one). A scalar schema prints its values as a one-row table whose row
    carries the schema's type and allowed values: the schema is that row."""
    t = s.type
    scalar = t is not None and (
        t.kind in ("string", "integer", "number", "boolean")
        or (t.kind == "array" and t.items is not None and t.items.kind != "object")
    )
    if s.properties is not None and scalar and len(s.properties) == 1:
        out = field_schema(s.properties[0], path)
        if t is not None and t.kind == "array" and out.get("type") == "array":
            out = {**out.get("items", {}), **{k: v for k, v in out.items() if k == "description"}}
    elif s.properties is not None:
        out = object_schema(s.properties, path)
    elif t is not None:
        out = type_schema(t)
    else:
        out = {}
    if s.description:
        out["description"] = s.description
    return out


def _page_provenance(page: DocPage, line: int) -> dict[str, Any]:
    out: dict[str, Any] = {"page": page.name, "line": line, "format": page.format}
    if page.source_url:
        out["source_url"] = page.source_url
    if page.last_updated:
        out["last_updated"] = page.last_updated
    return out


def event_contract(src: EventSource) -> dict[str, Any]:
    """The full contract for one event type."""
    ev, page = src.event, src.page
    path = page.path
    documented = ev.payload is not None
    if ev.payload is not None:
        body = object_schema(ev.payload, path)
    else:
        body = {"type": "object", "properties": {}}
    props = body["properties"]
    # The declared name wins over whatever a doc example or `default` says.
    props["type"] = _pinned(props.get("type"), ev.type)
    props["specversion"] = _pinned(props.get("specversion"), SPECVERSION)

    contract: dict[str, Any] = {
        "$schema": DRAFT_2020_12,
        "$id": contract_id(ev.domain, ev.type),
        "title": ev.title or ev.type,
        "allOf": [{"$ref": CLOUDEVENTS_ID}, {"$ref": QLIK_EXTENSIONS_ID}],
        **body,
    }
    if src.deprecated:
        contract["deprecated"] = True
    if ev.description:
        contract["description"] = ev.description
    if page.schemas:
        contract["$defs"] = {name: named_schema(s, path) for name, s in page.schemas.items()}
    _check_named_refs(ev, page)
    contract["examples"] = [ex.value for ex in ev.examples]
    contract["x-qev-event"] = {
        "type": ev.type,
        "domain": ev.domain,
        "channel": ev.channel,
        "title": ev.title,
        "action": ev.action,
        "visibility": ev.visibility,
        "stability": ev.stability,
        "deprecated": src.deprecated,
        "payload_documented": documented,
        "required_documented": documented and ev.documents_required,
    }
    if not documented:
        contract["x-qev-payload-undocumented"] = True
    contract["x-qev-provenance"] = [_page_provenance(page, ev.line)] + [
        _page_provenance(p, e.line) for e, p in src.mentions
    ]
    return contract


def _pinned(documented: dict[str, Any] | None, value: str) -> dict[str, Any]:
    """An attribute whose value the contract pins (`const`). Allowed values that are just
    that value say nothing more (and would fail an event twice for one reason): dropped."""
    out = {**(documented or {"type": "string"}), "const": value}
    if out.get("enum") == [value]:
        del out["enum"]
    return out


def _check_named_refs(ev: EventDoc, page: DocPage) -> None:
    """Every named type with no inline table must exist in the page's Schemas section.

    Checked in the event's payload and in every named schema of the page (all of them go
    into the contract's `$defs`), so no `$ref` in a contract can dangle.
    """

    def missing(t: TypeRef | None) -> str | None:
        t = t.items if t is not None and t.kind == "array" and t.items else t
        if t is not None and t.kind == "named" and t.name not in page.schemas:
            return t.name
        return None

    def walk(fields: list[Field]) -> None:
        for f in fields:
            name = missing(f.type) if f.properties is None else None
            if name is not None:
                raise PageError(
                    page.path,
                    f.line,
                    f"type {name!r} of {f.name!r} is not defined in the "
                    "page's Schemas section and has no properties table",
                )
            if f.properties:
                walk(f.properties)

    walk(ev.payload or [])
    for schema in page.schemas.values():
        if schema.properties is not None:
            walk(schema.properties)
        elif (name := missing(schema.type)) is not None:
            raise PageError(
                page.path,
                schema.line,
                f"type {name!r} of schema {schema.name!r} is not defined in the "
                "page's Schemas section",
            )
