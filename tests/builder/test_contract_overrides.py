"""Contract overrides (`contracts/overrides.yaml`): applied exactly, or refused with a reason."""

from __future__ import annotations

from typing import Any

import pytest

from qevcontract.builder._overrides import Override, OverrideError, apply_override

CONTRACT: dict[str, Any] = {
    "title": "Gizmo created",
    "allOf": [{"$ref": "a"}, {"$ref": "b"}],
    "properties": {"size": {"type": "integer", "minimum": 1}},
    "examples": [],
}


def ov(pointer: str, op: str = "set", value: Any = 1, index: int = 3) -> Override:
    return Override("com.example.gizmo.created", pointer, op, "because", value, index)


@pytest.mark.parametrize(
    ("pointer", "op"),
    [
        ("/allOf/x", "set"),
        ("/allOf/x", "remove"),
        ("/allOf/x/y", "set"),
        ("/allOf/01", "set"),
        ("/allOf/-1", "set"),
        ("/allOf/+1", "remove"),
        ("/allOf/7", "set"),
        ("/allOf/7/y", "set"),
        ("/title/x", "set"),
        ("/title/x", "remove"),
        ("/title/x/y", "set"),
        ("/properties/size/minimum/x", "set"),
        ("/properties/size/type/0", "remove"),
        ("/nothing/here", "set"),
        ("", "set"),
    ],
)
def test_pointers_that_do_not_lead_into_a_container_are_override_errors(
    pointer: str, op: str
) -> None:
    with pytest.raises(OverrideError) as caught:
        apply_override(CONTRACT, ov(pointer, op))
    message = str(caught.value)
    assert message.startswith("overrides[3] (com.example.gizmo.created): ")
    assert f"{pointer} " in message or message.endswith(pointer) or pointer == ""
    assert "\n" not in message


def test_valid_pointers_still_apply_and_are_recorded() -> None:
    out = apply_override(CONTRACT, ov("/allOf/1", value={"$ref": "c"}))
    assert out["allOf"] == [{"$ref": "a"}, {"$ref": "c"}]
    out = apply_override(out, ov("/properties/size/maximum", value=10))
    out = apply_override(out, ov("/allOf/0", "remove"))
    assert out["allOf"] == [{"$ref": "c"}]
    assert out["properties"]["size"]["maximum"] == 10
    assert [o["pointer"] for o in out["x-qev-overrides"]] == [
        "/allOf/1",
        "/properties/size/maximum",
        "/allOf/0",
    ]
    assert CONTRACT["allOf"] == [{"$ref": "a"}, {"$ref": "b"}]  # the input is not touched
