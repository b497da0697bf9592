"""Which envelope an event is in, and its two halves when it is a hybrid."""

from __future__ import annotations

from typing import Any

from .._options import ENVELOPE_SHAPES, EnvelopeShape
from ._attributes import CLOUDEVENTS_ONLY, LEGACY_ONLY, PAYLOAD, is_legacy_key
from ._pointers import pointer

Shape = EnvelopeShape
SHAPES = ENVELOPE_SHAPES

_SHARED = ("source", *PAYLOAD)


def detect(event: Any) -> Shape | None:
    """The envelope shape of `event`, or None when it has no attribute of either shape.

    A handful of set look-ups: the validator calls it for every event.
    """
    if not isinstance(event, dict):
        return None
    legacy = not LEGACY_ONLY.isdisjoint(event) or type(event.get("extensions")) is dict
    if not CLOUDEVENTS_ONLY.isdisjoint(event):
        return "hybrid" if legacy else "cloudevents"
    return "legacy" if legacy else None


def legacy_members(event: dict[str, Any]) -> list[str]:
    """Names of the legacy-only members `event` carries, in its order (an `extensions`
    member counts when it is an object). The validator accepts a 1.0 event whose legacy
    members are all ones its contract documents (the tasks page lists `eventType` and
    `extensions`), with a warning, instead of judging it a hybrid."""
    return [k for k, v in event.items() if is_legacy_key(k, v)]


def legacy_fields(event: dict[str, Any]) -> list[str]:
    """Pointers to the legacy-only attributes `event` carries (empty for a 1.0 event)."""
    found = [pointer(k) for k, v in event.items() if is_legacy_key(k, v)]
    if "contenttype" in event and detect(event) == "legacy":
        found.append("/contenttype")
    return found


def cloudevents_half(event: dict[str, Any]) -> dict[str, Any]:
    """A hybrid without its legacy attributes: what a 1.0 consumer reads (order kept)."""
    return {k: v for k, v in event.items() if not is_legacy_key(k, v)}


def legacy_half(event: dict[str, Any]) -> dict[str, Any]:
    """A hybrid's legacy attributes plus the members both shapes share (source, data)."""
    return {k: v for k, v in event.items() if is_legacy_key(k, v) or k in _SHARED}
