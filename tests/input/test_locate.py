"""Pointer -> line:column in the original JSON / YAML text, and the exact problem scan."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from qevcontract._input import iter_records
from qevcontract._input.locate import (
    JsonLocator,
    Locator,
    find_json_problem,
    format_pointer,
    locate_json,
    locate_record,
    locate_yaml,
    parse_pointer,
)

EVENT = """\
{
  "specversion": "1.0",
  "data": {
    "labels": {"app.kubernetes.io/name": "a", "app.kubernetes.io": {"name": "b"}},
    "m~n": [10, 20, {"x": "é€", "y": 3}],
    "\\u0061sc": true,
    "empty": {}
  }
}
"""


@pytest.mark.parametrize(
    ("pointer", "position"),
    [
        ("", (1, 1)),
        ("/specversion", (2, 18)),
        ("/data", (3, 11)),
        ("/data/labels", (4, 15)),
        # A key containing "/" is not confused with the nested path of the same spelling.
        ("/data/labels/app.kubernetes.io~1name", (4, 42)),
        ("/data/labels/app.kubernetes.io/name", (4, 77)),
        ("/data/m~0n", (5, 12)),
        ("/data/m~0n/0", (5, 13)),
        ("/data/m~0n/2/y", (5, 38)),  # columns count characters, not UTF-8 bytes
        ("/data/asc", (6, 17)),  # the key is written with an escape in the source
        # Missing things point at the nearest existing parent.
        ("/data/missing", (3, 11)),
        ("/data/empty/missing", (7, 14)),
        ("/data/m~0n/9", (5, 12)),
        ("/data/m~0n/01", (5, 12)),
        ("/data/m~0n/-", (5, 12)),
        ("/specversion/below-a-string", (2, 18)),
    ],
)
def test_locate_json_multiline(pointer: str, position: tuple[int, int]) -> None:
    assert locate_json(EVENT, pointer) == position
    assert locate_json(EVENT.encode(), pointer) == position


def test_pointer_parsing() -> None:
    assert parse_pointer("") == []
    assert parse_pointer("/a~1b/~01/0") == ["a/b", "~1", "0"]
    assert parse_pointer("#/a%20b") == ["a b"]
    assert parse_pointer(["data", 0]) == ["data", "0"]
    assert format_pointer(["a/b", "~", 3]) == "/a~1b/~0/3"
    with pytest.raises(ValueError, match="not a JSON pointer"):
        parse_pointer("data")


def test_locate_json_sequence_pointer() -> None:
    assert locate_json(EVENT, ["data", "m~n", 2, "y"]) == (5, 38)


ARRAY = b"""\xef\xbb\xbf[
  {"id": "a", "data": {"n": 1}},
  {
    "id": "b",
    "data": {"n": 2, "list": [1, 2]}
  }
]
"""


def test_locate_json_array_elements() -> None:
    assert locate_json(ARRAY, "", element_index=0) == (2, 3)
    assert locate_json(ARRAY, "/data/n", element_index=0) == (2, 29)
    assert locate_json(ARRAY, "", element_index=1) == (3, 3)
    assert locate_json(ARRAY, "/data/list/1", element_index=1) == (5, 34)
    assert locate_json(ARRAY, "/data/nope", element_index=1) == (5, 13)
    assert locate_json(ARRAY, "", element_index=2) is None


def test_json_locator_reuses_its_index() -> None:
    locator = JsonLocator(ARRAY)
    assert locator.locate("/id", element_index=1) == (4, 11)
    assert locator.locate("/id", element_index=0) == (2, 10)
    assert locator.element_offset(7) is None


def test_locate_json_jsonl_line_with_base_line_and_crlf() -> None:
    assert locate_json(b'{"a": {"b": [true]}}\r\n', "/a/b/0", base_line=41) == (41, 14)


def test_locate_json_not_json() -> None:
    assert locate_json("", "/a") is None
    assert locate_json('{"a": [1, 2', "/a/5") is None


# --- find_json_problem ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        r'{"a":"x\":y"}',
        r'{"a":"\":\"","b":"\\"}',
        r'{"a\\":1,"a":2}',
        '{"a" : {"a" : {"a" : 1}}}',
        '{"n": [18446744073709551615, -9223372036854775808, 1.0e400000000000000000000]}',
        '{"s": "123456789012345678901234567890"}',
    ],
)
def test_no_false_problems(text: str) -> None:
    assert find_json_problem(text) is None


def test_duplicate_key_at_depth_two() -> None:
    text = '{\n  "data": {\n    "x": {"k": 1,\n           "k": 2}\n  }\n}'
    problem = find_json_problem(text)
    assert problem is not None and problem.kind == "duplicate-key"
    assert problem.pointer == "/data/x"
    assert 'duplicate key "k"' in problem.message and "line 3, column 11" in problem.message
    assert text[problem.offset :].startswith('"k": 2')


def test_integer_range() -> None:
    problem = find_json_problem('{"a": [1, {"b": -18446744073709551616}]}')
    assert problem is not None and problem.kind == "integer-range"
    assert problem.pointer == "/a/1/b"


# --- YAML ------------------------------------------------------------------------------------

YAML = """\
# events
specversion: "1.0"
---
---
data:
  list:
    - a
    - {k: v, n: 2}
  "quoted key": 1
  base: &b {x: 1}
  merged:
    <<: *b
    y: 2
