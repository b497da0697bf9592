"""Hypothesis strategies for events in each envelope shape.

Legacy events are valid against the legacy envelope schema in their mapped members and
carry arbitrary extra extension members (any key, any JSON value), because that is what
captured deliveries from many Qlik services look like.
"""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

INT64 = st.integers(min_value=-(2**63), max_value=2**64 - 1)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    INT64,
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
ATTRIBUTE_VALUES = st.one_of(st.booleans(), INT64, st.text(max_size=12))
ATTRIBUTE_NAMES = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=8)
HEX = "0123456789abcdef"
TRACEPARENT = st.builds(
    lambda a, b: f"00-{a}-{b}-01",
    st.text(alphabet=HEX, min_size=32, max_size=32),
    st.text(alphabet=HEX, min_size=16, max_size=16),
)
TIMES = st.builds(
    lambda d, frac, zone: d.strftime("%Y-%m-%dT%H:%M:%S") + frac + zone,
    st.datetimes(),
    st.sampled_from(["", ".5", ".123", ".123456789"]),
    st.sampled_from(["Z", "+00:00", "+02:00", "-05:30"]),
)
IDS = st.text(alphabet=string.ascii_letters + string.digits + "-", min_size=1, max_size=36)
TYPES = st.sampled_from(
    ["com.qlik.v1.app.reload.finished", "com.qlik.v1.user.created", "com.qlik.datafile.created"]
)
SOURCES = st.sampled_from(["com.qlik/engine", "com.qlik/users", "com.qlik/data-files"])
ACTORS = st.fixed_dictionaries(
    {"sub": IDS},
    optional={
        "subType": st.sampled_from(["user", "api-key", "service-account"]),
        "iss": st.text(max_size=8),
        "roles": st.lists(st.text(max_size=5), max_size=2),
    },
)
# Any key at all: camelCase, not a CloudEvents name even lower-cased, or a mapped name again.
ANY_KEYS = st.one_of(
    st.text(max_size=10),
    st.sampled_from(
        ["region", "fooBar", "foo-bar", "TENANTID", "tenantid", "header", "actor", "id",
         "specversion", "authtype", "authclaims", "qevlegacy", "a/b", "x~y", "extensions"]
    ),
)  # fmt: skip


@st.composite
def legacy_events(draw: st.DrawFn) -> dict[str, Any]:
    """A legacy event: the usual members, sometimes odd ones, and arbitrary extensions."""
    event: dict[str, Any] = {"cloudEventsVersion": "0.1"}
    event[draw(st.sampled_from(["eventId", "eventID"]))] = draw(IDS)
    event["eventType"] = draw(TYPES)
    event["source"] = draw(SOURCES)
    for key, value in (
        ("eventTime", TIMES),
        ("eventTypeVersion", st.sampled_from(["1.0.0", "2"])),
        ("contentType", st.just("application/json")),
        ("data", JSON),
    ):
        if draw(st.booleans()):
            event[key] = draw(value)
    extensions: dict[str, Any] = {}
    for key in ("tenantId", "userId", "ownerId", "spaceId", "topLevelResourceId"):
        if draw(st.booleans()):
            extensions[key] = draw(IDS)
    if draw(st.booleans()):
        extensions["header"] = {"traceparent": draw(st.lists(TRACEPARENT, min_size=1, max_size=2))}
    if draw(st.booleans()):
        extensions["actor"] = draw(ACTORS)
    extensions.update(draw(st.dictionaries(ANY_KEYS, JSON, max_size=4)))
    if extensions or draw(st.booleans()):
        event["extensions"] = extensions
    return event


@st.composite
def cloudevents(
    draw: st.DrawFn, *, extra_names: st.SearchStrategy[str] = ATTRIBUTE_NAMES
) -> dict[str, Any]:
    """A CloudEvents 1.0 event with Qlik's extensions and arbitrary valid extension attributes."""
    event: dict[str, Any] = {
        "specversion": draw(st.sampled_from(["1.0", "1.0.2"])),
        "id": draw(IDS),
        "source": draw(SOURCES),
        "type": draw(TYPES),
    }
    optional = {
        "time": TIMES,
        "datacontenttype": st.just("application/json"),
        "tenantid": IDS,
        "userid": IDS,
        "ownerid": IDS,
        "spaceid": IDS,
        "toplevelresourceid": IDS,
        "traceparent": TRACEPARENT,
        "tracestate": st.just("qlik=00f067aa0ba902b7"),
        "authtype": st.sampled_from(["user", "service_account", "User", "api-key"]),
        "authclaims": st.one_of(
            st.builds(lambda a: _json_text(a), ACTORS),
            st.builds(lambda a: _json_text(a, spaced=True), ACTORS),
            st.text(max_size=10),
        ),
        "data": JSON,
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            event[name] = draw(strategy)
    reserved = {"specversion", "id", "source", "type", "qevlegacy", "extensions", *optional}
    extras = draw(
        st.dictionaries(
            extra_names.filter(lambda n: n not in reserved), ATTRIBUTE_VALUES, max_size=4
        )
    )
    event.update(extras)
    return event


def _json_text(value: Any, *, spaced: bool = False) -> str:
    import json

    if spaced:
        return json.dumps(value, indent=2) + "\n"
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
