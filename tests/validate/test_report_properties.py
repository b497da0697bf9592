"""Properties every format keeps for any stream of results, hostile text included, and the
constant-memory promise of the streaming formats."""

from __future__ import annotations

import io
import json
import re
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator, Draft202012Validator
from junitparser import JUnitXml

from qevcontract.validate._report import drive, make_reporter
from qevcontract.validate._results import CODES, EventResult, Status, Summary, Violation

REPO = Path(__file__).resolve().parents[2]
REPORT_SCHEMA = json.loads((REPO / "docs/schemas/validate-report.schema.json").read_text("utf-8"))
SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8")
)
ROOT = Path("/work/checkout")
PROPERTY_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# Text a reader or an event could hand us: line breaks, escapes' own characters, markup,
# control characters, non-ASCII, and a lone surrogate (a file name that is not UTF-8).
awkward = st.text(
    st.one_of(st.characters(), st.sampled_from(list("\n\r\t%:,<>&\"'\x00\x1b\x85é事🙂\ud800"))),
    max_size=16,
)
violations = st.builds(
    Violation,
    pointer=st.sampled_from(["", "/data", "/data/status", "/data/items/0", "/a~1b"]),
    message=awkward,
    keyword=st.sampled_from(["enum", "required", "x-qev"]),
    rule=st.sampled_from([*CODES, "not-a-rule"]),
    schema_path=st.sampled_from(["", "/properties/data"]),
    severity=st.sampled_from(["error", "warning", "info"]),
)
sources = st.one_of(
    st.sampled_from(["events.ndjson", "dir/b c.json", "<stdin>", "/elsewhere/e.yaml"]),
    awkward.filter(lambda s: s.strip() != "" and "\x00" not in s),
)


@st.composite
def event_results(draw: st.DrawFn) -> EventResult:
    status = draw(st.sampled_from(["valid", "invalid", "unreadable"]))
    line = draw(st.none() | st.integers(1, 10_000))
    column = None if line is None else draw(st.none() | st.integers(1, 500))
    common: dict[str, Any] = {
        "source": draw(sources),
        "index": draw(st.integers(0, 10_000)),
        "line": line,
        "column": column,
        "status": status,
    }
    if status == "unreadable":
        why = draw(awkward)
        broken = Violation("", why, "unreadable", "unreadable")
        return EventResult(**common, violations=[broken], error=why)
    found = draw(st.lists(violations, max_size=4))
    if status == "invalid":
        found.append(draw(violations.filter(lambda v: v.severity == "error")))
    else:
        found = [v for v in found if v.severity != "error"]
    return EventResult(
        **common,
        event_id=draw(st.none() | awkward),
        event_type=draw(st.none() | awkward),
        contract=draw(st.none() | st.just("com.qlik.v1.app.opened")),
        envelope="cloudevents",
        violations=found,
    )


def render(name: str, results: list[EventResult], **options: Any) -> tuple[str, Summary]:
    out = io.StringIO()
    summary = drive(make_reporter(name, out, **options), results)
    return out.getvalue(), summary


def problems(results: list[EventResult]) -> int:
    """Lines/annotations/SARIF results expected: one per violation, one per unreadable."""
    return sum(1 if r.status == "unreadable" else len(r.violations) for r in results)


batches = st.lists(event_results(), max_size=6)


@PROPERTY_SETTINGS
@given(batches)
def test_json_is_always_valid_against_its_schema_and_loses_nothing(
    results: list[EventResult],
) -> None:
    text, summary = render("json", results, locate=lambda r, v: None)
    document = json.loads(text)
    assert list(Draft202012Validator(REPORT_SCHEMA).iter_errors(document)) == []
    assert len(document["results"]) == len(results)
    for reported, result in zip(document["results"], results, strict=True):
        assert reported["source"] == result.source
        assert [v["message"] for v in reported["violations"]] == [
            v.message for v in result.violations
        ]
    assert document["summary"]["violations"] == summary.violations


@PROPERTY_SETTINGS
@given(batches)
def test_junit_always_parses_with_matching_counts(results: list[EventResult]) -> None:
    text, summary = render("junit", results)
    assert text.isascii()
    document = JUnitXml.fromstring(text)
    assert (document.tests, document.failures, document.errors) == (
        summary.read,
        summary.invalid,
        summary.unreadable,
    )
    assert sum(len(list(suite)) for suite in document) == len(results)


@PROPERTY_SETTINGS
@given(batches)
def test_sarif_is_always_valid_sarif(results: list[EventResult]) -> None:
    text, _ = render("sarif", results, root=ROOT)
    document = json.loads(text)
    assert list(Draft4Validator(SARIF_SCHEMA).iter_errors(document)) == []
    assert len(document["runs"][0]["results"]) == problems(results)


_COMMAND = re.compile(r"^::(error|warning|notice)( [^:]*)?::")


@PROPERTY_SETTINGS
@given(batches)
def test_github_gives_one_single_line_command_per_problem(results: list[EventResult]) -> None:
    text, _ = render("github", results, root=ROOT)
    lines = text.split("\n")
    assert lines[-1] == ""  # ends with a newline
    *commands, summary_line, _ = lines
    assert len(commands) == problems(results)
    assert all(_COMMAND.match(line) for line in commands)
    assert not summary_line.startswith("::")


@PROPERTY_SETTINGS
@given(batches)
def test_text_gives_one_clean_line_per_problem_and_a_summary(results: list[EventResult]) -> None:
    text, summary = render("text", results, color=False)
    lines = text.split("\n")
    assert lines[-1] == ""
    assert len(lines) - 2 == problems(results)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)
    assert lines[-2].startswith(f"{summary.read} event")


# ------------------------------------------------------------------------- constant memory


class Discard(io.TextIOBase):
    """A stream that keeps nothing, so only the reporter's own memory is measured."""

    def write(self, text: str) -> int:
        return len(text)


def many_results(count: int) -> Iterator[EventResult]:
    bad = [
        Violation("/data/status", "data.status: 'x' is not one of a, b", "enum", "enum"),
        Violation("/time", "time: required property is missing", "required", "required"),
    ]
    for i in range(count):
        status: Status = "invalid" if i % 3 == 0 else "valid"
        yield EventResult(
            "events.ndjson", i, i + 1, 1, f"id-{i}", f"type.{i % 50}", None, "cloudevents",
            status, bad if status == "invalid" else [],
        )  # fmt: skip


@pytest.mark.parametrize("name", ["text", "json", "sarif", "github"])
def test_streaming_formats_hold_no_results(name: str) -> None:
    def peak(count: int) -> int:
        reporter = make_reporter(name, cast(TextIO, Discard()), root=ROOT)
        reporter.start(contracts="bundled", engine="rs", strict=False)
        tracemalloc.start()
        try:
            for result in many_results(count):
                reporter.result(result)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(200), peak(4_000)
    assert large < small + 64 * 1024, f"{name}: peak grew from {small} to {large} bytes"
