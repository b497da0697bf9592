"""Characterization tests: the exact bytes of every validate report format, pinned.

Written before the report packages moved onto the shared `qevcontract._report` toolkit
(issue 18), so that the move could not change a byte users parse without a test saying so.
The golden files in `golden/` were produced by the reporters as they stood on main (12383f8)
and read by hand; a change to one is a user-visible change and needs a CHANGELOG line.
The structural checks beside them (SARIF against the OASIS schema, JUnit's element tree)
answer to the formats' own rules, not to this project's output.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from qevcontract import __version__
from qevcontract.validate._report import render
from qevcontract.validate._results import EventResult, Violation

GOLDEN = Path(__file__).parent / "golden"
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
TYPE = "com.qlik.v1.app.opened"
FORMATS = ("text", "json", "junit", "sarif", "github")


def sample(root: Path) -> list[EventResult]:
    """Every kind of line a report writes: valid, invalid at all severities, unreadable,
    stdin, a file outside the root; messages with `%`, `:`, `,`, `<`, `&` and a line break."""
    events = str(root / "events" / "day one.ndjson")
    why = "not JSON: truncated"
    enum = Violation(
        "/data/status", "data.status: 'x<y>' & 'z' is not one of a, b", "enum", "enum", "/p/enum"
    )
    required = Violation("/time", "time: required property is missing", "required", "required")
    warning = Violation(
        "/data",
        "data: 100% undocumented\nsee page",
        "x-qev",
        "payload-undocumented",
        severity="warning",
    )
    info = Violation("/data/k", "data.k: worth a look", "x-qev", "schema", severity="info")
    return [
        EventResult(events, 0, 1, 1, "e0", TYPE, TYPE, "cloudevents"),
        EventResult(events, 1, 2, 3, "e1", TYPE, TYPE, "cloudevents", "invalid",
                    [enum, required, warning, info]),
        EventResult(events, 2, 4, 7, status="unreadable",
                    violations=[Violation("", why, "unreadable", "unreadable")], error=why),
        EventResult("<stdin>", 0, None, None, None, "x.y", None, "cloudevents", "invalid",
                    [Violation("/type", "type: no contract", "type", "unknown-type")]),
        EventResult("/elsewhere/e.json", 5, None, None, "e5", TYPE, TYPE, "cloudevents",
                    "valid", [info]),
    ]  # fmt: skip


def rendered(fmt: str, root: Path, **options: object) -> str:
    text = render(fmt, sample(root), root=root, contracts="bundled", engine="rs", **options)
    return text.replace(str(root), "<ROOT>").replace(__version__, "<VERSION>")


def golden(name: str) -> str:
    return (GOLDEN / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_bytes_are_pinned(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    options = {"color": False, "verbose": True} if fmt == "text" else {}
    assert rendered(fmt, tmp_path, **options) == golden(f"report.{fmt}")


def test_coloured_text_bytes_are_pinned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert rendered("text", tmp_path, color=True, verbose=True) == golden("report.color.text")


def test_pinned_sarif_is_valid_sarif_2_1_0() -> None:
    """The golden log itself answers to the OASIS schema (required properties, enums)."""
    document = json.loads(golden("report.sarif"))
    validator = Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    assert [e.message for e in validator.iter_errors(document)] == []
    # SARIF 2.1.0 §3.14.14 / §3.52.5: a result's ruleIndex is its rule's index in the driver.
    run = document["runs"][0]
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_pinned_junit_has_the_junit_structure() -> None:
    """testsuites > testsuite (name, tests, failures, errors) > testcase (name, classname),
    with failure/error carrying message and type, the counts matching the test cases."""
    root = ET.fromstring(golden("report.junit").replace("<ROOT>", "ROOT").encode("ascii"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert sum(int(s.get("tests", "-1")) for s in suites) == int(root.get("tests", "-2"))
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "-1")) == len(cases)
        assert int(suite.get("failures", "-1")) == sum(
            1 for c in cases if c.find("failure") is not None
        )
        assert int(suite.get("errors", "-1")) == sum(
            1 for c in cases if c.find("error") is not None
        )
        for case in cases:
            assert case.get("name") and case.get("classname")
            for problem in (*case.findall("failure"), *case.findall("error")):
                assert problem.get("message") and problem.get("type")
