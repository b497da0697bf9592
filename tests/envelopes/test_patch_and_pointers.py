"""The qevlegacy patch and JSON pointers, on their own."""

from __future__ import annotations

import copy
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qevcontract.envelopes import PatchError, map_pointer
from qevcontract.envelopes._patch import apply, decode, diff, encode
from qevcontract.envelopes._pointers import dotted, pointer, tokens

from .strategies import JSON

KEYS = st.sampled_from(["a", "b", "A", "a/b", "x~1", "", "ü"])
OBJECTS = st.recursive(
    st.dictionaries(KEYS, JSON, max_size=4),
    lambda inner: st.dictionaries(KEYS, inner | JSON, max_size=4),
    max_leaves=10,
)


def exact(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


@settings(max_examples=200, deadline=None)
@given(OBJECTS, OBJECTS)
def test_a_diff_applied_gives_the_original(
    original: dict[str, Any], rebuilt: dict[str, Any]
) -> None:
    before = copy.deepcopy(rebuilt)
    patch = diff(original, rebuilt)
    assert exact(apply(rebuilt, decode(encode(patch)))) == exact(original)
    assert exact(rebuilt) == exact(before)  # applying never changes its input
    assert (patch == {}) == (exact(original) == exact(rebuilt))


def test_a_renamed_member_is_a_move_not_a_copy() -> None:
    patch = diff({"ext": {"fooBar": 1, "keep": 2}}, {"ext": {"foobar": 1, "keep": 2}})
    assert patch == {"move": {"/ext/foobar": "/ext/fooBar"}}


def test_true_is_not_one() -> None:
    assert diff({"a": True}, {"a": 1}) == {"set": {"/a": True}}


def test_encoding_is_canonical() -> None:
    assert encode({"set": {"/b": 1, "/a": {"z": 1, "y": 2}}}) == encode(
        {"set": {"/a": {"y": 2, "z": 1}, "/b": 1}}
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{", "not a JSON object"),
        (17, "not a JSON object"),
        ('{"put": {}}', "unknown member"),
        ('{"set": []}', "'set' must map"),
        ('{"unset": "/a"}', "'unset' must be a list"),
        ('{"move": {"/a": 1}}', "'move' must map pointers"),
        ('{"set": {"a": 1}}', "is not a JSON pointer"),
    ],
)
def test_a_value_that_is_not_a_patch_is_refused(text: Any, reason: str) -> None:
    with pytest.raises(PatchError, match=reason):
        decode(text)


def test_a_patch_that_does_not_fit_the_event_is_refused() -> None:
    with pytest.raises(PatchError):
        apply({"a": "text"}, {"set": {"/a/b": 1}})
    with pytest.raises(PatchError):
        apply({"a": 1}, {"unset": ["/b"]})


@pytest.mark.parametrize("token", ["plain", "a/b", "x~y", "~1", ""])
def test_pointer_tokens_round_trip(token: str) -> None:
    assert tokens(pointer("extensions", token)) == ["extensions", token]


def test_dotted_names() -> None:
    assert dotted("/extensions/header/traceparent/1") == "extensions.header.traceparent.1"
    assert dotted("") == "(the event)"


@pytest.mark.parametrize(
    ("ptr", "expected"),
    [
        ("/traceparent", "/extensions/header/traceparent/0"),
        ("/data/items/0/id", "/payload/items/0/id"),
        ("/data", "/payload"),
        ("/dataset", "/dataset"),  # a prefix must end at a token boundary
        ("/other/x", "/other/x"),
        ("", ""),
    ],
)
def test_map_pointer_uses_the_longest_mapped_prefix(ptr: str, expected: str) -> None:
    mapping = {"/traceparent": "/extensions/header/traceparent/0", "/data": "/payload"}
    assert map_pointer(ptr, mapping) == expected
