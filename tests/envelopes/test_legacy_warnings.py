"""`normalize --to legacy` warnings say what really happens to an attribute, and are true.

Each claim of a warning is checked against the conversion's actual output: where the value
was written in the legacy event, and what converting that event back to 1.0 gives instead.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from qevcontract.envelopes import detect, to_cloudevents, to_legacy

from .strategies import ANY_KEYS, JSON

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BASE = {"specversion": "1.0", "id": "1", "source": "com.qlik/engine", "type": "com.qlik.x"}
WRITTEN = re.compile(
    r"^(?P<name>.+?): written as (?P<where>\S+); converting back to 1\.0 (?P<rest>.+)$"
)


def exact(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def test_a_name_that_is_not_lower_case_says_what_it_comes_back_as() -> None:
    legacy = to_legacy({**BASE, "Region": "eu"})
    assert legacy.event["extensions"]["Region"] == "eu"
    assert legacy.warnings == [
        "Region: written as extensions.Region; converting back to 1.0 gives region, not Region"
    ]
    assert to_cloudevents(legacy.event).event["region"] == "eu"


def test_a_value_no_attribute_can_hold_says_it_comes_back_only_in_qevlegacy() -> None:
    legacy = to_legacy({**BASE, "changes": [{"field": "name"}]})
    assert legacy.event["extensions"]["changes"] == [{"field": "name"}]
    assert legacy.warnings == [
        "changes: written as extensions.changes; converting back to 1.0 keeps it only in "
        "qevlegacy: an array cannot be an attribute value (a string, boolean or integer)"
    ]
    back = to_cloudevents(legacy.event).event
    assert "changes" not in back
    assert "changes" in json.loads(back["qevlegacy"])["set"]["/extensions"]


def test_a_broken_qevlegacy_is_reported_once() -> None:
    legacy = to_legacy({**BASE, "qevlegacy": "{"})
    assert len(legacy.warnings) == 1 and legacy.lost == ["/qevlegacy"]
    assert legacy.warnings[0].endswith("not applied, kept as extensions.qevlegacy")


def _at(event: dict[str, Any], dotted: str, name: str) -> Any:
    """The value at `extensions.NAME` or top-level `NAME`, as the warning names it."""
    if dotted == f"extensions.{name}":
        return event["extensions"][name]
    assert dotted == name, dotted
    return event[name]


@PROPERTY
@given(st.dictionaries(ANY_KEYS, JSON, max_size=5))
def test_every_warning_tells_the_truth(extras: dict[str, Any]) -> None:
    event = {**extras, **BASE}
    assume(detect(event) == "cloudevents")  # a hybrid's own warnings come first
    legacy = to_legacy(event)
    back = to_cloudevents(legacy.event).event
    # Every attribute that does not come back unchanged is named, by exactly one warning.
    named = [w.split(": ", 1)[0] for w in legacy.warnings]
    assert sorted(named) == sorted(p[1:].replace("~1", "/").replace("~0", "~") for p in legacy.lost)
    for warning in legacy.warnings:
        match = WRITTEN.match(warning)
        if match is None:
            continue  # the one other kind: a qevlegacy patch that could not be applied
        name, rest = match["name"], match["rest"]
        assert exact(_at(legacy.event, match["where"], name)) == exact(event[name]), warning
        if rest.startswith("keeps it only in qevlegacy"):
            assert name not in back and "qevlegacy" in back, warning
        elif rest.endswith(f"not {name}"):
            others = rest.removeprefix("gives ").removesuffix(f", not {name}").split(", ")
            assert name not in back or exact(back[name]) != exact(event[name])
            assert all(exact(back[o]) == exact(event[name]) for o in others), warning
        else:
            assert rest == f"gives {name} another value"
            assert exact(back[name]) != exact(event[name]), warning
