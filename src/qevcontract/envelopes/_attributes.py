"""The attribute names of both envelope shapes, the table between them, and value rules.

One table drives detection, conversion in both directions and the hybrid agreement checks,
so the three can never disagree about what maps to what.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from .._spec.cloudevents import CONTEXT_ATTRIBUTES, PAYLOAD_MEMBERS, SPECVERSION
from .._spec.cloudevents import PAYLOAD as PAYLOAD
from .._spec.cloudevents import is_attribute_name as is_attribute_name
from .._spec.legacy import LEGACY_VERSION as LEGACY_VERSION

CLOUDEVENTS_VERSION = SPECVERSION

# Where a converted legacy event keeps what the mapping cannot express (see docs/envelopes.md).
PATCH_ATTRIBUTE = "qevlegacy"

# Legacy top-level attributes -> CloudEvents attribute, in the order they claim a name (the
# first spelling present wins, a later one that maps to a taken name is kept in the patch)
# and the order a converted event lists them.
TOP_LEVEL = (
    ("eventId", "id"),
    ("eventID", "id"),
    ("source", "source"),
    ("eventType", "type"),
    ("eventTime", "time"),
    ("eventTypeVersion", "eventtypeversion"),
    ("contentType", "contenttype"),
    ("contenttype", "contenttype"),
)
# CloudEvents attribute -> the legacy attribute a conversion to legacy writes.
TOP_LEVEL_BACK = {
    "id": "eventId",
    "time": "eventTime",
    "type": "eventType",
    "source": "source",
    "eventtypeversion": "eventTypeVersion",
    "contenttype": "contentType",
}
# Legacy `extensions` members that become top-level attributes.
EXTENSIONS = {
    "tenantId": "tenantid",
    "userId": "userid",
    "ownerId": "ownerid",
    "spaceId": "spaceid",
    "topLevelResourceId": "toplevelresourceid",
}
EXTENSIONS_BACK = {ce: legacy for legacy, ce in EXTENSIONS.items()}

# Attributes only the legacy shape has: any of them makes an event legacy (or hybrid).
# `extensions` counts only when it is an object (a 1.0 event may have a string attribute
# of that name). `contenttype` is left out: it is also a valid 1.0 attribute name.
LEGACY_ONLY = frozenset(
    {
        "cloudEventsVersion",
        "eventId",
        "eventID",
        "eventTime",
        "eventType",
        "eventTypeVersion",
        "contentType",
    }
)
# Attributes only the 1.0 shape has (`source` and `data` are shared).
CLOUDEVENTS_ONLY = (CONTEXT_ATTRIBUTES | PAYLOAD_MEMBERS) - {"source", "data"}
# Names the mapping fills itself; an unknown legacy attribute never takes one of them.
RESERVED = frozenset({"specversion", "id", "source", "type", "time", "data", PATCH_ATTRIBUTE})
# Attributes with no 1.0 meaning that a converted legacy event carries (strict checks of a
# contract should leave them out).
CARRIED = frozenset({"eventtypeversion", "contenttype", PATCH_ATTRIBUTE})


def is_attribute_value(value: Any) -> bool:
    """A value a CloudEvents extension attribute can hold in JSON: string, boolean, integer."""
    return type(value) in (str, bool, int)


def is_legacy_key(name: str, value: Any) -> bool:
    """Whether a top-level member belongs to the legacy half of an event."""
    return name in LEGACY_ONLY or (name == "extensions" and type(value) is dict)


def derived_authtype(actor: dict[str, Any]) -> str | None:
    """The `authtype` a legacy actor implies: its `subType`, unchanged (see docs/envelopes.md)."""
    sub_type = actor.get("subType")
    return sub_type if type(sub_type) is str else None


def same(a: Any, b: Any) -> bool:
    """JSON equality: unlike `==`, `true` is not `1` and `1` is not `1.0`."""
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is dict:
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if kind is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def json_text(value: Any) -> str:
    """Compact JSON text of `value`, members in their order (the form `authclaims` takes)."""
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:  # integers beyond 64 bits: the standard library copes
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class _NotJson:
    def __repr__(self) -> str:
        return "<not JSON>"


NOT_JSON: Any = _NotJson()


def parse_json_text(text: Any) -> Any:
    """The value a JSON text holds, or `NOT_JSON` (also for non-strings)."""
    if type(text) is not str:
        return NOT_JSON
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        pass
    try:  # integers beyond 64 bits
        return json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return NOT_JSON


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