"""


@pytest.mark.parametrize(
    ("pointer", "document", "position"),
    [
        ("", 0, (2, 1)),
        ("/specversion", 0, (2, 14)),
        ("", 1, (5, 1)),
        ("/data/list/1/n", 1, (8, 17)),
        ("/data/list/0", 1, (7, 7)),
        ("/data/quoted key", 1, (9, 17)),
        ("/data/merged/x", 1, (10, 16)),  # found through the merge key, at the anchor
        ("/data/merged/y", 1, (13, 8)),
        ("/data/list/7", 1, (7, 5)),
        ("/data/missing", 1, (6, 3)),
    ],
)
def test_locate_yaml(pointer: str, document: int, position: tuple[int, int]) -> None:
    assert locate_yaml(YAML, pointer, document_index=document) == position


def test_locate_yaml_missing_document_or_broken() -> None:
    assert locate_yaml(YAML, "", document_index=2) is None
    assert locate_yaml("a: [1\n", "/a") is None


# --- records -----------------------------------------------------------------------------------


def test_locate_records_of_every_kind(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(b'{"a": 1}\n\n{"a": {"b": 2}}\n')
    (tmp_path / "b.json").write_bytes(ARRAY)
    (tmp_path / "c.yaml").write_text(YAML)
    (tmp_path / "d.json").write_text(EVENT)
    records = list(iter_records([str(tmp_path)]))
    locator = Locator()
    found = {
        (Path(r.source).name, r.index): locator.locate(r, "/data/n" if r.kind != "jsonl" else "/a")
        for r in records
    }
    assert found == {
        ("a.jsonl", 0): (1, 7),
        ("a.jsonl", 1): (3, 7),
        ("b.json", 0): (2, 29),
        ("b.json", 1): (5, 19),
        ("c.yaml", 0): (2, 1),
        ("c.yaml", 1): (6, 3),  # no /data/n: the /data mapping
        ("d.json", 0): (3, 11),
    }
    # Without the raw bytes (e.g. dropped before pickling) the file is read again.
    from dataclasses import replace

    assert locate_record(replace(records[1], raw=None), "/a/b") == (3, 13)
    assert locate_record(replace(records[3], raw=None), "/data/n") == (5, 19)


def test_locate_stdin_record() -> None:
    (record,) = iter_records(["-"], stdin=io.BytesIO(b'{\n  "a": [1, 2]\n}'))
    assert locate_record(record, "/a/1") == (2, 12)
