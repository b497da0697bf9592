"""`.json` arrays are streamed: constant memory, and every element's position is right.

The reference for positions is the whole-document locator (`JsonLocator` over the file,
the way arrays were located before they were streamed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qevcontract._input import iter_records
from qevcontract._input.locate import JsonLocator, Locator, compact_offset, locate_json

from .test_readers import reading_peak


def leaf_pointers(value: Any, path: str = "") -> list[str]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            key = k.replace("~", "~0").replace("/", "~1")
            out += leaf_pointers(v, f"{path}/{key}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += leaf_pointers(v, f"{path}/{i}")
    return out


def layouts(elements: list[Any]) -> dict[str, bytes]:
    compact = b"[" + b",".join(orjson.dumps(e) for e in elements) + b"]"
    lines = b"[\n" + b",\n".join(orjson.dumps(e) for e in elements) + b"\n]\n"
    pretty = json.dumps(elements, indent=2, ensure_ascii=False).encode()
    spaced = json.dumps(elements).encode()  # ", " and ": ", \\u escapes
    return {"compact": compact, "lines": lines, "pretty": pretty,
            "bom": b"\xef\xbb\xbf" + pretty, "spaced": spaced}  # fmt: skip


_KEYS = st.text(alphabet=st.characters(codec="utf-8"), max_size=6)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
    max_leaves=8,
)
_EVENTS = st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=4)


@settings(max_examples=40, deadline=None)
@given(st.lists(_EVENTS, min_size=1, max_size=4))
def test_every_pointer_of_every_element_is_where_the_whole_file_says(
    tmp_path_factory: pytest.TempPathFactory, elements: list[dict[str, Any]]
) -> None:
    folder = tmp_path_factory.mktemp("arrays")
    for name, data in layouts(elements).items():
        path = folder / f"{name}.json"
        path.write_bytes(data)
        records = list(iter_records([str(path)]))
        assert [r.event for r in records] == elements, name
        whole = JsonLocator(data)
        locator = Locator()
        for record in records:
            assert record.kind == "json-element"
            for pointer in leaf_pointers(record.event):
                expected = whole.locate(pointer, element_index=record.index)
                assert locator.locate(record, pointer) == expected, (name, pointer)


@settings(max_examples=60, deadline=None)
@given(_EVENTS)
def test_compact_offset_agrees_with_walking_the_text(event: dict[str, Any]) -> None:
    raw = orjson.dumps(event)
    text = raw.decode()
    for pointer in [*leaf_pointers(event), "/no such member", "/0/1"]:
        offset = compact_offset(raw, event, pointer)
        assert offset is not None
        column = len(raw[:offset].decode()) + 1
        assert locate_json(text, pointer) == (1, column), pointer
    # Not orjson's layout: no offset, the walk takes over.
    spaced = json.dumps(event).encode()
    if spaced != raw:
        assert all(
            compact_offset(spaced, event, p) in (None, 0) or spaced[:1] == b"{"
            for p in leaf_pointers(event)
        )


def test_elements_bigger_than_the_window_and_characters_across_it(tmp_path: Path) -> None:
    big = {"id": "big", "blob": "é" * 40_000, "n": [1] * 5000}
    elements = [{"id": "a"}, big, {"id": "c", "x": "漢" * 9000}]
    path = tmp_path / "big.json"
    data = json.dumps(elements, indent=1, ensure_ascii=False).encode()
    path.write_bytes(data)
    records = list(iter_records([str(path)]))
    assert [r.event for r in records] == elements
    whole = JsonLocator(data)
    assert Locator().locate(records[2], "/x") == whole.locate("/x", element_index=2)


@pytest.mark.parametrize(
    ("content", "good", "words"),
    [
        (b'[{"a":1},{"b":2}', 2, "ends"),
        (b'[{"a":1},{"b":', 1, "truncated"),
        (b'[{"a":1} {"b":2}]', 1, "where ',' or ']' should be"),
        (b'[{"a":1},{"b":tru}]', 1, "malformed JSON"),
        (b'[{"a":1}] trailing', 1, "after the end of the array"),
        (b'[{"a":1},{"n":NaN}]', 1, "NaN"),
    ],
)
def test_a_broken_array_keeps_what_came_before(
    tmp_path: Path, content: bytes, good: int, words: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    records = list(iter_records([str(path)]))
    assert [r.ok for r in records] == [True] * good + [False]
    assert words in (records[-1].error or ""), records[-1].error
    assert records[-1].line == 1 and records[-1].column is not None


def test_an_unpaired_surrogate_in_an_element_is_a_value_problem(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(b'[\n  {"a": "\\udead"},\n  {"b": 2}\n]\n')
    first, second = iter_records([str(path)])
    assert first.ok and first.problems and first.problems[0][0] == "/a"
    assert first.event == {"a": "\ufffd"} and second.event == {"b": 2}
    assert (second.line, second.column) == (3, 3)


def test_a_large_array_is_read_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    element = b'{"specversion":"1.0","type":"com.qlik.v1.app.reload.finished","id":"%07d","p":"%s"}'
    with path.open("wb") as out:
        out.write(b"[\n")
        out.write(b",\n".join(element % (i, b"x" * 160) for i in range(120_000)))
        out.write(b"\n]\n")
    size = path.stat().st_size
    count, peak = reading_peak(path)
    assert count == 120_000 and size > 25_000_000
    assert peak < 6_000_000, f"peak {peak} bytes for a {size}-byte file"  # ~2 MB of buffer
