"""The reporter registry and the helpers every format shares."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from qevcontract.validate._report import (
    OPTIONS,
    REPORTERS,
    make_reporter,
    relative_path,
    render,
    summary_line,
    violation_position,
    violation_text,
)
from qevcontract.validate._results import CODES, EventResult, Summary, Violation

ENUM = Violation("/data/status", "data.status: 'done' is not one of ok, failed", "enum", "enum")


def run(name: str, results: list[EventResult], **options: object) -> str:
    return render(name, results, **options)


def test_the_five_formats_are_registered_and_load() -> None:
    assert set(REPORTERS) == {"text", "json", "junit", "sarif", "github"}
    for spec in REPORTERS.values():
        reporter = make_reporter(spec.name, io.StringIO())
        for method in ("start", "result", "finish"):
            assert callable(getattr(reporter, method))


def test_unknown_format_names_the_choices() -> None:
    with pytest.raises(ValueError, match=r"unknown report format 'xml'.*text, json"):
        make_reporter("xml", io.StringIO())


def test_a_misspelt_option_is_an_error_not_silently_ignored() -> None:
    with pytest.raises(TypeError, match="max_error"):
        make_reporter("text", io.StringIO(), max_error=3)


def test_options_a_format_does_not_use_are_ignored() -> None:
    # The CLI passes one set of options whatever the format.
    result = EventResult("a.ndjson", 0, 1, 1, status="invalid", violations=[ENUM])
    plain = run("json", [result])
    assert run("json", [result], quiet=True, max_errors=0, color=True, root="/") == plain
    assert {"locate", "color", "quiet", "verbose", "max_errors", "root"} == OPTIONS


def test_the_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        REPORTERS["csv"] = REPORTERS["json"]  # type: ignore[index]


def test_position_prefers_the_violations_own_then_locate_then_the_event_start() -> None:
    result = EventResult("a.ndjson", 0, 10, 2, status="invalid", violations=[ENUM])
    assert violation_position(result, ENUM, None) == (10, 2)
    assert violation_position(result, ENUM, lambda r, v: (12, 7)) == (12, 7)
    assert violation_position(result, ENUM, lambda r, v: None) == (10, 2)
    placed = Violation("/x", "x: bad", "enum", "enum", line=3, column=4)
    assert violation_position(result, placed, lambda r, v: (12, 7)) == (3, 4)


def test_unreadable_records_are_never_located() -> None:
    def locate(result: EventResult, violation: Violation) -> tuple[int, int]:
        raise AssertionError("an unreadable record has no event to locate in")

    broken = Violation("", "not JSON", "unreadable", "unreadable")
    result = EventResult("a.ndjson", 3, 4, 9, status="unreadable", violations=[broken])
    assert violation_position(result, broken, locate) == (4, 9)


@pytest.mark.parametrize(
    ("pointer", "message", "expected"),
    [
        ("/data/status", "data.status: bad", "data.status: bad"),
        ("/data/items/0", "data.items[0]: bad", "data.items[0]: bad"),
        ("/data/a~1b", "data.a/b: bad", "data.a/b: bad"),
        ("/data", "com.qlik.x: payload unspecified", "/data: com.qlik.x: payload unspecified"),
        ("/data/status", "data.statusCode: bad", "/data/status: data.statusCode: bad"),
        ("", "the event is not a JSON object", "the event is not a JSON object"),
    ],
)
def test_the_pointer_is_shown_only_when_the_message_does_not_name_the_place(
    pointer: str, message: str, expected: str
) -> None:
    assert violation_text(Violation(pointer, message, "k", "schema")) == expected


def test_relative_path(tmp_path: Path) -> None:
    inside = tmp_path / "events" / "a b.ndjson"
    assert relative_path(str(inside), tmp_path) == "events/a b.ndjson"
    assert relative_path(str(tmp_path / "x" / ".." / "y.json"), tmp_path) == "y.json"
    assert relative_path("/elsewhere/e.json", tmp_path) is None


def test_summary_line_pluralises() -> None:
    one = Summary(read=1, valid=0, invalid=1, unreadable=0, violations=1)
    assert summary_line(one) == "1 event read: 0 valid, 1 invalid, 0 unreadable (1 violation)"
    many = Summary(read=5, valid=3, invalid=1, unreadable=1, violations=4, warnings=2, notes=1)
    assert summary_line(many) == (
        "5 events read: 3 valid, 1 invalid, 1 unreadable (4 violations, 2 warnings, 1 note)"
    )


def test_importing_the_registry_loads_no_format_module() -> None:
    # Pre-commit start-up: the registry must not drag in XML, orjson or the formats.
    code = (
        "import sys, qevcontract.validate._report as r; "
        "heavy = [m for m in ('orjson', 'xml.sax.saxutils', 'tempfile', "
        "'qevcontract.validate._report.junit', 'qevcontract.validate._report.sarif', "
        "'qevcontract.validate._report.json_report', 'qevcontract.validate._report.text') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_documented_code_table_matches_the_codes() -> None:
    # docs/validate-report.md is what users read; it must not drift from results.CODES.
    doc = (Path(__file__).resolve().parents[2] / "docs" / "validate-report.md").read_text("utf-8")
    rows = re.findall(r"^\| (QEV\d{3}) \| `([a-z-]+)` \|", doc, flags=re.MULTILINE)
    assert rows == [(code, rule) for rule, (code, _) in CODES.items()]
