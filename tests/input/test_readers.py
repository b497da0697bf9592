"""The input layer: every event becomes exactly one record, bad input never stops reading."""

from __future__ import annotations

import ast
import io
import json
import os
import pickle
import subprocess
import sys
import threading
import tracemalloc
from dataclasses import FrozenInstanceError
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qevcontract._input import EVENT_EXTENSIONS, InputError, Record, expand_paths, iter_records
from qevcontract._input.yaml_reader import yaml_documents

GOOD_BEFORE = b'{"specversion":"1.0","id":"before"}'
GOOD_AFTER = b'{"specversion":"1.0","id":"after"}'


def read(tmp_path: Path, name: str, content: bytes) -> list[Record]:
    path = tmp_path / name
    path.write_bytes(content)
    return list(iter_records([str(path)]))


def read_stdin(content: bytes) -> list[Record]:
    return list(iter_records(["-"], stdin=io.BytesIO(content)))


# --- JSONL: one bad line among good ones ----------------------------------------------------

BAD_LINES = [
    # (id, bad line, words the error must contain, column)
    ("malformed", b'{"a":1,}', ["malformed JSON", "trailing comma"], 7),
    ("missing-colon", b'{"a" 1}', ["malformed JSON", "':'"], 6),
    ("invalid-utf8", b'{"a":"caf\xe9"}', ["invalid UTF-8", "0xe9"], 10),
    ("control-char", b'{"a":"x\x01"}', ["malformed JSON", "control character"], 8),
    ("array", b"[1,2]", ["must be a JSON object", "array"], 1),
    ("string", b'"event"', ["must be a JSON object", "string"], 1),
    ("number", b"  42", ["must be a JSON object", "number"], 3),
    ("null", b"null", ["must be a JSON object", "null"], 1),
    ("duplicate-top", b'{"a":1,"a":2}', ['duplicate key "a"', "top level", "column 2"], 8),
    (
        "duplicate-depth-2",
        b'{"data":{"x":1,"y":{"k":1,"k":2}}}',
        ['duplicate key "k"', "/data/y", "column 21"],
        27,
    ),
    ("duplicate-spaces", b'{"a" : 1, "b": 2, "a" :3}', ['duplicate key "a"'], 19),
    ("duplicate-python-style", b'{"a": 1, "d": {"c": 1, "c": 2}}', ['"c"', "/d"], 24),
    ("duplicate-escaped-key", b'{"id":1,"\\u0069d":2}', ['duplicate key "id"'], 9),
    ("duplicate-escaped-colon", rb'{"a\u003a":1,"a:":2}', ['duplicate key "a:"'], 14),
    (
        "duplicate-non-ascii",
        '{"café":1,"café":2}'.encode(),
        ['duplicate key "café"'],
        11,
    ),  # characters, not bytes
    ("duplicate-in-array", b'{"l":[{"k":1},{"k":1,"k":2}]}', ['"k"', "/l/1"], 22),
    ("int-beyond-u64", b'{"n":18446744073709551616}', ["18446744073709551616", "64-bit"], 6),
    ("int-below-i64", b'{"n": -9223372036854775809}', ["-9223372036854775809", "64-bit"], 7),
    ("int-huge-nested", b'{"d":{"l":[1,123456789012345678901234567890]}}', ["/d/l/1"], 14),
    ("nan", b'{"n":NaN}', ["NaN and Infinity"], 6),
    ("infinity", b'{"n":Infinity}', ["NaN and Infinity"], 6),
    ("minus-infinity", b'{"n":-Infinity}', ["NaN and Infinity"], 6),
    ("float-overflow", b'{"n":1e999}', ["out of range"], 6),
    ("incomplete-line", b'{"a":', ["incomplete JSON", "one event per line"], 6),
    ("trailing-garbage", b'{"a":1} x', ["malformed JSON"], 9),
]


@pytest.mark.parametrize(("bad", "words", "column"), [c[1:] for c in BAD_LINES],
                         ids=[c[0] for c in BAD_LINES])  # fmt: skip
