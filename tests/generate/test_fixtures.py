"""The committed fixture set: up to date with the contracts, and true to its labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qevcontract.generate import Generator
from qevcontract.generate._fixtures import build_fixtures, drift, write_fixtures

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
            assert event["type"] == event_type and list(validator.iter_errors(event)) == []


def test_committed_invalid_fixtures_fail_for_their_label(committed_index, validator) -> None:
    for entry in committed_index["types"].values():
        events = read_jsonl(FIXTURES / entry["invalid"])
        assert [e["qevbroken"].split(" ")[0] for e in events] == entry["invalid_kinds"]
        for event in events:
            kind, _, pointer = event.pop("qevbroken").partition(" ")
            reported = {(v.pointer, v.rule) for v in validator.iter_errors(event)}
            assert reported == {(pointer, RULE_FOR_KIND[kind])}


def index_bytes(*names: str) -> bytes:
    """A fixtures index.json listing the valid and invalid files of each name."""
    types = {
        n: {"valid": f"valid/apps/{n}.jsonl", "invalid": f"invalid/apps/{n}.jsonl"} for n in names
    }
    return (json.dumps({"types": types}, indent=2, sort_keys=True) + "\n").encode()


def test_drift_reports_missing_changed_and_stale_files_and_write_repairs_them(
    tmp_path: Path,
) -> None:
    files = {
        "index.json": index_bytes("a"),
        "valid/apps/a.jsonl": b"1\n",
        "invalid/apps/a.jsonl": b"2\n",
    }
    assert write_fixtures(tmp_path, files) == dict.fromkeys(sorted(files), "missing")
    assert drift(tmp_path, files) == {}
    (tmp_path / "valid/apps/a.jsonl").write_bytes(b"changed\n")
    # what an earlier generation wrote, and listed in its index
    (tmp_path / "index.json").write_bytes(index_bytes("a", "old"))
    (tmp_path / "valid/apps/old.jsonl").write_bytes(b"gone\n")
    (tmp_path / "invalid/apps/old.jsonl").write_bytes(b"gone\n")
    (tmp_path / "notes.txt").write_text("not ours")
    assert drift(tmp_path, files) == {
        "index.json": "differs",
        "invalid/apps/old.jsonl": "stale",
        "valid/apps/a.jsonl": "differs",
        "valid/apps/old.jsonl": "stale",
    }
    write_fixtures(tmp_path, files)
    assert drift(tmp_path, files) == {}
    assert not (tmp_path / "valid/apps/old.jsonl").exists()
    assert (tmp_path / "notes.txt").exists()  # files it does not own are left alone


def test_hand_added_fixture_files_are_never_stale(tmp_path: Path) -> None:
    files = {
        "index.json": index_bytes("a"),
        "valid/apps/a.jsonl": b"1\n",
        "invalid/apps/a.jsonl": b"2\n",
    }
    write_fixtures(tmp_path, files)
    mine = tmp_path / "valid/mine/my-own-capture.jsonl"
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b'{"hand": "made"}\n')
    assert drift(tmp_path, files) == {}
    write_fixtures(tmp_path, files)
    assert mine.exists()


def test_an_index_naming_paths_outside_the_fixture_trees_owns_none_of_them(tmp_path: Path) -> None:
    root = tmp_path / "fixtures"
    outside = tmp_path / "precious.jsonl"
    outside.write_text("keep\n")
    root.mkdir()
    (root / "README.md").write_text("keep")
    listed = {"types": {"x": {"valid": "../precious.jsonl", "invalid": "README.md"}}}
    (root / "index.json").write_text(json.dumps(listed))
    files = {"index.json": index_bytes(), "valid/apps/a.jsonl": b"1\n"}
    assert drift(root, files) == {"index.json": "differs", "valid/apps/a.jsonl": "missing"}
    write_fixtures(root, files)
    assert outside.exists() and (root / "README.md").exists()


def test_an_unreadable_index_owns_nothing_but_itself(tmp_path: Path) -> None:
    (tmp_path / "valid/apps").mkdir(parents=True)
    (tmp_path / "valid/apps/a.jsonl").write_bytes(b"1\n")
    (tmp_path / "index.json").write_text("{not json")
    assert drift(tmp_path, {"index.json": index_bytes()}) == {"index.json": "differs"}
