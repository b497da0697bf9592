"""The one JSON Pointer module, against RFC 6901's own examples and rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qevcontract import _pointer

# RFC 6901 section 5: the document and the pointers that select its members.
RFC_DOCUMENT = {
    "foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5,
    'k"l': 6, " ": 7, "m~n": 8,
}  # fmt: skip
RFC_POINTERS = {
    "": RFC_DOCUMENT, "/foo": ["bar", "baz"], "/foo/0": "bar", "/": 0, "/a~1b": 1,
    "/c%d": 2, "/e^f": 3, "/g|h": 4, "/i\\j": 5, '/k"l': 6, "/ ": 7, "/m~0n": 8,
}  # fmt: skip


def resolve(document: object, pointer: str) -> object:
    node = document
    for token in _pointer.parse(pointer):
        node = node[int(token)] if isinstance(node, list) else node[token]  # type: ignore[index]
    return node


@pytest.mark.parametrize("pointer", RFC_POINTERS)
def test_the_rfc_examples_resolve(pointer: str) -> None:
    assert resolve(RFC_DOCUMENT, pointer) == RFC_POINTERS[pointer]


def test_tilde_one_is_unescaped_before_tilde_zero() -> None:
    # RFC 6901 section 4: "first transforming any occurrence of the sequence '~1' to '/', and
    # then transforming any occurrence of the sequence '~0' to '~'. By performing the
    # substitutions in this order, an implementation avoids the error of turning '~01' first
    # into '~1' and then into '/', which would be incorrect".
    assert _pointer.parse("/~01") == ["~1"]
    assert _pointer.escape("~1") == "~01"


def test_a_pointer_must_start_with_a_slash() -> None:
    with pytest.raises(ValueError, match="not a JSON pointer"):
        _pointer.parse("foo")


@settings(max_examples=50)
@given(st.lists(st.text(alphabet="ab~/01 ", max_size=6) | st.integers(0, 9), max_size=4))
def test_tokens_round_trip(tokens: list[str | int]) -> None:
    pointer = _pointer.from_tokens(tokens)
    assert _pointer.parse(pointer) == [str(t) for t in tokens]
    assert _pointer.join("/x", *tokens) == "/x" + pointer