def test_a_bad_jsonl_line_is_one_error_record_and_reading_goes_on(
    tmp_path: Path, bad: bytes, words: list[str], column: int
) -> None:
    records = read(tmp_path, "events.jsonl", GOOD_BEFORE + b"\n" + bad + b"\n" + GOOD_AFTER + b"\n")
    assert [r.index for r in records] == [0, 1, 2]
    first, broken, after = records
    assert first.ok and first.event["id"] == "before"
    assert after.ok and after.event["id"] == "after" and after.line == 3
    assert broken.event is None and broken.error is not None
    assert "\n" not in broken.error
    for word in words:
        assert word in broken.error
    assert (broken.line, broken.column) == (2, column)
    assert broken.source == str(tmp_path / "events.jsonl")


GOOD_LINES = [
    # Lines that look suspicious to byte counting but are fine: never false positives.
    ("escaped-quote-colon", rb'{"a":"x\":y"}', {"a": 'x":y'}),
    ("many-escaped-quotes", rb'{"a":"\":\":\":","b":1}', {"a": '":":":', "b": 1}),
    ("key-ending-in-backslash", rb'{"a\\":1,"a":2}', {"a\\": 1, "a": 2}),
    ("escaped-backslash-then-quote", rb'{"a":"\\\":"}', {"a": '\\":'}),
    ("spaces-before-colon", b'{"a" : 1 , "b" :\t2}', {"a": 1, "b": 2}),
    ("python-json-dumps", json.dumps({"a": "é", "b": [1.5]}).encode(), {"a": "é", "b": [1.5]}),
    ("escaped-colon", rb'{"k":"a\u003ab"}', {"k": "a:b"}),
    ("same-key-other-objects", b'{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}', None),
    ("long-digit-string", b'{"id": "12345678901234567890123"}', {"id": "12345678901234567890123"}),
    ("u64-max", b'{"n": 18446744073709551615}', {"n": 18446744073709551615}),
    ("i64-min", b'{"n": -9223372036854775808}', {"n": -9223372036854775808}),
    ("long-float", b'{"n": 0.12345678901234567890123}', {"n": 0.12345678901234568}),
    ("big-float", b'{"n": 1.5e300}', {"n": 1.5e300}),
    ("go-escapes", rb'{"html":"\u003cb\u003e \u0026"}', {"html": "<b> &"}),
    ("authclaims", orjson.dumps({"authclaims": json.dumps({"sub": "u", "x": {"y": 1}})}), None),
    ("empty-object", b"{}", {}),
    ("empty-key", b'{"":1}', {"": 1}),
]


@pytest.mark.parametrize(("line", "expected"), [c[1:] for c in GOOD_LINES],
                         ids=[c[0] for c in GOOD_LINES])  # fmt: skip
def test_suspicious_looking_but_valid_lines_are_read(
    tmp_path: Path, line: bytes, expected: object
) -> None:
    (record,) = read(tmp_path, "e.jsonl", line + b"\n")
    assert record.error is None, record.error
    assert record.event == (json.loads(line) if expected is None else expected)


def test_nesting_deeper_than_orjson_serialises_is_still_checked(tmp_path: Path) -> None:
    deep = b'{"a":' * 300 + b"1" + b"}" * 300
    dup = b'{"a":' * 300 + b'{"k":1,"k":2}' + b"}" * 300
    ok, bad = read(tmp_path, "deep.jsonl", deep + b"\n" + dup + b"\n")
    assert ok.ok
    assert bad.error is not None and 'duplicate key "k"' in bad.error


def test_truncated_last_line(tmp_path: Path) -> None:
    records = read(tmp_path, "cut.ndjson", GOOD_BEFORE + b"\n" + b'{"specversion":"1.0","id":"x')
    assert records[0].ok
    assert records[1].error is not None and "cut off" in records[1].error
    assert (records[1].line, records[1].column) == (2, 29)


