"""The Validator library API: dispatch, envelope, messages, strict mode, offline, pickling."""

from __future__ import annotations

import copy
import json
import pickle
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from qevcontract.contracts import Catalog, UnknownEventType, load
from qevcontract.validate._engines import SchemaRefError
from qevcontract.validate._validator import InvalidEventError, Validator

from ..conftest import CONTRACTS

ENGINES = ["rs", "python"]


def reload_event() -> dict[str, Any]:
    ex = load(CONTRACTS).examples("com.qlik.v1.app.reload.finished")[0]
    return copy.deepcopy(ex)


def task_event() -> dict[str, Any]:
    """A task event as the contract describes it (the doc example has quirks)."""
    ex = copy.deepcopy(load(CONTRACTS).examples("com.qlik.scheduling.task.created")[0])
    ex["type"] = "com.qlik.scheduling.task.created"
    ex["datacontenttype"] = "application/json"
    del ex["eventType"], ex["extensions"]
    return ex


@pytest.mark.parametrize("engine", ENGINES)
def test_a_valid_event_has_no_violations(catalog: Catalog, engine: str) -> None:
    v = Validator(catalog, engine=engine)
    assert list(v.iter_errors(reload_event())) == []
    assert list(v.iter_errors(task_event())) == []
    assert v.is_valid(task_event())
    assert v.validate(task_event()) is None


def test_validate_raises_with_every_error_as_python_jsonschema_does(catalog: Catalog) -> None:
    # python-jsonschema's `validate` raises on an invalid instance and returns None otherwise;
    # ours raises one ValueError that carries all the event's errors (not only the first).
    ev = task_event()
    ev["data"]["status"] = "done"
    del ev["id"]
    v = Validator(catalog)
    with pytest.raises(InvalidEventError) as caught:
        v.validate(ev)
    assert isinstance(caught.value, ValueError)
    assert {e.pointer for e in caught.value.errors} == {"/id", "/data/status"}
    assert all(e.severity == "error" for e in caught.value.errors)
    assert str(caught.value) == f"{caught.value.errors[0].message} (and 1 more)"
    assert not v.is_valid(ev)
    assert list(v.iter_errors(ev)) == list(caught.value.errors)


def test_warnings_alone_leave_an_event_valid(catalog: Catalog) -> None:
    ev = task_event()
    ev["type"] = "com.qlik.v1.no.such.type"
    v = Validator(catalog, unknown_types="warn")
    [warning] = v.iter_errors(ev)
    assert warning.severity == "warning" and warning.rule == "unknown-type"
    assert v.is_valid(ev) and v.validate(ev) is None


@pytest.mark.parametrize("engine", ENGINES)
def test_enum_violation_reads_like_a_sentence(catalog: Catalog, engine: str) -> None:
    ev = task_event()
    ev["data"]["status"] = "done"
    [viol] = Validator(catalog, engine=engine).iter_errors(ev)
    assert viol.pointer == "/data/status"
    assert viol.message == "data.status: 'done' is not one of succeeded, failed, aborted"
    assert (viol.keyword, viol.rule, viol.code, viol.severity) == (
        "enum",
        "enum",
        "QEV112",
        "error",
    )
    assert viol.schema_path.endswith("/properties/data/properties/status/enum")


