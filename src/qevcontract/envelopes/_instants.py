"""RFC 3339 timestamps compared as instants, to the last fractional digit.

`datetime.fromisoformat` rounds nanoseconds (Go producers write them) down to microseconds,
which would call two different instants equal; this keeps every digit.
"""

from __future__ import annotations

from calendar import timegm
from datetime import datetime

from .._spec.patterns import RFC3339_DATE_TIME

Instant = tuple[int, str]  # (whole seconds since the epoch, fraction digits without trailing 0s)


def instant(text: object) -> Instant | None:
    """The instant an RFC 3339 timestamp names, or None if it is not one."""
    if type(text) is not str:
        return None
    m = RFC3339_DATE_TIME.fullmatch(text)
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.group(1, 2, 3, 4, 5, 6))
    if second > 60 or hour > 23 or minute > 59:
        return None
    try:
        datetime(year, month, day)
    except ValueError:
        return None
    seconds = timegm((year, month, day, hour, minute, second, 0, 0, 0))  # 60: a leap second
    if m.group(8):
        offset_hours, offset_minutes = int(m.group(9)), int(m.group(10))
        if offset_hours > 23 or offset_minutes > 59:
            return None
        offset = offset_hours * 3600 + offset_minutes * 60
        seconds -= offset if m.group(8) == "+" else -offset
    return seconds, (m.group(7) or "").rstrip("0")


def same_instant(a: object, b: object) -> bool | None:
    """True/False when both are RFC 3339 timestamps, None when either is not."""
    first, second = instant(a), instant(b)
    if first is None or second is None:
        return None
    return first == second