def test_bom_crlf_and_blank_lines(tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf" + GOOD_BEFORE + b"\r\n\r\n   \r\n" + b'{"b": 1}\r\n\n' + GOOD_AFTER
    records = read(tmp_path, "win.jsonl", content)
    assert [(r.line, r.index, r.ok) for r in records] == [(1, 0, True), (4, 1, True), (6, 2, True)]
    assert records[0].raw is not None and not records[0].raw.startswith(b"\xef")
    assert records[2].event == {"specversion": "1.0", "id": "after"}


def test_bom_only_at_file_start(tmp_path: Path) -> None:
    records = read(tmp_path, "e.jsonl", GOOD_BEFORE + b"\n\xef\xbb\xbf" + GOOD_AFTER + b"\n")
    assert records[0].ok
    assert records[1].error is not None and records[1].line == 2


def test_counts_add_up(tmp_path: Path) -> None:
    lines = [GOOD_BEFORE, b"[1]", b"", b'{"a":1,"a":1}', b"{oops", b"   ", GOOD_AFTER, b'"s"']
    records = read(tmp_path, "mixed.jsonl", b"\n".join(lines))
    events = [line for line in lines if line.strip()]
    assert len(records) == len(events) == 6
    assert [r.index for r in records] == list(range(6))
    assert sum(r.ok for r in records) == 2
    assert sum(r.error is not None for r in records) == 4
    assert all((r.event is None) == (r.error is not None) for r in records)


def test_fast_path_records_are_ordinary_frozen_records(tmp_path: Path) -> None:
    (record,) = read(tmp_path, "e.jsonl", GOOD_BEFORE + b"\n")
    assert type(record) is Record
    expected = Record(str(tmp_path / "e.jsonl"), 1, 0, orjson.loads(GOOD_BEFORE), kind="jsonl")
    assert record == expected
    assert record.raw == GOOD_BEFORE + b"\n"
    with pytest.raises(FrozenInstanceError):
        record.line = 2  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(record)) == record


def reading_peak(path: Path) -> tuple[int, int]:
    """(events read, peak bytes allocated meanwhile) for reading every record of `path`."""
    tracemalloc.start()
    try:
        count = 0
        for record in iter_records([str(path)]):
            count += record.ok
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, peak


def test_large_jsonl_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    line = b'{"specversion":"1.0","type":"com.qlik.v1.app.reload.finished","id":"%07d","p":"%s"}\n'
    with path.open("wb") as out:
        out.write(b"".join(line % (i, b"x" * 160) for i in range(120_000)))
    size = path.stat().st_size
    count, peak = reading_peak(path)
    assert count == 120_000
    assert size > 25_000_000
    assert peak < 3_000_000, f"peak {peak} bytes for a {size}-byte file"  # ~1 MB: the buffer


# --- .json documents ---------------------------------------------------------------------------


def test_json_single_object(tmp_path: Path) -> None:
    (record,) = read(tmp_path, "e.json", b'{\n  "id": "1",\n  "data": {"a": [1, 2]}\n}\n')
    assert (record.line, record.index, record.kind) == (1, 0, "json")
    assert record.event == {"id": "1", "data": {"a": [1, 2]}}


def test_json_array_with_a_bad_element(tmp_path: Path) -> None:
    content = b"""[
  {"id": "a"},
  "oops",
  {"id": "c", "x": {"k": 1, "k": 2}},
  {"id": "d"}
]"""
    records = read(tmp_path, "arr.json", content)
    assert [r.index for r in records] == [0, 1, 2, 3]
    assert [r.ok for r in records] == [True, False, False, True]
    # streamed: every element knows where it starts
    assert (records[0].line, records[0].column, records[0].kind) == (2, 3, "json-element")
    assert records[1].error is not None and "array element 1" in records[1].error
    assert "string" in records[1].error and (records[1].line, records[1].column) == (3, 3)
    assert records[2].error is not None and 'duplicate key "k"' in records[2].error
    assert "/x" in records[2].error and (records[2].line, records[2].column) == (4, 29)
    assert records[3].event == {"id": "d"}


