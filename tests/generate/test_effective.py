"""The merged, self-contained schema generators work from."""

from __future__ import annotations

import pytest

from qevcontract.generate._effective import Unsatisfiable, effective_contract, merge
from qevcontract.generate._errors import GenerationError


def merged(*schemas: object) -> dict:
    return merge(list(schemas), "", [])


def test_types_intersect_and_integer_is_a_number() -> None:
    assert merged({"type": ["string", "integer"]}, {"type": "number"})["type"] == ["integer"]


def test_conflicting_types_are_unsatisfiable() -> None:
    with pytest.raises(Unsatisfiable, match="object"):
        merged({"type": "object"}, {"type": ["string", "boolean"]})


def test_constants_must_agree_and_true_is_not_one() -> None:
    assert merged({"const": 1}, {"const": 1})["const"] == 1
    with pytest.raises(Unsatisfiable):
        merged({"const": 1}, {"const": True})


def test_enums_intersect_and_bounds_tighten() -> None:
    out = merged(
        {"enum": ["a", "b", "c"], "minLength": 1, "maxLength": 9},
        {"enum": ["b", "c", "d"], "minLength": 2, "maxLength": 5},
    )
    assert out["enum"] == ["b", "c"]
    assert (out["minLength"], out["maxLength"]) == (2, 5)


def test_properties_merge_per_name_and_additional_properties_apply_to_unlisted_names() -> None:
    out = merged(
        {"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}},
        {"properties": {"a": {"minLength": 3}, "b": {"type": ["integer", "string"]}}},
        {"required": ["a"]},
    )
    assert out["properties"]["a"] == {"type": ["string"], "minLength": 3}
    assert out["properties"]["b"]["type"] == ["integer"]  # narrowed by additionalProperties
    assert out["required"] == ["a"]


def test_a_name_the_envelope_forbids_is_dropped_when_optional_and_fatal_when_required() -> None:
    envelope = {"propertyNames": {"pattern": "^[a-z0-9]+$"}}
    dropped: list[tuple[str, str]] = []
    out = merge([envelope, {"properties": {"eventType": {"type": "string"}}}], "", dropped)
    assert "eventType" not in out["properties"]
    assert dropped and dropped[0][0] == "/eventType"
    with pytest.raises(Unsatisfiable):
        merged(envelope, {"properties": {"eventType": {}}, "required": ["eventType"]})


@pytest.mark.parametrize(
    "schema",
    [
        {"oneOf": [{"type": "string"}]},
        {"patternProperties": {"^x": {}}},
        {"propertyNames": {"maxLength": 3}, "properties": {"a": {}}},
        {"format": "date-time", "allOf": [{"format": "uuid"}]},
    ],
)
def test_what_the_generator_cannot_honour_is_refused_rather_than_ignored(schema) -> None:
    with pytest.raises(GenerationError):
        merged(schema)


def test_task_contract_quirks_are_dropped_and_extension_members_lifted(catalog) -> None:
    eff = effective_contract(catalog, "com.qlik.scheduling.task.created")
    assert {p for p, _ in eff.dropped} == {"/eventType", "/extensions"}
    assert "eventType" not in eff.generated and "extensions" not in eff.generated
    assert {"tenantid", "userid"} <= set(eff.lifted) <= set(eff.generated)


def test_envelope_constraints_reach_contracts_that_do_not_repeat_them(catalog) -> None:
    eff = effective_contract(catalog, "com.qlik.v1.app.opened")
    props = eff.schema["properties"]
    assert props["time"]["format"] == "date-time"  # the apps page types it as a bare string
    assert props["source"]["format"] == "uri-reference"
    assert {"id", "source", "specversion", "type"} <= set(eff.schema["required"])
    assert "$ref" not in repr(eff.schema)


def test_the_ref_registry_is_built_once_per_generator_and_never_pickled(
    catalog, monkeypatch
) -> None:
    import pickle

    import jsonschema_rs

    from qevcontract.generate import Generator

    built: list[int] = []
    real = jsonschema_rs.Registry

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(jsonschema_rs, "Registry", counting)
    gen = Generator(catalog)
    for event_type in catalog.types[:6]:
        gen.events(event_type, 1, seed=1)
    assert len(built) == 1
    payload = pickle.dumps(gen)  # the registry is not in the state (and does not pickle)
    assert len(payload) < 400 * len(catalog)
    copy = pickle.loads(payload)
    assert copy.events(catalog.types[0], 2, seed=4) == gen.events(catalog.types[0], 2, seed=4)
    assert len(built) == 2  # the copy built its own, once


def test_an_unresolvable_ref_is_a_generation_error(catalog, tmp_path) -> None:
    import json
    import shutil

    from qevcontract.contracts import load

    contracts = tmp_path / "contracts"
    shutil.copytree(catalog.root, contracts)
    target = contracts / "apps" / "com.qlik.app.created.schema.json"
    schema = json.loads(target.read_text())
    missing = "https://qevcontract.invalid/nowhere.schema.json"
    schema["properties"]["data"]["properties"]["name"] = {"$ref": missing}
    target.write_text(json.dumps(schema))
    broken = load(contracts)
    with pytest.raises(GenerationError, match=r"com\.qlik\.app\.created: cannot inline") as caught:
        effective_contract(broken, "com.qlik.app.created")
    assert missing in str(caught.value) and "\n" not in str(caught.value)
