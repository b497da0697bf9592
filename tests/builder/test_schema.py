"""The model -> schema step, driven with hand-made models (no page parsing involved)."""

from __future__ import annotations

import jsonschema
import pytest

from qevcontract.builder.doctypes import parse_doc_type
from qevcontract.builder.model import DocPage, EventDoc, Example, Field, NamedSchema, PageError
from qevcontract.builder.schema import EventSource, event_contract, field_schema


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


def test_conflicting_duplicate_metadata_is_an_error_but_repeats_are_not() -> None:
    assert field_schema(f("n", "integer", metadata=[("default", 0), ("default", 0)]), "p") == {
        "type": "integer",
        "default": 0,
    }
    with pytest.raises(PageError, match="different values"):
        field_schema(f("n", "integer", metadata=[("default", 0), ("default", 1)], line=4), "p")


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