def test_json_array_with_a_big_integer(tmp_path: Path) -> None:
    records = read(tmp_path, "a.json", b'[{"a":1},{"n":99999999999999999999}]')
    assert records[0].ok
    assert records[1].error is not None and "64-bit" in records[1].error


def test_json_array_checks_elements_separately(tmp_path: Path) -> None:
    elements = [{"id": str(i), "n": i} for i in range(200)]
    elements[3]["ref"] = "1234567890123456789012345"  # looks like a big integer, is not
    text = json.dumps(elements, indent=1)  # not orjson's layout: the byte checks run
    text = text.replace('"n": 150', '"n": 150, "n": 151')
    text = text.replace('"n": 170', '"n": 123456789012345678901234567890123456789012345')
    records = read(tmp_path, "many.json", text.encode())
    assert [r.index for r in records if not r.ok] == [150, 170]
    assert 'duplicate key "n"' in (records[150].error or "")
    assert "12345678901234567890...(45 digits)" in (records[170].error or "")


def test_unreadable_json_file_is_one_record_with_position(tmp_path: Path) -> None:
    (record,) = read(tmp_path, "bad.json", b'{\n  "a": 1,\n  "b": [1, 2,\n}\n')
    assert record.error is not None and record.error.startswith("malformed JSON")
    assert (record.line, record.column, record.index) == (4, 1, 0)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", ["empty"]),
        (b"  \n", ["empty"]),
        (b'"just a string"', ["string"]),
        (b'{"a": 1', ["truncated"]),
        (b'{"a": NaN}', ["NaN"]),
        (b'{"a": "\xff"}', ["invalid UTF-8"]),
    ],
)
def test_other_unreadable_json_files(tmp_path: Path, content: bytes, words: list[str]) -> None:
    (record,) = read(tmp_path, "x.json", content)
    assert record.error is not None
    for word in words:
        assert word in record.error


def test_json_file_with_bom_and_crlf(tmp_path: Path) -> None:
    (record,) = read(tmp_path, "w.json", b'\xef\xbb\xbf{\r\n  "a": 1\r\n}\r\n')
    assert record.event == {"a": 1}


def test_jsonl_content_in_a_json_file_loses_no_event(tmp_path: Path) -> None:
    records = read(tmp_path, "lines.json", GOOD_BEFORE + b"\n{broken}\n" + GOOD_AFTER + b"\n")
    assert [r.ok for r in records] == [True, False, True]
    assert [r.line for r in records] == [1, 2, 3]


def test_empty_array_has_no_events(tmp_path: Path) -> None:
    assert read(tmp_path, "none.json", b"[]") == []


# --- paths -----------------------------------------------------------------------------------


def test_expand_paths_recursive_sorted_filtered(tmp_path: Path) -> None:
    for name in [
        "b.json", "a.yaml", "notes.txt", "z/deep/e.ndjson", "z/c.jsonl", "y/d.YML",
        ".hidden/x.json", "z/.secret.json", "z/deep/.git/f.json",
    ]:  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    root = str(tmp_path)
    found = [os.path.relpath(p, root) for p in expand_paths([root])]
    assert found == ["a.yaml", "b.json", "y/d.YML", "z/c.jsonl", "z/deep/e.ndjson"]
    # Explicit files are kept whatever their extension; a path named twice is read once.
    explicit = expand_paths([str(tmp_path / "notes.txt"), root, str(tmp_path / "b.json")])
    assert explicit[0].endswith("notes.txt") and len(explicit) == 6


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.json: no such file"):
        list(iter_records([str(tmp_path / "nope.json")]))


