"""`qevcontract fake`, through click's test runner."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from qevcontract._cli.fake_cmd import fake

REPO = Path(__file__).resolve().parents[2]
CONTRACTS = str(REPO / "contracts")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(fake, [*args, "--contracts", CONTRACTS])
    return result.exit_code, result.stdout, result.stderr


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_jsonl_by_default_n_events_per_type(catalog) -> None:
    code, out, _ = run("com.qlik.v1.app.reload.finished", "com.qlik.app.created", "-n", "3")
    events = lines(out)
    assert code == 0
    assert [e["type"] for e in events] == ["com.qlik.app.created"] * 3 + [
        "com.qlik.v1.app.reload.finished"
    ] * 3


def test_patterns_and_all_expand_to_contract_types(catalog) -> None:
    code, out, _ = run("com.qlik.v1.alerting-task.*")
    types = [e["type"] for e in lines(out)]
    assert code == 0 and types == sorted(t for t in catalog.types if ".alerting-task." in t)
    code, out, _ = run("--all")
    assert code == 0 and [e["type"] for e in lines(out)] == catalog.types


def test_same_seed_same_bytes_and_another_seed_other_bytes() -> None:
    args = ("com.qlik.v1.automation.run.ended", "com.qlik.v1.role.*", "-n", "20")
    first = run(*args, "--seed", "5")[1]
    assert first == run(*args, "--seed", "5")[1]
    assert first != run(*args, "--seed", "6")[1]
    assert run(*args, "--seed", "5", "--shuffle")[1] == run(*args, "--seed", "5", "--shuffle")[1]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_json_and_yaml_hold_the_same_events_as_jsonl(fmt: str) -> None:
    args = ("com.qlik.v1.app.opened", "com.qlik.v1.role.created", "-n", "4", "--seed", "2")
    expected = lines(run(*args)[1])
    code, out, _ = run(*args, "--format", fmt)
    assert code == 0
    assert (json.loads(out) if fmt == "json" else list(yaml.safe_load_all(out))) == expected
    empty = run("com.qlik.v1.app.opened", "-n", "0", "--format", fmt)[1]
    assert (json.loads(empty) if fmt == "json" else list(yaml.safe_load_all(empty))) == []


def test_yaml_output_is_one_document_per_event_that_validate_reads(tmp_path: Path) -> None:
    """fake --format yaml | validate: every event is read back as one event, and is valid."""
    from qevcontract._input import iter_records
    from qevcontract.validate._validator import Validator

    args = ("com.qlik.v1.app.reload.finished", "com.qlik.scheduling.task.created", "-n", "5")
    code, out, _ = run(*args, "--seed", "3", "--format", "yaml")
    assert code == 0 and out.startswith("---\n") and out.count("\n---\n") == 9
    assert out == run(*args, "--seed", "3", "--format", "yaml")[1]  # byte-identical
    target = tmp_path / "events.yaml"
    target.write_text(out, encoding="utf-8")
    records = list(iter_records([str(target)]))
    assert [r.error for r in records] == [None] * 10
    assert [r.event for r in records] == lines(run(*args, "--seed", "3")[1])
    validator = Validator(CONTRACTS)
    assert all(list(validator.iter_errors(r.event)) == [] for r in records)
    invalid = run(*args, "--seed", "3", "--format", "yaml", "--invalid")[1]
    target.write_text(invalid, encoding="utf-8")
    broken = list(iter_records([str(target)]))
    assert len(broken) == 10 and all(r.error is None and "qevbroken" in r.event for r in broken)


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "events.jsonl"
    code, out, err = run("com.qlik.app.created", "-n", "5", "-o", str(target))
    assert code == 0 and out == ""
    assert len(lines(target.read_text())) == 5 and "5 event(s)" in err


def test_invalid_events_are_labelled_and_no_label_strips_exactly_the_label() -> None:
    args = ("com.qlik.app.created", "--invalid", "-n", "7")
    labelled = lines(run(*args)[1])
    bare = lines(run(*args, "--no-label")[1])
    assert all(e["qevbroken"] for e in labelled)
    assert bare == [{k: v for k, v in e.items() if k != "qevbroken"} for e in labelled]


def test_shuffle_interleaves_the_same_events() -> None:
    args = ("com.qlik.app.created", "com.qlik.v1.app.opened", "com.qlik.v1.role.created")
    plain = lines(run(*args, "-n", "30")[1])
    mixed = lines(run(*args, "-n", "30", "--shuffle")[1])
    assert mixed != plain
    key = lambda e: e["id"]  # noqa: E731
    assert sorted(mixed, key=key) == sorted(plain, key=key)
    for t in args:  # each type keeps its own order
        assert [e for e in mixed if e["type"] == t] == [e for e in plain if e["type"] == t]


def test_set_pins_values() -> None:
    code, out, _ = run("com.qlik.v1.automation.run.ended", "-n", "3", "--set", "data.status=failed")
    assert code == 0 and {e["data"]["status"] for e in lines(out)} == {"failed"}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("com.qlik.v1.app.opend",), "did you mean com.qlik.v1.app.opened"),
        (("com.qlik.nothing.*",), "no contract"),
        ((), "TYPE"),
        (("com.qlik.v1.automation.run.ended", "--set", "data.status=done"), "not one of"),
        (("com.qlik.app.created", "--set", "nonsense"), "PATH=VALUE"),
        (("com.qlik.app.created", "--check"), "--fixtures"),
        (("--all", "--fixtures", "x", "--invalid"), "--invalid"),
        (("com.qlik.app.created", "--fixtures", "x"), "--all"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: tuple[str, ...], needle: str) -> None:
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("qevcontract: error: ") and needle in err


def test_unwritable_output_is_a_one_line_error(tmp_path: Path) -> None:
    code, _, err = run("com.qlik.app.created", "-o", str(tmp_path / "no" / "such" / "dir" / "x"))
    assert code == 2 and err.count("\n") == 1 and "cannot write" in err


def test_a_contract_the_generator_cannot_serve_is_a_one_line_error(tmp_path: Path) -> None:
    contracts = tmp_path / "contracts"
    shutil.copytree(CONTRACTS, contracts)
    target = contracts / "apps" / "com.qlik.app.created.schema.json"
    schema = json.loads(target.read_text())
    schema["properties"]["data"]["oneOf"] = [{"required": ["id"]}, {"required": ["name"]}]
    target.write_text(json.dumps(schema))
    result = CliRunner().invoke(fake, ["com.qlik.app.created", "--contracts", str(contracts)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "com.qlik.app.created: /data: keyword 'oneOf' is not supported" in result.stderr


def test_fixtures_are_written_and_checked(tmp_path: Path) -> None:
    target = tmp_path / "fixtures"
    assert run("--all", "--fixtures", str(target))[0] == 0
    assert (target / "index.json").exists()
    assert run("--all", "--fixtures", str(target), "--check")[0] == 0
    victim = next((target / "valid").rglob("*.jsonl"))
    victim.write_text("{}\n")
    code, out, err = run("--all", "--fixtures", str(target), "--check")
    assert code == 1 and str(victim) in out and "qevcontract fake --all --fixtures" in err


def test_importing_the_command_loads_neither_the_generator_nor_hypothesis() -> None:
    code = (
        "import sys, qevcontract._cli.fake_cmd;"
        "print(sorted(m for m in sys.modules if m.startswith(('qevcontract.generate', "
        "'hypothesis', 'jsonschema', 'yaml'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_unresolvable_ref_is_a_one_line_error_not_an_internal_one(tmp_path: Path) -> None:
    contracts = tmp_path / "contracts"
    shutil.copytree(CONTRACTS, contracts)
    target = contracts / "apps" / "com.qlik.app.created.schema.json"
    schema = json.loads(target.read_text())
    missing = "https://qevcontract.invalid/nowhere.schema.json"
    schema["properties"]["data"]["properties"]["name"] = {"$ref": missing}
    target.write_text(json.dumps(schema))
    result = CliRunner().invoke(fake, ["com.qlik.app.created", "--contracts", str(contracts)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "internal error" not in result.stderr
    assert result.stderr.startswith("qevcontract: error: com.qlik.app.created: cannot inline")
    assert missing in result.stderr
