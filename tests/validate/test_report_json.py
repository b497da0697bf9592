"""The json report: a documented, versioned document that streams."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from qevcontract import __version__
from qevcontract.validate._report import make_reporter, render
from qevcontract.validate._results import EventResult, Summary, Violation

SCHEMA_FILE = (
    Path(__file__).resolve().parents[2] / "docs" / "schemas" / "validate-report.schema.json"
)
TYPE = "com.qlik.scheduling.task.created"
ENUM = Violation(
    "/data/status", "data.status: 'x' is not one of a, b", "enum", "enum", "/properties/data/x"
)
REQUIRED = Violation("/time", "time: required property is missing", "required", "required")
NOTE = Violation("/data", "data: looks odd", "x-qev", "schema", severity="info")


@pytest.fixture(scope="module")
def schema_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def sample() -> list[EventResult]:
    why = "line 3: not JSON: unexpected end of data"
    return [
        EventResult("a.ndjson", 0, 1, 1, "e0", TYPE, TYPE, "cloudevents"),
        EventResult(
            "a.ndjson", 1, 2, 1, "e1", TYPE, TYPE, "cloudevents", "invalid", [ENUM, REQUIRED, NOTE]
        ),
        EventResult("a.ndjson", 2, 3, 5, status="unreadable",
                    violations=[Violation("", why, "unreadable", "unreadable")], error=why),
        EventResult("<stdin>", 0, None, None, None, "other.type", None, "cloudevents", "invalid",
                    [Violation("/type", "type: no contract", "type", "unknown-type")]),
    ]  # fmt: skip


def run(results: list[EventResult], **options: Any) -> str:
    return render("json", results, contracts="contracts/", engine="python", strict=True, **options)


def test_real_output_is_valid_json_and_matches_the_published_schema(
    schema_validator: Draft202012Validator,
) -> None:
    document = json.loads(run(sample()))
    errors = [e.message for e in schema_validator.iter_errors(document)]
    assert errors == []
    assert document["version"] == "1.0"
    assert document["tool"] == {"name": "qevcontract", "version": __version__}
    assert (document["contracts"], document["engine"], document["strict"]) == (
        "contracts/",
        "python",
        True,
    )


def test_an_empty_run_is_a_valid_document(schema_validator: Draft202012Validator) -> None:
    document = json.loads(run([]))
    schema_validator.validate(document)
    assert document["results"] == []
    assert document["summary"]["read"] == 0


def test_every_event_is_reported_in_input_order_with_its_fields() -> None:
    positions = {"/data/status": (7, 9)}
    document = json.loads(run(sample(), locate=lambda r, v: positions.get(v.pointer)))
    results = document["results"]
    assert [(r["source"], r["index"], r["status"]) for r in results] == [
        ("a.ndjson", 0, "valid"),
        ("a.ndjson", 1, "invalid"),
        ("a.ndjson", 2, "unreadable"),
        ("<stdin>", 0, "invalid"),
    ]
    first_bad = results[1]
    assert (first_bad["id"], first_bad["type"], first_bad["contract"]) == ("e1", TYPE, TYPE)
    enum, required, note = first_bad["violations"]
    assert enum == {
        "pointer": "/data/status",
        "line": 7,
        "column": 9,
        "message": "data.status: 'x' is not one of a, b",
        "keyword": "enum",
        "rule": "enum",
        "code": "QEV112",
        "schema_path": "/properties/data/x",
        "severity": "error",
    }
    assert (required["line"], required["column"], required["code"]) == (2, 1, "QEV110")
    assert (note["severity"], note["code"]) == ("info", "QEV199")
    assert results[2]["error"] == "line 3: not JSON: unexpected end of data"
    assert results[2]["violations"][0]["code"] == "QEV100"
    stdin = results[3]
    assert (stdin["line"], stdin["column"], stdin["id"], stdin["envelope"]) == (
        None,
        None,
        None,
        "cloudevents",
    )


def test_summary_counts_and_sorted_breakdowns() -> None:
    summary = json.loads(run(sample()))["summary"]
    assert summary == {
        "read": 4,
        "valid": 1,
        "invalid": 2,
        "unreadable": 1,
        "violations": 4,  # errors only: the info note is not one; the unreadable record is
        "warnings": 0,
        "notes": 1,
        "by_type": {TYPE: 2, "other.type": 1},
        "by_envelope": {"cloudevents": 3},
    }
    assert list(summary["by_type"]) == sorted(summary["by_type"])


def test_an_unreadable_result_without_error_text_still_says_why() -> None:
    broken = Violation("", "bad bytes", "unreadable", "unreadable")
    result = EventResult("a.ndjson", 0, 1, None, status="unreadable", violations=[broken])
    assert json.loads(run([result]))["results"][0]["error"] == "bad bytes"


@pytest.mark.parametrize(
    "message",
    [
        'a "quoted" \\ backslash',
        "two\nlines\r\nand\ttab",
        "100% of ünïcödé, 事件 and 🙂",
        "\x00\x1f control",
        "lone \ud800 surrogate",  # orjson refuses it; the report must still be JSON
    ],
)
def test_any_text_round_trips(message: str, schema_validator: Draft202012Validator) -> None:
    odd = Violation("/data/k", message, "k", "schema")
    result = EventResult(
        "dir/é f.ndjson", 0, 1, 1, "é", TYPE, TYPE, "cloudevents", "invalid", [odd]
    )
    document = json.loads(run([result]))
    schema_validator.validate(document)
    assert document["results"][0]["violations"][0]["message"] == message
    assert document["results"][0]["source"] == "dir/é f.ndjson"


class RecordingStream(io.StringIO):
    """Remembers every write, to tell what was out before `finish`."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


def test_results_are_written_as_they_arrive_not_at_finish() -> None:
    stream = RecordingStream()
    reporter = make_reporter("json", stream)
    reporter.start(contracts="bundled", engine="rs", strict=False)
    results = sample()
    for count, result in enumerate(results, 1):
        reporter.result(result)
        # The document so far: a header, then one result per line.
        lines = stream.getvalue().splitlines()
        assert len(lines) == count + 1
        assert json.loads(lines[-1].rstrip(","))["index"] == result.index
    before_finish = stream.getvalue()
    reporter.finish(Summary())
    assert stream.getvalue().startswith(before_finish)
    assert len(stream.writes) == 1 + len(results) + 1


def test_calls_out_of_order_are_refused() -> None:
    reporter = make_reporter("json", io.StringIO())
    with pytest.raises(RuntimeError, match="before start"):
        reporter.result(sample()[0])
