"""Contract-set level behaviour: event types added, removed, renamed, deprecated; `$ref`s
across files and inside a file; shared schemas; and what the verdict rests on when the
oracle cannot decide."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qevcontract.contracts import load
from qevcontract.diff._compare import diff_catalogs
from qevcontract.diff._model import Basis, DiffOptions, Impact, Side
from qevcontract.diff._report import render

from .conftest import (
    ENV_ID,
    REAL_REFS,
    SIMPLE_ENVELOPE,
    TYPE,
    Pair,
    contract,
    real_envelopes,
    witness_holds,
    write_set,
)

OTHER = "com.example.thing.removed"
DATA = {"type": "object", "properties": {"a": {"type": "string"}}}


def kinds(td: Any) -> set[tuple[str, Impact]]:
    return {(c.kind, c.impact) for c in td.changes}


def test_identical_sets_report_nothing(pair: Pair) -> None:
    report = pair.write({TYPE: contract(DATA)}, {TYPE: contract(DATA)}).report()
    assert report.types == ()
    assert report.unchanged == 1
    assert not report.breaks(Side.PRODUCER) and not report.breaks(Side.CONSUMER)


def test_provenance_only_changes_leave_a_type_unchanged(pair: Pair) -> None:
    old = contract(DATA, **{"x-qev-provenance": [{"page": "a.md", "line": 1}]})
    new = contract(DATA, **{"x-qev-provenance": [{"page": "a.md", "line": 9}]})
    assert pair.write({TYPE: old}, {TYPE: new}).report().types == ()


def test_added_type_breaks_nobody(pair: Pair) -> None:
    report = pair.write(
        {TYPE: contract(DATA)}, {TYPE: contract(DATA), OTHER: contract(DATA, event_type=OTHER)}
    ).report()
    (td,) = report.types
    assert (td.type, td.status) == (OTHER, "added")
    assert kinds(td) == {("event-type-added", Impact.NONE)}
    assert not td.producer.breaking and not td.consumer.breaking


def test_removed_type_breaks_producers_with_an_event_the_old_set_accepted(pair: Pair) -> None:
    report = pair.write(
        {TYPE: contract(DATA), OTHER: contract(DATA, event_type=OTHER)}, {TYPE: contract(DATA)}
    ).report()
    (td,) = report.types
    assert (td.type, td.status) == (OTHER, "removed")
    assert kinds(td) == {("event-type-removed", Impact.PRODUCER)}
    assert td.producer.breaking and not td.consumer.breaking
    from qevcontract.validate._validator import Validator

    assert td.producer.witness["type"] == OTHER
    assert Validator(load(pair.old)).is_valid(td.producer.witness)


def test_a_likely_rename_is_pointed_out(pair: Pair) -> None:
    renamed = "com.example.thing.changes"
    report = pair.write(
        {TYPE: contract(DATA)}, {renamed: contract(DATA, event_type=renamed)}
    ).report()
    notes = {t.status: t.producer.note + t.consumer.note for t in report.types}
    assert renamed in notes["removed"] and TYPE in notes["added"]


def test_deprecating_an_event_type_breaks_nobody(pair: Pair) -> None:
    write_set(pair.old, {TYPE: contract(DATA)})
    write_set(pair.new, {TYPE: contract(DATA)}, deprecated=(TYPE,))
    td = pair.type_diff()
    assert td is not None and kinds(td) == {("event-deprecated", Impact.NONE)}
    assert not td.producer.breaking and not td.consumer.breaking
    write_set(pair.old, {TYPE: contract(DATA)}, deprecated=(TYPE,))
    write_set(pair.new, {TYPE: contract(DATA)})
    td = pair.type_diff()
    assert td is not None and kinds(td) == {("event-undeprecated", Impact.NONE)}


def test_unreferenced_definition_changes_break_nobody(pair: Pair) -> None:
    old = contract(DATA, **{"$defs": {"unused": {"type": "string"}}})
    new = contract(DATA, **{"$defs": {"unused": {"type": "integer"}}})
    td = pair.write({TYPE: old}, {TYPE: new}).type_diff()
    assert td is not None and kinds(td) == {("definition-changed", Impact.NONE)}
    assert td.changes[0].pointer == "/$defs/unused"
    assert not td.producer.breaking and not td.consumer.breaking


def test_ref_to_an_equal_definition_breaks_nobody_but_is_named(pair: Pair) -> None:
    defs = {"a": {"type": "string"}, "b": {"type": "string"}}
    old = contract({"$ref": "#/$defs/a"}, **{"$defs": defs})
    new = contract({"$ref": "#/$defs/b"}, **{"$defs": defs})
    td = pair.write({TYPE: old}, {TYPE: new}).type_diff()
    assert td is not None and ("ref-target-changed", Impact.NONE) in kinds(td)
    assert not td.producer.breaking and not td.consumer.breaking


def test_ref_to_a_narrower_definition_is_compared_by_content(pair: Pair) -> None:
    defs = {"a": {"type": "string"}, "b": {"type": "string", "maxLength": 2}}
    old = contract({"$ref": "#/$defs/a"}, **{"$defs": defs})
    new = contract({"$ref": "#/$defs/b"}, **{"$defs": defs})
    td = pair.write({TYPE: old}, {TYPE: new}).type_diff()
    assert td is not None
    assert {
        ("ref-target-changed", Impact.NONE),
        ("max-length-decreased", Impact.PRODUCER),
    } <= kinds(td)
    assert td.producer.breaking and not td.consumer.breaking
    assert witness_holds(pair, td, Side.PRODUCER)


SHARED = "https://qevcontract.invalid/contracts/envelope/shared.schema.json"


def _shared(status_values: list[str]) -> dict[str, Any]:
    return {"$id": SHARED, "$defs": {"status": {"type": "string", "enum": status_values}}}


def test_change_in_a_shared_file_is_placed_in_that_file_and_reaches_every_user(pair: Pair) -> None:
    second = "com.example.other.changed"
    data = {"type": "object", "properties": {"status": {"$ref": SHARED + "#/$defs/status"}}}
    contracts = {TYPE: contract(data), second: contract(data, event_type=second)}
    envelopes = {"envelope/base.schema.json": SIMPLE_ENVELOPE}
    write_set(
        pair.old, contracts, {**envelopes, "envelope/shared.schema.json": _shared(["a", "b"])}
    )
    write_set(pair.new, contracts, {**envelopes, "envelope/shared.schema.json": _shared(["a"])})
    report = pair.report()
    assert [t.type for t in report.types] == [second, TYPE]
    for td in report.types:
        (change,) = [c for c in td.changes if c.kind == "enum-value-removed"]
        assert (change.file, change.pointer) == (
            "envelope/shared.schema.json",
            "/$defs/status/enum",
        )
        assert change.instance_path == "/data/status"
        assert td.producer.breaking and not td.consumer.breaking
        assert witness_holds(pair, td, Side.PRODUCER)
    text = render(report, "text", (Side.PRODUCER,))
    assert text.count("enum-value-removed") == 1 and "[2 event types]" in text


def test_envelope_change_through_allof_ref(pair: Pair) -> None:
    wider = json.loads(json.dumps(SIMPLE_ENVELOPE))
    wider["properties"]["specversion"] = {"enum": ["1.0", "1.1"]}
    write_set(pair.old, {TYPE: contract(DATA)})
    write_set(pair.new, {TYPE: contract(DATA)}, {"envelope/base.schema.json": wider})
    td = pair.type_diff()
    assert td is not None
    (change,) = [c for c in td.changes if c.kind == "enum-value-added"]
    assert change.file == "envelope/base.schema.json" and change.instance_path == "/specversion"
    assert td.consumer.breaking and not td.producer.breaking
    assert td.consumer.witness["specversion"] == "1.1"
    assert witness_holds(pair, td, Side.CONSUMER)


def _recursive(max_length: int) -> dict[str, Any]:
    node = {
        "type": "object",
        "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
    }
    data = {
        "type": "object",
        "properties": {
            "tree": {"$ref": "#/$defs/node"},
            "a": {"type": "string", "maxLength": max_length},
        },
    }
    return contract(data, **{"$defs": {"node": node}})


def test_recursive_contract_is_decided_per_changed_subschema(pair: Pair) -> None:
    """The whole-contract oracle cannot model a `$ref` cycle; the changed subschema it can,
    and since it sits under `properties` only, "no break there" proves "no break"."""
    td = pair.write({TYPE: _recursive(3)}, {TYPE: _recursive(5)}).type_diff()
    assert td is not None
    assert td.producer.basis is Basis.LOCAL_ORACLE and not td.producer.breaking
    assert td.consumer.breaking and td.consumer.basis is Basis.WITNESS
    assert witness_holds(pair, td, Side.CONSUMER)


def test_undecidable_change_falls_back_to_the_structural_rules_and_says_so(pair: Pair) -> None:
    """`^a+$` -> `^a*$` only widens, but the algebra cannot prove it and no event shows a
    producer break: the structural rule (a changed pattern may break both) decides."""
    old = {"type": "string", "pattern": "^a+$"}
    new = {"type": "string", "pattern": "^a*$"}
    td = pair.data(old, new).type_diff()
    assert td is not None
    assert td.producer.basis is Basis.STRUCTURAL and td.producer.breaking
    assert "could not decide" in td.producer.note and "structural" in td.producer.note
    assert td.consumer.breaking and witness_holds(pair, td, Side.CONSUMER)
    text = render(pair.report(), "text", (Side.PRODUCER,))
    assert "by the structural rules only" in text


def test_without_witness_search_an_undecided_break_rests_on_the_structural_rules(
    pair: Pair,
) -> None:
    old = {"type": "integer", "multipleOf": 2}
    new = {"type": "integer", "multipleOf": 4}
    td = pair.data(old, new, real=True).type_diff(witnesses=False)
    assert td is not None
    assert td.producer.breaking and td.producer.basis is Basis.STRUCTURAL
    assert not td.producer.has_witness
    assert not td.consumer.breaking


def test_oracle_overrules_a_structural_claim_and_says_so(pair: Pair) -> None:
    old = {"anyOf": [{"type": "string", "maxLength": 5}, {"type": "string"}]}
    new = {"anyOf": [{"type": "string", "maxLength": 3}, {"type": "string"}]}
    td = pair.data(old, new).type_diff()
    assert td is not None and ("max-length-decreased", Impact.PRODUCER) in kinds(td)
    assert not td.producer.breaking
    assert "proves no event is affected" in td.producer.note


def test_strict_open_content_is_a_producer_break_with_a_witness(pair: Pair) -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}}}
    new = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}
    pair.data(old, new, real=True)
    lenient = pair.type_diff()
    strict = pair.type_diff(strict_open_content=True)
    assert lenient is not None and strict is not None
    assert not lenient.producer.breaking
    assert strict.producer.breaking and witness_holds(pair, strict, Side.PRODUCER)
    assert not isinstance(strict.producer.witness["data"]["b"], int)


def test_unresolvable_ref_is_an_input_error(pair: Pair, tmp_path: Path) -> None:
    from qevcontract.diff._compare import DiffError

    bad = contract({"$ref": "https://example.com/elsewhere.json"})
    pair.write({TYPE: contract(DATA)}, {TYPE: bad})
    try:
        diff_catalogs(load(pair.old), load(pair.new), DiffOptions())
    except DiffError as exc:
        assert "elsewhere.json" in str(exc) and "never fetched" in str(exc)
    else:
        raise AssertionError("expected a DiffError")


def test_envelope_ref_is_resolved_from_each_sets_own_files(pair: Pair) -> None:
    """Both sets use the same `$id` for the envelope with different contents: each side
    must read its own, or this change would be invisible."""
    narrower = json.loads(json.dumps(SIMPLE_ENVELOPE))
    narrower["properties"]["id"]["maxLength"] = 8
    write_set(pair.old, {TYPE: contract(DATA)})
    write_set(pair.new, {TYPE: contract(DATA)}, {"envelope/base.schema.json": narrower})
    td = pair.type_diff()
    assert td is not None and td.producer.breaking
    assert ENV_ID.endswith(td.changes[0].file)
    assert witness_holds(pair, td, Side.PRODUCER)


def test_a_contract_the_validators_cannot_compile_does_not_crash_the_diff(pair: Pair) -> None:
    old = {"type": "string"}
    new = {"type": "string", "pattern": "(unclosed"}
    td = pair.data(old, new).type_diff()
    assert td is not None and ("pattern-added", Impact.PRODUCER) in kinds(td)
    assert td.producer.breaking and not td.producer.has_witness
    assert td.producer.basis is Basis.STRUCTURAL


def test_declaring_a_name_the_old_contract_required_is_a_producer_break(pair: Pair) -> None:
    old = {"type": "object", "required": ["a"]}
    new = {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}}
    td = pair.data(old, new).type_diff()
    assert td is not None and ("property-added", Impact.PRODUCER) in kinds(td)
    assert td.producer.breaking and witness_holds(pair, td, Side.PRODUCER)


def test_a_new_event_attribute_narrows_what_the_envelope_allowed(pair: Pair) -> None:
    """The CloudEvents envelope lets any extension attribute be a string, boolean or
    integer; declaring `newattr` a string rejects events that sent it as a number."""
    write_set(
        pair.old, {TYPE: contract(DATA, refs=REAL_REFS, require_data=False)}, real_envelopes()
    )
    declared = contract(DATA, refs=REAL_REFS, require_data=False)
    declared["properties"]["newattr"] = {"type": "string"}
    write_set(pair.new, {TYPE: declared}, real_envelopes())
    td = pair.type_diff()
    assert td is not None and ("property-added", Impact.PRODUCER) in kinds(td)
    assert td.producer.breaking and not td.consumer.breaking
    assert witness_holds(pair, td, Side.PRODUCER)
    assert not isinstance(td.producer.witness["newattr"], str)
