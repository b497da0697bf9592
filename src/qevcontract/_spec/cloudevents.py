"""The shared envelope schemas every contract references.

These come from the CloudEvents 1.0 specification (and the W3C trace-context format Qlik
uses for `traceparent`), not from the vendor pages: the pages disagree with each other and
with the spec about the envelope, and the quirk checker reports that. Keeping the envelope
here means every contract checks the same, standard envelope.
"""

from __future__ import annotations

from typing import Any

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
# `.invalid` is reserved (RFC 2606) and never resolves: a contract `$id` can never turn
# into a network fetch, whatever tool reads it.
BASE_URI = "https://qevcontract.invalid/contracts/"

CLOUDEVENTS_FILE = "envelope/cloudevents-1.0.schema.json"
QLIK_EXTENSIONS_FILE = "envelope/qlik-extensions.schema.json"
CLOUDEVENTS_ID = BASE_URI + CLOUDEVENTS_FILE
QLIK_EXTENSIONS_ID = BASE_URI + QLIK_EXTENSIONS_FILE

# RFC 2046 / RFC 6838 media type: type "/" subtype, then optional parameters. Parameter
# names and unquoted values are RFC 2045 tokens: any printable ASCII but SPACE and tspecials
# ()<>@,;:\\"/[]?= (so `URL*0=...`, RFC 2231, is legal); a quoted value may escape a character.
_TOKEN = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
_RFC2045_TOKEN = r"[!#$%&'*+.^_`{|}~0-9A-Za-z-]+"
MEDIA_TYPE_PATTERN = (
    rf"^{_TOKEN}/{_TOKEN}"
    rf'(\s*;\s*{_RFC2045_TOKEN}=("(?:[^"\\]|\\[ -~])*"|{_RFC2045_TOKEN}))*$'
)
# CloudEvents 1.0: attribute names are lower-case ASCII letters and digits. `data` and
# `data_base64` are the JSON format's members for the payload.
ATTRIBUTE_NAME_PATTERN = r"^([a-z0-9]+|data_base64)$"
# W3C trace-context `traceparent`: version-traceid-parentid-flags, lower-case hex.
TRACEPARENT_PATTERN = r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"
# RFC 4648 section 4 Base64, padded, nothing outside the alphabet (section 3.3: "MUST reject").
BASE64_PATTERN = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
# CloudEvents Integer: "A whole number in the range -2,147,483,648 to +2,147,483,647".
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1
# OPTIONAL attributes may be `null` in JSON ("it MUST be treated as the equivalent of unset
# or omitted", json-format 2.2). The validator drops null attributes before any schema sees
# the event (`validate.typesystem`), so the schemas keep the types a producer writes.


def cloudevents_schema() -> dict[str, Any]:
    """CloudEvents 1.0 structured-mode JSON envelope: the part every event must satisfy."""
    return {
        "$schema": DRAFT_2020_12,
        "$id": CLOUDEVENTS_ID,
        "title": "CloudEvents 1.0 envelope (JSON event format)",
        "description": (
            "Context attributes required and constrained by CloudEvents 1.0. Maintained by "
            "qevcontract from the CloudEvents specification; every event contract references it."
        ),
        "type": "object",
        "required": ["id", "source", "specversion", "type"],
        "properties": {
            "id": {"type": "string", "minLength": 1},
            "source": {"type": "string", "minLength": 1, "format": "uri-reference"},
            "specversion": {"type": "string", "const": "1.0"},
            "type": {"type": "string", "minLength": 1},
            "datacontenttype": {"type": "string", "pattern": MEDIA_TYPE_PATTERN},
            "dataschema": {"type": "string", "minLength": 1, "format": "uri"},
            "subject": {"type": "string", "minLength": 1},
            "time": {"type": "string", "format": "date-time"},
            "data": True,
            "data_base64": {
                "type": "string",
                "contentEncoding": "base64",
                "pattern": BASE64_PATTERN,
            },
        },
        "propertyNames": {"pattern": ATTRIBUTE_NAME_PATTERN},
        # Extension attribute values are scalars (String, Boolean, Integer) in CloudEvents; an
        # Integer is 32-bit.
        "additionalProperties": {
            "type": ["string", "boolean", "integer"],
            "minimum": INTEGER_MIN,
            "maximum": INTEGER_MAX,
        },
        "not": {"required": ["data", "data_base64"]},
        "x-qev-maintained-by": "qevcontract",
    }


def qlik_extensions_schema() -> dict[str, Any]:
    """Qlik's CloudEvents extension attributes, as a consumer can rely on them."""
    string = {"type": "string"}
    return {
        "$schema": DRAFT_2020_12,
        "$id": QLIK_EXTENSIONS_ID,
        "title": "Qlik Cloud CloudEvents extension attributes",
        "description": (
            "Extension attributes Qlik Cloud events carry at the top level of a CloudEvents 1.0 "
            "event. All optional here; an event contract marks the ones its page requires."
        ),
        "type": "object",
        "properties": {
            "tenantid": string,
            "userid": string,
            "ownerid": string,
            "spaceid": string,
            "toplevelresourceid": string,
            "authtype": string,
            "authclaims": {"type": "string", "contentMediaType": "application/json"},
            "clientid": string,
            "sessionid": string,
            "traceparent": {"type": "string", "pattern": TRACEPARENT_PATTERN},
            "tracestate": string,
        },
        "x-qev-maintained-by": "qevcontract",
    }


def envelope_files() -> dict[str, dict[str, Any]]:
    """Relative path -> schema, for the writer."""
    from .legacy import legacy_envelope_files

    return {
        CLOUDEVENTS_FILE: cloudevents_schema(),
        QLIK_EXTENSIONS_FILE: qlik_extensions_schema(),
        **legacy_envelope_files(),
    }
