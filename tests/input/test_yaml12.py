"""YAML input is read with YAML 1.2 (core schema) semantics, and `fake --format yaml` output
reads back exactly, in YAML 1.1 and 1.2 parsers alike.

YAML 1.2.2, section 10.3.2 (core schema): booleans are `true|True|TRUE|false|False|FALSE`,
integers `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`; "YAML 1.2 ... the Core schema ... is
an extension of the JSON schema"; everything else plain is a string.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from qevcontract._input import iter_records
from qevcontract._input.yaml_reader import load_event
from qevcontract.generate._serialize import yaml_document


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("NO", "NO"),  # Norway, not False (YAML 1.1 reads a boolean)
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("Off", "Off"),
        ("y", "y"),
        ("1_000", "1_000"),  # not 1000
        ("012", 12),  # decimal in 1.2, octal 10 in 1.1
        ("0o14", 12),
        ("0x1A", 26),
        ("2024-01-01", "2024-01-01"),  # no timestamps in the core schema
        ("12:30:45", "12:30:45"),  # no sexagesimal numbers
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("", None),
        ("-1.5e3", -1500.0),
        (".5", 0.5),
        ("1.", 1.0),
        ('"NO"', "NO"),
    ],
)
def test_yaml_1_2_core_schema_scalars(text: str, value: Any) -> None:
    loaded = load_event(f"v: {text}\n")
    assert loaded == {"v": value} and type(loaded["v"]) is type(value)


def test_an_event_file_reads_with_1_2_semantics(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text("---\nid: a\ncountry: NO\nn: 1_000\n---\nid: b\nflag: on\n", "utf-8")
    first, second = iter_records([str(path)])
    assert first.event == {"id": "a", "country": "NO", "n": "1_000"}
    assert second.event == {"id": "b", "flag": "on"}
    assert (first.line, second.line) == (2, 6)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a: .inf\n", "not representable in JSON"),
        ("a: 99999999999999999999999\n", "64-bit"),
        ("1: x\n", "not a string"),
        ("a: 1\na: 2\n", "duplicate key"),
        ("a: !!binary aGk=\n", "no JSON equivalent"),
    ],
)
def test_what_json_cannot_hold_is_unreadable_with_the_rest_still_read(
    tmp_path: Path, text: str, words: str
) -> None:
    path = tmp_path / "e.yaml"
    path.write_text(f"id: before\n---\n{text}---\nid: after\n", "utf-8")
    records = list(iter_records([str(path)]))
    assert [r.ok for r in records] == [True, False, True]
    assert words in (records[1].error or "") and records[1].line is not None


def test_empty_and_comment_only_documents_are_not_events(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text("# head\n---\nid: a\n---\n# only a comment\n---\nid: b\n---\n", "utf-8")
    assert [r.event for r in iter_records([str(path)])] == [{"id": "a"}, {"id": "b"}]


# --- writing -----------------------------------------------------------------------------------

_KEYS = st.text(max_size=8)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.sampled_from(["NO", "yes", "on", "~", "null", "1_000", "0x10", "2024-01-01", "- a",
                      "a: b", "#x", "", " lead", "trail ", "\u2028", "\x85", "\ufeff", "é"])
)  # fmt: skip
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(_KEYS, _JSON, max_size=6))
def test_written_yaml_reads_back_exactly_in_yaml_1_1_and_1_2(event: dict[str, Any]) -> None:
    text = yaml_document(event)
    assert text.startswith("---")
    assert load_event(text) == event  # YAML 1.2, our reader
    assert yaml.load(text, Loader=yaml.CSafeLoader) == event  # YAML 1.1, PyYAML


def test_written_yaml_is_block_style_and_plain_where_unambiguous() -> None:
    text = yaml_document({"type": "com.qlik.app.created", "country": "NO", "data": {"k": [1]}})
    assert text == '---\ntype: com.qlik.app.created\ncountry: "NO"\ndata:\n  k:\n  - 1\n'
