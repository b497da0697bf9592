"""The published mapping, one attribute at a time, and where the rest goes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from qevcontract.envelopes import (
    UnknownEnvelope,
    map_pointer,
    to_cloudevents,
    to_hybrid,
    to_legacy,
)

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def legacy_delivery(**extra: Any) -> dict[str, Any]:
    """A reload-finished delivery the way an older webhook posts it."""
    event: dict[str, Any] = {
        "cloudEventsVersion": "0.1",
        "source": "com.qlik/engine",
        "contentType": "application/json",
        "eventId": "6f0d5d8e-2d3c-4a55-9d61-3f1a8f2b7c10",
        "eventTime": "2025-03-04T05:06:07.890Z",
        "eventType": "com.qlik.v1.app.reload.finished",
        "eventTypeVersion": "1.0.0",
        "extensions": {
            "tenantId": "tenant-1",
            "userId": "user-1",
            "ownerId": "owner-1",
            "spaceId": "space-1",
            "topLevelResourceId": "app-1",
            "header": {"traceparent": [TRACEPARENT]},
            "actor": {"sub": "user-1", "subType": "user"},
        },
        "data": {"status": "ok", "duration": 12},
    }
    event.update(extra)
    return event


def test_a_legacy_delivery_maps_attribute_by_attribute() -> None:
    converted = to_cloudevents(legacy_delivery())
    assert converted.shape == "legacy" and converted.changed
    assert converted.event == {
        "specversion": "1.0",
        "id": "6f0d5d8e-2d3c-4a55-9d61-3f1a8f2b7c10",
        "source": "com.qlik/engine",
        "type": "com.qlik.v1.app.reload.finished",
        "time": "2025-03-04T05:06:07.890Z",
        "eventtypeversion": "1.0.0",
        "contenttype": "application/json",
        "tenantid": "tenant-1",
        "userid": "user-1",
        "ownerid": "owner-1",
        "spaceid": "space-1",
        "toplevelresourceid": "app-1",
        "traceparent": TRACEPARENT,
        "authclaims": '{"sub":"user-1","subType":"user"}',
        "authtype": "user",
        "data": {"status": "ok", "duration": 12},
    }
    assert converted.warnings == []
    assert converted.carried == ["eventtypeversion", "contenttype"]


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("/id", "/eventId"),
        ("/time", "/eventTime"),
        ("/type", "/eventType"),
        ("/specversion", "/cloudEventsVersion"),
        ("/tenantid", "/extensions/tenantId"),
        ("/toplevelresourceid", "/extensions/topLevelResourceId"),
        ("/traceparent", "/extensions/header/traceparent/0"),
        ("/authclaims", "/extensions/actor"),
        ("/authtype", "/extensions/actor/subType"),
        ("/eventtypeversion", "/eventTypeVersion"),
        ("/data/status", "/data/status"),
        ("/data", "/data"),
    ],
)
def test_pointers_into_the_converted_event_lead_back_to_the_delivery(
    pointer: str, expected: str
) -> None:
    converted = to_cloudevents(legacy_delivery())
    assert map_pointer(pointer, converted.pointer_map) == expected
    assert converted.input_pointer(pointer) == expected


def test_a_missing_attribute_points_where_the_legacy_shape_keeps_it() -> None:
    event = legacy_delivery()
    del event["extensions"]["tenantId"]
    converted = to_cloudevents(event)
    assert "tenantid" not in converted.event
    assert converted.input_pointer("/tenantid") == "/extensions/tenantId"


def test_unknown_extensions_become_lower_cased_attributes() -> None:
    event = legacy_delivery()
    event["extensions"].update({"region": "eu", "retryCount": 2, "replay": False})
    converted = to_cloudevents(event)
    assert converted.event["region"] == "eu"
    assert converted.event["retrycount"] == 2
    assert converted.event["replay"] is False
    assert converted.warnings == []
    assert converted.input_pointer("/retrycount") == "/extensions/retryCount"
    assert to_legacy(converted.event).event == event


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("updates", [{"op": "replace"}], "an array cannot be an attribute value"),
        ("meta", {"a": 1}, "an object cannot be an attribute value"),
        ("ratio", 0.5, "a number with a fraction cannot be an attribute value"),
        ("gone", None, "null cannot be an attribute value"),
        ("trace-id", "abc", "is not a CloudEvents attribute name"),
        ("tenantid", "other", "tenantid already comes from /extensions/tenantId"),
        ("id", "x", "id is a name the mapping fills itself"),
    ],
)
def test_members_without_an_attribute_are_kept_and_reported(
    key: str, value: Any, reason: str
) -> None:
    event = legacy_delivery()
    event["extensions"][key] = value
    converted = to_cloudevents(event)
    assert len(converted.warnings) == 1
    warning = converted.warnings[0]
    assert warning.startswith(f"extensions.{key}: ")
    assert reason in warning
    assert warning.endswith("kept in qevlegacy")
    patch = json.loads(converted.event["qevlegacy"])
    assert patch == {"set": {f"/extensions/{key}": value}}
    assert to_legacy(converted.event).event == event


def test_the_id_spelling_is_remembered_without_a_warning() -> None:
    event = legacy_delivery()
    event["eventID"] = event.pop("eventId")
    converted = to_cloudevents(event)
    assert converted.event["id"] == event["eventID"]
    assert converted.warnings == []
    assert json.loads(converted.event["qevlegacy"]) == {"move": {"/eventId": "/eventID"}}
    assert converted.input_pointer("/id") == "/eventID"
    assert to_legacy(converted.event).event == event


def test_header_entries_beyond_the_first_traceparent_are_kept() -> None:
    event = legacy_delivery()
    event["extensions"]["header"] = {
        "traceparent": [TRACEPARENT, "00-" + "1" * 32 + "-" + "2" * 16 + "-00"],
        "tracestate": ["qlik=1"],
    }
    converted = to_cloudevents(event)
    assert converted.event["traceparent"] == TRACEPARENT
    assert sorted(w.split(":")[0] for w in converted.warnings) == [
        "extensions.header.traceparent.1",
        "extensions.header.tracestate",
    ]
    assert to_legacy(converted.event).event == event


def test_a_cloudevents_event_comes_back_unchanged() -> None:
    event = {"specversion": "1.0", "id": "1", "source": "s", "type": "t", "data": {}}
    result = to_cloudevents(event)
    assert result.event is event and not result.changed and result.shape == "cloudevents"


def test_a_legacy_event_stays_as_it_is_when_legacy_is_asked_for() -> None:
    event = legacy_delivery()
    result = to_legacy(event)
    assert result.event is event and not result.changed


@pytest.mark.parametrize("value", [{"data": {"x": 1}}, {"source": "s"}, [1, 2], "text"])
def test_values_with_no_envelope_are_refused(value: Any) -> None:
    with pytest.raises(UnknownEnvelope):
        to_cloudevents(value)
    with pytest.raises(UnknownEnvelope):
        to_legacy(value)


class TestActor:
    """`extensions.actor` <-> `authclaims` (its JSON text) + `authtype` (its subType)."""

    def test_actor_without_subtype_gives_no_authtype(self) -> None:
        event = legacy_delivery()
        event["extensions"]["actor"] = {"sub": "svc-7"}
        converted = to_cloudevents(event).event
        assert converted["authclaims"] == '{"sub":"svc-7"}'
        assert "authtype" not in converted

    def test_claims_text_is_kept_exactly_when_it_is_not_compact(self) -> None:
        claims = '{"iss": "qlik", "sub": "u-9", "subType": "api-key"}'
        event = {"specversion": "1.0", "id": "1", "source": "s", "type": "t"}
        event |= {"authclaims": claims, "authtype": "service_account"}
        legacy = to_legacy(event).event
        assert legacy["extensions"]["actor"] == {"iss": "qlik", "sub": "u-9", "subType": "api-key"}
        assert legacy["extensions"]["authclaims"] == claims
        assert legacy["extensions"]["authtype"] == "service_account"
        assert to_cloudevents(legacy).event == event

    def test_compact_claims_and_matching_authtype_need_only_the_actor(self) -> None:
        event = {"specversion": "1.0", "id": "1", "source": "s", "type": "t"}
        event |= {"authclaims": '{"sub":"u-9","subType":"user"}', "authtype": "user"}
        legacy = to_legacy(event).event
        assert legacy["extensions"] == {"actor": {"sub": "u-9", "subType": "user"}}

    def test_claims_that_are_not_a_json_object_stay_a_string(self) -> None:
        event = {"specversion": "1.0", "id": "1", "source": "s", "type": "t"}
        event |= {"authclaims": "opaque-token"}
        legacy = to_legacy(event).event
        assert legacy["extensions"] == {"authclaims": "opaque-token"}
        assert to_cloudevents(legacy).event == event


class TestLegacyOutput:
    def test_a_cloudevents_event_in_the_legacy_shape(self) -> None:
        event = {
            "specversion": "1.0",
            "id": "42",
            "source": "com.qlik/users",
            "type": "com.qlik.v1.user.created",
            "time": "2025-01-01T00:00:00Z",
            "datacontenttype": "application/json",
            "tenantid": "t-1",
            "traceparent": TRACEPARENT,
            "data": {"id": "u-1"},
        }
        legacy = to_legacy(event)
        assert legacy.event == {
            "cloudEventsVersion": "0.1",
            "eventType": "com.qlik.v1.user.created",
            "source": "com.qlik/users",
            "eventId": "42",
            "eventTime": "2025-01-01T00:00:00Z",
            "extensions": {
                "tenantId": "t-1",
                "header": {"traceparent": [TRACEPARENT]},
                "datacontenttype": "application/json",
            },
            "data": {"id": "u-1"},
        }
        assert legacy.pointer_map["/extensions/tenantId"] == "/tenantid"
        assert map_pointer("/extensions/header/traceparent/0", legacy.pointer_map) == "/traceparent"

    def test_a_qevlegacy_that_is_not_a_patch_is_reported_and_kept(self) -> None:
        event = {"specversion": "1.0", "id": "1", "source": "s", "type": "t", "qevlegacy": "{"}
        legacy = to_legacy(event)
        assert legacy.event["extensions"]["qevlegacy"] == "{"
        assert any(w.startswith("qevlegacy: ") for w in legacy.warnings)
        assert legacy.lost == ["/qevlegacy"]

    def test_specversion_other_than_1_0_survives(self) -> None:
        event = {"specversion": "1.0.2", "id": "1", "source": "s", "type": "t"}
        legacy = to_legacy(event)
        assert legacy.event["cloudEventsVersion"] == "0.1"
        assert to_cloudevents(legacy.event).event == event

    def test_an_attribute_legacy_cannot_hold_unchanged_is_reported_lost(self) -> None:
        # Not a CloudEvents name: a conversion back would lower-case it.
        event = {"specversion": "1.0", "id": "1", "source": "s", "type": "t", "Region": "eu"}
        legacy = to_legacy(event)
        assert legacy.event["extensions"]["Region"] == "eu"
        assert legacy.lost == ["/Region"]
        assert legacy.warnings and legacy.warnings[0].startswith("Region: ")


def test_a_hybrid_puts_the_cloudevents_half_first() -> None:
    hybrid = to_hybrid(legacy_delivery()).event
    assert list(hybrid)[:2] == ["specversion", "id"]
    assert hybrid["eventType"] == hybrid["type"]
    assert hybrid["extensions"]["tenantId"] == hybrid["tenantid"]


def test_a_conversion_for_checking_leaves_the_patch_out() -> None:
    event = legacy_delivery()
    event["eventID"] = event.pop("eventId")
    event["extensions"]["changes"] = [1]
    exact, for_checking = to_cloudevents(event), to_cloudevents(event, exact=False)
    assert "qevlegacy" in exact.event and "qevlegacy" not in for_checking.event
    assert {k: v for k, v in exact.event.items() if k != "qevlegacy"} == for_checking.event
    assert for_checking.warnings == [
        "extensions.changes: an array cannot be an attribute value (a string, boolean or integer)"
    ]
    assert for_checking.input_pointer("/id") == "/eventID"
