"""Qlik Cloud's CloudEvents extension attributes, as a consumer can rely on them."""

from __future__ import annotations

from typing import Any

from .cloudevents import OPTIONAL_STRING
from .uris import DRAFT_2020_12, QLIK_EXTENSIONS_ID

# W3C trace-context `traceparent`: version-traceid-parentid-flags, lower-case hex.
TRACEPARENT_PATTERN = r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"


def qlik_extensions_schema() -> dict[str, Any]:
    """Qlik's CloudEvents extension attributes, as a consumer can rely on them."""
    string = {"type": OPTIONAL_STRING}
    return {
        "$schema": DRAFT_2020_12,
        "$id": QLIK_EXTENSIONS_ID,
        "title": "Qlik Cloud CloudEvents extension attributes",
        "description": (
            "Extension attributes Qlik Cloud events carry at the top level of a CloudEvents 1.0 "
            "event. All optional here (null is unset, as for every optional CloudEvents "
            "attribute); an event contract marks the ones its page requires."
        ),
        "type": "object",
        "properties": {
            "tenantid": string,
            "userid": string,
            "ownerid": string,
            "spaceid": string,
            "toplevelresourceid": string,
            "authtype": string,
            "authclaims": {"type": OPTIONAL_STRING, "contentMediaType": "application/json"},
            "clientid": string,
            "sessionid": string,
            "traceparent": {"type": OPTIONAL_STRING, "pattern": TRACEPARENT_PATTERN},
            "tracestate": string,
        },
        "x-qev-maintained-by": "qevcontract",
    }


# The extension attribute names the schema above declares, in its order.
EXTENSION_ATTRIBUTES = tuple(qlik_extensions_schema()["properties"])
