"""The delivery log's `received` stamp: RFC 3339 UTC with microseconds, the text the standard
library gives for the same instant, though the server formats each second only once."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from qevcontract.webhook._record import _stamp

# RFC 3339 section 5.6 date-time, in the form the log writes: "Z", six fraction digits.
RFC3339_UTC_MICROS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")


def reference(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@settings(max_examples=300)
@given(st.floats(min_value=0, max_value=4_102_444_800, allow_nan=False))  # up to 2100
def test_a_timestamp_reads_as_datetime_gives_it(t: float) -> None:
    assert _stamp(t) == reference(t)
    assert RFC3339_UTC_MICROS.fullmatch(_stamp(t))


def test_microseconds_round_as_datetime_rounds_them_and_carry_into_the_next_second() -> None:
    for t in (1_764_770_000.9999996, 1_764_770_000.0000004, 1_764_770_000.5, 1_764_769_999.9999999):
        assert _stamp(t) == reference(t)
    assert (
        _stamp(1_764_770_000.9999996) == "2025-12-03T13:53:21.000000Z"
    )  # `date -u -d @1764770000`: 13:53:20


def test_the_second_formatted_last_does_not_leak_into_another() -> None:
    # Alternating seconds (the cache holds one): each stamp is still its own.
    for t in (1_764_770_000.25, 1_764_770_001.25, 1_764_770_000.75, 86_400.5, 1_764_770_001.0):
        assert _stamp(t) == reference(t)
