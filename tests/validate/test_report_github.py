"""The github report: workflow commands GitHub Actions turns into annotations."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from qevcontract.validate._report import render
from qevcontract.validate._results import EventResult, Status, Violation

TYPE = "com.qlik.v1.app.opened"
ENUM = Violation("/data/status", "data.status: 'x' is not one of a, b", "enum", "enum")
REQUIRED = Violation("/time", "time: required property is missing", "required", "required")
WARNING = Violation(
    "/data", "data: undocumented", "x-qev", "payload-undocumented", severity="warning"
)
INFO = Violation("/data/k", "data.k: worth a look", "x-qev", "schema", severity="info")

COMMAND = re.compile(r"^::(?P<command>[a-z]+)(?: (?P<properties>[^:]*))?::(?P<message>.*)$")


def unescape(text: str) -> str:
    """GitHub's side of the escaping rules: what the annotation will show."""
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: bytes.fromhex(m.group(1)).decode(), text)


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, f"not a workflow command: {line!r}"
    properties = {}
    if match["properties"]:
        for pair in match["properties"].split(","):
            key, _, value = pair.partition("=")
            properties[key] = unescape(value)
    return match["command"], properties, unescape(match["message"])


def run(results: list[EventResult], root: Path, **options: Any) -> list[str]:
    return render("github", results, root=root, **options).splitlines()


def event(root: Path, *violations: Violation, index: int = 1, line: int | None = 2) -> EventResult:
    status: Status = "invalid" if any(v.severity == "error" for v in violations) else "valid"
    return EventResult(
        str(root / "events" / "a.ndjson"), index, line, None if line is None else 5, "id",
        TYPE, TYPE, "cloudevents", status, list(violations),
    )  # fmt: skip


def test_one_annotation_per_violation_then_a_plain_summary(tmp_path: Path) -> None:
    valid = event(tmp_path, index=0, line=1)
    lines = run([valid, event(tmp_path, ENUM, REQUIRED, WARNING, INFO)], tmp_path)
    assert len(lines) == 5
    parsed = [parse(line) for line in lines[:4]]
    assert [command for command, _, _ in parsed] == ["error", "error", "warning", "notice"]
    _, properties, message = parsed[0]
    assert properties == {
        "file": "events/a.ndjson",
        "line": "2",
        "col": "5",
        "title": f"QEV112 {TYPE}",
    }
    assert message == "data.status: 'x' is not one of a, b"
    assert lines[4] == (
        "2 events read: 1 valid, 1 invalid, 0 unreadable (2 violations, 1 warning, 1 note)"
    )
    assert not lines[4].startswith("::")


def test_annotations_point_where_the_violation_is(tmp_path: Path) -> None:
    lines = run([event(tmp_path, ENUM)], tmp_path, locate=lambda r, v: (40, 3))
    _, properties, _ = parse(lines[0])
    assert (properties["line"], properties["col"]) == ("40", "3")


def test_an_unreadable_record(tmp_path: Path) -> None:
    why = "not JSON: truncated"
    broken = EventResult(
        str(tmp_path / "b.ndjson"), 3, 7, None, status="unreadable",
        violations=[Violation("", why, "unreadable", "unreadable")], error=why,
    )  # fmt: skip
    command, properties, message = parse(run([broken], tmp_path)[0])
    assert command == "error"
    assert properties == {"file": "b.ndjson", "line": "7", "title": "QEV100 unreadable"}
    assert message == why


def test_without_a_file_or_a_line_the_message_says_which_event(tmp_path: Path) -> None:
    stdin = EventResult("<stdin>", 4, None, None, None, None, None, None, "invalid", [REQUIRED])
    no_line = event(tmp_path, ENUM, index=9, line=None)
    stdin_line = EventResult("<stdin>", 5, 6, 2, None, None, None, None, "invalid", [REQUIRED])
    first, second, third, _ = run([stdin, no_line, stdin_line], tmp_path)
    _, properties, message = parse(first)
    assert properties == {"title": "QEV110"}  # no file, no type known
    assert message == "<stdin>#4: time: required property is missing"
    _, properties, message = parse(second)
    assert "line" not in properties and properties["file"] == "events/a.ndjson"
    assert message.startswith("event #9: data.status")
    _, properties, message = parse(third)
    assert "file" not in properties and "line" not in properties  # no file to put it on
    assert message == "<stdin>:6:2: time: required property is missing"


@pytest.mark.parametrize(
    "text",
    [
        "100% done",
        "line one\nline two\r\nline three",
        "a: b, c: d",
        "ünïcödé 事件",
        "%0A already escaped-looking %25",
        "end\n::error::injected command",
    ],
)
def test_messages_and_properties_are_escaped_and_round_trip(tmp_path: Path, text: str) -> None:
    odd = Violation("", text, "k", "schema")
    typed = EventResult(
        str(tmp_path / f"{text.splitlines()[0]}.ndjson"), 0, 1, 1, "id", f"t:{text}", None,
        None, "invalid", [odd],
    )  # fmt: skip
    lines = run([typed], tmp_path)
    assert len(lines) == 2  # one annotation, one summary: no line break got through
    _, properties, message = parse(lines[0])
    assert message == text
    assert properties["title"] == f"QEV199 t:{text}"
    assert properties["file"] == f"{text.splitlines()[0]}.ndjson"


def test_a_file_outside_the_root_keeps_its_path(tmp_path: Path) -> None:
    outside = EventResult("/elsewhere/x.ndjson", 0, 1, 1, status="invalid", violations=[ENUM])
    _, properties, _ = parse(run([outside], tmp_path / "checkout")[0])
    assert properties["file"] == "/elsewhere/x.ndjson"
