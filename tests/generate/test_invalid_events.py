"""Invalid events: each broken in exactly one way, and failing for exactly that reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qevcontract.contracts import load
from qevcontract.generate import KINDS, strip_labels
from qevcontract.generate.labels import parse_broken

# The types the repository's contracts define (the `catalog` fixture loads the same set).
CONTRACT_TYPES = load(Path(__file__).resolve().parents[2] / "contracts").types
# What the validator must report for each kind: the spec of `--invalid`, restated here.
RULE_FOR_KIND = {
    "missing-required": "required",
    "wrong-type": "type",
    "not-in-enum": "enum",
    "bad-format": "format",
    "bad-pattern": "pattern",
    "wrong-event-type": "unknown-type",
    "wrong-specversion": "const",
}


def assert_fails_only_for_its_label(validator, broken) -> None:
    violations = validator.validate(broken.event)
    assert violations, f"{broken.label}: the event validates"
    reported = {(v.pointer, v.rule) for v in violations}
    assert reported == {(broken.pointer, RULE_FOR_KIND[broken.kind])}, (broken.label, violations)


@settings(max_examples=40, deadline=None)
@given(event_type=st.sampled_from(CONTRACT_TYPES), seed=st.integers(0, 2**63))
def test_invalid_events_fail_for_the_labelled_reason(
    generator, validator, event_type: str, seed: int
) -> None:
    for broken in generator.invalid_events(event_type, 8, seed=seed):
        assert_fails_only_for_its_label(validator, broken)


@pytest.mark.parametrize("event_type", CONTRACT_TYPES)
def test_both_engines_agree_on_why_each_event_is_invalid(
    generator, validator, reference_validator, event_type: str
) -> None:
    for broken in generator.invalid_events(event_type, 21, seed=4):
        assert_fails_only_for_its_label(validator, broken)
        assert_fails_only_for_its_label(reference_validator, broken)


def test_kinds_take_turns_and_every_kind_occurs_in_the_catalogue(generator, catalog) -> None:
    seen: set[str] = set()
    for event_type in catalog.types:
        batch = generator.invalid_events(event_type, 14, seed=1)
        kinds = [b.kind for b in batch]
        distinct = list(dict.fromkeys(kinds))
        assert kinds == [distinct[i % len(distinct)] for i in range(len(kinds))]  # a rotation
        assert {"missing-required", "wrong-event-type", "wrong-specversion"} <= set(kinds)
        seen.update(kinds)
    assert seen == set(KINDS)


def test_labels_are_valid_extension_attributes_and_strip_to_the_broken_event(generator) -> None:
    for broken in generator.invalid_events("com.qlik.v1.role.created", 7, seed=2):
        labelled = broken.labelled()
        assert labelled["qevbroken"] == broken.label
        assert parse_broken(labelled["qevbroken"]) == (broken.kind, broken.pointer)
        assert re.fullmatch(r"[a-z0-9]+", "qevbroken")
        assert strip_labels(labelled) == broken.event
        assert "qevbroken" not in broken.event and "qevpayload" not in broken.event


def test_labelled_list_form_matches_the_objects(generator) -> None:
    objects = generator.invalid_events("com.qlik.app.created", 7, seed=5)
    labelled = generator.events("com.qlik.app.created", 7, seed=5, valid=False)
    bare = generator.events("com.qlik.app.created", 7, seed=5, valid=False, label=False)
    assert labelled == [b.labelled() for b in objects]
    assert bare == [b.event for b in objects]


def test_pinned_values_survive_breakage(generator, validator) -> None:
    batch = generator.invalid_events(
        "com.qlik.v1.automation.run.ended", 21, seed=3, overrides={"data.status": "failed"}
    )
    for broken in batch:
        assert not broken.pointer.startswith("/data/status")
        assert broken.pointer not in ("/data", "")
        assert broken.event["data"]["status"] == "failed"
        assert_fails_only_for_its_label(validator, broken)


def test_a_nested_site_gets_its_parents_generated(generator, validator) -> None:
    """Breaking data.blocks[0].type needs a data.blocks with an item: the breaker makes one."""
    nested = [
        b
        for b in generator.invalid_events("com.qlik.v1.automation.run.ended", 200, seed=8)
        if b.pointer.startswith("/data/blocks/0/")
    ]
    assert nested
    for broken in nested:
        assert_fails_only_for_its_label(validator, broken)
