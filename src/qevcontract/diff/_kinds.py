"""Every kind of change the structural walk names, with whom it breaks in a plain context.

The impact here is the one a change has where it sits directly under the event (or under
`properties`, `items`, `allOf`, ...). Under a `not` it flips; under `oneOf` or `if` it can go
either way and is reported as breaking both sides. docs/diff.md renders this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._model import Impact

P, C, B, N = Impact.PRODUCER, Impact.CONSUMER, Impact.BOTH, Impact.NONE


@dataclass(frozen=True)
class ChangeKind:
    code: str
    impact: Impact
    summary: str


_KINDS = [
    # event types
    ChangeKind("event-type-added", N, "a new event type (consumers route on `type`)"),
    ChangeKind("event-type-removed", P, "an event type is gone: its events are rejected"),
    ChangeKind("event-deprecated", N, "the event type was marked deprecated"),
    ChangeKind("event-undeprecated", N, "the event type is no longer deprecated"),
    # JSON types
    ChangeKind("type-narrowed", P, "a JSON type is no longer allowed (e.g. number -> integer)"),
    ChangeKind("type-widened", C, "another JSON type is allowed (e.g. string -> [string, null])"),
    ChangeKind("type-changed", B, "the JSON type was replaced by an unrelated one"),
    ChangeKind("type-constraint-added", P, "`type` added where any type was allowed"),
    ChangeKind("type-constraint-removed", C, "`type` removed: any type is allowed"),
    # values
    ChangeKind("enum-value-removed", P, "an allowed value was removed from `enum`/`const`"),
    ChangeKind("enum-value-added", C, "a value was added to `enum`"),
    ChangeKind("enum-added", P, "`enum` added: only the listed values are allowed"),
    ChangeKind("enum-removed", C, "`enum` removed: any value of the type is allowed"),
    ChangeKind("const-added", P, "`const` added: one value only"),
    ChangeKind("const-removed", C, "`const` removed"),
    ChangeKind("const-changed", B, "`const` now pins another value"),
    # strings
    ChangeKind("min-length-increased", P, "`minLength` raised"),
    ChangeKind("min-length-decreased", C, "`minLength` lowered or removed"),
    ChangeKind("max-length-decreased", P, "`maxLength` lowered or added"),
    ChangeKind("max-length-increased", C, "`maxLength` raised or removed"),
    ChangeKind("pattern-added", P, "`pattern` added"),
    ChangeKind("pattern-removed", C, "`pattern` removed"),
    ChangeKind("pattern-changed", B, "`pattern` replaced (direction unknown in general)"),
    ChangeKind("format-added", P, "`format` added (formats are asserted)"),
    ChangeKind("format-removed", C, "`format` removed"),
    ChangeKind("format-changed", B, "`format` replaced by another"),
    # numbers
    ChangeKind(
        "minimum-increased", P, "lower bound raised or added (`minimum`/`exclusiveMinimum`)"
    ),
    ChangeKind("minimum-decreased", C, "lower bound lowered or removed"),
    ChangeKind(
        "maximum-decreased", P, "upper bound lowered or added (`maximum`/`exclusiveMaximum`)"
    ),
    ChangeKind("maximum-increased", C, "upper bound raised or removed"),
    ChangeKind("multiple-of-added", P, "`multipleOf` added"),
    ChangeKind("multiple-of-removed", C, "`multipleOf` removed"),
    ChangeKind("multiple-of-changed", B, "`multipleOf` changed (narrower, wider or neither)"),
    # arrays
    ChangeKind("min-items-increased", P, "`minItems` raised"),
    ChangeKind("min-items-decreased", C, "`minItems` lowered or removed"),
    ChangeKind("max-items-decreased", P, "`maxItems` lowered or added"),
    ChangeKind("max-items-increased", C, "`maxItems` raised or removed"),
    ChangeKind("unique-items-added", P, "`uniqueItems` now true"),
    ChangeKind("unique-items-removed", C, "`uniqueItems` no longer true"),
    ChangeKind("items-added", P, "`items` added: array elements constrained"),
    ChangeKind("items-removed", C, "`items` removed: any elements allowed"),
    ChangeKind("prefix-item-added", P, "a `prefixItems` position constrained"),
    ChangeKind("prefix-item-removed", C, "a `prefixItems` position no longer constrained"),
    ChangeKind("contains-added", P, "`contains` added"),
    ChangeKind("contains-removed", C, "`contains` removed"),
    ChangeKind("min-contains-increased", P, "`minContains` raised"),
    ChangeKind("min-contains-decreased", C, "`minContains` lowered"),
    ChangeKind("max-contains-decreased", P, "`maxContains` lowered or added"),
    ChangeKind("max-contains-increased", C, "`maxContains` raised or removed"),
    # objects
    ChangeKind("required-added", P, "a property became required"),
    ChangeKind("required-removed", C, "a property became optional"),
    ChangeKind("property-added", N, "an optional property declared where unknown ones are allowed"),
    ChangeKind("property-added-closed", C, "a property allowed where the object was closed"),
    ChangeKind("property-removed", C, "a declared property removed from an open object"),
    ChangeKind("property-removed-closed", P, "a property removed from a closed object"),
    ChangeKind("property-redeclared", N, "a property moved between `properties` and a catch-all"),
    ChangeKind("additional-properties-closed", P, "`additionalProperties: false` added"),
    ChangeKind("additional-properties-opened", C, "`additionalProperties: false` removed"),
    ChangeKind("additional-properties-constrained", P, "`additionalProperties` schema added"),
    ChangeKind("additional-properties-unconstrained", C, "`additionalProperties` schema removed"),
    ChangeKind("unevaluated-properties-closed", P, "`unevaluatedProperties: false` added"),
    ChangeKind("unevaluated-properties-opened", C, "`unevaluatedProperties` restriction removed"),
    ChangeKind("pattern-property-added", P, "`patternProperties` entry added"),
    ChangeKind("pattern-property-removed", C, "`patternProperties` entry removed"),
    ChangeKind("property-names-constrained", P, "`propertyNames` added"),
    ChangeKind("property-names-unconstrained", C, "`propertyNames` removed"),
    ChangeKind("min-properties-increased", P, "`minProperties` raised"),
    ChangeKind("min-properties-decreased", C, "`minProperties` lowered or removed"),
    ChangeKind("max-properties-decreased", P, "`maxProperties` lowered or added"),
    ChangeKind("max-properties-increased", C, "`maxProperties` raised or removed"),
    ChangeKind("dependent-required-added", P, "a `dependentRequired` dependency added"),
    ChangeKind("dependent-required-removed", C, "a `dependentRequired` dependency removed"),
    ChangeKind("dependent-schema-added", P, "a `dependentSchemas` entry added"),
    ChangeKind("dependent-schema-removed", C, "a `dependentSchemas` entry removed"),
    ChangeKind("unevaluated-items-closed", P, "`unevaluatedItems: false` added"),
    ChangeKind("unevaluated-items-opened", C, "`unevaluatedItems` restriction removed"),
    # composition
    ChangeKind("all-of-branch-added", P, "a branch added to `allOf`"),
    ChangeKind("all-of-branch-removed", C, "a branch removed from `allOf`"),
    ChangeKind("any-of-branch-added", C, "a branch added to `anyOf`"),
    ChangeKind("any-of-branch-removed", P, "a branch removed from `anyOf`"),
    ChangeKind("one-of-branch-added", B, "a branch added to `oneOf` (values may now match two)"),
    ChangeKind("one-of-branch-removed", B, "a branch removed from `oneOf`"),
    ChangeKind("not-added", P, "a `not` added"),
    ChangeKind("not-removed", C, "a `not` removed"),
    ChangeKind("conditional-added", P, "`if`/`then`/`else` added"),
    ChangeKind("conditional-removed", C, "`if`/`then`/`else` removed"),
    ChangeKind("condition-changed", B, "the `if` of a conditional changed"),
    ChangeKind("schema-became-false", P, "a subschema now rejects everything"),
    ChangeKind("schema-became-true", C, "a subschema that rejected everything now accepts all"),
    ChangeKind("ref-target-changed", N, "a `$ref` points elsewhere (the targets are compared)"),
    # annotations: never break anyone
    ChangeKind("description-changed", N, "`description` or `title` changed"),
    ChangeKind("examples-changed", N, "`examples` changed"),
    ChangeKind("default-changed", N, "`default` changed (an annotation, never applied)"),
    ChangeKind("deprecated-changed", N, "`deprecated` changed on a field"),
    ChangeKind("content-annotation-changed", N, "`contentMediaType`/`contentEncoding` changed"),
    ChangeKind("annotation-changed", N, "another annotation (`x-...`, `$comment`, ...) changed"),
    ChangeKind("definition-changed", N, "a `$defs` entry nothing references changed"),
]

KINDS: dict[str, ChangeKind] = {k.code: k for k in _KINDS}


def kind(code: str) -> ChangeKind:
    """The catalogue entry for a change code (a KeyError is a bug in the walk)."""
    return KINDS[code]
