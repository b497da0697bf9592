"""The model -> schema step, driven with hand-made models (no page parsing involved)."""

from __future__ import annotations

import jsonschema
import pytest

from qevcontract.builder._doctypes import parse_doc_type
from qevcontract.builder._model import DocPage, EventDoc, Example, Field, NamedSchema, PageError
from qevcontract.builder._schema import EventSource, event_contract, field_schema


def f(name: str, raw_type: str, **kw: object) -> Field:
    t = parse_doc_type(raw_type)
    assert t is not None, raw_type
    return Field(name=name, type=t, line=kw.pop("line", 1), **kw)  # type: ignore[arg-type]


def page(events: list[EventDoc], schemas: dict[str, NamedSchema] | None = None) -> DocPage:
    return DocPage(
        path="pages/users.md",
        format="markdown",
        title="Users",
        domain="users",
        events=events,
        schemas=schemas or {},
        last_updated="2026-01-01",
    )


def contract(payload: list[Field] | None, **kw: object) -> dict:
    ev = EventDoc(type="com.example.user.created", line=10, domain="users", payload=payload, **kw)  # type: ignore[arg-type]
    return event_contract(EventSource(ev, page([ev])))


def test_type_and_specversion_are_pinned_whatever_the_page_says() -> None:
    c = contract(
        [
            f("type", "string", metadata=[("default", "com.example.other")]),
            f("specversion", "string", metadata=[("minLength", 1)]),
        ]
    )
    assert c["properties"]["type"]["const"] == "com.example.user.created"
    assert c["properties"]["specversion"]["const"] == "1.0"
    assert c["properties"]["type"]["default"] == "com.example.other"  # kept as documented


def test_required_enum_and_metadata_are_carried_exactly() -> None:
    c = contract(
        [
            f("id", "string", required=True, metadata=[("minLength", 1)]),
            f(
                "data",
                "object",
                required=False,
                properties=[
                    f("status", "string", required=True, enum=["a", "b c"]),
                    f("at", "string", metadata=[("format", "date-time"), ("default", "x")]),
                ],
            ),
        ]
    )
    assert c["required"] == ["id"]
    data = c["properties"]["data"]
    assert data["required"] == ["status"]
    assert data["properties"]["status"]["enum"] == ["a", "b c"]
    assert data["properties"]["at"] == {"type": "string", "format": "date-time", "default": "x"}
    assert "additionalProperties" not in data  # objects stay open


def test_items_of_object_arrays_get_the_nested_properties() -> None:
    s = field_schema(f("blocks", "object[]", properties=[f("n", "integer", required=True)]), "p")
    assert s["type"] == "array"
    assert s["items"]["properties"]["n"] == {"type": "integer"}
    assert s["items"]["required"] == ["n"]


@pytest.mark.parametrize(
    ("raw", "props", "expected_key"),
    [
        ("", None, "x-qev-untyped"),
        ("array", None, "x-qev-items-undocumented"),
        ("array of undefineds", None, "x-qev-items-undefined"),
    ],
)
def test_what_the_docs_could_not_say_is_annotated_not_guessed(raw, props, expected_key) -> None:
    s = field_schema(f("x", raw, properties=props), "p")
    assert s[expected_key] is True
    assert "items" not in s


def test_truncated_marker_is_recorded() -> None:
    s = field_schema(f("recipients", "object[]", truncated=True), "p")
    assert s["items"] == {"type": "object", "x-qev-truncated": True}


def test_named_type_without_table_refs_the_page_schema() -> None:
    schemas = {"thing": NamedSchema("thing", 3, properties=[f("a", "string", required=True)])}
    ev = EventDoc(type="com.example.t", line=1, domain="d", payload=[f("data", "thing")])
    c = event_contract(EventSource(ev, page([ev], schemas)))
    assert c["properties"]["data"] == {"$ref": "#/$defs/thing"}
    assert c["$defs"]["thing"]["required"] == ["a"]
    jsonschema.Draft202012Validator.check_schema(c)


