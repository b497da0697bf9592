"""The legacy envelope schema: well formed, and it says what a legacy envelope is."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from qevcontract._spec.legacy import legacy_envelope_schema
from qevcontract._spec.uris import LEGACY_FILE
from qevcontract.contracts import Catalog
from qevcontract.validate._engines import make_engine
from qevcontract.validate._validator import _violations

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
GOOD: dict[str, Any] = {
    "cloudEventsVersion": "0.1",
    "source": "com.qlik/engine",
    "contentType": "application/json",
    "eventId": "ev-1",
    "eventTime": "2025-03-04T05:06:07Z",
    "eventType": "com.qlik.v1.app.reload.finished",
    "eventTypeVersion": "1.0.0",
    "extensions": {
        "tenantId": "t",
        "header": {"traceparent": [TRACEPARENT]},
        "actor": {"sub": "u", "subType": "user"},
        "anything": {"else": [1]},
    },
    "data": {"status": "ok"},
}


def test_schema_is_draft_2020_12_with_its_id() -> None:
    schema = legacy_envelope_schema()
    Draft202012Validator.check_schema(schema)
    assert (
        schema["$id"]
        == "https://qevcontract.invalid/contracts/envelope/qlik-legacy-0.1.schema.json"
    )
    assert schema["$id"].endswith(LEGACY_FILE)


@pytest.fixture(scope="module", params=["rs", "python"])
def compiled(request: pytest.FixtureRequest, catalog: Catalog) -> Any:
    return make_engine(request.param, catalog).compile(legacy_envelope_schema())


def problems(compiled: Any, event: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((v.pointer, v.rule) for v in _violations(compiled.errors(event)))


def test_a_legacy_delivery_is_valid(compiled: Any) -> None:
    assert problems(compiled, GOOD) == []
    other_spelling = {k: v for k, v in GOOD.items() if k != "eventId"} | {"eventID": "ev-1"}
    assert problems(compiled, other_spelling) == []


def test_a_hybrid_is_checked_only_in_its_legacy_half(compiled: Any) -> None:
    hybrid = GOOD | {"specversion": "1.0", "id": "ev-1", "type": "x", "Weird": [1]}
    assert problems(compiled, hybrid) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"eventId": None}, [("/eventId", "required")]),
        ({"eventType": None}, [("/eventType", "required")]),
        ({"cloudEventsVersion": "1.0"}, [("/cloudEventsVersion", "const")]),
        ({"eventTime": "yesterday"}, [("/eventTime", "format")]),
        ({"contentType": "json"}, [("/contentType", "pattern")]),
        ({"eventId": ""}, [("/eventId", "length")]),
        (
            {"extensions": {"header": {"traceparent": ["abc"]}}},
            [("/extensions/header/traceparent/0", "pattern")],
        ),
        ({"extensions": {"tenantId": 7}}, [("/extensions/tenantId", "type")]),
        ({"extensions": {"actor": "user-1"}}, [("/extensions/actor", "type")]),
        ({"extensions": []}, [("/extensions", "type")]),
    ],
)
def test_what_breaks_a_legacy_envelope(
    compiled: Any, change: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    event = dict(GOOD)
    for key, value in change.items():
        if value is None:
            del event[key]
        else:
            event[key] = value
    assert problems(compiled, event) == expected
