"""What makes the two halves of a hybrid disagree, and what does not."""

from __future__ import annotations

from typing import Any

import pytest

from qevcontract.envelopes import hybrid_disagreements, legacy_fields
from qevcontract.envelopes._instants import instant, same_instant

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def hybrid(**changes: Any) -> dict[str, Any]:
    """A hybrid delivery whose halves agree, with `changes` applied (None removes)."""
    event: dict[str, Any] = {
        "specversion": "1.0",
        "id": "ev-1",
        "source": "com.qlik/engine",
        "type": "com.qlik.v1.app.reload.finished",
        "time": "2025-03-04T05:06:07Z",
        "tenantid": "tenant-1",
        "userid": "user-1",
        "traceparent": TRACEPARENT,
        "authtype": "user",
        "authclaims": '{"iss":"qlik","sub":"user-1","subType":"user"}',
        "cloudEventsVersion": "0.1",
        "eventId": "ev-1",
        "eventTime": "2025-03-04T05:06:07Z",
        "eventType": "com.qlik.v1.app.reload.finished",
        "extensions": {
            "tenantId": "tenant-1",
            "userId": "user-1",
            "header": {"traceparent": [TRACEPARENT]},
            "actor": {"sub": "user-1", "subType": "user"},
        },
        "data": {"status": "ok"},
    }
    for key, value in changes.items():
        target = event
        if key.startswith("ext_"):
            target, key = event["extensions"], key[4:]
        if value is None:
            del target[key]
        else:
            target[key] = value
    return event


def pairs(event: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(d.kind, d.legacy_pointer, d.cloudevents_pointer) for d in hybrid_disagreements(event)]


@pytest.mark.parametrize(
    "event",
    [
        {"specversion": "1.0", "id": "1", "type": "t", "source": "s", "tenantid": "x"},
        {"cloudEventsVersion": "0.1", "eventId": "1", "extensions": {"tenantId": "x"}},
    ],
)
def test_only_a_hybrid_has_halves_to_compare(event: dict[str, Any]) -> None:
    assert hybrid_disagreements(event) == []


def test_agreeing_halves_give_nothing() -> None:
    # authclaims may carry more than the actor (an issuer); that is not a disagreement.
    assert hybrid_disagreements(hybrid()) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"eventType": "com.qlik.v1.app.reload.started"}, ("/eventType", "/type")),
        ({"eventId": "ev-2"}, ("/eventId", "/id")),
        ({"eventTime": "2025-03-04T05:06:08Z"}, ("/eventTime", "/time")),
        ({"ext_tenantId": "tenant-2"}, ("/extensions/tenantId", "/tenantid")),
        ({"ext_userId": "user-2"}, ("/extensions/userId", "/userid")),
        (
            {"ext_header": {"traceparent": ["00-" + "a" * 32 + "-" + "b" * 16 + "-01"]}},
            ("/extensions/header/traceparent/0", "/traceparent"),
        ),
        ({"ext_actor": {"sub": "user-2", "subType": "user"}}, ("/extensions/actor", "/authclaims")),
        ({"authtype": "anonymous"}, ("/extensions/actor/subType", "/authtype")),
    ],
)
def test_each_mapped_pair_is_compared(changes: dict[str, Any], expected: tuple[str, str]) -> None:
    found = hybrid_disagreements(hybrid(**changes))
    assert [(d.legacy_pointer, d.cloudevents_pointer) for d in found] == [expected]
    assert found[0].kind == "differ"
    legacy_name = expected[0].lstrip("/").replace("/", ".")
    assert legacy_name in found[0].message
    assert expected[1].lstrip("/") in found[0].message


def test_the_other_spelling_of_the_id_is_compared_too() -> None:
    assert pairs(hybrid(eventID="ev-9")) == [("differ", "/eventID", "/id")]
    assert pairs(hybrid(eventID="ev-1")) == []


@pytest.mark.parametrize(
    "legacy_time",
    ["2025-03-04T05:06:07.000Z", "2025-03-04T06:06:07+01:00", "2025-03-04t05:06:07z"],
)
def test_times_are_compared_as_instants(legacy_time: str) -> None:
    assert hybrid_disagreements(hybrid(eventTime=legacy_time)) == []


def test_a_nanosecond_apart_is_a_different_instant() -> None:
    event = hybrid(
        time="2025-03-04T05:06:07.123456789Z", eventTime="2025-03-04T05:06:07.123456788Z"
    )
    [found] = hybrid_disagreements(event)
    assert "different instants" in found.message


def test_authtype_spelling_variants_agree() -> None:
    event = hybrid(
        authtype="API_KEY",
        authclaims='{"sub":"k","subType":"api-key"}',
        ext_actor={"sub": "k", "subType": "api-key"},
    )
    assert hybrid_disagreements(event) == []


def test_claims_that_are_not_json_disagree_with_the_actor() -> None:
    [found] = hybrid_disagreements(hybrid(authclaims="not json"))
    assert found.cloudevents_pointer == "/authclaims"
    assert "not JSON" in found.message


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"tenantid": None}, ("missing-cloudevents", "/extensions/tenantId", "/tenantid")),
        ({"ext_tenantId": None}, ("missing-legacy", "/extensions/tenantId", "/tenantid")),
        ({"eventTime": None}, ("missing-legacy", "/eventTime", "/time")),
        (
            {"traceparent": None},
            ("missing-cloudevents", "/extensions/header/traceparent/0", "/traceparent"),
        ),
    ],
)
def test_one_half_without_the_other_is_reported(
    changes: dict[str, Any], expected: tuple[str, str, str]
) -> None:
    assert pairs(hybrid(**changes)) == [expected]


def test_an_unknown_extension_is_compared_when_both_halves_have_it() -> None:
    assert pairs(hybrid(region="eu", ext_region="us")) == [
        ("differ", "/extensions/region", "/region")
    ]
    assert pairs(hybrid(region="eu", ext_region="eu")) == []
    assert pairs(hybrid(region="eu")) == []  # not a mapped pair: no "missing"


def test_legacy_fields_lists_what_qlik_will_remove() -> None:
    assert legacy_fields(hybrid()) == [
        "/cloudEventsVersion",
        "/eventId",
        "/eventTime",
        "/eventType",
        "/extensions",
    ]
    assert legacy_fields({"specversion": "1.0", "id": "1", "extensions": "a string"}) == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("2025-01-01T00:00:00Z", "2025-01-01T01:00:00+01:00", True),
        ("2025-01-01T00:00:00.5Z", "2025-01-01T00:00:00.500Z", True),
        ("2025-01-01T00:00:00Z", "2025-01-01T00:00:00.000000001Z", False),
        ("2024-12-31T23:59:60Z", "2025-01-01T00:00:00Z", True),  # a leap second
        ("2025-02-30T00:00:00Z", "2025-03-02T00:00:00Z", None),  # no such day
        ("2025-01-01", "2025-01-01T00:00:00Z", None),
        (20250101, "2025-01-01T00:00:00Z", None),
    ],
)
def test_instants(a: object, b: object, same: bool | None) -> None:
    assert same_instant(a, b) is same


def test_an_offset_moves_the_instant() -> None:
    utc, plus_two = instant("2025-01-01T02:00:00Z"), instant("2025-01-01T02:00:00+02:00")
    assert utc is not None and plus_two is not None
    assert utc[0] - plus_two[0] == 7200