def test_named_type_missing_from_schemas_is_an_error_with_line() -> None:
    ev = EventDoc(type="com.example.t", line=1, domain="d", payload=[f("data", "ghost", line=7)])
    with pytest.raises(PageError) as err:
        event_contract(EventSource(ev, page([ev])))
    assert err.value.line == 7 and "ghost" in err.value.message


def test_conflicting_duplicate_metadata_states_nothing_but_repeats_do() -> None:
    """`default = 0, default = 1`: the page gives no one value, so the contract has none
    (the parser warns, `check` reports it); a repeat of one value is that value."""
    assert field_schema(f("n", "integer", metadata=[("default", 0), ("default", 0)]), "p") == {
        "type": "integer",
        "default": 0,
    }
    conflicting = [("default", 0), ("minimum", 1), ("default", 1)]
    assert field_schema(f("n", "integer", metadata=conflicting, line=4), "p") == {
        "type": "integer",
        "minimum": 1,
    }


def test_examples_are_kept_verbatim_even_when_wrong() -> None:
    wrong = {"type": "com.example.users.created", "specversion": "0.3"}
    c = contract([f("id", "string")], examples=[Example(wrong, 20)])
    assert c["examples"] == [wrong]


def test_undocumented_payload_leaves_data_open_and_says_so() -> None:
    c = contract(None)
    assert c["x-qev-payload-undocumented"] is True
    assert c["x-qev-event"]["payload_documented"] is False
    assert "data" not in c["properties"]
    assert c["x-qev-provenance"][0] == {
        "page": "users.md",
        "line": 10,
        "format": "markdown",
        "last_updated": "2026-01-01",
    }


def test_named_type_used_inside_a_page_schema_must_be_defined_too() -> None:
    owner = NamedSchema(
        "ownerObject", 30, properties=[f("id", "string"), f("team", "teamObject", line=33)]
    )
    ev = EventDoc(type="com.example.t", line=1, domain="d", payload=[f("owner", "ownerObject")])
    with pytest.raises(PageError) as err:
        event_contract(EventSource(ev, page([ev], {"ownerObject": owner})))
    assert (err.value.path, err.value.line) == ("pages/users.md", 33)
    assert "teamObject" in err.value.message and "team" in err.value.message


def test_named_type_nested_deep_in_a_page_schema_or_as_its_type_is_checked() -> None:
    deep = NamedSchema(
        "a", 40, properties=[f("b", "object", properties=[f("c", "ghost[]", line=44)])]
    )
    alias = NamedSchema("alias", 50, type=parse_doc_type("phantom"))
    ev = EventDoc(type="com.example.t", line=1, domain="d", payload=[f("x", "string")])
    with pytest.raises(PageError) as err:
        event_contract(EventSource(ev, page([ev], {"a": deep})))
    assert err.value.line == 44 and "ghost" in err.value.message
    with pytest.raises(PageError) as err:
        event_contract(EventSource(ev, page([ev], {"alias": alias})))
    assert err.value.line == 50 and "phantom" in err.value.message


def test_named_types_defined_among_the_page_schemas_resolve() -> None:
    schemas = {
        "ownerObject": NamedSchema("ownerObject", 30, properties=[f("team", "teamObject")]),
        "teamObject": NamedSchema("teamObject", 40, properties=[f("name", "string")]),
    }
    ev = EventDoc(type="com.example.t", line=1, domain="d", payload=[f("owner", "ownerObject")])
    c = event_contract(EventSource(ev, page([ev], schemas)))
    assert c["$defs"]["ownerObject"]["properties"]["team"] == {"$ref": "#/$defs/teamObject"}
    jsonschema.Draft202012Validator.check_schema(c)


def test_typed_enums_are_satisfiable_in_the_contract() -> None:
    c = contract([f("level", "integer", enum=[1, 2, 3]), f("on", "boolean", enum=[True])])
    assert c["properties"]["level"] == {"type": "integer", "enum": [1, 2, 3]}
    check = jsonschema.Draft202012Validator(c["properties"]["level"])
    assert check.is_valid(2) and not check.is_valid("2")
