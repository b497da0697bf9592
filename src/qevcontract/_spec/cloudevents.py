"""CloudEvents 1.0: its context attributes, their rules, and the JSON envelope schema.

From the CloudEvents 1.0 specification (spec.md, formats/json-format.md), not from the
vendor pages: the pages disagree with each other and with the spec about the envelope, and
the quirk checker reports that. Keeping the envelope here means every contract checks the
same, standard envelope.
"""

from __future__ import annotations

from typing import Any

from .uris import CLOUDEVENTS_ID, DRAFT_2020_12

SPECVERSION = "1.0"
# spec.md, "Context Attributes": REQUIRED and OPTIONAL attributes.
REQUIRED_ATTRIBUTES = ("id", "source", "specversion", "type")
OPTIONAL_ATTRIBUTES = ("datacontenttype", "dataschema", "subject", "time")
CONTEXT_ATTRIBUTES = frozenset({*REQUIRED_ATTRIBUTES, *OPTIONAL_ATTRIBUTES})
# The JSON format's members for the payload (json-format.md section 3): not attributes.
PAYLOAD = ("data", "data_base64")
PAYLOAD_MEMBERS = frozenset(PAYLOAD)
# Every top-level member an event may carry besides extension attributes, in spec order.
CORE_MEMBERS = (*REQUIRED_ATTRIBUTES, *OPTIONAL_ATTRIBUTES, *PAYLOAD)

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


def is_attribute_name(name: str) -> bool:
    """A valid CloudEvents 1.0 attribute name: "MUST consist of lower-case letters ('a' to
    'z') or digits ('0' to '9') from the ASCII character set" (spec.md, Attribute Naming)."""
    return name.isascii() and name.isalnum() and (name.islower() or name.isdigit())


# RFC 4648 section 4 Base64, padded, nothing outside the alphabet (section 3.3: "MUST reject").
BASE64_PATTERN = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
# CloudEvents Integer: "A whole number in the range -2,147,483,648 to +2,147,483,647".
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1
# json-format.md section 3: "OPTIONAL not omitted attributes MAY be represented as a `null`
# JSON value", and section 2.2: "When decoding attributes and a `null` value is encountered,
# it MUST be treated as the equivalent of unset or omitted." So the schemas accept `null` for
# every OPTIONAL attribute and extension (a generic JSON Schema tool then agrees), never for
# a REQUIRED one. The validator drops null attributes before any schema sees the event
# (`validate.typesystem`), so that a required one reads as missing.
OPTIONAL_STRING = ["string", "null"]


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
        "required": list(REQUIRED_ATTRIBUTES),
        "properties": {
            "id": {"type": "string", "minLength": 1},
            "source": {"type": "string", "minLength": 1, "format": "uri-reference"},
            "specversion": {"type": "string", "const": SPECVERSION},
            "type": {"type": "string", "minLength": 1},
            "datacontenttype": {"type": OPTIONAL_STRING, "pattern": MEDIA_TYPE_PATTERN},
            "dataschema": {"type": OPTIONAL_STRING, "minLength": 1, "format": "uri"},
            "subject": {"type": OPTIONAL_STRING, "minLength": 1},
            "time": {"type": OPTIONAL_STRING, "format": "date-time"},
            "data": True,
            "data_base64": {
                "type": "string",
                "contentEncoding": "base64",
                "pattern": BASE64_PATTERN,
            },
        },
        "propertyNames": {"pattern": ATTRIBUTE_NAME_PATTERN},
        # Extension attribute values are scalars (String, Boolean, Integer) in CloudEvents; an
        # Integer is 32-bit. Extensions are OPTIONAL: `null` is an unset one.
        "additionalProperties": {
            "type": ["string", "boolean", "integer", "null"],
            "minimum": INTEGER_MIN,
            "maximum": INTEGER_MAX,
        },
        "not": {"required": ["data", "data_base64"]},
        "x-qev-maintained-by": "qevcontract",
    }
