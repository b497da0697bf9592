"""The one RFC 3339 date-time pattern and the one UUID pattern, against the RFCs and against
the `format` verdicts of both validation engines (the pattern must never disagree with them).

Before there was one pattern, three disagreed: the check's shapes and the hybrid instant
comparison took a space for the "T", and the generator's hints refused a lower-case "t"/"z".
"""

from __future__ import annotations

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator

from qevcontract._spec.patterns import is_date_time, is_uuid
from qevcontract.check._rules.shapes import Shape
from qevcontract.contracts import Catalog
from qevcontract.envelopes._instants import instant
from qevcontract.generate._hints import classify

# RFC 3339 section 5.6: `date-time = full-date "T" full-time`, and the NOTE: "Per [ABNF]
# and ISO8601, the "T" and "Z" characters in this syntax may alternatively be lower case
# "t" or "z" respectively."
LOWER_CASE = "2021-12-23t12:28:21.5z"
# The NOTE that follows allows a space only as an application's own choice: "Applications
# using this syntax may choose, for the sake of readability, to specify a full-date and
# full-time separated by (say) a space character." That is not the `date-time` production.
SPACE = "2021-12-23 12:28:21Z"

DATE_TIMES = [
    "2016-12-31T23:59:60Z",
    "2021-12-23T12:28:21.000000Z",
    "2021-12-23T12:28:21+01:00",
    "2021-12-23T12:28:21-00:00",
    LOWER_CASE,
    "2021-12-23T12:28:21z",
]
NOT_DATE_TIMES = [SPACE, "2021-12-23T12:28:21", "2021-12-23", "2021-12-23T12:28:21Z\n", "x"]


def engines_accept(fmt: str, value: str) -> set[bool]:
    schema = {"format": fmt}
    rs = jsonschema_rs.validator_for(schema, validate_formats=True).is_valid(value)
    py = Draft202012Validator(schema, format_checker=Catalog.format_checker())
    return {bool(rs), py.is_valid(value)}


@pytest.mark.parametrize("value", DATE_TIMES)
def test_rfc3339_date_times_are_date_times_everywhere(value: str) -> None:
    assert engines_accept("date-time", value) == {True}
    assert is_date_time(value)
    assert Shape("date-time").matches(value)
    assert instant(value) is not None
    assert classify(value) == "timestamp"


@pytest.mark.parametrize("value", NOT_DATE_TIMES)
def test_other_strings_are_not_date_times_anywhere(value: str) -> None:
    assert engines_accept("date-time", value) == {False}
    assert not is_date_time(value)
    assert not Shape("date-time").matches(value)
    assert instant(value) is None
    assert classify(value) is None


def test_lower_case_t_and_z_name_the_same_instant() -> None:
    assert instant(LOWER_CASE) == instant("2021-12-23T12:28:21.5Z")


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("123e4567-e89b-12d3-a456-426614174000", True),
        ("123E4567-E89B-12D3-A456-426614174000", True),  # RFC 9562: "case insensitive on input"
        ("123e4567e89b12d3a456426614174000", False),
        ("{123e4567-e89b-12d3-a456-426614174000}", False),
        ("123e4567-e89b-12d3-a456-426614174000\n", False),
    ],
)
def test_uuid_shape_agrees_with_the_uuid_format(value: str, ok: bool) -> None:
    assert engines_accept("uuid", value) == {ok}
    assert is_uuid(value) is ok
    assert Shape("uuid").matches(value) is ok