def test_unknown_extension_not_json_fails_before_any_record(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_bytes(GOOD_BEFORE + b"\n")
    readme = tmp_path / "README.md"
    readme.write_text("# Events\n")
    records = iter_records([str(good), str(readme)])
    with pytest.raises(InputError, match=r"README\.md: unsupported extension \.md"):
        next(records)


def test_unknown_extension_json_is_read_and_says_so(tmp_path: Path) -> None:
    (ok,) = read(tmp_path, "event.txt", b'{"a": 1}')
    assert ok.event == {"a": 1}
    (bad,) = read(tmp_path, "event.dat", b'{"a": }')
    assert bad.error is not None and bad.error.startswith("read as JSON (extension .dat)")


def test_event_extensions() -> None:
    assert EVENT_EXTENSIONS == (".json", ".jsonl", ".ndjson", ".yaml", ".yml")


# --- stdin -----------------------------------------------------------------------------------


def test_stdin_single_object() -> None:
    (record,) = read_stdin(b'{\n  "a": 1\n}\n')
    assert (record.source, record.line, record.event) == ("<stdin>", 1, {"a": 1})


def test_stdin_one_line_object_is_a_document() -> None:
    (record,) = read_stdin(b'\n{"a": 1}\n\n')
    assert record.event == {"a": 1} and record.line == 2


def test_stdin_pretty_array() -> None:
    records = read_stdin(b'[\n  {"a": 1},\n  {"b": 2}\n]\n')
    assert [r.event for r in records] == [{"a": 1}, {"b": 2}]
    assert {r.kind for r in records} == {"json-array"}


def test_stdin_jsonl_is_detected_and_streamed() -> None:
    lines = [b'{"i": %d}' % i for i in range(1000)]
    stream = io.BytesIO(b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n")
    records = iter_records(["-"], stdin=stream)
    first = next(records)
    assert first.event == {"i": 0} and first.kind == "jsonl" and first.source == "<stdin>"
    assert stream.tell() < len(stream.getvalue())  # not read whole
    rest = list(records)
    assert [r.line for r in rest[:2]] == [2, 3] and len(rest) == 999


def test_stdin_jsonl_with_broken_first_line_loses_nothing() -> None:
    records = read_stdin(b'{"a": 1,,}\n{"b": 2}\n{"c": 3}\n')
    assert [r.ok for r in records] == [False, True, True]
    assert records[0].line == 1


def test_stdin_jsonl_whose_first_line_is_not_an_object_shape() -> None:
    records = read_stdin(b'{"a": 1\n{"b": 2}\n{"c": 3}\n{"d": 4}\n')
    assert [r.ok for r in records] == [False, True, True, True]


def test_stdin_broken_pretty_document_is_one_error() -> None:
    (record,) = read_stdin(b'{\n  "a": 1,\n  "b": ,\n  "c": {"d": 1}\n}\n')
    assert record.error is not None and (record.line, record.column) == (3, 8)


def test_stdin_empty() -> None:
    assert read_stdin(b"") == []
    assert read_stdin(b"\n \n") == []


# --- YAML ------------------------------------------------------------------------------------

YAML_STREAM = b"""\
# leading comment
%YAML 1.1
---
specversion: "1.0"
time: 2024-05-01T12:00:00Z
date: 2024-05-01
---
- not
- a mapping
---
broken: [1, 2
---
1: numeric key
---
k: 1
k: 2
---
nested:
  deep: {a: 1, a: 2}
---
big: 123456789012345678901234567890
---
nan: .nan
---
bytes: !!binary aGVsbG8=
---
base: &base {x: 1, y: 2}
derived:
  <<: *base
  y: 3
---
...
---
last: true
"""


def test_yaml_multi_document_lines_and_errors(tmp_path: Path) -> None:
    records = read(tmp_path, "events.yaml", YAML_STREAM)
    summary = [(r.index, r.line, r.column, r.error is None) for r in records]
    assert summary == [
        (0, 4, None, True),
        (1, 8, 1, False),
        (2, 12, 1, False),
        (3, 13, 1, False),
        (4, 16, 1, False),
        (5, 19, 16, False),
        (6, 21, 6, False),
        (7, 23, 6, False),
        (8, 25, 8, False),
        (9, 27, None, True),
        (10, 34, None, True),
    ]
    by_index = {r.index: r for r in records}
    assert by_index[0].event == {
        "specversion": "1.0",
        "time": "2024-05-01T12:00:00Z",  # timestamps stay strings
        "date": "2024-05-01",
    }
    messages = {i: r.error or "" for i, r in by_index.items()}
    assert "must be a YAML mapping" in messages[1] and "list" in messages[1]
    assert messages[2].startswith("invalid YAML") and "line 11" in messages[2]
    assert "not a string" in messages[3]
    assert "duplicate key 'k'" in messages[4] and "line 15" in messages[4]
    assert "duplicate key 'a'" in messages[5]
    assert "64-bit" in messages[6]
    assert ".nan" in messages[7]
    assert "binary" in messages[8]
    assert by_index[9].event == {"base": {"x": 1, "y": 2}, "derived": {"x": 1, "y": 3}}
    assert by_index[10].event == {"last": True}


def test_yaml_single_document_crlf_bom(tmp_path: Path) -> None:
    (record,) = read(tmp_path, "e.yml", b"\xef\xbb\xbfa: 1\r\nb:\r\n  c: x\r\n")
    assert record.event == {"a": 1, "b": {"c": "x"}} and record.line == 1


def test_yaml_invalid_utf8_spoils_only_its_document(tmp_path: Path) -> None:
    records = read(tmp_path, "e.yaml", b"a: 1\n---\nb: caf\xe9\n---\nc: 3\n")
    assert [r.ok for r in records] == [True, False, True]
    assert records[1].error is not None and "UTF-8" in records[1].error
    assert (records[1].line, records[1].column) == (3, 7)


def test_yaml_alias_bombs_and_recursion_are_refused(tmp_path: Path) -> None:
    levels = ["a: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        levels.append(f"l{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    bomb = "\n".join(levels).encode()
    records = read(tmp_path, "bomb.yaml", bomb + b"\n---\nr: &r [*r]\n---\nok: 1\n")
    assert records[0].error is not None and "more than" in records[0].error
    assert records[1].error is not None and "recursive" in records[1].error
    assert records[2].ok


def test_yaml_empty_documents_are_not_events(tmp_path: Path) -> None:
    assert read(tmp_path, "e.yaml", b"# nothing\n---\n---\n") == []
    (record,) = read(tmp_path, "n.yaml", b"--- ~\n")
    assert record.error is not None and "null" in record.error


def test_yaml_documents_split() -> None:
    stream = b"%YAML 1.1\n---\na: 1\n--- {b: 2}\n...\n# c\n---\n---\nc: |\n  x\n"
    docs = list(yaml_documents(stream))
    assert [start for start, _ in docs] == [1, 4, 6]  # first line of each chunk
    assert docs[1][1] == b"--- {b: 2}\n...\n"
    # Lines before the content are blanked, not dropped, so line numbers stay right.
    assert docs[2][1] == b"\n\n---\nc: |\n  x\n"


# --- exactness: the cheap checks never miss a duplicate key or a 64-bit overflow ------------

_KEYS = st.sampled_from(["a", "b", "id", 'q"', "c:", "x\\", "é", "a/b", ""])
_TEXT = st.text(alphabet='ab:"\\{}[], 0123456789é\u2028', max_size=12)
_INTS = st.one_of(
    st.integers(-1000, 1000),
    st.integers(-(2**70), 2**70),
    st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1]),
)


class _Pairs(list):  # type: ignore[type-arg]
    """An object as written: key/value pairs, duplicates allowed."""


_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), _INTS, st.floats(allow_nan=False, allow_infinity=False),
              _TEXT),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(st.tuples(_KEYS, inner), max_size=4).map(_Pairs),
    ),
    max_leaves=12,
)  # fmt: skip


