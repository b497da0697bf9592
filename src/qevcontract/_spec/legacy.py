"""The schema of Qlik's legacy event envelope (the CloudEvents 0.1 style webhooks still send).

Like the CloudEvents envelope beside it (`cloudevents.py`), it is maintained here, not parsed
from the reference pages, which only show 1.0 events. It checks the envelope only: `data` is
checked against the event type's contract after conversion (see `qevcontract.envelopes`).
It is open, so it also checks the legacy half of a hybrid event, whose 1.0 attributes it
leaves alone.
"""

from __future__ import annotations

from typing import Any

from .cloudevents import MEDIA_TYPE_PATTERN
from .qlik import TRACEPARENT_PATTERN
from .uris import DRAFT_2020_12, LEGACY_ID

LEGACY_VERSION = "0.1"


def legacy_envelope_schema() -> dict[str, Any]:
    """Draft 2020-12 schema of the legacy envelope, for the contract set's envelope folder."""
    string = {"type": "string"}
    identifier = {"type": "string", "minLength": 1}
    return {
        "$schema": DRAFT_2020_12,
        "$id": LEGACY_ID,
        "title": "Qlik Cloud legacy event envelope (CloudEvents 0.1 style)",
        "description": (
            "Envelope of the events older Qlik Cloud webhooks and Qlik Automate receive, and "
            "the legacy half of a hybrid event. Maintained by qevcontract; the payload is "
            "checked against the event type's contract, the envelope here."
        ),
        "type": "object",
        "required": ["cloudEventsVersion", "eventType", "source"],
        # The id is spelled eventId or eventID; name the usual spelling when both are missing.
        "if": {"not": {"required": ["eventID"]}},
        "then": {"required": ["eventId"]},
        "properties": {
            "cloudEventsVersion": {"type": "string", "const": LEGACY_VERSION},
            "eventId": identifier,
            "eventID": identifier,
            "eventTime": {"type": "string", "format": "date-time"},
            "eventType": identifier,
            "eventTypeVersion": string,
            "contentType": {"type": "string", "pattern": MEDIA_TYPE_PATTERN},
            "contenttype": {"type": "string", "pattern": MEDIA_TYPE_PATTERN},
            "source": {"type": "string", "minLength": 1, "format": "uri-reference"},
            "extensions": {
                "type": "object",
                "properties": {
                    "tenantId": string,
                    "userId": string,
                    "ownerId": string,
                    "spaceId": string,
                    "topLevelResourceId": string,
                    "header": {
                        "type": "object",
                        "properties": {
                            "traceparent": {
                                "type": "array",
                                "minItems": 1,
                                "items": {"type": "string", "pattern": TRACEPARENT_PATTERN},
                            },
                        },
                    },
                    "actor": {
                        "type": "object",
                        "properties": {"sub": string, "subType": string},
                    },
                },
            },
            "data": True,
        },
        "x-qev-maintained-by": "qevcontract",
    }
