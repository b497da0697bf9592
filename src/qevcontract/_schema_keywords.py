"""Which JSON Schema (Draft 2020-12) keywords hold subschemas, and in what shape.

Every walk over a schema (strict mode's closing, the check rules, the diff's inliner and
site search) needs this table; written once, no walk can forget a keyword. The shapes are
those of the 2020-12 Core and Validation vocabularies (Core section 10 "A Vocabulary for
Applying Subschemas", section 8.2.4 for `$defs`, Validation section 8.2.3 for
`contentSchema`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# The value is one subschema.
SINGLE = (
    "items",
    "additionalProperties",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentSchema",
)
# The value is a non-empty array of subschemas.
LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
# The value maps names (properties, patterns, property names) to subschemas.
MAPS = ("properties", "patternProperties", "dependentSchemas")
# Reusable subschemas: not applied where they stand, only through `$ref`.
DEFINITIONS = "$defs"

# Subschemas whose outcome is consulted rather than asserted: `if` picks `then` or `else`,
# `not` inverts. Making one of them stricter makes the whole schema looser.
CONDITIONS = frozenset({"if", "not"})
# Subschemas applied to the instance's property names (strings), not to its values.
NAMES = frozenset({"propertyNames"})
# An annotation only: 2020-12 validators do not assert `contentSchema`.
ANNOTATION_ONLY = frozenset({"contentSchema"})

Step = tuple[str] | tuple[str, str | int]


def subschemas(node: Any, *, definitions: bool = True) -> Iterator[tuple[Step, Any]]:
    """(keyword step, subschema) for every subschema directly under `node`.

    A step is `("not",)`, `("allOf", 0)` or `("properties", "name")`; with `definitions`
    the `$defs` entries come too. Values of the wrong shape are skipped.
    """
    if not isinstance(node, dict):
        return
    for key in SINGLE:
        if key in node:
            yield (key,), node[key]
    for key in LISTS:
        items = node.get(key)
        if isinstance(items, list):
            for i, sub in enumerate(items):
                yield (key, i), sub
    for key in (*MAPS, DEFINITIONS) if definitions else MAPS:
        entries = node.get(key)
        if isinstance(entries, dict):
            for name, sub in entries.items():
                yield (key, name), sub
