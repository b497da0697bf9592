"""The text report: what a person reads in a terminal or a pre-commit log."""

from __future__ import annotations

import io

import pytest

from qevcontract.validate._report import make_reporter, render
from qevcontract.validate._results import EventResult, Summary, Violation

TYPE = "com.qlik.v1.app.reload.finished"
ENUM = Violation("/data/status", "data.status: 'done' is not one of ok, failed", "enum", "enum")
REQUIRED = Violation("/time", "time: required property is missing", "required", "required")
UNDOCUMENTED = Violation(
    "/data", f"{TYPE}: payload not specified", "x-qev", "payload-undocumented", severity="warning"
)


def valid(index: int = 0, source: str = "events.ndjson") -> EventResult:
    return EventResult(source, index, index + 1, 1, f"id{index}", TYPE, TYPE, "cloudevents")


def invalid(*violations: Violation, index: int = 1, line: int | None = 2) -> EventResult:
    column = None if line is None else 1
    return EventResult(
        "events.ndjson", index, line, column, "id1", TYPE, TYPE, "cloudevents", "invalid",
        list(violations),
    )  # fmt: skip


def unreadable(source: str = "<stdin>", line: int | None = None) -> EventResult:
    why = "not JSON: unexpected end of data"
    broken = Violation("", why, "unreadable", "unreadable")
    return EventResult(source, 2, line, None, status="unreadable", violations=[broken], error=why)


def report(results: list[EventResult], **options: object) -> list[str]:
    text = render("text", results, **options)
    assert text.endswith("\n")
    return text.splitlines()


def test_one_compiler_style_line_per_violation_then_the_summary() -> None:
    lines = report([valid(0), invalid(ENUM, REQUIRED), unreadable()])
    assert lines == [
        f"events.ndjson:2:1: {TYPE}: data.status: 'done' is not one of ok, failed [QEV112]",
        f"events.ndjson:2:1: {TYPE}: time: required property is missing [QEV110]",
        "<stdin>#2: unreadable: not JSON: unexpected end of data [QEV100]",
        "3 events read: 1 valid, 1 invalid, 1 unreadable (3 violations)",
    ]


def test_located_violations_print_where_they_are_in_reading_order() -> None:
    positions = {"/data/status": (9, 15), "/time": (3, 4)}
    lines = report([invalid(ENUM, REQUIRED)], locate=lambda result, v: positions.get(v.pointer))
    assert [line.split(": ")[0] for line in lines[:2]] == [
        "events.ndjson:3:4",
        "events.ndjson:9:15",
    ]


def test_unknown_parts_are_left_out() -> None:
    no_line = invalid(ENUM, index=4, line=None)
    no_type = EventResult("e.json", 0, 7, None, status="invalid", violations=[REQUIRED])
    lines = report([no_line, no_type, unreadable("broken.ndjson", line=5)])
    assert (
        lines[0]
        == f"events.ndjson#4: {TYPE}: data.status: 'done' is not one of ok, failed [QEV112]"
    )
    assert lines[1] == "e.json:7: time: required property is missing [QEV110]"
    assert lines[2].startswith("broken.ndjson:5: unreadable: ")


def test_the_pointer_is_kept_when_the_message_does_not_say_where() -> None:
    lines = report([invalid(UNDOCUMENTED)])
    assert (
        lines[0]
        == f"events.ndjson:2:1: {TYPE}: /data: {TYPE}: payload not specified [QEV102 warning]"
    )
    assert lines[-1].endswith("(0 violations, 1 warning)")


def test_valid_events_print_nothing_unless_verbose() -> None:
    assert report([valid(0), valid(1)]) == [
        "2 events read: 2 valid, 0 invalid, 0 unreadable (0 violations)"
    ]
    verbose = report([valid(0)], verbose=True)
    assert verbose[0].startswith("qevcontract ") and "bundled" in verbose[0]
    assert verbose[1] == f"events.ndjson:1:1: {TYPE}: valid"


def test_quiet_prints_only_the_summary_and_never_locates() -> None:
    def locate(result: EventResult, violation: Violation) -> tuple[int, int]:
        raise AssertionError("quiet output has no use for positions")

    lines = report([invalid(ENUM, REQUIRED), unreadable()], quiet=True, locate=locate, verbose=True)
    assert lines == ["2 events read: 0 valid, 1 invalid, 1 unreadable (3 violations)"]


def test_max_errors_stops_printing_but_not_counting() -> None:
    results = [invalid(ENUM, REQUIRED, index=i, line=i + 1) for i in range(3)] + [unreadable()]
    lines = report(results, max_errors=3)
    assert len(lines) == 5
    assert [line.split(": ")[0] for line in lines[:3]] == [
        "events.ndjson:1:1",
        "events.ndjson:1:1",
        "events.ndjson:2:1",
    ]
    assert lines[3] == "... 4 more problems not shown (limit 3)"
    assert lines[4] == "4 events read: 0 valid, 3 invalid, 1 unreadable (7 violations)"


def test_max_errors_zero_and_negative() -> None:
    assert report([invalid(ENUM)], max_errors=0)[0] == "... 1 more problem not shown (limit 0)"
    with pytest.raises(ValueError, match="max_errors"):
        make_reporter("text", io.StringIO(), max_errors=-1)


@pytest.mark.parametrize(
    "message",
    [
        "line one\nline two",
        "carriage\r\nreturn",
        "100% sure, \"quoted\" and 'single'",
        "déjà vu: ünïcödé ✓ 事件",
        "bell\x07 and escape \x1b[31mred\x1b[0m and \x9b CSI",
    ],
)
def test_every_violation_stays_on_one_line_and_cannot_drive_the_terminal(message: str) -> None:
    odd = Violation("", message, "k", "schema")
    lines = report([invalid(odd)])
    assert len(lines) == 2
    assert not any(ch in lines[0] for ch in "\x07\x1b\x9b\r")
    if message.isprintable():
        assert message in lines[0]  # nothing printable is altered: quotes, %, non-ASCII
    assert "\\x1b" in lines[0] or "\x1b" not in message


def test_a_hostile_file_name_is_escaped_too() -> None:
    lines = report([unreadable("evil\x1b]0;title\x07.ndjson", line=1)])
    assert lines[0].startswith("evil\\x1b]0;title\\x07.ndjson:1: unreadable: ")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def run(stream: io.StringIO, **options: object) -> str:
        reporter = make_reporter("text", stream, **options)
        reporter.start(contracts="bundled", engine="rs", strict=False)
        reporter.result(invalid(ENUM))
        reporter.finish(Summary(read=1, invalid=1, violations=1))
        return stream.getvalue()

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[" in run(FakeTerminal())
    assert "\x1b[" not in run(io.StringIO())
    assert "\x1b[" in run(io.StringIO(), color=True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(FakeTerminal())
    coloured = run(FakeTerminal(), color=True)  # an explicit choice beats the environment
    assert "\x1b[31m[QEV112]\x1b[0m" in coloured
