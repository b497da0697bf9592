"""The regular expressions several packages match values with: one of each.

`RFC3339_DATE_TIME` is RFC 3339 section 5.6 `date-time`: `full-date "T" full-time`, where
"T" and "Z" "may alternatively be lower case" (the NOTE under the grammar, since ABNF
strings are case-insensitive). The space the next NOTE lets applications use instead of
"T" is not the `date-time` production, and JSON Schema's `date-time` format (which both
validation engines assert, and CloudEvents' `time` is) rejects it; so does this pattern.
Field values are not range-checked here (`instants` does that); groups: year, month, day,
hour, minute, second, fraction, offset sign, offset hours, offset minutes.
"""

from __future__ import annotations

import re

RFC3339_DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))"
)
# RFC 9562 (formerly 4122) section 4: 8-4-4-4-12 hex digits, either case on input.
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def is_date_time(value: object) -> bool:
    """Whether `value` is a string in RFC 3339 `date-time` shape (the whole string)."""
    return type(value) is str and RFC3339_DATE_TIME.fullmatch(value) is not None


def is_uuid(value: object) -> bool:
    """Whether `value` is a string in UUID shape (the whole string)."""
    return type(value) is str and UUID.fullmatch(value) is not None
