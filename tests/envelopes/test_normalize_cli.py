"""`qevcontract normalize` as a user runs it: output, messages, counts, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from qevcontract._cli.normalize_cmd import normalize

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
LEGACY: dict[str, Any] = {
    "cloudEventsVersion": "0.1",
    "source": "com.qlik/users",
    "eventId": "u-1",
    "eventTime": "2025-01-01T00:00:00Z",
    "eventType": "com.qlik.v1.user.created",
    "extensions": {"tenantId": "t-1", "header": {"traceparent": [TRACEPARENT]}},
    "data": {"id": "user-1"},
}
CLOUDEVENT: dict[str, Any] = {
    "specversion": "1.0",
    "id": "u-1",
    "source": "com.qlik/users",
    "type": "com.qlik.v1.user.created",
    "time": "2025-01-01T00:00:00Z",
    "tenantid": "t-1",
    "traceparent": TRACEPARENT,
    "data": {"id": "user-1"},
}


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(normalize, list(args), input=stdin)


def lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def write_jsonl(path: Path, *rows: Any) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def test_legacy_deliveries_become_cloudevents(tmp_path: Path) -> None:
    hybrid = {**CLOUDEVENT, **{k: v for k, v in LEGACY.items() if k not in CLOUDEVENT}}
    path = write_jsonl(tmp_path / "captured.jsonl", LEGACY, hybrid, CLOUDEVENT)
    result = run(str(path))
    assert result.exit_code == 0, result.stderr
    assert lines(result.stdout) == [CLOUDEVENT, CLOUDEVENT, CLOUDEVENT]
    assert result.stderr.strip() == "3 read: 2 converted, 1 unchanged, 0 unreadable"


def test_cloudevents_to_legacy(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "events.jsonl", CLOUDEVENT)
    result = run(str(path), "--to", "legacy")
    assert result.exit_code == 0
    assert lines(result.stdout) == [LEGACY]


def test_to_hybrid_then_back(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "events.jsonl", LEGACY)
    hybrid = run(str(path), "--to", "hybrid")
    [event] = lines(hybrid.stdout)
    assert event["eventType"] == event["type"] == LEGACY["eventType"]
    back = run("-", stdin=hybrid.stdout.encode())
    assert lines(back.stdout) == [CLOUDEVENT]


def test_unreadable_records_are_reported_with_their_place_and_counted(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "mixed.jsonl", LEGACY, '{"eventType": "x",', CLOUDEVENT)
    result = run(str(path))
    assert result.exit_code == 1
    assert len(lines(result.stdout)) == 2
    messages = result.stderr.splitlines()
    assert messages[0].startswith(f"{path}:2:") and ": unreadable: " in messages[0]
    assert messages[-1] == "3 read: 1 converted, 1 unchanged, 1 unreadable"


def test_warnings_are_printed_but_do_not_fail_the_run(tmp_path: Path) -> None:
    odd = json.loads(json.dumps(LEGACY))
    odd["extensions"]["changes"] = [{"field": "name"}]
    path = write_jsonl(tmp_path / "odd.jsonl", odd)
    result = run(str(path))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"{path}:1: warning: extensions.changes: an array cannot be an attribute value "
        "(a string, boolean or integer); kept in qevlegacy",
        "1 read: 1 converted, 0 unchanged, 0 unreadable (1 warning)",
    ]
    [event] = lines(result.stdout)
    assert json.loads(event["qevlegacy"]) == {"set": {"/extensions/changes": [{"field": "name"}]}}


def test_an_object_with_no_envelope_is_written_unchanged_and_fails_the_run(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "odd.jsonl", {"hello": "world"}, LEGACY)
    result = run(str(path))
    assert result.exit_code == 1
    assert lines(result.stdout)[0] == {"hello": "world"}
    assert f"{path}:1: not converted: no envelope attributes" in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "2 read: 1 converted, 1 unchanged, 0 unreadable (1 not converted faithfully)"
    )


def test_an_event_legacy_cannot_carry_faithfully_fails_the_run(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "odd.jsonl", {**CLOUDEVENT, "Region": "eu"})
    result = run(str(path), "--to", "legacy")
    assert result.exit_code == 1
    assert "warning: Region: " in result.stderr


def test_reads_json_arrays_yaml_and_directories(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps([LEGACY, LEGACY]))
    (tmp_path / "b.yaml").write_text(
        "cloudEventsVersion: '0.1'\nsource: com.qlik/users\neventId: u-1\n"
        "eventTime: '2025-01-01T00:00:00Z'\neventType: com.qlik.v1.user.created\n"
        f"extensions:\n  tenantId: t-1\n  header:\n    traceparent: ['{TRACEPARENT}']\n"
        "data:\n  id: user-1\n"
    )
    result = run(str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert lines(result.stdout) == [CLOUDEVENT] * 3


def test_output_file_may_be_the_input(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "events.jsonl", LEGACY, LEGACY)
    result = run(str(path), "-o", str(path))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert lines(path.read_text()) == [CLOUDEVENT, CLOUDEVENT]
    assert [p.name for p in tmp_path.iterdir()] == ["events.jsonl"]  # no temporary left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.jsonl"], "missing.jsonl: no such file or directory"),
        (["{input}", "-o", "{tmp}/no/such/dir/out.jsonl"], "out.jsonl: cannot write"),
        (["{input}", "--to", "xml"], "Invalid value for '--to'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", LEGACY)
    args = [a.format(input=path, tmp=tmp_path) for a in args]
    result = CliRunner().invoke(normalize, args, standalone_mode=True)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_no_path_is_a_usage_error() -> None:
    result = run()
    assert result.exit_code == 2
    assert "no input: give files, directories, or - to read stdin" in result.stderr


def test_nothing_readable_is_a_usage_error_and_leaves_the_output_alone(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", "{", "[1]")
    out = tmp_path / "out.jsonl"
    out.write_text("earlier\n")
    result = run(str(path), "-o", str(out))
    assert result.exit_code == 2
    assert f"nothing could be read in {path}" in result.stderr
    assert out.read_text() == "earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl", "out.jsonl"]


def test_the_command_module_imports_nothing_heavy() -> None:
    code = (
        "import sys, qevcontract._cli.normalize_cmd; "
        "print(sorted(m for m in ('orjson', 'yaml', 'jsonschema', 'qevcontract.envelopes') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
