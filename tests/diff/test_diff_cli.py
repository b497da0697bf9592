"""`qevcontract diff`: exit codes per side, the three output formats, import cost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from qevcontract._cli.diff_cmd import diff
from qevcontract.diff._kinds import KINDS

from .conftest import TYPE, Pair

REPO = Path(__file__).resolve().parents[2]
# Producers break (status "b" is gone); consumers do not.
NARROWED = (
    {"type": "object", "properties": {"status": {"enum": ["a", "b"]}}},
    {"type": "object", "properties": {"status": {"enum": ["a"]}}},
)


@pytest.fixture
def narrowed(pair: Pair) -> Pair:
    return pair.data(*NARROWED)


def run(pair: Pair, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(diff, [str(pair.old), str(pair.new), *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(("side", "code"), [("producer", 1), ("consumer", 0), ("both", 1)])
def test_exit_code_follows_the_side_asked_for(narrowed: Pair, side: str, code: int) -> None:
    assert run(narrowed, "--for", side)[0] == code
    reverse = CliRunner().invoke(diff, [str(narrowed.new), str(narrowed.old), "--for", side])
    assert reverse.exit_code == {"producer": 0, "consumer": 1, "both": 1}[side]


def test_no_change_exits_zero(pair: Pair) -> None:
    pair.data(NARROWED[0], NARROWED[0])
    code, output = run(pair)
    assert code == 0 and "compatible" in output


def test_text_report_names_change_verdict_and_witness(narrowed: Pair) -> None:
    code, output = run(narrowed)
    assert code == 1
    assert f"x {TYPE} (changed): BREAKS producers" in output
    assert "producer: BREAKING" in output and "consumer: not breaking" in output
    assert "[producer] enum-value-removed  /data/status" in output
    assert "#/properties/data/properties/status/enum" in output
    witness_line = output.split("rejected by")[1].splitlines()[1]
    assert json.loads(witness_line)["data"]["status"] == "b"


def test_json_report_is_versioned_and_complete(narrowed: Pair) -> None:
    code, output = run(narrowed, "--format", "json", "--for", "consumer")
    assert code == 0
    report = json.loads(output)
    assert report["version"] == "1.0"
    assert report["for"] == "consumer" and report["breaking"] is False
    assert report["summary"] == {
        "changed": 1,
        "added": 0,
        "removed": 0,
        "unchanged": 0,
        "breaking_producer": 1,
        "breaking_consumer": 0,
    }
    (td,) = report["types"]
    assert td["producer"]["breaking"] is True and td["producer"]["witness"]["data"]["status"] == "b"
    assert td["consumer"]["witness"] is None
    (change,) = td["changes"]
    assert change["kind"] in KINDS and change["impact"] == "producer"
    assert change["pointer"] == "/properties/data/properties/status/enum"
    assert change["instance_path"] == "/data/status" and change["old"] == "b"


def test_github_annotations_error_for_the_side_asked_and_warn_for_the_other(narrowed: Pair) -> None:
    code, output = run(narrowed, "--format", "github", "--for", "producer")
    lines = output.splitlines()
    assert code == 1
    assert (
        lines[0].startswith("::error file=") and "enum-value-removed breaks producers" in lines[0]
    )
    assert f"demo/{TYPE}.schema.json," in lines[0]
    code, output = run(narrowed, "--format", "github", "--for", "consumer")
    assert code == 0 and output.startswith("::warning file=")


def test_github_annotations_sit_on_the_line_of_the_change_in_the_new_file(pair: Pair) -> None:
    """A removed enum value: on the new file's `enum`; a removed property: on the object
    that held it (the keyword is gone, its parent is where it was)."""
    old = {
        "type": "object",
        "properties": {"status": {"enum": ["a", "b"]}, "gone": {"type": "string"}},
    }
    new = {"type": "object", "properties": {"status": {"enum": ["a"]}}}
    pair.data(old, new)
    _, output = run(pair, "--format", "github", "--for", "both")
    (contract,) = pair.new.rglob(f"{TYPE}.schema.json")
    lines = contract.read_text().splitlines()
    enum_line = next(n for n, text in enumerate(lines, 1) if '"enum"' in text)
    annotations = {line.split("title=")[1].split("::")[0]: line for line in output.splitlines()
                   if line.startswith("::")}  # fmt: skip
    enum_removed = next(a for title, a in annotations.items() if "enum-value-removed" in title)
    assert f",line={enum_line}," in enum_removed
    assert all(",line=" in a for a in annotations.values()), annotations
    gone = [a for title, a in annotations.items() if "enum-value-removed" not in title]
    data_line = next(n for n, text in enumerate(lines, 1) if '"data"' in text)
    properties_line = next(
        n for n, text in enumerate(lines, 1) if '"properties"' in text and n > data_line
    )
    assert gone and all(f",line={properties_line}," in a for a in gone), (gone, properties_line)


def test_github_annotation_escapes_workflow_command_characters(pair: Pair) -> None:
    old = {"type": "object", "properties": {"s": {"enum": ["a,b:c", "x"]}}}
    new = {"type": "object", "properties": {"s": {"enum": ["x"]}}}
    pair.data(old, new)
    _, output = run(pair, "--format", "github")
    first = output.splitlines()[0]
    assert first.count("::") == 2, first  # only the command's own separators


def test_usage_errors_exit_two(narrowed: Pair) -> None:
    assert run(narrowed, "--for", "everyone")[0] == 2
    assert run(narrowed, "--format", "xml")[0] == 2


def test_importing_the_command_stays_light() -> None:
    """A pre-commit hook pays for the command's import: no validators or algebra up front."""
    code = (
        "import sys, qevcontract._cli.diff_cmd\n"
        "heavy = {'jsonschema', 'jsonschema_rs', 'referencing', 'yaml', 'hypothesis'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert out.stdout.strip() == "[]"
