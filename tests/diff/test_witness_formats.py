"""The diff's reference validator judges formats as `validate` does (one format checker).

RFC 3339 section 5.6: `time-second = 2DIGIT ; 00-58, 00-59, 00-60 based on leap second
rules`, and section 5.7: "the leap second value of 60 ... may occur". `validate` accepts
`2016-12-31T23:59:60Z` with both engines; the diff's witness confirmation used
python-jsonschema's stock checker, which refuses it, so a witness carrying a leap second
was reported unconfirmed.
"""

from __future__ import annotations

import pytest

from qevcontract import Validator
from qevcontract.contracts import Catalog
from qevcontract.diff._witness import Judge, Registries

LEAP = "2016-12-31T23:59:60Z"


@pytest.mark.parametrize("value", [LEAP, "2016-12-31t23:59:60z", "2016-12-31T23:59:61Z"])
def test_the_reference_judge_agrees_with_the_fast_one_on_leap_seconds(value: str) -> None:
    judge = Judge({"properties": {"time": {"type": "string", "format": "date-time"}}})
    assert judge.reference({"time": value}) is judge.fast({"time": value})
    assert judge.reference({"time": value}) is (not value.endswith("61Z"))


def test_a_contract_judge_accepts_what_validate_accepts(catalog: Catalog) -> None:
    event_type = "com.qlik.v1.role.created"
    event = {"specversion": "1.0", "id": "1", "source": "s", "type": event_type, "time": LEAP}
    judge = Judge(catalog.schema(event_type), Registries(catalog))
    assert Validator(catalog, engine="python").is_valid(event)
    assert judge.fast(event)
    assert judge.reference(event)
