"""Shapes Qlik's pages document, judged as the pages and CloudEvents 1.0 say.

* The tasks page (`scheduling__tasks.md`, "Task created") lists, in its 1.0 event's table,
  "| `eventType` | `string` | No | Unique identifier for the event type. ..." and
  "| `extensions` | `cloudEventsQlikExtensionsAttributes` | No | Additional event
  metadata. |", and its example carries both.
* The data-integration examples (`di-projects.md`) carry an object `extensions` in 1.0 events.
* The overview page (`_index.md`): "the payload contained in the `data` object remains
  consistent across both methods" - a Qlik payload is an object.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from qevcontract.contracts import Catalog
from qevcontract.envelopes import to_hybrid, to_legacy
from qevcontract.validate._validator import Validator

TASK = "com.qlik.scheduling.task.created"


def task_event(catalog: Catalog) -> dict[str, Any]:
    """The page's example, with the two mistakes the checker reports put right (its `type`
    says "tasks", its datacontenttype is the placeholder "string"): only the legacy members
    remain to judge."""
    event = copy.deepcopy(catalog.examples(TASK)[0])
    event["type"] = TASK
    event["datacontenttype"] = "application/json"
    assert {"eventType", "extensions"} <= set(event)
    return event


def test_a_1_0_event_with_the_legacy_members_its_page_documents_is_valid_with_a_warning(
    catalog: Catalog,
) -> None:
    result = Validator(catalog).check(task_event(catalog))
    assert result.status == "valid", [v.message for v in result.violations]
    assert result.envelope == "cloudevents" and result.contract == TASK
    found = {v.pointer: v for v in result.violations}
    assert set(found) == {"/eventType", "/extensions"}
    for name, v in (("eventType", found["/eventType"]), ("extensions", found["/extensions"])):
        assert v.severity == "warning" and v.rule == "legacy-documented" and v.code == "QEV124"
        assert v.message.startswith(f"{name}: a legacy") and "--strict" in v.message
    assert "lower-case" in found["/eventType"].message
    assert "string, boolean or integer" in found["/extensions"].message
    # Nothing about the legacy fields the page never mentions.
    assert not any("cloudEventsVersion" in v.message for v in result.violations)


@pytest.mark.parametrize("options", [{"strict": True}, {"envelope": "cloudevents"}])
def test_strict_and_envelope_cloudevents_reject_it_saying_why(
    catalog: Catalog, options: dict[str, Any]
) -> None:
    """CloudEvents 1.0: attribute names "MUST consist of lower-case letters [a-z] or digits
    [0-9]"; an extension's value is one of the type system's scalars."""
    result = Validator(catalog, **options).check(task_event(catalog))
    assert result.status == "invalid"
    rules = {v.pointer: (v.rule, v.severity) for v in result.violations}
    assert rules["/eventType"] == ("attribute-name", "error")
    assert rules["/extensions"] == ("attribute-value", "error")


def test_the_documented_members_are_still_checked_against_the_page(catalog: Catalog) -> None:
    """The page allows one value for eventType: another is an error, whatever the shape."""
    event = task_event(catalog)
    event["eventType"] = "com.qlik.scheduling.task.deleted"
    result = Validator(catalog).check(event)
    assert result.status == "invalid"
    assert ("/eventType", "enum") in {(v.pointer, v.rule) for v in result.violations}


def test_an_undocumented_legacy_member_keeps_the_hybrid_checks(catalog: Catalog) -> None:
    """`cloudEventsVersion` is not on the tasks page: the event is a hybrid, checked as one."""
    event = task_event(catalog)
    event["cloudEventsVersion"] = "0.1"
    result = Validator(catalog).check(event)
    assert result.envelope == "hybrid"


def test_full_hybrids_and_legacy_events_are_unchanged(catalog: Catalog) -> None:
    event = {"specversion": "1.0", "id": "1", "source": "com.qlik/x", "tenantid": "t1",
             "time": "2024-01-01T00:00:00Z", "type": "com.qlik.v1.role.created",
             "data": {}}  # fmt: skip
    v = Validator(catalog)
    assert v.check(to_hybrid(event).event).envelope == "hybrid"
    assert v.check(to_legacy(event).event).envelope == "legacy"


def test_an_object_extensions_is_reported_for_what_it_is(catalog: Catalog) -> None:
    """di-projects.md's examples: a 1.0 event with `"extensions": {"actor": {}, ...}`. The
    role contract does not document `extensions`, so it is an error - for being an object
    where CloudEvents wants a scalar, not for legacy fields the event never claimed."""
    event = {"specversion": "1.0", "id": "1", "source": "com.qlik/data-app-design",
             "type": "com.qlik.v1.role.created",
             "extensions": {"actor": {}, "updates": [{}]}}  # fmt: skip
    for engine in ("rs", "python"):
        result = Validator(catalog, engine=engine).check(event)
        assert result.envelope == "cloudevents"
        assert {(v.pointer, v.rule) for v in result.violations} == {
            ("/extensions", "attribute-value")
        }
        (v,) = result.violations
        assert "object" in v.message and "eventId" not in v.message


@pytest.mark.parametrize("data", ["text", 42, None, [], [{}]])
def test_an_unspecified_payload_is_still_an_object_in_every_shape(
    catalog: Catalog, data: Any
) -> None:
    open_type = next(e.type for e in catalog.entries if not e.payload_documented)
    event = {"specversion": "1.0", "id": "1", "source": "com.qlik/x", "type": open_type,
             "time": "2024-01-01T00:00:00Z", "data": data}  # fmt: skip
    v = Validator(catalog)
    for shaped in (event, to_legacy(event).event, to_hybrid(event).event):
        result = v.check(shaped)
        assert result.status == "invalid", (result.envelope, result.violations)
        assert ("/data", "type") in {(x.pointer, x.rule) for x in result.violations}
    assert v.check({**event, "data": {"anything": [1]}}).status == "valid"
    assert v.check({k: x for k, x in event.items() if k != "data"}).status == "valid"