def _write(value: object, spaced: bool, ascii_only: bool, escape_colons: bool) -> str:
    def text(s: str) -> str:
        out = json.dumps(s, ensure_ascii=ascii_only)
        return out.replace(":", "\\u003a") if escape_colons else out

    colon, comma = (": ", ", ") if spaced else (":", ",")
    if isinstance(value, _Pairs):
        items = (
            f"{text(k)}{colon}{_write(v, spaced, ascii_only, escape_colons)}" for k, v in value
        )
        return "{" + comma.join(items) + "}"
    if isinstance(value, list):
        return "[" + comma.join(_write(v, spaced, ascii_only, escape_colons) for v in value) + "]"
    if isinstance(value, str):
        return text(value)
    return json.dumps(value)


def _reference_verdict(line: str) -> bool:
    """True when the line is a readable event, by the slow, obviously correct stdlib parse."""
    bad = False

    def pairs_hook(pairs: list[tuple[str, object]]) -> dict[str, object]:
        nonlocal bad
        bad = bad or len({k for k, _ in pairs}) != len(pairs)
        return dict(pairs)

    def parse_int(literal: str) -> int:
        nonlocal bad
        number = int(literal)
        bad = bad or not -(2**63) <= number <= 2**64 - 1
        return number

    value = json.loads(line, object_pairs_hook=pairs_hook, parse_int=parse_int)
    return isinstance(value, dict) and not bad


