"""The change-kind table: one pair of tiny contract sets per kind of schema change.

Each case changes the `data` schema of one event type and states, from the JSON Schema
semantics (not from the code), which change kinds must be named, whom each breaks, and the
verdict per side. Where a side breaks, its witness event must be accepted by one contract
and rejected by the other, as the project's Validator judges it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from qevcontract.diff._kinds import KINDS
from qevcontract.diff._model import Impact, Side

from .conftest import Pair, witness_holds

P, C, B, N = Impact.PRODUCER, Impact.CONSUMER, Impact.BOTH, Impact.NONE
S = {"type": "string"}
I = {"type": "integer"}  # noqa: E741


def obj(props: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props, **kw}


def arr(**kw: Any) -> dict[str, Any]:
    return {"type": "array", **kw}


@dataclass(frozen=True)
class Case:
    id: str
    old: Any
    new: Any
    kinds: tuple[tuple[str, Impact], ...]
    producer: bool
    consumer: bool
    options: dict[str, Any] = field(default_factory=dict)


CASES = [
    # objects: required
    Case(
        "required-added",
        obj({"a": S}),
        obj({"a": S}, required=["a"]),
        (("required-added", P),),
        True,
        False,
    ),
    Case(
        "required-removed",
        obj({"a": S}, required=["a"]),
        obj({"a": S}),
        (("required-removed", C),),
        False,
        True,
    ),
    # objects: open vs closed content models
    Case(
        "property-added-open",
        obj({"a": S}),
        obj({"a": S, "b": I}),
        (("property-added", N),),
        False,
        False,
    ),
    Case(
        "property-added-open-strict",
        obj({"a": S}),
        obj({"a": S, "b": I}),
        (("property-added", P),),
        True,
        False,
        {"strict_open_content": True},
    ),
    Case(
        "property-added-closed",
        obj({"a": S}, additionalProperties=False),
        obj({"a": S, "b": I}, additionalProperties=False),
        (("property-added-closed", C),),
        False,
        True,
    ),
    Case(
        "property-removed-open",
        obj({"a": S, "b": I}),
        obj({"a": S}),
        (("property-removed", C),),
        False,
        True,
    ),
    Case(
        "property-removed-closed",
        obj({"a": S, "b": I}, additionalProperties=False),
        obj({"a": S}, additionalProperties=False),
        (("property-removed-closed", P),),
        True,
        False,
    ),
    Case(
        "property-redeclared",
        obj({}, additionalProperties=S),
        obj({"b": {"type": "string", "maxLength": 3}}, additionalProperties=S),
        (("property-redeclared", N), ("max-length-decreased", P)),
        True,
        False,
    ),
    Case(
        "additional-properties-closed",
        obj({"a": S}),
        obj({"a": S}, additionalProperties=False),
        (("additional-properties-closed", P),),
        True,
        False,
    ),
    Case(
        "additional-properties-opened",
        obj({"a": S}, additionalProperties=False),
        obj({"a": S}),
        (("additional-properties-opened", C),),
        False,
        True,
    ),
    Case(
        "additional-properties-constrained",
        obj({"a": S}),
        obj({"a": S}, additionalProperties=I),
        (("additional-properties-constrained", P),),
        True,
        False,
    ),
    Case(
        "additional-properties-unconstrained",
        obj({"a": S}, additionalProperties=I),
        obj({"a": S}),
        (("additional-properties-unconstrained", C),),
        False,
        True,
    ),
    Case(
        "additional-properties-schema-narrowed",
        obj({}, additionalProperties={"type": ["string", "integer"]}),
        obj({}, additionalProperties=S),
        (("type-narrowed", P),),
        True,
        False,
    ),
    Case(
        "unevaluated-properties-closed",
        {"allOf": [obj({"a": S})]},
        {"allOf": [obj({"a": S})], "unevaluatedProperties": False},
        (("unevaluated-properties-closed", P),),
        True,
        False,
    ),
    Case(
        "unevaluated-properties-opened",
        {"allOf": [obj({"a": S})], "unevaluatedProperties": False},
        {"allOf": [obj({"a": S})]},
        (("unevaluated-properties-opened", C),),
        False,
        True,
    ),
    Case(
        "pattern-property-added",
        obj({}),
        obj({}, patternProperties={"^x-": S}),
        (("pattern-property-added", P),),
        True,
        False,
    ),
    Case(
        "pattern-property-removed",
        obj({}, patternProperties={"^x-": S}),
        obj({}),
        (("pattern-property-removed", C),),
        False,
        True,
    ),
    Case(
        "property-names-constrained",
        obj({}),
        obj({}, propertyNames={"pattern": "^[a-z]+$"}),
        (("property-names-constrained", P),),
        True,
        False,
    ),
    Case(
        "property-names-unconstrained",
        obj({}, propertyNames={"pattern": "^[a-z]+$"}),
        obj({}),
        (("property-names-unconstrained", C),),
        False,
        True,
    ),
    Case(
        "min-properties-increased",
        obj({}),
        obj({}, minProperties=1),
        (("min-properties-increased", P),),
        True,
        False,
    ),
    Case(
        "min-properties-decreased",
        obj({}, minProperties=1),
        obj({}),
        (("min-properties-decreased", C),),
        False,
        True,
    ),
    Case(
        "max-properties-decreased",
        obj({}),
        obj({}, maxProperties=1),
        (("max-properties-decreased", P),),
        True,
        False,
    ),
    Case(
        "max-properties-increased",
        obj({}, maxProperties=1),
        obj({}),
        (("max-properties-increased", C),),
        False,
        True,
    ),
    Case(
        "dependent-required-added",
        obj({"a": S, "b": S}),
        obj({"a": S, "b": S}, dependentRequired={"a": ["b"]}),
        (("dependent-required-added", P),),
        True,
        False,
    ),
    Case(
        "dependent-required-removed",
        obj({"a": S, "b": S}, dependentRequired={"a": ["b"]}),
        obj({"a": S, "b": S}),
        (("dependent-required-removed", C),),
        False,
        True,
    ),
    Case(
        "dependent-schema-added",
        obj({"a": S}),
        obj({"a": S}, dependentSchemas={"a": {"required": ["b"]}}),
        (("dependent-schema-added", P),),
        True,
        False,
    ),
    Case(
        "dependent-schema-removed",
        obj({"a": S}, dependentSchemas={"a": {"required": ["b"]}}),
        obj({"a": S}),
        (("dependent-schema-removed", C),),
        False,
        True,
    ),
    # JSON types
    Case("type-narrowed", {"type": ["string", "null"]}, S, (("type-narrowed", P),), True, False),
    Case(
        "type-narrowed-number-integer", {"type": "number"}, I, (("type-narrowed", P),), True, False
    ),
    Case("type-widened", S, {"type": ["string", "null"]}, (("type-widened", C),), False, True),
    Case("type-widened-integer-number", I, {"type": "number"}, (("type-widened", C),), False, True),
    Case("type-changed", S, I, (("type-changed", B),), True, True),
    Case("type-constraint-added", {}, S, (("type-constraint-added", P),), True, False),
    Case("type-constraint-removed", S, {}, (("type-constraint-removed", C),), False, True),
    # values
    Case(
        "enum-value-removed",
        {"enum": ["a", "b"]},
        {"enum": ["a"]},
        (("enum-value-removed", P),),
        True,
        False,
    ),
    Case(
        "enum-value-added",
        {"enum": ["a"]},
        {"enum": ["a", "b"]},
        (("enum-value-added", C),),
        False,
        True,
    ),
    Case("enum-added", S, {"type": "string", "enum": ["a"]}, (("enum-added", P),), True, False),
    Case("enum-removed", {"type": "string", "enum": ["a"]}, S, (("enum-removed", C),), False, True),
    Case("const-added", S, {"type": "string", "const": "a"}, (("const-added", P),), True, False),
    Case(
        "const-removed", {"type": "string", "const": "a"}, S, (("const-removed", C),), False, True
    ),
    Case("const-changed", {"const": "a"}, {"const": "b"}, (("const-changed", B),), True, True),
    Case(
        "const-to-enum",
        {"const": "a"},
        {"enum": ["a", "b"]},
        (("enum-value-added", C),),
        False,
        True,
    ),
    Case(
        "enum-value-removed-masked-by-type",
        {"type": "string", "enum": ["a", 1]},
        {"type": "string", "enum": ["a"]},
        (("enum-value-removed", P),),
        False,
        False,
    ),
    # strings
    Case(
        "min-length-increased",
        S,
        {"type": "string", "minLength": 2},
        (("min-length-increased", P),),
        True,
        False,
    ),
    Case(
        "min-length-decreased",
        {"type": "string", "minLength": 2},
        S,
        (("min-length-decreased", C),),
        False,
        True,
    ),
    Case(
        "max-length-decreased",
        S,
        {"type": "string", "maxLength": 2},
        (("max-length-decreased", P),),
        True,
        False,
    ),
    Case(
        "max-length-increased",
        {"type": "string", "maxLength": 2},
        S,
        (("max-length-increased", C),),
        False,
        True,
    ),
    Case(
        "pattern-added",
        S,
        {"type": "string", "pattern": "^a+$"},
        (("pattern-added", P),),
        True,
        False,
    ),
    Case(
        "pattern-removed",
        {"type": "string", "pattern": "^a+$"},
        S,
        (("pattern-removed", C),),
        False,
        True,
    ),
    Case(
        "pattern-changed",
        {"type": "string", "pattern": "^a+$"},
        {"type": "string", "pattern": "^b+$"},
        (("pattern-changed", B),),
        True,
        True,
    ),
    Case(
        "format-added",
        S,
        {"type": "string", "format": "date-time"},
        (("format-added", P),),
        True,
        False,
    ),
    Case(
        "format-removed",
        {"type": "string", "format": "date-time"},
        S,
        (("format-removed", C),),
        False,
        True,
    ),
    Case(
        "format-changed",
        {"type": "string", "format": "date-time"},
        {"type": "string", "format": "uuid"},
        (("format-changed", B),),
        True,
        True,
    ),
    # numbers
    Case(
        "minimum-increased",
        I,
        {"type": "integer", "minimum": 1},
        (("minimum-increased", P),),
        True,
        False,
    ),
    Case(
        "minimum-decreased",
        {"type": "integer", "minimum": 1},
        I,
        (("minimum-decreased", C),),
        False,
        True,
    ),
    Case(
        "minimum-made-exclusive",
        {"type": "number", "minimum": 0},
        {"type": "number", "exclusiveMinimum": 0},
        (("minimum-increased", P),),
        True,
        False,
    ),
    Case(
        "maximum-decreased",
        I,
        {"type": "integer", "maximum": 9},
        (("maximum-decreased", P),),
        True,
        False,
    ),
    Case(
        "maximum-increased",
        {"type": "integer", "maximum": 9},
        I,
        (("maximum-increased", C),),
        False,
        True,
    ),
    Case(
        "multiple-of-added",
        I,
        {"type": "integer", "multipleOf": 2},
        (("multiple-of-added", P),),
        True,
        False,
    ),
    Case(
        "multiple-of-removed",
        {"type": "integer", "multipleOf": 2},
        I,
        (("multiple-of-removed", C),),
        False,
        True,
    ),
    Case(
        "multiple-of-narrowed",
        {"type": "integer", "multipleOf": 2},
        {"type": "integer", "multipleOf": 4},
        (("multiple-of-changed", P),),
        True,
        False,
    ),
    Case(
        "multiple-of-widened",
        {"type": "integer", "multipleOf": 4},
        {"type": "integer", "multipleOf": 2},
        (("multiple-of-changed", C),),
        False,
        True,
    ),
    # arrays
    Case("min-items-increased", arr(), arr(minItems=1), (("min-items-increased", P),), True, False),
    Case("min-items-decreased", arr(minItems=1), arr(), (("min-items-decreased", C),), False, True),
    Case("max-items-decreased", arr(), arr(maxItems=1), (("max-items-decreased", P),), True, False),
    Case("max-items-increased", arr(maxItems=1), arr(), (("max-items-increased", C),), False, True),
    Case(
        "unique-items-added",
        arr(),
        arr(uniqueItems=True),
        (("unique-items-added", P),),
        True,
        False,
    ),
    Case(
        "unique-items-removed",
        arr(uniqueItems=True),
        arr(),
        (("unique-items-removed", C),),
        False,
        True,
    ),
    Case("items-added", arr(), arr(items=S), (("items-added", P),), True, False),
    Case("items-removed", arr(items=S), arr(), (("items-removed", C),), False, True),
    Case("items-type-changed", arr(items=S), arr(items=I), (("type-changed", B),), True, True),
    Case(
        "prefix-item-added", arr(), arr(prefixItems=[S]), (("prefix-item-added", P),), True, False
    ),
    Case(
        "prefix-item-removed",
        arr(prefixItems=[S]),
        arr(),
        (("prefix-item-removed", C),),
        False,
        True,
    ),
    Case("contains-added", arr(), arr(contains=I), (("contains-added", P),), True, False),
    Case("contains-removed", arr(contains=I), arr(), (("contains-removed", C),), False, True),
    Case(
        "min-contains-increased",
        arr(contains=I),
        arr(contains=I, minContains=2),
        (("min-contains-increased", P),),
        True,
        False,
    ),
    Case(
        "min-contains-decreased",
        arr(contains=I, minContains=2),
        arr(contains=I),
        (("min-contains-decreased", C),),
        False,
        True,
    ),
    Case(
        "max-contains-decreased",
        arr(contains=I),
        arr(contains=I, maxContains=1),
        (("max-contains-decreased", P),),
        True,
        False,
    ),
    Case(
        "max-contains-increased",
        arr(contains=I, maxContains=1),
        arr(contains=I),
        (("max-contains-increased", C),),
        False,
        True,
    ),
    Case(
        "unevaluated-items-closed",
        arr(prefixItems=[S]),
        arr(prefixItems=[S], unevaluatedItems=False),
        (("unevaluated-items-closed", P),),
        True,
        False,
    ),
    Case(
        "unevaluated-items-opened",
        arr(prefixItems=[S], unevaluatedItems=False),
        arr(prefixItems=[S]),
        (("unevaluated-items-opened", C),),
        False,
        True,
    ),
    # composition
    Case(
        "all-of-branch-added",
        {"allOf": [S]},
        {"allOf": [S, {"minLength": 1}]},
        (("all-of-branch-added", P),),
        True,
        False,
    ),
    Case(
        "all-of-branch-removed",
        {"allOf": [S, {"minLength": 1}]},
        {"allOf": [S]},
        (("all-of-branch-removed", C),),
        False,
        True,
    ),
    Case(
        "all-of-branch-changed",
        {"allOf": [obj({"a": {"maxLength": 5}}), obj({})]},
        {"allOf": [obj({"a": {"maxLength": 3}}), obj({})]},
        (("max-length-decreased", P),),
        True,
        False,
    ),
    Case(
        "any-of-branch-added",
        {"anyOf": [S]},
        {"anyOf": [S, I]},
        (("any-of-branch-added", C),),
        False,
        True,
    ),
    Case(
        "any-of-branch-removed",
        {"anyOf": [S, I]},
        {"anyOf": [S]},
        (("any-of-branch-removed", P),),
        True,
        False,
    ),
    Case(
        "any-of-branch-narrowed",
        {"anyOf": [{"type": "string", "maxLength": 5}, I]},
        {"anyOf": [{"type": "string", "maxLength": 3}, I]},
        (("max-length-decreased", P),),
        True,
        False,
    ),
    Case(
        "any-of-branch-narrowed-but-covered",
        {"anyOf": [{"type": "string", "maxLength": 5}, S]},
        {"anyOf": [{"type": "string", "maxLength": 3}, S]},
        (("max-length-decreased", P),),
        False,
        False,
    ),
    Case(
        "one-of-branch-added",
        {"oneOf": [S, I]},
        {"oneOf": [S, I, {"type": "number"}]},
        (("one-of-branch-added", B),),
        True,
        True,
    ),
    Case(
        "one-of-branch-removed",
        {"oneOf": [S, I]},
        {"oneOf": [S]},
        (("one-of-branch-removed", B),),
        True,
        False,
    ),
    Case(
        "one-of-branch-widened",
        {"oneOf": [S, {"type": "integer", "maximum": 5}]},
        {"oneOf": [S, I]},
        (("maximum-increased", B),),
        False,
        True,
    ),
    Case(
        "not-added", S, {"type": "string", "not": {"const": "x"}}, (("not-added", P),), True, False
    ),
    Case(
        "not-removed",
        {"type": "string", "not": {"const": "x"}},
        S,
        (("not-removed", C),),
        False,
        True,
    ),
    Case(
        "not-widened",
        {"not": S},
        {"not": {"type": ["string", "integer"]}},
        (("type-widened", P),),
        True,
        False,
    ),
    Case(
        "conditional-added",
        obj({"k": S}),
        obj(
            {"k": S},
            **{"if": obj({"k": {"const": "a"}}, required=["k"]), "then": {"required": ["x"]}},
        ),
        (("conditional-added", P),),
        True,
        False,
    ),
    Case(
        "conditional-removed",
        obj(
            {"k": S},
            **{"if": obj({"k": {"const": "a"}}, required=["k"]), "then": {"required": ["x"]}},
        ),
        obj({"k": S}),
        (("conditional-removed", C),),
        False,
        True,
    ),
    Case(
        "condition-changed",
        obj(
            {"k": S},
            **{"if": obj({"k": {"const": "a"}}, required=["k"]), "then": {"required": ["x"]}},
        ),
        obj(
            {"k": S},
            **{"if": obj({"k": {"const": "b"}}, required=["k"]), "then": {"required": ["x"]}},
        ),
        (("condition-changed", B),),
        True,
        True,
    ),
    Case(
        "schema-became-false",
        obj({"a": True}),
        obj({"a": False}),
        (("schema-became-false", P),),
        True,
        False,
    ),
    Case(
        "schema-became-true",
        obj({"a": False}),
        obj({"a": True}),
        (("schema-became-true", C),),
        False,
        True,
    ),
    # annotations
    Case(
        "description-changed",
        {"type": "string", "description": "old words"},
        {"type": "string", "description": "new words", "title": "T"},
        (("description-changed", N),),
        False,
        False,
    ),
    Case(
        "examples-changed",
        {"type": "string", "examples": ["a"]},
        {"type": "string", "examples": ["b"]},
        (("examples-changed", N),),
        False,
        False,
    ),
    Case(
        "default-changed",
        {"type": "string", "default": "a"},
        {"type": "string", "default": "b"},
        (("default-changed", N),),
        False,
        False,
    ),
    Case(
        "deprecated-changed",
        S,
        {"type": "string", "deprecated": True},
        (("deprecated-changed", N),),
        False,
        False,
    ),
    Case(
        "content-annotation-changed",
        S,
        {"type": "string", "contentMediaType": "application/json"},
        (("content-annotation-changed", N),),
        False,
        False,
    ),
    Case(
        "annotation-changed",
        S,
        {"type": "string", "x-note": 1},
        (("annotation-changed", N),),
        False,
        False,
    ),
]


def _run(pair: Pair, case: Case, real: bool) -> Any:
    td = pair.data(case.old, case.new, real=real).type_diff(**case.options)
    assert td is not None, "the diff reported no change"
    return td


ENVELOPES = pytest.mark.parametrize("real", [False, True], ids=["tiny-envelope", "real-envelope"])


@ENVELOPES
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_change_kind_is_named_and_classified(pair: Pair, case: Case, real: bool) -> None:
    td = _run(pair, case, real)
    named = {(c.kind, c.impact) for c in td.changes}
    for expected in case.kinds:
        assert expected in named, f"expected {expected}, got {sorted(named)}"
    assert td.producer.breaking is case.producer, td.producer
    assert td.consumer.breaking is case.consumer, td.consumer


@ENVELOPES
@pytest.mark.parametrize("case", [c for c in CASES if c.producer or c.consumer], ids=lambda c: c.id)
def test_every_break_has_a_witness_that_separates_the_contracts(
    pair: Pair, case: Case, real: bool
) -> None:
    td = _run(pair, case, real)
    for side, breaks in ((Side.PRODUCER, case.producer), (Side.CONSUMER, case.consumer)):
        if breaks:
            verdict = td.producer if side is Side.PRODUCER else td.consumer
            assert verdict.has_witness, f"{side.value}: no witness ({verdict.note})"
            assert witness_holds(pair, td, side), verdict.witness


def test_the_table_covers_at_least_40_kinds_and_every_schema_level_kind() -> None:
    covered = {kind for case in CASES for kind, _ in case.kinds}
    elsewhere = {
        "event-type-added",
        "event-type-removed",
        "event-deprecated",
        "event-undeprecated",
        "ref-target-changed",
        "definition-changed",
    }  # contract-set level: tests in test_sets.py
    assert len(covered) >= 40
    assert set(KINDS) - covered - elsewhere == set()
