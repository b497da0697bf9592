"""The junit report, read back with a real JUnit reader (junitparser)."""

from __future__ import annotations

from typing import Any

import pytest
from junitparser import Error, Failure, JUnitXml, TestCase, TestSuite

from qevcontract.validate._report import junit as junit
from qevcontract.validate._report import render
from qevcontract.validate._results import EventResult, Violation

TYPE = "com.qlik.v1.app.opened"
ENUM = Violation("/data/status", "data.status: 'x' is not one of a, b", "enum", "enum")
REQUIRED = Violation("/time", "time: required property is missing", "required", "required")
WARNING = Violation("/data", "data: payload undocumented", "x-qev", "schema", severity="warning")


def valid(source: str, index: int, line: int | None = None) -> EventResult:
    return EventResult(source, index, line, 1 if line else None, "id", TYPE, TYPE, "cloudevents")


def invalid(source: str, index: int, *violations: Violation, line: int | None = 3) -> EventResult:
    return EventResult(
        source, index, line, 1, "id", TYPE, TYPE, "cloudevents", "invalid", list(violations)
    )


def unreadable(source: str, index: int, why: str = "not JSON: truncated") -> EventResult:
    broken = Violation("", why, "unreadable", "unreadable")
    return EventResult(source, index, 9, 4, status="unreadable", violations=[broken], error=why)


def run(results: list[EventResult], **options: Any) -> str:
    return render("junit", results, **options)


def parse(text: str) -> dict[str, TestSuite]:
    document = JUnitXml.fromstring(text)
    return {suite.name: suite for suite in document}


def cases(suite: TestSuite) -> list[TestCase]:
    return list(suite)


def test_one_suite_per_source_one_case_per_event_with_exact_counts() -> None:
    text = run(
        [
            valid("a.ndjson", 0, line=1),
            invalid("a.ndjson", 1, ENUM, REQUIRED, line=2),
            unreadable("a.ndjson", 2),
            valid("<stdin>", 0),
        ]
    )
    document = JUnitXml.fromstring(text)
    assert (document.tests, document.failures, document.errors) == (4, 1, 1)
    suites = parse(text)
    assert list(suites) == ["a.ndjson", "<stdin>"]
    a = suites["a.ndjson"]
    assert (a.tests, a.failures, a.errors) == (3, 1, 1)
    assert [(c.name, c.classname) for c in cases(a)] == [
        (f"{TYPE} #0 (line 1)", "a.ndjson"),
        (f"{TYPE} #1 (line 2)", "a.ndjson"),
        ("? #2 (line 9)", "a.ndjson"),
    ]
    passed, failed, broken = cases(a)
    assert passed.is_passed and not passed.result
    (failure,) = failed.result
    assert isinstance(failure, Failure)
    assert failure.type == "QEV110 QEV112" or failure.type == "QEV112 QEV110"
    assert "data.status: 'x' is not one of a, b [QEV112]" in failure.text
    assert "time: required property is missing [QEV110]" in failure.text
    assert failure.message.startswith("2 violations")
    (error,) = broken.result
    assert isinstance(error, Error)
    assert (error.type, error.message) == ("QEV100", "not JSON: truncated")
    assert [c.name for c in cases(suites["<stdin>"])] == [f"{TYPE} #0"]  # no line known


def test_each_suite_records_the_run_settings() -> None:
    suite = parse(run([valid("a.ndjson", 0)]))["a.ndjson"]
    assert {p.name: p.value for p in suite.properties()} == {  # type: ignore[no-untyped-call]
        "contracts": "bundled",
        "engine": "rs",
        "strict": "false",
    }


def test_a_single_violation_is_the_failure_message_and_the_line_is_where_it_is() -> None:
    text = run([invalid("a.ndjson", 0, ENUM)], locate=lambda r, v: (12, 8))
    (failure,) = cases(parse(text)["a.ndjson"])[0].result
    assert failure.message == "data.status: 'x' is not one of a, b"
    assert failure.text.startswith("a.ndjson:12:8: ")


def test_warnings_on_a_valid_event_are_kept_without_failing_it() -> None:
    noted = EventResult("a.ndjson", 0, 1, 1, "id", TYPE, TYPE, "cloudevents", "valid", [WARNING])
    (case,) = cases(parse(run([noted]))["a.ndjson"])
    assert case.is_passed
    assert "[QEV199 warning]" in (case.system_out or "")


def test_interleaved_sources_still_give_one_suite_each_in_first_seen_order() -> None:
    results = [
        valid("a.ndjson", 0),
        valid("b.ndjson", 0),
        invalid("a.ndjson", 1, ENUM),
        valid("b.ndjson", 1),
        valid("a.ndjson", 2),
    ]
    suites = parse(run(results))
    assert list(suites) == ["a.ndjson", "b.ndjson"]
    assert [c.name for c in cases(suites["a.ndjson"])] == [
        f"{TYPE} #0",
        f"{TYPE} #1 (line 3)",
        f"{TYPE} #2",
    ]
    assert (suites["a.ndjson"].tests, suites["a.ndjson"].failures) == (3, 1)
    assert suites["b.ndjson"].tests == 2


def test_an_empty_run_is_a_valid_document() -> None:
    document = JUnitXml.fromstring(run([]))
    assert (document.tests, document.failures, document.errors) == (0, 0, 0)
    assert list(document) == []


@pytest.mark.parametrize(
    "text",
    [
        "<tag> & ]]> 'apostrophe' \"quote\"",
        "100% ünïcödé 事件 🙂",
        "two\nlines",
    ],
)
def test_special_characters_survive_the_round_trip_and_the_output_is_ascii(text: str) -> None:
    odd = Violation("", text, "k", "schema")  # no pointer: the message is all there is
    source = f"dir/{text.splitlines()[0]}.ndjson"
    output = run([invalid(source, 0, odd), unreadable(source, 1, why=text)])
    assert output.isascii()
    (suite,) = parse(output).values()
    assert suite.name == source
    failed, broken = cases(suite)
    assert failed.classname == source
    assert failed.result[0].message == text
    assert broken.result[0].message == text


def test_characters_xml_cannot_carry_are_shown_not_dropped() -> None:
    odd = Violation("", "nul\x00 bell\x07 surrogate\ud800", "k", "schema")
    output = run([invalid("a.ndjson", 0, odd)])
    (failure,) = cases(parse(output)["a.ndjson"])[0].result
    assert failure.message == "nul\\x00 bell\\x07 surrogate\\ud800"


def test_a_run_larger_than_the_memory_spool_spills_to_disk_intact(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(junit, "_SPOOL_IN_MEMORY", 2_000)
    monkeypatch.setattr(junit, "_COPY_CHUNK", 1_000)
    results = [
        invalid(f"f{i % 3}.ndjson", i, ENUM) if i % 7 == 0 else valid(f"f{i % 3}.ndjson", i)
        for i in range(600)
    ]
    suites = parse(run(results))
    assert sorted(suites) == ["f0.ndjson", "f1.ndjson", "f2.ndjson"]
    for name, suite in suites.items():
        expected = [r for r in results if r.source == name]
        assert [c.name for c in cases(suite)] == [
            f"{TYPE} #{r.index}" + (" (line 3)" if r.status == "invalid" else "") for r in expected
        ]
        assert suite.failures == sum(r.status == "invalid" for r in expected)