@settings(max_examples=150, deadline=None)
@given(
    pairs=st.lists(st.tuples(_KEYS, _VALUES), max_size=5).map(_Pairs),
    spaced=st.booleans(),
    ascii_only=st.booleans(),
    escape_colons=st.booleans(),
)
def test_readers_agree_with_a_slow_exact_parse(
    pairs: _Pairs, spaced: bool, ascii_only: bool, escape_colons: bool
) -> None:
    line = _write(pairs, spaced, ascii_only, escape_colons)
    expected = _reference_verdict(line)
    data = line.encode()
    jsonl = read_stdin(b"{}\n" + data + b"\n")[1]  # JSONL path
    (document,) = read_stdin(data)  # .json document path
    (element,) = read_stdin(b"[" + data + b"]")  # array element path
    for record in (jsonl, document, element):
        assert record.ok == expected, (line, record.error)
        if expected:
            assert record.event == json.loads(line)


def test_a_pipe_is_read_like_stdin_without_losing_its_head(tmp_path: Path) -> None:
    fifo = tmp_path / "events"  # what a shell passes for <(gunzip -c events.jsonl.gz)
    os.mkfifo(fifo)
    payload = b"".join(b'{"i": %d}\n' % i for i in range(3000))  # more than a pipe buffer

    def feed() -> None:
        with fifo.open("wb") as out:
            out.write(payload)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        records = list(iter_records([str(fifo)]))
    finally:
        writer.join()
    assert [r.event for r in records] == [{"i": i} for i in range(3000)]
    assert records[0].source == str(fifo) and records[0].kind == "jsonl"


def test_a_path_that_cannot_be_opened_is_one_unreadable_record(tmp_path: Path) -> None:
    # A broken link is named (expand_paths keeps it), so it is counted, not skipped, and the
    # files after it are still read: read = valid + invalid + unreadable.
    (tmp_path / "broken.json").symlink_to(tmp_path / "missing.json")
    good = tmp_path / "good.jsonl"
    good.write_bytes(GOOD_AFTER + b"\n")
    broken, after = iter_records([str(tmp_path / "broken.json"), str(good)])
    assert broken == Record(str(tmp_path / "broken.json"), None, 0, error=broken.error)
    assert broken.error == "cannot open: No such file or directory"
    assert after.ok and after.event == orjson.loads(GOOD_AFTER)


def test_the_input_layer_imports_no_command_package() -> None:
    # The input package sits under every command (validate, normalize, webhook, check), so
    # reading events (the duplicate-key scan of `locate` included) must not pull one in.
    script = (
        "import io, sys\n"
        "from qevcontract._input import iter_records\n"
        "import qevcontract.envelopes._stream\n"
        'data = b\'{"a": 1}\\n[1]\\n{"a": 1, "a": 2}\\n\'\n'
        "list(iter_records(['-'], stdin=io.BytesIO(data)))\n"
        "print(sorted({m.split('.')[1] for m in sys.modules if m.startswith('qevcontract.')}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(out.stdout.strip()))
    # Foundations only, and `envelopes`, which this script imports itself.
    assert "_input" in loaded
    assert loaded <= {"_input", "_options", "_pointer", "_spec", "envelopes"}