@pytest.mark.parametrize("engine", ENGINES)
def test_each_kind_of_problem_is_located_and_explained(catalog: Catalog, engine: str) -> None:
    ev = task_event()
    del ev["data"]["ownerId"]
    ev["data"]["enabled"] = "yes"
    ev["time"] = "yesterday"
    ev["specversion"] = "1.0.2"
    ev["Bad_Name"] = "x"
    got = {
        (x.pointer, x.rule): x.message for x in Validator(catalog, engine=engine).iter_errors(ev)
    }
    assert got == {
        ("/data/ownerId", "required"): "data.ownerId: required property is missing",
        ("/data/enabled", "type"): "data.enabled: 'yes' is a string, expected boolean",
        ("/time", "format"): "time: 'yesterday' is not a valid date-time",
        ("/specversion", "const"): "specversion: '1.0.2' should be '1.0'",
        ("/Bad_Name", "attribute-name"): (
            "Bad_Name: attribute name is not lower-case letters and digits (CloudEvents 1.0)"
        ),
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_envelope_is_checked_for_every_event_even_unknown_types(
    catalog: Catalog, engine: str
) -> None:
    ev = {
        "id": "",
        "type": "com.qlik.v1.widget.created",
        "specversion": "1.0",
        "source": "a b:c",
        "datacontenttype": "json",
        "nested": {"a": 1},
    }
    got = {(x.pointer, x.rule) for x in Validator(catalog, engine=engine).iter_errors(ev)}
    assert got == {
        ("/id", "length"),
        ("/source", "format"),
        ("/datacontenttype", "pattern"),
        ("/nested", "attribute-value"),
        ("/type", "unknown-type"),
    }


def test_unknown_type_names_the_nearest_known_types(catalog: Catalog) -> None:
    ev = task_event()
    ev["type"] = "com.qlik.scheduling.tasks.created"
    [viol] = [x for x in Validator(catalog).iter_errors(ev) if x.rule == "unknown-type"]
    assert viol.message.endswith("did you mean com.qlik.scheduling.task.created?")
    assert viol.code == "QEV101"


def test_force_type_applies_one_contract_to_every_event(catalog: Catalog) -> None:
    ev = task_event()
    ev["type"] = "com.qlik.scheduling.tasks.created"
    forced = list(Validator(catalog, force_type="com.qlik.scheduling.task.created").iter_errors(ev))
    assert [(x.pointer, x.rule) for x in forced] == [("/type", "const")]
    with pytest.raises(UnknownEventType):
        Validator(catalog, force_type="com.qlik.nope")


@pytest.mark.parametrize("engine", ENGINES)
def test_default_mode_lets_unknown_properties_through_strict_mode_does_not(
    catalog: Catalog, engine: str
) -> None:
    ev = task_event()
    ev["data"]["newField"] = 1
    ev["region"] = "eu"  # an extension attribute no contract or envelope documents
    assert list(Validator(catalog, engine=engine).iter_errors(ev)) == []
    strict = list(Validator(catalog, engine=engine, strict=True).iter_errors(ev))
    assert {(x.pointer, x.rule) for x in strict} == {
        ("/data/newField", "unknown-property"),
        ("/region", "unknown-property"),
    }
    assert strict[0].message.endswith("property is not in the contract (strict mode)")


def test_strict_mode_fails_events_whose_payload_the_docs_leave_unspecified(
    catalog: Catalog,
) -> None:
    ev = {
        "id": "1",
        "source": "com.qlik/roles",
        "specversion": "1.0",
        "type": "com.qlik.v1.role.created",
        "data": {"anything": True},
    }
    assert list(Validator(catalog).iter_errors(ev)) == []
    [viol] = Validator(catalog, strict=True).iter_errors(ev)
    assert viol.rule == "payload-undocumented" and viol.code == "QEV102"


@pytest.mark.parametrize("event", [[1, 2], "text", 3, None])
def test_non_objects_are_violations_not_crashes(catalog: Catalog, event: Any) -> None:
    [viol] = Validator(catalog).iter_errors(event)
    assert viol.message == "the event is not a JSON object"
    assert Validator(catalog).check(event).status == "invalid"


def test_check_carries_id_type_and_contract(catalog: Catalog) -> None:
    r = Validator(catalog).check(task_event(), source="a.jsonl", index=4, line=5)
    assert (r.source, r.index, r.line, r.status) == ("a.jsonl", 4, 5, "valid")
    assert r.event_id == "A234-1234-1234" and r.contract == "com.qlik.scheduling.task.created"


def test_iter_results_streams_in_memory_events(catalog: Catalog) -> None:
    bad = task_event()
    bad["data"]["status"] = "done"
    results = list(Validator(catalog).iter_results(iter([task_event(), bad, 7])))
    assert [r.status for r in results] == ["valid", "invalid", "invalid"]
    assert [r.index for r in results] == [0, 1, 2]


@pytest.mark.parametrize("engine", ENGINES)
def test_validator_pickles_cheaply_and_validates_the_same_after(
    catalog: Catalog, engine: str
) -> None:
    v = Validator(catalog, engine=engine, strict=True)
    ev = task_event()
    ev["data"]["status"] = "done"
    before = list(v.iter_errors(ev))  # compiles and caches a schema
    blob = pickle.dumps(v)
    assert len(blob) < 400 * len(catalog)  # the catalogue index (a few hundred bytes a type)
    clone = pickle.loads(blob)
    assert clone.strict and clone.engine_name == engine
    assert list(clone.iter_errors(ev)) == before


@pytest.mark.parametrize("engine", ENGINES)
def test_a_ref_outside_the_contract_set_is_an_error_naming_it_never_a_fetch(
    tmp_path: Path, engine: str
) -> None:
    target = tmp_path / "set"
    shutil.copytree(CONTRACTS, target)
    f = target / "apps/com.qlik.app.deleted.schema.json"
    schema = json.loads(f.read_text())
    schema["properties"]["data"] = {"$ref": "https://example.com/schemas/app.json"}
    f.write_text(json.dumps(schema))
    v = Validator(load(target), engine=engine)
    ev = {"id": "1", "source": "s", "specversion": "1.0", "type": "com.qlik.app.deleted"}
    with pytest.raises(SchemaRefError, match=re.escape("https://example.com/schemas/app.json")):
        list(v.iter_errors(ev))


def test_strict_mode_accepts_the_shared_extension_attributes(catalog: Catalog) -> None:
    """tenantid, userid, traceparent... are declared by the extension envelope every contract
    includes: documented, so strict mode must not call them unknown (the task page lists
    them only inside its non-CloudEvents `extensions` object)."""
    ev = task_event()
    ev.update(tenantid="t", userid="u", toplevelresourceid="r",
              traceparent="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")  # fmt: skip
    assert list(Validator(catalog, strict=True).iter_errors(ev)) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_a_repeated_mistake_reads_as_it_would_the_first_time(catalog: Catalog, engine: str) -> None:
    """Explanations are remembered per distinct engine error: values that compare equal but
    are written differently (1, 1.0, true; 0.0 and -0.0) and different missing members at
    one place must each still get their own message, whatever came before them."""
    mistakes: list[tuple[str, Any]] = [
        ("id", 1), ("id", True), ("id", 1.0), ("id", 0.0), ("id", -0.0), ("id", None),
        ("specversion", "0.3"), ("specversion", "1.0 "), ("source", None), ("id", 1),
    ]  # fmt: skip
    events = []
    for name, value in mistakes:
        event = reload_event()
        if value is None:
            del event[name]
        else:
            event[name] = value
        events.append(event)
    shared = Validator(catalog, engine=engine)
    twice = [shared.check(e).violations for e in events + events]
    fresh = [Validator(catalog, engine=engine).check(e).violations for e in events]
    assert twice == fresh + fresh
    messages = {v.message for vs in fresh[:5] for v in vs}
    assert {"id: 1 is an integer, expected string", "id: true is a boolean, expected string",
            "id: 1.0 is a number, expected string", "id: -0.0 is a number, expected string",
            } <= messages  # fmt: skip
