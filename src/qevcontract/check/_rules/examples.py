"""Example vs schema (QEV2xx): every doc example validated against its own contract.

Each example is validated with `Validator(force_type=<its contract's type>)`, so an example
that carries the wrong `type` is still checked against the event it illustrates. A violation
that a more specific rule explains (a wrong `type` name, a CloudEvents attribute problem) is
reported by that rule, under its code; everything else is QEV201 here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..._spec.patterns import is_date_time
from .._context import CheckContext
from .._findings import Hit
from .._registry import Rule
from .._schemawalk import CORE_ATTRIBUTES, PAYLOAD_MEMBERS, Contract, join, schema_at
from .shapes import (
    PLACEHOLDER,
    described_shape,
    fraction_digits,
    identifier_like,
)

if TYPE_CHECKING:
    from ...validate._results import Violation

# Violations of the envelope's CloudEvents attributes belong to the QEV4xx rules.
_ATTRIBUTE_RULES = {
    "/specversion": "QEV401",
    "/datacontenttype": "QEV404",
    "/time": "QEV405",
    "/source": "QEV406",
}


def claiming_rule(v: Violation) -> str:
    """The code of the rule that reports an example violation."""
    if v.rule == "attribute-name":
        return "QEV402"
    if v.rule == "attribute-value":
        return "QEV403"
    if v.pointer == "/type" and v.keyword == "const":
        return "QEV301"
    return _ATTRIBUTE_RULES.get(v.pointer, "QEV201")


def example_pointer(index: int, pointer: str = "") -> str:
    return f"/examples/{index}{pointer}"


def claimed_violations(ctx: CheckContext, code: str) -> Iterator[tuple[Contract, int, Violation]]:
    """Example violations that the rule `code` reports, with their contract and example."""
    for contract in ctx.contracts():
        for index, violations in enumerate(ctx.example_violations(contract)):
            for v in violations:
                if claiming_rule(v) == code:
                    yield contract, index, v


# --------------------------------------------------------------------------- QEV200


def contract_unusable(ctx: CheckContext) -> Iterator[Hit]:
    broken = ctx.broken()
    for event_type, file, why in broken:
        yield Hit("", f"the contract cannot be read: {why}", _FIX_CONTRACT, event_type, file)
    if broken:
        return  # validators resolve $refs across the whole set: nothing compiles until it reads
    unusable = ctx.unusable()
    culprits = [c for c in ctx.contracts() if c.type in unusable and _names_culprit(c, unusable)]
    for contract in culprits or [c for c in ctx.contracts() if c.type in unusable]:
        yield ctx.contract_hit(
            contract,
            "",
            f"the contract cannot be compiled: {unusable[contract.type]}",
            _FIX_CONTRACT,
        )


def _names_culprit(contract: Contract, unusable: dict[str, str]) -> bool:
    """Whether this contract holds the `$ref` the compile error names.

    Validators load the whole set, so one bad `$ref` stops every contract from compiling;
    the finding belongs to the contract that holds it.
    """
    quoted = re.findall(r"'([^']+)'", unusable[contract.type])
    text = json.dumps(contract.schema)
    return any(json.dumps(uri) in text for uri in quoted if "/" in uri)


_FIX_CONTRACT = (
    "Rebuild the set with 'qevcontract contracts build' or fix the file by hand; until then no "
    "doc example can be validated, because every contract resolves $refs across the set."
)

# --------------------------------------------------------------------------- QEV201


def example_invalid(ctx: CheckContext) -> Iterator[Hit]:
    for contract, index, v in claimed_violations(ctx, "QEV201"):
        yield ctx.contract_hit(
            contract,
            example_pointer(index, v.pointer),
            f"the doc example contradicts its own contract: {v.message}",
            _hint_for(v.keyword),
            key=v.keyword,
        )


def _hint_for(keyword: str) -> str:
    if keyword in ("type", "items"):
        return (
            "The schema and the example disagree on the value's shape; real events may "
            "follow either. Accept both until the vendor confirms, or pin one with an override."
        )
    if keyword == "required":
        return "The example omits a property the schema requires: consumers should not rely on it."
    return (
        "Do not copy this example into fixtures as it is; one of the page's two statements "
        "is wrong."
    )


# --------------------------------------------------------------------------- QEV202


def example_undocumented_property(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        for index, example in enumerate(contract.examples):
            yield from _undocumented(ctx, contract, index, example, [])


def _undocumented(
    ctx: CheckContext, contract: Contract, index: int, value: Any, path: list[str | int]
) -> Iterator[Hit]:
    schema = schema_at(contract.schema, path)
    if schema is None:
        return
    pointer = example_pointer(index, join("", *path))
    if isinstance(value, dict):
        if schema.get("x-qev-truncated") and value:
            yield ctx.contract_hit(
                contract,
                pointer,
                f"{_display(path)}: the contract cuts this object off at the renderer's depth "
                f"limit, but the example shows its properties: {', '.join(sorted(value))}",
                "The example is the only description of these properties; do not rely on "
                "their types until the docs publish them.",
            )
            return
        props = schema.get("properties")
        if isinstance(props, dict):
            allowed = set(props) | (CORE_ATTRIBUTES | PAYLOAD_MEMBERS if not path else set())
            for key in sorted(k for k in value if k not in allowed):
                yield ctx.contract_hit(
                    contract,
                    join(pointer, key),
                    f"{_display([*path, key])}: the example carries a property its contract "
                    "does not document",
                    "Producers may send it; consumers validating strictly will reject it.",
                )
        for key, sub in value.items():
            yield from _undocumented(ctx, contract, index, sub, [*path, key])
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _undocumented(ctx, contract, index, sub, [*path, i])


def _display(path: list[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else ("." if out else "") + str(p)
    return out or "(event)"


# --------------------------------------------------------------------------- QEV203


def example_placeholder(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        violations = ctx.example_violations(contract)
        for index, example in enumerate(contract.examples):
            flagged = {v.pointer for v in violations[index]} if index < len(violations) else set()
            for path, value in _strings(example, []):
                if value != PLACEHOLDER or join("", *path) in flagged:
                    continue
                what = _placeholder_for(contract, path)
                if what is not None:
                    yield ctx.contract_hit(
                        contract,
                        example_pointer(index, join("", *path)),
                        f"{_display(path)}: the example shows the placeholder {PLACEHOLDER!r} "
                        f"where {what} belongs",
                        "Fixtures copied from this example will not look like real events; use "
                        "a realistic value (a fixture generated from the contract has one).",
                    )


def _strings(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, [*path, k])
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, [*path, i])


def _placeholder_for(contract: Contract, path: list[str | int]) -> str | None:
    """What kind of value belongs where the example shows a placeholder, if known."""
    schema = schema_at(contract.schema, path) or {}
    raw = schema.get("description")
    description = raw if isinstance(raw, str) else ""
    shape = described_shape(description)
    if shape is not None:
        return shape.describe()  # a placeholder, not a contradiction: QEV706 skips it
    if isinstance(schema.get("format"), str):
        return f"a {schema['format']}"
    if "enum" in schema or "const" in schema:
        return "one of the allowed values"
    names = [p for p in path if isinstance(p, str)]
    name = names[-1] if names else ""
    if identifier_like(name, description):
        return "an identifier"
    return None


# --------------------------------------------------------------------------- QEV204


def example_timestamp_precision(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        for index, example in enumerate(contract.examples):
            for path, value in _strings(example, []):
                digits = fraction_digits(value) if is_date_time(value) else 0
                if digits > 3:
                    yield ctx.contract_hit(
                        contract,
                        example_pointer(index, join("", *path)),
                        f"{_display(path)}: {value!r} has {digits} fractional-second digits",
                        "RFC 3339 allows it, but parsers with millisecond precision (JavaScript "
                        "Date, many SQL types) drop digits: compare timestamps as parsed values, "
                        "not strings, and accept any precision.",
                    )


# --------------------------------------------------------------------------- QEV205


def example_missing(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        if contract.payload_documented and not contract.examples:
            yield ctx.contract_hit(
                contract,
                "/examples",
                "the page documents this event's payload but gives no example",
                "Nothing shows how the documented fields combine; generate a fixture from the "
                "contract and confirm it against a real event.",
            )


RULES = (
    Rule(
        "QEV200", "contract-unusable", "examples", "error",
        "a contract cannot be read or compiled, so its examples cannot be checked",
        "The contract file is unreadable JSON, references a schema outside the contract set, or "
        "is not a valid Draft 2020-12 schema. Examples are validated with the whole set loaded, "
        "so while one file is unreadable no example is checked: fix this first.",
        contract_unusable,
        why=(
            "a contract that cannot be compiled checks nothing: every event against it is "
            "rejected or unchecked"
        ),
    ),
    Rule(
        "QEV201", "example-invalid", "examples", "error",
        "a doc example violates its own contract",
        "Each example is validated against the contract of the event it illustrates (not the "
        "contract its possibly wrong `type` names). Every violation is reported with the JSON "
        "pointer into the example, e.g. `/examples/0/data/recipientIds/0`. Violations of "
        "CloudEvents attributes and of the event `type` are reported by the QEV4xx rules and "
        "QEV301 instead, under their own codes. The page contradicts itself: either the table "
        "or the example is wrong, and real events may look like either.",
        example_invalid,
        why=(
            "an event built like the page's own example is rejected by the contract (e.g. nested "
            "`recipientIds` arrays)"
        ),
    ),
    Rule(
        "QEV202", "example-undocumented-property", "examples", "warning",
        "a doc example shows properties its contract does not document",
        "The example carries a property that the payload table does not list, or shows the "
        "inside of an object the doc renderer cut off at its depth limit (`x-qev-truncated`). "
        "The example is then the only description of those properties. Consumers validating in "
        "strict mode reject such events.",
        example_undocumented_property,
        why=(
            "real events carry properties the contract does not document; a consumer must know "
            "they exist"
        ),
    ),
    Rule(
        "QEV203", "example-placeholder", "examples", "info",
        "a doc example shows the placeholder 'string' where a real value has a known shape",
        "The doc renderer prints `\"string\"` for values it has no sample for. Where the field "
        "is an identifier, has a format or an enum, the placeholder hides what a real value "
        "looks like, and fixtures copied from the example are unrealistic. (When the field's "
        "description names the format, QEV706 reports it instead.)",
        example_placeholder,
        why="a placeholder in an example is editorial: the schema still says what the value is",
    ),
    Rule(
        "QEV204", "example-timestamp-precision", "examples", "info",
        "a doc example's timestamp has more than millisecond precision",
        "RFC 3339 allows any number of fractional-second digits, but many consumers parse with "
        "millisecond precision and silently drop the rest, and string comparison of timestamps "
        "with different precisions orders them wrongly. Parse timestamps; do not compare them "
        "as text.",
        example_timestamp_precision,
        why=(
            "RFC 3339 allows any fraction of a second; only parsers limited to milliseconds "
            "notice"
        ),
    ),
    Rule(
        "QEV205", "example-missing", "examples", "info",
        "an event with a documented payload has no example",
        "Without an example nothing shows how the documented fields combine in a real event.",
        example_missing,
        why="a missing example is an editorial gap: the schema still documents the payload",
    ),
)  # fmt: skip
