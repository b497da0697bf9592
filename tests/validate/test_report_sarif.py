"""The sarif report, checked against the official SARIF 2.1.0 schema (OASIS, draft-04)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, FormatChecker

from qevcontract import __version__
from qevcontract.validate._report import make_reporter, render
from qevcontract.validate._results import CODES, EventResult, Violation

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
TYPE = "com.qlik.v1.app.opened"
ENUM = Violation("/data/status", "data.status: 'x' is not one of a, b", "enum", "enum", "/p/enum")
REQUIRED = Violation("/time", "time: required property is missing", "required", "required")
WARNING = Violation(
    "/data", "data: undocumented", "x-qev", "payload-undocumented", severity="warning"
)
INFO = Violation("/data/k", "data.k: worth a look", "x-qev", "schema", severity="info")


@pytest.fixture(scope="module")
def sarif_validator() -> Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return Draft4Validator(schema, format_checker=FormatChecker())


def run(results: list[EventResult], root: Path, **options: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render("sarif", results, root=root, **options))
    return document


def sample(root: Path) -> list[EventResult]:
    events = str(root / "events" / "day one.ndjson")
    why = "not JSON: truncated"
    return [
        EventResult(events, 0, 1, 1, "e0", TYPE, TYPE, "cloudevents"),
        EventResult(events, 1, 2, 3, "e1", TYPE, TYPE, "cloudevents", "invalid",
                    [ENUM, REQUIRED, WARNING, INFO]),
        EventResult(events, 2, 4, 7, status="unreadable",
                    violations=[Violation("", why, "unreadable", "unreadable")], error=why),
        EventResult("<stdin>", 0, None, None, None, "x.y", None, "cloudevents", "invalid",
                    [Violation("/type", "type: no contract", "type", "unknown-type")]),
        EventResult("/elsewhere/e.json", 5, None, None, "e5", TYPE, TYPE, "cloudevents",
                    "invalid", [REQUIRED]),
    ]  # fmt: skip


def test_output_is_valid_sarif_2_1_0(tmp_path: Path, sarif_validator: Draft4Validator) -> None:
    document = run(sample(tmp_path), tmp_path, locate=lambda r, v: (5, 9))
    assert [e.message for e in sarif_validator.iter_errors(document)] == []
    assert document["version"] == "2.1.0"
    assert len(document["runs"]) == 1


def test_an_empty_run_is_valid_sarif(tmp_path: Path, sarif_validator: Draft4Validator) -> None:
    document = run([], tmp_path)
    sarif_validator.validate(document)
    assert document["runs"][0]["results"] == []


def test_the_driver_describes_every_qev_code_as_a_rule(tmp_path: Path) -> None:
    driver = run([], tmp_path)["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("qevcontract", __version__)
    assert driver["informationUri"].startswith("https://")
    assert [rule["id"] for rule in driver["rules"]] == [code for code, _ in CODES.values()]
    assert [rule["shortDescription"]["text"] for rule in driver["rules"]] == [
        summary for _, summary in CODES.values()
    ]
    assert len({rule["name"] for rule in driver["rules"]}) == len(CODES)


def test_one_result_per_violation_with_rule_level_and_message(tmp_path: Path) -> None:
    document = run(sample(tmp_path), tmp_path)
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    results = document["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("QEV112", "error"),  # all at the event's start: kept in the validator's order
        ("QEV110", "error"),
        ("QEV102", "warning"),
        ("QEV199", "note"),
        ("QEV100", "error"),
        ("QEV101", "error"),
        ("QEV110", "error"),
    ]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert results[0]["message"]["text"] == "data.status: 'x' is not one of a, b"
    assert results[0]["properties"] == {
        "source": str(tmp_path / "events" / "day one.ndjson"),
        "index": 1,
        "eventId": "e1",
        "eventType": TYPE,
        "pointer": "/data/status",
        "keyword": "enum",
        "schemaPath": "/p/enum",
    }


def test_locations_are_relative_to_the_root_with_a_region_where_known(tmp_path: Path) -> None:
    document = run(sample(tmp_path), tmp_path, locate=lambda r, v: (8, 21) if v is ENUM else None)
    run_ = document["runs"][0]
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    results = run_["results"]
    by_rule = {r["ruleId"]: r for r in results}
    enum_place = by_rule["QEV112"]["locations"][0]["physicalLocation"]
    assert enum_place["artifactLocation"] == {
        "uri": "events/day%20one.ndjson",
        "uriBaseId": "%SRCROOT%",
    }
    assert enum_place["region"] == {"startLine": 8, "startColumn": 21}
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2,
        "startColumn": 3,
    }  # not located: where the event starts
    unreadable = by_rule["QEV100"]["locations"][0]["physicalLocation"]
    assert unreadable["region"] == {"startLine": 4, "startColumn": 7}


def test_sources_that_are_not_files_under_the_root(tmp_path: Path) -> None:
    results = run(sample(tmp_path), tmp_path)["runs"][0]["results"]
    stdin = results[5]
    assert "locations" not in stdin  # no file to point at
    assert stdin["message"]["text"] == "<stdin>#0: type: no contract"
    outside = results[6]
    place = outside["locations"][0]["physicalLocation"]
    assert place["artifactLocation"] == {"uri": "file:///elsewhere/e.json"}
    assert "region" not in place  # no line known: the message says which event
    assert outside["message"]["text"].startswith("event #5: ")


def test_the_run_ends_with_its_counts(tmp_path: Path) -> None:
    run_ = run(sample(tmp_path), tmp_path)["runs"][0]
    assert run_["invocations"] == [{"executionSuccessful": True}]
    assert run_["properties"]["summary"] == {
        "read": 5,
        "valid": 1,
        "invalid": 3,
        "unreadable": 1,
        "violations": 5,
        "warnings": 1,
        "notes": 1,
    }


@pytest.mark.parametrize("message", ['"quoted" \\ 100%', "two\nlines", "ünïcödé 事件 🙂"])
def test_messages_round_trip(tmp_path: Path, message: str) -> None:
    odd = Violation("", message, "k", "schema")
    result = EventResult("a.ndjson", 0, 1, 1, "id", TYPE, TYPE, "cloudevents", "invalid", [odd])
    (sarif_result,) = run([result], tmp_path)["runs"][0]["results"]
    assert sarif_result["message"]["text"] == message


def test_results_stream_before_finish(tmp_path: Path) -> None:
    out = io.StringIO()
    reporter = make_reporter("sarif", out, root=tmp_path)
    reporter.start(contracts="bundled", engine="rs", strict=False)
    reporter.result(sample(tmp_path)[1])
    assert out.getvalue().count('"ruleId"') == 4


def test_rule_default_levels_follow_the_severity_the_validator_gives_them() -> None:
    from qevcontract.validate._report.sarif import rule_descriptors

    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in rule_descriptors()}
    assert levels["QEV122"] == "note"  # legacy attributes: an info note
    assert levels["QEV123"] == "warning"
    assert levels["QEV112"] == "error"
