"""Reading what a description promises about a value: a format, a set of values, a flag.

Shared by the example and description rules, so "the description names ISO 8601" means the
same thing to the rule that checks the schema and to the rule that checks the example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..._spec.patterns import RFC3339_DATE_TIME, is_date_time, is_uuid

# A value the doc renderer prints for "some string": not a real value.
PLACEHOLDER = "string"

_ISO_DURATION = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
)
_MEDIA_TYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*")

# Words in a description that name a standard format, and the JSON Schema format for it.
_NAMED_FORMATS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bISO[ -]?8601\b[^.]*\bduration\b|\bduration\b[^.]*\bISO[ -]?8601\b", re.I),
     "duration"),
    (re.compile(r"\bRFC[ -]?3339\b|\bISO[ -]?8601\b", re.I), "date-time"),
    (re.compile(r"\bUUID\b|\bGUID\b", re.I), "uuid"),
    (re.compile(r"\bRFC[ -]?3986\b|\bURI\b", re.I), "uri"),
    (re.compile(r"\bRFC[ -]?2046\b|\bmedia type\b|\bMIME type\b", re.I), "media-type"),
)  # fmt: skip

# "ISO 8601" with nothing saying which of its forms (no RFC 3339, date, time or timestamp).
_BARE_ISO_8601 = re.compile(
    r"^(?!.*\b(?:RFC[ -]?3339|date|time|timestamp|datetime)\b).*\bISO[ -]?8601\b", re.I | re.S
)
# A dash or colon then "x or y" at the end of the sentence: "Reload status - error or ok."
_X_OR_Y = re.compile(r"[-–:]\s*([\w-]+)\s+or\s+([\w-]+)\s*\.?\s*$")
# "One of `a`, `b`, or `c`": values in code spans after "one of" / "either".
_ONE_OF = re.compile(r"\b(?:one of|either)\b[:\s]*((?:`[^`]+`[\s,]*(?:or\s+)?)+)", re.I)
_CODE_SPAN = re.compile(r"`([^`]+)`")

_FLAG_WORDS = re.compile(
    r"^\s*(?:indicates\s+)?whether\b|\byes/no\b|\btrue (?:if|when)\b|\bwhen true\b|"
    r"\bboolean\b|\bflag\b",
    re.I,
)
_FLAG_NAME = re.compile(r"^(?:is|has|can|should|was)[A-Z]")


@dataclass(frozen=True)
class Shape:
    """What a description says a value looks like."""

    kind: str  # a JSON Schema format name, "media-type", or "values"
    values: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.kind == "values":
            return "one of " + ", ".join(self.values)
        return {
            "duration": "an ISO 8601 duration (e.g. PT1M30S)",
            "iso8601": "an ISO 8601 date-time or duration",
            "date-time": "an RFC 3339 date-time",
            "uuid": "a UUID",
            "uri": "a URI",
            "media-type": "a media type (e.g. application/json)",
        }.get(self.kind, self.kind)

    def matches(self, value: object) -> bool:
        if not isinstance(value, str):
            return False
        if self.kind == "values":
            return value in self.values
        if self.kind == "date-time":
            return is_date_time(value)
        if self.kind == "uuid":
            return is_uuid(value)
        pattern = {"duration": _ISO_DURATION, "media-type": _MEDIA_TYPE}.get(self.kind)
        if self.kind == "iso8601":
            return is_date_time(value) or bool(_ISO_DURATION.match(value))
        if pattern is not None:
            return bool(pattern.match(value))
        if self.kind == "uri":
            return ":" in value
        return True


def named_format(description: str) -> str | None:
    """The format a description names ("in ISO 8601 format" -> "duration"/"date-time")."""
    for pattern, fmt in _NAMED_FORMATS:
        if pattern.search(description):
            return fmt
    return None


def prose_values(description: str) -> tuple[str, ...]:
    """Values a description enumerates as the only possible ones, or ()."""
    match = _ONE_OF.search(description)
    if match:
        return tuple(_CODE_SPAN.findall(match.group(1)))
    match = _X_OR_Y.search(description)
    if match and match.group(2).lower() not in ("not", "no", "none", "more", "less"):
        return (match.group(1), match.group(2))
    return ()


def described_shape(description: str) -> Shape | None:
    """The shape a description promises for a value, if it names one."""
    values = prose_values(description)
    if values:
        return Shape("values", values)
    fmt = named_format(description)
    if fmt == "date-time" and _BARE_ISO_8601.search(description):
        # ISO 8601 also defines durations: "Maximum expiry for an API key, in ISO 8601
        # format." with the example 'PT24H' (api-keys-configs.md) is no contradiction.
        return Shape("iso8601")
    return Shape(fmt) if fmt is not None else None


def reads_as_flag(name: str, description: str) -> bool:
    """A field whose description or name says it is a yes/no flag."""
    return bool(_FLAG_WORDS.search(description)) or bool(_FLAG_NAME.match(name))


# Two-valued enums that still mean yes/no; any other pair (`admin | user`) is a choice.
_BOOLEAN_PAIRS = frozenset(
    frozenset(pair)
    for pair in (
        ("true", "false"), ("yes", "no"), ("y", "n"), ("t", "f"), ("on", "off"), ("0", "1"),
    )
)  # fmt: skip
# "whether it is a user or admin-level role": the description names the two values.
_EITHER_OR = re.compile(r"\bwhether\b.*\S\s+or\s+(?!not\b)\S", re.I)
# A name that says it holds a kind of thing (`userEntitlementType`, `accessMode`).
_CHOICE_NAME = re.compile(r"(?:Type|Kind|Level|Mode|Status|State)$")


def boolean_like(values: list[object]) -> bool:
    """An enum of two values that mean true and false (`"true" | "false"`, `0 | 1`, ...)."""
    texts = frozenset(str(v).lower() for v in values)
    return len(values) <= 2 and any(texts <= pair for pair in _BOOLEAN_PAIRS)


def names_a_choice(name: str, description: str) -> bool:
    """A string field whose description or name says it picks one of named values."""
    return bool(_EITHER_OR.search(description)) or bool(_CHOICE_NAME.search(name))


def fraction_digits(value: str) -> int:
    """Digits after the seconds' decimal point in a date-time (0 when there are none)."""
    match = RFC3339_DATE_TIME.fullmatch(value)
    return len(match.group(7)) if match and match.group(7) else 0


def camel_words(name: str) -> list[str]:
    """`endpointId` -> ["endpoint", "id"]; `_resourcetype` -> ["resourcetype"]."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return [w.lower() for w in re.split(r"[\s_\-]+", spaced) if w]


def normalized_name(name: str) -> str:
    """The spelling-blind form of a field name: `alertID`, `alertId`, `alert_id` -> alertid."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def identifier_like(name: str, description: str) -> bool:
    """A field holding an identifier (by its name or its description)."""
    words = camel_words(name)
    if words and words[-1] in ("id", "ids"):
        return True
    if name.islower() and name.endswith("id") and len(name) > 2:
        return True
    return bool(re.search(r"\bidentifier\b", description, re.I))
