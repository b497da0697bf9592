"""Strict mode closes the documented objects under every Draft 2020-12 subschema keyword.

Before the shared keyword table, strict mode did not look under `then`/`else`,
`dependentSchemas` or `unevaluatedProperties`/`unevaluatedItems`, so an object documented
there stayed open: an undocumented member passed `--strict`.
"""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from qevcontract.validate._strict import strict_contract

DETAILS = {"type": "object", "properties": {"code": {"type": "string"}}}


def strict_accepts(data_schema: dict[str, Any], data: Any) -> bool:
    contract = {"type": "object", "properties": {"data": data_schema}}
    return Draft202012Validator(strict_contract(contract)).is_valid({"data": data})


@pytest.mark.parametrize(
    "data_schema",
    [
        {"if": {"required": ["details"]}, "then": {"properties": {"details": DETAILS}}},
        {"if": {"required": ["nothing"]}, "else": {"properties": {"details": DETAILS}}},
        {"dependentSchemas": {"details": {"properties": {"details": DETAILS}}}},
        {"unevaluatedProperties": DETAILS},
        {"type": "array", "prefixItems": [True], "unevaluatedItems": DETAILS},
    ],
    ids=["then", "else", "dependentSchemas", "unevaluatedProperties", "unevaluatedItems"],
)
def test_objects_documented_under_any_applicator_are_closed(data_schema: dict[str, Any]) -> None:
    if data_schema.get("type") == "array":
        documented, undocumented = [0, {"code": "x"}], [0, {"code": "x", "extra": 1}]
    elif "unevaluatedProperties" in data_schema:
        documented, undocumented = {"details": {"code": "x"}}, {"details": {"extra": 1}}
    else:
        documented = {"details": {"code": "x"}}
        undocumented = {"details": {"code": "x", "extra": 1}}
    assert strict_accepts(data_schema, documented)
    assert not strict_accepts(data_schema, undocumented)


def test_a_condition_is_left_open_so_strict_mode_never_loosens_a_contract() -> None:
    # Closing the `if` would make it false for {"kind": "a", "n": 1}, and the `then` that
    # requires `n` to be a string would no longer apply.
    data_schema = {
        "properties": {"kind": {}, "n": {}},
        "if": {"properties": {"kind": {"const": "a"}}},
        "then": {"properties": {"n": {"type": "string"}}},
    }
    assert not strict_accepts(data_schema, {"kind": "a", "n": 1})
    assert strict_accepts(data_schema, {"kind": "a", "n": "1"})
