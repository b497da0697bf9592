"""The committed fixture set: up to date with the contracts, and true to its labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qevcontract.generate import Generator
from qevcontract.generate.fixtures import build_fixtures, drift, write_fixtures

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
RULE_FOR_KIND = {
    "missing-required": "required",
    "wrong-type": "type",
    "not-in-enum": "enum",
    "bad-format": "format",
    "bad-pattern": "pattern",
    "wrong-event-type": "unknown-type",
    "wrong-specversion": "const",
}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def committed_index() -> dict:
    index = FIXTURES / "index.json"
    if not index.exists():
        pytest.fail("fixtures/ is missing; run: qevcontract fake --all --fixtures fixtures/")
    return json.loads(index.read_text(encoding="utf-8"))


def test_committed_fixtures_are_up_to_date_with_the_contracts(catalog, committed_index) -> None:
    files = build_fixtures(Generator(catalog), seed=committed_index["seed"])
    changes = drift(FIXTURES, files)
    assert changes == {}, (
        f"{len(changes)} fixture file(s) out of date: {sorted(changes)[:5]}; "
        "run: qevcontract fake --all --fixtures fixtures/"
    )


def test_committed_fixtures_cover_every_type(catalog, committed_index) -> None:
    assert sorted(committed_index["types"]) == catalog.types


def test_committed_valid_fixtures_validate(committed_index, validator) -> None:
    for event_type, entry in committed_index["types"].items():
        events = read_jsonl(FIXTURES / entry["valid"])
        assert len(events) == entry["valid_events"] > 0
        for event in events:
            assert event["type"] == event_type and validator.validate(event) == []


def test_committed_invalid_fixtures_fail_for_their_label(committed_index, validator) -> None:
    for entry in committed_index["types"].values():
        events = read_jsonl(FIXTURES / entry["invalid"])
        assert [e["qevbroken"].split(" ")[0] for e in events] == entry["invalid_kinds"]
        for event in events:
            kind, _, pointer = event.pop("qevbroken").partition(" ")
            reported = {(v.pointer, v.rule) for v in validator.validate(event)}
            assert reported == {(pointer, RULE_FOR_KIND[kind])}


def test_drift_reports_missing_changed_and_stale_files_and_write_repairs_them(
    tmp_path: Path,
) -> None:
    files = {"index.json": b"{}\n", "valid/apps/a.jsonl": b"1\n", "invalid/apps/a.jsonl": b"2\n"}
    assert write_fixtures(tmp_path, files) == dict.fromkeys(sorted(files), "missing")
    assert drift(tmp_path, files) == {}
    (tmp_path / "valid/apps/a.jsonl").write_bytes(b"changed\n")
    (tmp_path / "valid/apps/old.jsonl").write_bytes(b"gone\n")
    (tmp_path / "notes.txt").write_text("not ours")
    assert drift(tmp_path, files) == {
        "valid/apps/a.jsonl": "differs",
        "valid/apps/old.jsonl": "stale",
    }
    write_fixtures(tmp_path, files)
    assert drift(tmp_path, files) == {}
    assert (tmp_path / "notes.txt").exists()  # files it does not own are left alone
