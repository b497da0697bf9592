"""`$ref` inlining: resolution as Draft 2020-12 defines it (anchors, escaped pointers,
relative URIs), cycles kept, origins kept, nothing outside the set."""

from __future__ import annotations

import re
from typing import Any

import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from qevcontract.diff._deref import DerefError, inline

BASE = "https://example.com/contracts/"
A = BASE + "a.schema.json"
DEFS = BASE + "shared/defs.schema.json"


def contract_set(root: dict[str, Any]) -> dict[str, Any]:
    defs = {
        "$id": DEFS,
        "$defs": {
            "name": {"$anchor": "name", "type": "string", "minLength": 1},
            # RFC 6901 section 3: '~' is written '~0' and '/' is written '~1' in a pointer.
            "a/b~c": {"type": "integer"},
            "node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}}},
        },
    }
    return {A: {"$id": A, **root}, DEFS: defs}


def inlined(root: dict[str, Any]) -> Any:
    resources = contract_set(root)
    registry = Registry().with_contents(resources.items(), default_specification=DRAFT202012)
    files = {A: "a.schema.json", DEFS: "shared/defs.schema.json"}
    return inline(resources, A, files, registry=registry.crawl())


def test_an_anchor_resolves_and_its_origin_is_where_it_is() -> None:
    # Draft 2020-12 core 8.2.2: "$anchor" ... a plain name fragment identifying the subschema.
    out = inlined({"properties": {"n": {"$ref": "shared/defs.schema.json#name"}}})
    node = out.root["properties"]["n"]
    assert node == {"type": "string", "minLength": 1}
    assert out.origin(node) == ("shared/defs.schema.json", "/$defs/name")
    assert out.ref(node) == "shared/defs.schema.json#/$defs/name"


def test_escaped_and_percent_encoded_pointers_resolve() -> None:
    for ref in (
        "shared/defs.schema.json#/$defs/a~1b~0c",
        "shared/defs.schema.json#/$defs/a~1b%7E0c",
    ):
        out = inlined({"properties": {"i": {"$ref": ref}}})
        assert out.root["properties"]["i"] == {"type": "integer"}


def test_a_cycle_is_kept_as_an_absolute_ref() -> None:
    out = inlined({"$ref": "shared/defs.schema.json#/$defs/node"})
    assert out.root["type"] == "object"
    assert out.root["properties"]["next"] == {"$ref": DEFS + "#/$defs/node"}


@pytest.mark.parametrize(
    ("ref", "needle"),
    [
        ("https://example.org/elsewhere.json", "not in the contract set (never fetched)"),
        ("shared/defs.schema.json#/$defs/missing", "no such location in the contract set"),
        ("shared/defs.schema.json#/$defs/name/type/0", "no such location in the contract set"),
        ("shared/defs.schema.json#missing", "no such anchor in the contract set"),
    ],
)
def test_what_cannot_be_resolved_offline_is_one_clear_error(ref: str, needle: str) -> None:
    with pytest.raises(DerefError, match=re.escape(needle)):
        inlined({"properties": {"x": {"$ref": ref}}})


def test_a_ref_to_an_embedded_id_resolves() -> None:
    # Draft 2020-12 core 8.2.1: "$id" in a subschema identifies it as its own resource,
    # reachable by that URI (resolved against the enclosing base URI).
    embedded = {"$id": "shared/small.schema.json", "type": "integer", "maximum": 9}
    out = inlined(
        {"$defs": {"small": embedded}, "properties": {"n": {"$ref": "shared/small.schema.json"}}}
    )
    assert out.root["properties"]["n"] == {"type": "integer", "maximum": 9}
