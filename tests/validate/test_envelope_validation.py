"""Envelope-aware validation: legacy, hybrid and CloudEvents 1.0 deliveries of one event."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from qevcontract.contracts import Catalog
from qevcontract.envelopes import to_hybrid, to_legacy
from qevcontract.validate._validator import Validator

from ..conftest import REPO


def valid_events() -> list[dict[str, Any]]:
    """One valid CloudEvents 1.0 event per documented type (from the fixtures)."""
    out = []
    for path in sorted((REPO / "fixtures" / "valid").rglob("*.jsonl")):
        out.append(json.loads(path.read_text().splitlines()[0]))
    return out


EVENTS = valid_events()


@pytest.mark.parametrize("event", EVENTS, ids=[e["type"] for e in EVENTS])
def test_the_three_shapes_of_one_valid_event_all_validate(
    catalog: Catalog, event: dict[str, Any]
) -> None:
    v = Validator(catalog)
    ce = v.check(event)
    legacy = v.check(to_legacy(event).event)
    hybrid = v.check(to_hybrid(event).event)
    assert (ce.envelope, legacy.envelope, hybrid.envelope) == ("cloudevents", "legacy", "hybrid")
    for r in (ce, legacy, hybrid):
        assert r.status == "valid", [x.message for x in r.violations]
        assert r.contract == event["type"]
    # the legacy attributes are noted (info), never an error
    assert {x.rule for x in legacy.violations} <= {"legacy-fields", "legacy-unmapped"}
    assert any(x.rule == "legacy-fields" and x.severity == "info" for x in hybrid.violations)


def test_a_hybrid_whose_halves_disagree_fails_naming_both_pointers(catalog: Catalog) -> None:
    event = next(e for e in EVENTS if e["type"] == "com.qlik.app.created")
    hybrid = to_hybrid(event).event
    hybrid["eventType"] = "com.qlik.app.deleted"
    hybrid["extensions"]["tenantId"] = "someone-else"
    r = Validator(catalog).check(hybrid)
    assert r.status == "invalid"
    dis = [x for x in r.violations if x.rule == "hybrid-disagreement" and x.severity == "error"]
    assert {x.pointer for x in dis} == {"/type", "/tenantid"}
    messages = " ".join(x.message for x in dis)
    for ptr in ("eventType", "type", "extensions.tenantId", "tenantid"):
        assert ptr in messages
    assert all(x.code == "QEV121" for x in dis)


def test_legacy_violations_point_at_the_legacy_attribute(catalog: Catalog) -> None:
    event = next(e for e in EVENTS if e["type"] == "com.qlik.scheduling.task.created")
    legacy = copy.deepcopy(to_legacy(event).event)
    legacy["eventTime"] = "yesterday"
    legacy["data"]["status"] = "done"
    r = Validator(catalog).check(legacy)
    assert r.status == "invalid" and r.envelope == "legacy"
    errors = {(x.pointer, x.rule): x.message for x in r.violations if x.severity == "error"}
    assert ("/data/status", "enum") in errors
    assert ("/eventTime", "format") in errors
    assert errors[("/eventTime", "format")].startswith("eventTime:")


def test_legacy_events_are_dispatched_on_event_type(catalog: Catalog) -> None:
    event = next(e for e in EVENTS if e["type"] == "com.qlik.v1.app.reload.finished")
    legacy = to_legacy(event).event
    legacy["data"]["size"] = {"memory": "big"}
    r = Validator(catalog).check(legacy)
    assert r.contract == "com.qlik.v1.app.reload.finished"
    assert [x.pointer for x in r.violations if x.severity == "error"] == ["/data/size/memory"]


@pytest.mark.parametrize(("policy", "status", "severity"), [
    ("error", "invalid", "error"), ("warn", "valid", "warning"), ("ignore", "valid", None),
])  # fmt: skip
def test_unknown_types_policy(
    catalog: Catalog, policy: str, status: str, severity: str | None
) -> None:
    event = {"specversion": "1.0", "id": "1", "source": "com.qlik/users",
             "type": "com.qlik.v1.widget.created", "data": {}}  # fmt: skip
    r = Validator(catalog, unknown_types=policy).check(event)
    assert r.status == status
    got = [x.severity for x in r.violations if x.rule == "unknown-type"]
    assert got == ([severity] if severity else [])
    broken = dict(event, time="not a time")
    assert Validator(catalog, unknown_types=policy).check(broken).status == "invalid"


def test_summary_counts_events_per_envelope(catalog: Catalog) -> None:
    from qevcontract.validate._results import Summary

    event = EVENTS[0]
    s = Summary()
    v = Validator(catalog)
    for e in (event, to_legacy(event).event, to_hybrid(event).event, event):
        s.add(v.check(e))
    assert s.by_envelope == {"cloudevents": 2, "legacy": 1, "hybrid": 1}
    assert s.read == s.valid == 4


def test_forcing_the_envelope(catalog: Catalog) -> None:
    event = EVENTS[0]
    r = Validator(catalog, envelope="legacy").check(event)
    assert r.envelope == "legacy" and r.status == "invalid"


def test_every_valid_doc_example_also_validates_as_legacy_and_hybrid(catalog: Catalog) -> None:
    """The docs' own examples in all three shapes (those that are valid 1.0 events: the others
    carry doc quirks that `qevcontract check` reports, and fail in every shape)."""
    v = Validator(catalog)
    checked = 0
    for t in catalog.types:
        for example in catalog.examples(t):
            if not v.is_valid(example):
                legacy = v.check(to_legacy(example).event)
                # A quirk does not vanish in legacy form, except a structured top-level
                # attribute: only CloudEvents restricts attributes to scalars.
                structured = any(isinstance(x, dict) for k, x in example.items() if k != "data")
                assert structured or legacy.status == "invalid", t
                continue
            for shape, converted in (("legacy", to_legacy), ("hybrid", to_hybrid)):
                normalized = converted(example)
                if not normalized.changed:
                    # Already that shape by its members alone (the data-integration pages
                    # document an object `extensions`): the contract documents those
                    # members, so the validator judges it a 1.0 event with a warning.
                    assert shape == "hybrid" and isinstance(example.get("extensions"), dict), t
                    shape = "cloudevents"
                r = v.check(normalized.event)
                assert (r.envelope, r.status) == (shape, "valid"), (t, shape, r.violations)
            checked += 1
    assert checked >= 10
