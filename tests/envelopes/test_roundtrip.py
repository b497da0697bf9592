"""Round trips between the shapes hold for every event, whatever extensions it carries."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qevcontract.envelopes import (
    cloudevents_half,
    detect,
    hybrid_disagreements,
    to_cloudevents,
    to_hybrid,
    to_legacy,
)

from .strategies import ANY_KEYS, JSON, cloudevents, legacy_events

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# CloudEvents 1.0 attribute names (or the JSON format's payload members).
ATTRIBUTE_NAME = st.from_regex(r"[a-z0-9]+", fullmatch=True)


def exact(value: Any) -> bytes:
    """Canonical JSON: equal only for equal JSON (true is not 1, 1 is not 1.0)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def is_cloudevents_name(name: str) -> bool:
    return name in ("data", "data_base64") or (
        name.isascii() and name.isalnum() and name == name.lower()
    )


@PROPERTY
@given(legacy_events())
def test_legacy_to_cloudevents_and_back_gives_the_same_event(event: dict[str, Any]) -> None:
    assert detect(event) == "legacy"
    converted = to_cloudevents(event)
    assert detect(converted.event) == "cloudevents"
    assert all(is_cloudevents_name(name) for name in converted.event)
    back = to_legacy(converted.event)
    assert back.lost == []
    assert exact(back.event) == exact(event)


@PROPERTY
@given(
    st.dictionaries(ANY_KEYS, JSON, max_size=6),
    st.sampled_from(["cloudEventsVersion", "eventType", "eventTime", "eventTypeVersion"]),
    JSON,
)
def test_any_legacy_shaped_object_round_trips(
    members: dict[str, Any], marker: str, value: Any
) -> None:
    """Not only valid events: whatever a capture holds comes back unchanged."""
    event = {**members, marker: value}
    if detect(event) != "legacy":  # a 1.0 attribute among the keys makes it a hybrid
        return
    back = to_legacy(to_cloudevents(event).event)
    assert exact(back.event) == exact(event)


@PROPERTY
@given(legacy_events())
def test_attributes_without_a_place_are_named_in_a_warning(event: dict[str, Any]) -> None:
    """Every extension value that cannot be an attribute (not a string, boolean or integer,
    or a name that is no attribute name even lower-cased) is reported, never dropped quietly."""
    converted = to_cloudevents(event)
    known = {"tenantId", "userId", "ownerId", "spaceId", "topLevelResourceId", "header", "actor"}
    for key, value in event.get("extensions", {}).items():
        if key in known:
            continue
        name = key.lower()
        unplaceable = type(value) not in (str, bool, int) or not (name.isascii() and name.isalnum())
        if unplaceable:
            assert any(w.startswith(f"extensions.{key}:") for w in converted.warnings), key
            assert "qevlegacy" in converted.event


@PROPERTY
@given(cloudevents())
def test_cloudevents_to_legacy_and_back_gives_the_same_event(event: dict[str, Any]) -> None:
    legacy = to_legacy(event)
    assert detect(legacy.event) == "legacy"
    assert legacy.lost == [] and legacy.warnings == []
    back = to_cloudevents(legacy.event)
    assert exact(back.event) == exact(event)


@PROPERTY
@given(cloudevents(extra_names=ATTRIBUTE_NAME))
def test_a_hybrid_halves_agree_and_its_cloudevents_half_is_the_event(
    event: dict[str, Any],
) -> None:
    hybrid = to_hybrid(event).event
    assert detect(hybrid) == "hybrid"
    assert exact(cloudevents_half(hybrid)) == exact(event)
    assert hybrid_disagreements(hybrid) == []
    assert exact(to_cloudevents(hybrid).event) == exact(event)


@PROPERTY
@given(legacy_events())
def test_a_hybrid_built_from_legacy_keeps_the_legacy_event_whole(event: dict[str, Any]) -> None:
    hybrid = to_hybrid(event).event
    assert detect(hybrid) == "hybrid"
    legacy_part = {k: v for k, v in hybrid.items() if k in event}
    assert exact(legacy_part) == exact(event)
    assert [d for d in hybrid_disagreements(hybrid) if d.kind == "differ"] == []
